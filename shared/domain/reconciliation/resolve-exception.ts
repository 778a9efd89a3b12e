import { ConflictError, NotFoundError, UnprocessableError, ValidationError } from '../errors';
import { type DomainEvent, domainEvent, type EventPublisher, withMovedPosition } from '../events/domain-event';
import { movedPosition, paymentMove } from '../cash/cash-position';
import { type InitiatePaymentDeps, preparePayment } from '../payments/initiate-payment';
import type { MismatchPolicy } from '../payments/payee-verification';
import { isOpen, type Payment } from '../payments/payment';
import type { PaymentRepository } from '../payments/payment-repository';
import type { Clock } from '../ports';
import type { BankTransaction } from '../settlement/bank-transaction';
import { applySettlement } from '../settlement/matching';
import { paymentChangeEvents } from '../settlement/reconcile-transaction';
import type { TransactionStore } from '../settlement/settlement-store';
import type { PaymentChange } from './plan-reconciliation';
import { type ExceptionResolution, type ExceptionStore, exceptionView, type ExceptionType, type ReconciliationException } from './reconciliation-exception';

interface ResolveRequest {
  readonly tenantId: string;
  readonly exceptionId: string;
  /** Who resolves it: the id of the API key that asked (never the key). */
  readonly resolvedBy: string;
}

/** What a person decided: apply the money to payments, send it back to the payer, or close it with a note. */
export type ResolveAction =
  | { readonly action: 'match'; readonly paymentIds: readonly string[] }
  | { readonly action: 'refund'; readonly confirmationOfPayee?: MismatchPolicy | undefined }
  | { readonly action: 'dismiss'; readonly note: string };

export type ResolveCommand = ResolveRequest & ResolveAction;

export interface ResolveDeps {
  readonly exceptions: ExceptionStore;
  readonly transactions: TransactionStore;
  readonly payments: PaymentRepository;
  readonly events: EventPublisher;
  readonly clock: Clock;
  /** What initiating the refund's outbound payment needs besides the payments. */
  readonly refunds: Pick<InitiatePaymentDeps, 'accounts' | 'gateway' | 'ids' | 'randomIndex' | 'payees'>;
}

const MAX_ATTEMPTS = 3;
/** Types whose transaction is already applied: a person acknowledges them, there is nothing left to match. */
const ALREADY_APPLIED: ReadonlySet<ExceptionType> = new Set(['amount_mismatch', 'returned']);

const due = (payment: Payment): number => Math.max(0, payment.amount - (payment.settlement?.amountSettled ?? 0));

interface Decision {
  readonly paymentChanges: readonly PaymentChange[];
  readonly transaction: BankTransaction;
  readonly refund: Payment | undefined;
  readonly resolution: ExceptionResolution;
}

/**
 * A person resolves an exception, once: matches its transaction to payments they chose (open ones, or, for a
 * duplicate_payment, the settled payment it names, accepting the over-payment), refunds the money to the payer as
 * an outbound payment, or dismisses it with a note.
 * Primary course: check the choice against the transaction, and write the resolution (who, when, what), the
 * transaction's reconciliation, every payment change and the refund payment in one atomic write, conditional on
 * the exception still being open and each payment still at the version read — the same exactly-once writes
 * automatic matching uses — with reconciliation.exception_resolved in the exception's outbox, published after.
 * A second resolution, or the loser of two at once, is a 409.
 */
