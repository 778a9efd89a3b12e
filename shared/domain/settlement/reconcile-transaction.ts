import type { Account, AccountRepository } from '../accounts/account';
import { type DomainEvent, domainEvent, type EventPublisher } from '../events/domain-event';
import { isOpen, type Payment } from '../payments/payment';
import type { PaymentRepository } from '../payments/payment-repository';
import { paymentView } from '../payments/payment-view';
import type { Clock, IdGenerator } from '../ports';
import { candidateKeys, matchingKey } from '../references';
import type { BankTransaction, Reconciliation, ReportedTransaction } from './bank-transaction';
import { applySettlement, decideMatch, MIN_PREFIX_KEY_LENGTH } from './matching';
import type { ReferenceIndex, TransactionStore } from './settlement-store';
import { transactionView } from './transaction-view';

export interface ReconcileDeps {
  readonly accounts: AccountRepository;
  readonly payments: PaymentRepository;
  readonly transactions: TransactionStore;
  readonly referenceIndex: ReferenceIndex;
  readonly events: EventPublisher;
  readonly ids: IdGenerator;
  readonly clock: Clock;
}

export type ReconcileOutcome = 'matched' | 'unmatched' | 'needs_review' | 'pending' | 'duplicate' | 'kept_aside';

/** Deciding again after a concurrent change is bounded; past it the message is retried by the queue. */
const MAX_ATTEMPTS = 5;

export class ConcurrentSettlementError extends Error {
  constructor(paymentId: string) {
    super(`Payment ${paymentId} kept changing while a transaction tried to settle it`);
  }
}

/**
 * Reconciles one reported bank transaction.
 * Primary course: find the connected accounts it belongs to; on each, store it once (keyed by the bank's id), and
 * if it is booked and its reference points at exactly one open payment, settle that payment in the same atomic
 * write; then publish the events committed with it. Redelivery finds the transaction stored and only republishes
 * what was never confirmed published.
 */
export const reconcileTransaction = async (report: ReportedTransaction, deps: ReconcileDeps): Promise<ReconcileOutcome[]> => {
  const accounts = await deps.accounts.findByBankAccount(report.provider, report.sortCode, report.accountNumber);
  if (accounts.length === 0) {
    await deps.transactions.keepAside(report, deps.clock.now().toISOString());
    return ['kept_aside'];
  }
  const outcomes: ReconcileOutcome[] = [];
  for (const account of accounts) outcomes.push(await reconcileOnAccount(report, account, deps));
  return outcomes;
};

const reconcileOnAccount = async (report: ReportedTransaction, account: Account, deps: ReconcileDeps): Promise<ReconcileOutcome> => {
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt += 1) {
    const stored = await deps.transactions.get(account.tenantId, account.id, report.bankTransactionId);
    if (stored !== undefined) {
      await flushOutbox(stored.transaction, stored.outbox, deps);
      return 'duplicate';
    }

    const now = deps.clock.now().toISOString();
    const keys = candidateKeys({ reference: report.reference ?? undefined, description: report.description ?? undefined });
    const referenceKey = report.reference === null ? null : matchingKey(report.reference);
    const prefixKey = referenceKey !== null && referenceKey.length >= MIN_PREFIX_KEY_LENGTH ? referenceKey : null;
    const candidates = keys.length === 0 ? [] : await deps.referenceIndex.findCandidates(account.tenantId, account.id, keys, prefixKey);
    const decision = decideMatch({ creditDebitIndicator: report.creditDebitIndicator, currency: report.currency, keys, referenceKey: prefixKey }, candidates);

    const twin =
      report.status === 'booked' && report.endToEndId !== null
        ? await deps.transactions.findPendingByEndToEndId(account.tenantId, account.id, report.endToEndId)
        : undefined;
    const transactionId = deps.ids.next('txn');

    // The index was read before the payment: another transaction may have closed it in between. A closed payment
    // is never changed again; the write below is conditional on the version read here.
    const payment = decision.outcome === 'match' ? await deps.payments.get(account.tenantId, decision.paymentId) : undefined;
    const paymentChange = payment !== undefined && isOpen(payment) ? changeFor(payment, report, transactionId, now) : undefined;
    const settledPayment = report.status === 'booked' ? paymentChange?.to : undefined;

    const reconciliation: Reconciliation = {
      status:
        report.status === 'pending'
          ? 'pending'
          : settledPayment !== undefined
            ? 'matched'
            : decision.outcome === 'ambiguous'
              ? 'needs_review'
              : 'unmatched',
      // A pending transaction names the payment it is expected to settle once booked.
      paymentIds: settledPayment !== undefined ? [settledPayment.id] : report.status === 'pending' && decision.outcome === 'match' ? [decision.paymentId] : [],
      exceptionId: null,
      matchedBy: settledPayment === undefined ? null : 'reference',
      keys,
      candidatePaymentIds: decision.candidateIds,
    };
    const { provider: _provider, sortCode: _sortCode, accountNumber: _accountNumber, ...reported } = report;
    const transaction: BankTransaction = {
      ...reported,
      id: transactionId,
      tenantId: account.tenantId,
      accountId: account.id,
      receivedAt: now,
      reconciliation,
      supersedes: twin?.id ?? null,
      supersededBy: null,
    };

    const outbox: DomainEvent[] = [
      domainEvent('transaction.received', account.tenantId, now, transactionView(transaction), [account.id, report.bankTransactionId]),
    ];
    if (paymentChange !== undefined) {
      const changed = paymentChange.to;
      outbox.push(
        changed.status === 'executed'
          ? domainEvent('payment.executed', account.tenantId, now, paymentView(changed), [changed.id, 'executed'])
          : domainEvent(changed.status === 'settled' ? 'payment.settled' : 'payment.partially_settled', account.tenantId, now, paymentView(changed), [changed.id, transactionId]),
      );
    }

    const result = await deps.transactions.record({ transaction, paymentChange, supersedes: twin, outbox });
    if (result === 'payment_changed') continue;
    if (result === 'duplicate') return 'duplicate';
    await flushOutbox(transaction, outbox, deps);
    return reconciliation.status;
  }
  throw new ConcurrentSettlementError(report.bankTransactionId);
};

/**
 * What a transaction does to the open payment it matched. Booked: settles it (or part of it). Pending: the bank's
 * ledger shows the money moving, which proves execution even if the status webhook is late or lost, so a payment
 * not yet executed becomes executed (and so counts as pending cash); otherwise nothing.
 */
const changeFor = (payment: Payment, report: ReportedTransaction, transactionId: string, now: string): { from: Payment; to: Payment } | undefined => {
  if (report.status === 'booked') return { from: payment, to: applySettlement(payment, { id: transactionId, amount: report.amount }, now) };
  if (payment.status !== 'authorisation_required' && payment.status !== 'authorised') return undefined;
  return { from: payment, to: { ...payment, status: 'executed', executedAt: report.bookingDateTime, updatedAt: now, version: payment.version + 1 } };
};

const flushOutbox = async (transaction: BankTransaction, outbox: readonly DomainEvent[], deps: ReconcileDeps): Promise<void> => {
  if (outbox.length === 0) return;
  await deps.events.publish(outbox);
  await deps.transactions.clearOutbox(transaction, outbox);
};
