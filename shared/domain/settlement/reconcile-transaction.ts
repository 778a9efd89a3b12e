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

    let settledPayment: Payment | undefined;
    let settledFrom: Payment | undefined;
    if (decision.outcome === 'match' && report.status === 'booked') {
      const payment = await deps.payments.get(account.tenantId, decision.paymentId);
      // The index was read before the payment: another transaction may have closed it in between. A closed
      // payment is never settled again; the write below is conditional on the version read here.
      if (payment !== undefined && isOpen(payment)) {
        settledFrom = payment;
        settledPayment = applySettlement(payment, { id: transactionId, amount: report.amount }, now);
      }
    }

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
    if (settledPayment !== undefined) {
      const type = settledPayment.status === 'settled' ? 'payment.settled' : 'payment.partially_settled';
      outbox.push(domainEvent(type, account.tenantId, now, paymentView(settledPayment), [settledPayment.id, transactionId]));
    }

    const result = await deps.transactions.record({
      transaction,
      settlement: settledPayment === undefined || settledFrom === undefined ? undefined : { from: settledFrom, to: settledPayment },
      supersedes: twin,
      outbox,
    });
    if (result === 'payment_changed') continue;
    if (result === 'duplicate') return 'duplicate';
    await flushOutbox(transaction, outbox, deps);
    return reconciliation.status;
  }
  throw new ConcurrentSettlementError(report.bankTransactionId);
};

const flushOutbox = async (transaction: BankTransaction, outbox: readonly DomainEvent[], deps: ReconcileDeps): Promise<void> => {
  if (outbox.length === 0) return;
  await deps.events.publish(outbox);
  await deps.transactions.clearOutbox(transaction, outbox);
};