export const resolveException = async (command: ResolveCommand, deps: ResolveDeps): Promise<ReconciliationException> => {
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt += 1) {
    const found = await deps.exceptions.get(command.tenantId, command.exceptionId);
    if (found === undefined) throw new NotFoundError(`Exception ${command.exceptionId} does not exist.`);
    const { exception } = found;
    if (exception.status === 'resolved') {
      // Whoever resolved it may have stopped before publishing: its events go out now, whatever this answer.
      await flush(exception, found.outbox, deps);
      throw new ConflictError(`Exception ${exception.id} was already resolved (${exception.resolution?.action ?? 'unknown'}).`, { code: 'exception_already_resolved' });
    }
    const stored = await deps.transactions.get(exception.tenantId, exception.accountId, exception.bankTransactionId);
    if (stored === undefined) throw new Error(`Exception ${exception.id} names a transaction that is not stored`);
    const now = deps.clock.now().toISOString();
    const base = { by: command.resolvedBy, at: now, paymentIds: [], note: null, refundPaymentId: null };

    const decision: Decision =
      command.action === 'dismiss'
        ? { paymentChanges: [], transaction: stored.transaction, refund: undefined, resolution: { ...base, action: 'dismiss', note: command.note } }
        : command.action === 'refund'
          ? await planRefund(exception, stored.transaction, base, command.confirmationOfPayee ?? 'stop', deps)
          : await planManualMatch(exception, stored.transaction, command.paymentIds, base, deps);
    const resolved: ReconciliationException = { ...exception, status: 'resolved', resolution: decision.resolution };
    // The payments' pending contributions move in the resolving write; its first event says so.
    const moved = movedPosition([
      ...decision.paymentChanges.map((change) => ({ position: change.to, move: paymentMove(change.from, change.to) })),
      ...(decision.refund === undefined ? [] : [{ position: decision.refund, move: paymentMove(undefined, decision.refund) }]),
    ]);
    const outbox: DomainEvent[] = withMovedPosition(
      [
        ...paymentChangeEvents(decision.paymentChanges, decision.transaction.id, now),
        domainEvent('reconciliation.exception_resolved', exception.tenantId, now, exceptionView(resolved), [exception.id]),
      ],
      moved,
    );
    if (await deps.exceptions.resolve({ exception: resolved, transaction: decision.transaction, paymentChanges: decision.paymentChanges, refund: decision.refund, outbox })) {
      await flush(resolved, outbox, deps);
      return resolved;
    }
  }
  throw new ConflictError('The exception or its payments changed while it was being resolved; try again.', { code: 'concurrent_change' });
};

type ResolutionBase = Pick<ExceptionResolution, 'by' | 'at' | 'paymentIds' | 'note' | 'refundPaymentId'>;

const planManualMatch = async (
  exception: ReconciliationException,
  transaction: BankTransaction,
  paymentIds: readonly string[],
  base: ResolutionBase,
  deps: ResolveDeps,
): Promise<Decision> => {
  if (ALREADY_APPLIED.has(exception.type)) {
    throw new ConflictError(`A ${exception.type} exception is already matched; dismiss it with a note once handled.`, { code: 'nothing_to_match' });
  }
  if (transaction.status !== 'booked') {
    throw new ConflictError('Only a booked transaction can settle payments.', { code: 'transaction_not_booked' });
  }
  const direction = transaction.creditDebitIndicator === 'credit' ? 'inbound' : 'outbound';
  const payments: Payment[] = [];
  for (const [index, paymentId] of paymentIds.entries()) {
    const payment = await deps.payments.get(exception.tenantId, paymentId);
    const path = `paymentIds.${index}`;
    if (payment === undefined) throw new NotFoundError(`Payment ${paymentId} does not exist.`);
    // Accepting a second payment as over-payment: the settled payment the duplicate_payment exception names.
    const acceptsOverpayment = exception.type === 'duplicate_payment' && payment.status === 'settled' && exception.candidatePaymentIds.includes(payment.id);
    const problem =
      payment.accountId !== transaction.accountId
        ? `${paymentId} is on another account`
        : payment.currency !== transaction.currency
          ? `${paymentId} is in ${payment.currency}, the transaction in ${transaction.currency}`
          : payment.direction !== direction
            ? `${paymentId} is ${payment.direction}; a ${transaction.creditDebitIndicator} settles ${direction} payments`
            : !isOpen(payment) && !acceptsOverpayment
              ? `${paymentId} is ${payment.status}`
              : undefined;
    if (problem !== undefined) throw new UnprocessableError('payment_not_matchable', `${problem}.`, { details: [{ path, message: problem }] });
    payments.push(payment);
  }

  // In the order given, each takes what it still owes; the last takes any excess (shown as over-paid).
  let remaining = transaction.amount;
  const paymentChanges = payments.map((payment, index) => {
    const last = index === payments.length - 1;
    const portion = last ? remaining : Math.min(remaining, due(payment));
    if (portion <= 0) {
      throw new ValidationError('The transaction does not cover every payment listed.', {
        details: [{ path: `paymentIds.${index}`, message: 'nothing of the transaction is left for this payment' }],
      });
    }
    remaining -= portion;
    return { from: payment, to: applySettlement(payment, { id: transaction.id, amount: portion }, base.at, 'manual') };
  });
  const matched = payments.map((payment) => payment.id);
  return {
    paymentChanges,
    transaction: { ...transaction, reconciliation: { ...transaction.reconciliation, status: 'matched', paymentIds: matched, matchedBy: 'manual' } },
    refund: undefined,
    resolution: { ...base, action: 'match', paymentIds: matched },
  };
};

