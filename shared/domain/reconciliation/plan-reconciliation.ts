import { formatAmount } from '../money';
import { canTransition, type Direction, isOpen, type Payment } from '../payments/payment';
import type { ReconciliationStatus, ReportedTransaction } from '../settlement/bank-transaction';
import { applySettlement, type MatchDecision } from '../settlement/matching';
import type { ExceptionType } from './reconciliation-exception';

export interface PaymentChange {
  readonly from: Payment;
  readonly to: Payment;
}

/** What one transaction does: payments it changes, the exception it opens, how it shows as reconciled. */
export interface ReconciliationPlan {
  readonly paymentChanges: readonly PaymentChange[];
  readonly exception: { readonly type: ExceptionType; readonly reason: string; readonly candidatePaymentIds: readonly string[] } | undefined;
  readonly status: ReconciliationStatus;
  readonly paymentIds: readonly string[];
  readonly matchedBy: 'reference' | null;
}

const directionOf = (transaction: Pick<ReportedTransaction, 'creditDebitIndicator'>): Direction =>
  transaction.creditDebitIndicator === 'credit' ? 'inbound' : 'outbound';

const due = (payment: Payment): number => Math.max(0, payment.amount - (payment.settlement?.amountSettled ?? 0));

const none = (exception: ReconciliationPlan['exception'], status: ReconciliationStatus): ReconciliationPlan => ({
  paymentChanges: [],
  exception,
  status,
  paymentIds: [],
  matchedBy: null,
});

/**
 * Decides what a transaction does, from the match decision and the payments its reference keys reached
 * (`reached`: every payment indexed under one of its keys, open or closed, any direction or currency). Pure.
 *
 * Automatic only when safe (docs/architecture.md §5, docs/decisions.md D1): one open payment of the same currency and direction settles (wholly
 * or partly; an over-payment settles it and opens amount_mismatch); several open payments settle together only
 * when each was named by its exact key and the amount is exactly what they still owe. Everything else opens an
 * exception and settles nothing: several payments reachable (ambiguous), money back against a settled payment of the
 * other direction for its amount (returned: the payment is reopened as returned; the booked transaction itself
 * restores the cash), anything else (unmatched). A settled payment paid again is never applied automatically: it
 * keeps what it settled and the second credit stays unapplied cash in a duplicate_payment exception naming it,
 * for a person to match elsewhere, refund or accept as over-payment (resolve-exception.ts). Whichever credit comes
 * first settles; the settle write is conditional on the payment's version, so a concurrent loser decides again
 * and finds it settled. A zero amount settles nothing.
 */
export const planReconciliation = (
  transaction: Pick<ReportedTransaction, 'status' | 'creditDebitIndicator' | 'currency' | 'amount' | 'bookingDateTime'>,
  transactionId: string,
  decision: MatchDecision,
  reached: readonly Payment[],
  now: string,
): ReconciliationPlan => {
  const byId = new Map(reached.map((payment) => [payment.id, payment]));
  const amount = formatAmount(transaction.amount, transaction.currency);

  if (transaction.status === 'pending') {
    // The payment it names: an open one it matched, or else the one settled payment of its direction it reached
    // (then it is money already counted as settled, whatever order the bank reported things in).
    const settledReached = reached.filter(
      (payment) => payment.status === 'settled' && payment.direction === directionOf(transaction) && payment.currency === transaction.currency,
    );
    const named = decision.outcome === 'match' ? byId.get(decision.paymentId) : settledReached.length === 1 ? settledReached[0] : undefined;
    const payment = decision.outcome === 'match' ? named : undefined;
    // The ledger shows the money moving: proof of execution even if the status webhook is late or lost.
    const executes = payment !== undefined && (payment.status === 'authorisation_required' || payment.status === 'authorised');
    return {
      paymentChanges: executes ? [{ from: payment, to: { ...payment, status: 'executed', executedAt: transaction.bookingDateTime, updatedAt: now, version: payment.version + 1 } }] : [],
      exception: undefined,
      status: 'pending',
      paymentIds: named === undefined ? [] : [named.id],
      matchedBy: null,
    };
  }

  if (transaction.amount === 0) {
    return none({ type: 'unmatched', reason: `A zero-amount ${transaction.creditDebitIndicator} settles nothing.`, candidatePaymentIds: [] }, 'unmatched');
  }

  if (decision.outcome === 'match') {
    const payment = byId.get(decision.paymentId);
    if (payment === undefined || !isOpen(payment)) return planUnmatched(transaction, reached, now, amount);
    const settled = applySettlement(payment, { id: transactionId, amount: transaction.amount }, now);
    const overpaid = (settled.settlement?.overpaidBy ?? 0) > (payment.settlement?.overpaidBy ?? 0);
    return {
      paymentChanges: [{ from: payment, to: settled }],
      exception: overpaid
        ? {
            type: 'amount_mismatch',
            reason: `Received ${amount} ${transaction.currency} against ${formatAmount(due(payment), transaction.currency)} due on ${payment.id}: over-paid by ${formatAmount(settled.settlement?.overpaidBy ?? 0, transaction.currency)}.`,
            candidatePaymentIds: [payment.id],
          }
        : undefined,
      status: 'matched',
      paymentIds: [payment.id],
      matchedBy: 'reference',
    };
  }

  if (decision.outcome === 'ambiguous') {
    const payments = decision.candidateIds.map((id) => byId.get(id));
    const allExact = decision.candidateIds.every((id) => decision.kinds.get(id) === 'exact');
    const open = payments.filter((payment): payment is Payment => payment !== undefined && isOpen(payment));
    const owed = open.reduce((sum, payment) => sum + due(payment), 0);
    if (allExact && open.length === payments.length && owed === transaction.amount && owed > 0) {
      // One transfer, several invoices, each named by its own reference, for exactly what they owe.
      return {
        paymentChanges: open.map((payment) => ({ from: payment, to: applySettlement(payment, { id: transactionId, amount: due(payment) }, now) })),
        exception: undefined,
        status: 'matched',
        paymentIds: open.map((payment) => payment.id),
        matchedBy: 'reference',
      };
    }
    return none(
      {
        type: 'ambiguous',
        reason: `The reference points at ${decision.candidateIds.length} open payments${owed === transaction.amount ? '' : ` owing ${formatAmount(owed, transaction.currency)} together`}; ${amount} ${transaction.currency} cannot be assigned safely.`,
        candidatePaymentIds: decision.candidateIds,
      },
      'needs_review',
    );
  }

  return planUnmatched(transaction, reached, now, amount);
};

const planUnmatched = (
  transaction: Pick<ReportedTransaction, 'creditDebitIndicator' | 'currency' | 'amount'>,
  reached: readonly Payment[],
  now: string,
  amount: string,
): ReconciliationPlan => {
  const direction = directionOf(transaction);
  const sameCurrency = reached.filter((payment) => payment.currency === transaction.currency);
  // Money going the other way against a settled payment, for what it settled: a return or reversal.
  const returned = sameCurrency.filter(
    (payment) =>
      payment.direction !== direction &&
      canTransition(payment.status, 'returned') &&
      (payment.settlement?.amountSettled ?? 0) === transaction.amount,
  );
  const [onlyReturned] = returned;
  if (returned.length === 1 && onlyReturned !== undefined) {
    const settlement = onlyReturned.settlement;
    const reopened: Payment = {
      ...onlyReturned,
      status: 'returned',
      settlement: settlement === null ? null : { ...settlement, amountSettled: 0, overpaidBy: 0 },
      updatedAt: now,
      version: onlyReturned.version + 1,
    };
    return {
      paymentChanges: [{ from: onlyReturned, to: reopened }],
      exception: {
        type: 'returned',
        reason: `${amount} ${transaction.currency} went back against ${onlyReturned.id}, settled for that amount: the payment is returned and open again.`,
        candidatePaymentIds: [onlyReturned.id],
      },
      status: 'matched',
      paymentIds: [onlyReturned.id],
      matchedBy: 'reference',
    };
  }
  const settledSameWay = sameCurrency.filter((payment) => payment.direction === direction && payment.status === 'settled');
  if (settledSameWay.length > 0) {
    // Paid already: the payment keeps what it settled. The money is real (the cash moves with the booked line) but
    // unapplied until a person decides; adding it to the payment would read as the invoice paid twice over.
    const ids = settledSameWay.map((payment) => payment.id);
    return none(
      {
        type: 'duplicate_payment',
        reason: `The reference names ${ids.join(', ')}, already settled: ${amount} ${transaction.currency} is a second payment, left unapplied (match it to another payment, refund it, or accept it as over-payment).`,
        candidatePaymentIds: ids,
      },
      'needs_review',
    );
  }
  const candidateIds = reached.map((payment) => payment.id);
  return none(
    {
      type: 'unmatched',
      reason:
        candidateIds.length === 0
          ? `No open payment carries this reference; ${amount} ${transaction.currency} ${transaction.creditDebitIndicator === 'credit' ? 'received' : 'paid out'} is unexplained.`
          : `The reference names ${candidateIds.join(', ')}, but not as an open ${direction} payment in ${transaction.currency}.`,
      candidatePaymentIds: candidateIds,
    },
    'unmatched',
  );
};