/**
 * Money that belongs to no payment goes back to whoever sent it: an outbound payment for the transaction's amount
 * to its counterparty, initiated with the bank like any other (the tenant authorises it), created in the same write
 * as the resolution. An initiation prepared for a write that then loses is never stored, so never authorised.
 * Confirmation of Payee checks the payer's name first. A mismatch the request did not accept
 * (`confirmationOfPayee: "proceed_on_mismatch"`) is a 422 `payee_name_mismatch` and the exception stays open: a
 * resolution whose refund is stored failed would close the exception with the money still unapplied.
 */
const planRefund = async (
  exception: ReconciliationException,
  transaction: BankTransaction,
  base: ResolutionBase,
  confirmationOfPayee: MismatchPolicy,
  deps: ResolveDeps,
): Promise<Decision> => {
  if (ALREADY_APPLIED.has(exception.type)) {
    throw new ConflictError(`A ${exception.type} exception's money is applied to its payment; there is nothing unapplied to refund.`, { code: 'nothing_to_refund' });
  }
  if (transaction.creditDebitIndicator !== 'credit') {
    throw new ConflictError('Only money received can be refunded; this transaction is a debit.', { code: 'nothing_to_refund' });
  }
  if (transaction.status !== 'booked') {
    throw new ConflictError('Only a booked transaction can be refunded: pending money has not arrived.', { code: 'transaction_not_booked' });
  }
  const { counterparty } = transaction;
  if (counterparty?.sortCode === undefined || counterparty.accountNumber === undefined) {
    throw new UnprocessableError('counterparty_account_unknown', "The bank did not report the payer's account details, so the money cannot be sent back automatically.", {
      details: [{ path: 'transaction.counterparty', message: 'sortCode and accountNumber are needed to refund' }],
    });
  }
  const refund = await preparePayment(
    {
      tenantId: exception.tenantId,
      accountId: transaction.accountId,
      direction: 'outbound',
      amount: transaction.amount,
      currency: transaction.currency,
      counterparty: { name: counterparty.name ?? 'Payer', sortCode: counterparty.sortCode, accountNumber: counterparty.accountNumber },
      metadata: { refundOfTransactionId: transaction.id, exceptionId: exception.id },
      confirmationOfPayee,
    },
    { ...deps.refunds, payments: deps.payments, clock: deps.clock },
  );
  if (refund.status === 'failed') {
    const verification = refund.counterparty?.verification;
    const answer = `${verification?.result ?? 'no_match'}${verification?.suggestedName === undefined ? '' : `, the account is ${verification.suggestedName}'s`}`;
    throw new UnprocessableError('payee_name_mismatch', `The payer's bank does not confirm the name ${refund.counterparty?.name ?? ''} for the account (${answer}); nothing was sent.`, {
      details: [{ path: 'confirmationOfPayee', message: `the payer's bank answered ${answer}; resolve with "proceed_on_mismatch" to send it anyway` }],
    });
  }
  return { paymentChanges: [], transaction, refund, resolution: { ...base, action: 'refund', refundPaymentId: refund.id } };
};

const flush = async (exception: ReconciliationException, outbox: readonly DomainEvent[], deps: ResolveDeps): Promise<void> => {
  if (outbox.length === 0) return;
  await deps.events.publish(outbox);
  await deps.exceptions.clearOutbox(exception.tenantId, exception.id, outbox);
};
