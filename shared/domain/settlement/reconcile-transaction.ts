import type { Account, AccountRepository } from '../accounts/account';
import { movedPosition, pendingTransactionContribution, reconciliationMoves } from '../cash/cash-position';
import { type DomainEvent, domainEvent, type EventPublisher, withMovedPosition } from '../events/domain-event';
import type { PaymentRepository } from '../payments/payment-repository';
import { changeTime, paymentEvents } from '../payments/payment-events';
import { paymentView } from '../payments/payment-view';
import type { Clock, IdGenerator } from '../ports';
import { type PaymentChange, planReconciliation } from '../reconciliation/plan-reconciliation';
import { exceptionView, type ReconciliationException } from '../reconciliation/reconciliation-exception';
import { candidateKeys, matchingKey, REFERENCE_MAX_LENGTH } from '../references';
import { type BankTransaction, type ReportedTransaction, routingOf } from './bank-transaction';
import { enrichCategory } from '../enrichment/category';
import { decideMatch, MIN_PREFIX_KEY_LENGTH, namedCandidates } from './matching';
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
/** Payments read to explain a transaction that settles nothing (a reference reaching more is ambiguous anyway). */
const MAX_REACHED = 10;

export class ConcurrentSettlementError extends Error {
  constructor(bankTransactionId: string) {
    super(`Payments kept changing while transaction ${bankTransactionId} was reconciled`);
  }
}

/**
 * Reconciles one reported bank transaction.
 * Primary course: find the connected accounts it belongs to (by sort code and account number, or by IBAN for an
 * account known only by one: {@link routingOf}); on each, store it once (keyed by the bank's id),
 * decide what it does from the payments its reference keys reach (plan-reconciliation.ts), and write the
 * transaction, the payment changes and any exception in one atomic write; then publish the events committed
 * with it. Redelivery finds the transaction stored and only republishes what was never confirmed published.
 */
export const reconcileTransaction = async (report: ReportedTransaction, deps: ReconcileDeps): Promise<ReconcileOutcome[]> => {
  const routing = routingOf(report);
  const accounts =
    routing.kind === 'iban'
      ? await deps.accounts.findByIban(report.provider, routing.iban)
      : await deps.accounts.findByBankAccount(report.provider, routing.sortCode, routing.accountNumber);
  if (accounts.length === 0) {
    await deps.transactions.keepAside(report, deps.clock.now().toISOString());
    return ['kept_aside'];
  }
  const outcomes: ReconcileOutcome[] = [];
  for (const account of accounts) outcomes.push(await reconcileOnAccount(report, account, deps));
  return outcomes;
};

/**
 * Reconciles a reported transaction on one account. `source.importId`: it was read from that statement import (the
 * account is the import's; the import is counted in the same write).
 */
export const reconcileOnAccount = async (
  report: ReportedTransaction,
  account: Account,
  deps: ReconcileDeps,
  source?: { readonly importId: string },
): Promise<ReconcileOutcome> => {
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt += 1) {
    // No read of the transaction first: the write is conditional on its bank id being new on the account, and a
    // redelivery learns it is a duplicate from that condition (then reads it, to publish what it left unpublished).
    if (await reportedByTheOtherSource(report, account, deps, source)) return 'duplicate';

    const transactionId = deps.ids.next('txn');
    const { keys, decision, reached } = await lookUpPayments(report, account, deps);
    const now = changeTime(reached, deps.clock.now());
    const plan = planReconciliation(report, transactionId, decision, reached, now);

    const exception: ReconciliationException | undefined =
      plan.exception === undefined
        ? undefined
        : {
            id: deps.ids.next('exc'),
            tenantId: account.tenantId,
            accountId: account.id,
            ...plan.exception,
            transactionId,
            bankTransactionId: report.bankTransactionId,
            creditDebitIndicator: report.creditDebitIndicator,
            amount: report.amount,
            currency: report.currency,
            status: 'open',
            resolution: null,
            createdAt: now,
          };
    const twin =
      report.status === 'booked' && report.endToEndId !== null
        ? await deps.transactions.findPendingByEndToEndId(account.tenantId, account.id, report.endToEndId)
        : undefined;
    // Banks reorder: a pending entry reported after its booked twin is already replaced, and counts for nothing.
    const bookedTwin =
      report.status === 'pending' && report.endToEndId !== null
        ? await deps.transactions.findBookedByEndToEndId(account.tenantId, account.id, report.endToEndId)
        : undefined;
    // The category a person reads: the bank's, else named from the merchant category code or bank transaction code.
    const { provider: _provider, sortCode: _sortCode, accountNumber: _accountNumber, iban: _iban, ...reported } = enrichCategory(report);
    const transaction: BankTransaction = {
      ...reported,
      id: transactionId,
      tenantId: account.tenantId,
      accountId: account.id,
      receivedAt: now,
      reconciliation: {
        status: plan.status,
        paymentIds: plan.paymentIds,
        exceptionId: exception?.id ?? null,
        matchedBy: plan.matchedBy,
        keys,
        candidatePaymentIds: decision.candidateIds,
      },
      supersedes: twin?.id ?? null,
      supersededBy: bookedTwin?.id ?? null,
      ...(source === undefined ? {} : { importId: source.importId }),
    };
    const counted = pendingTransactionContribution(transaction);
    const stored: BankTransaction = counted.inbound === 0 && counted.outbound === 0 ? transaction : { ...transaction, countedPending: counted };
    // The cash moves in the same write (transaction, payments, replaced twin); its first event says it did.
    const moved = movedPosition(reconciliationMoves({ transaction: stored, paymentChanges: plan.paymentChanges, supersedes: twin }));

    const outbox: DomainEvent[] = withMovedPosition([
      domainEvent('transaction.received', account.tenantId, now, transactionView(transaction), [account.id, report.bankTransactionId]),
      // One event per state each payment passed, in order (a credit settling an authorised payment executed it too).
      ...paymentChangeEvents(plan.paymentChanges, transactionId, now),
      ...(exception === undefined ? [] : [domainEvent('reconciliation.exception_opened', account.tenantId, now, exceptionView(exception), [exception.id])]),
    ], moved);

    const result = await deps.transactions.record({ transaction: stored, paymentChanges: plan.paymentChanges, exception, supersedes: twin, outbox, countFor: source });
    if (result === 'payment_changed') continue;
    if (result === 'duplicate') {
      const existing = await deps.transactions.get(account.tenantId, account.id, report.bankTransactionId);
      if (existing !== undefined) await flushOutbox(existing.transaction, existing.outbox, deps);
      return 'duplicate';
    }
    await flushOutbox(transaction, outbox, deps);
    return plan.status;
  }
  throw new ConcurrentSettlementError(report.bankTransactionId);
};

/** Booking instants of one booking as two sources state them: a date at midnight UTC, a time in the bank's day. */
const BOOKING_DAY_TOLERANCE_MS = 36 * 3600 * 1000;

/**
 * The same booking reported by a statement and by a bank feed under different ids (a statement entry that carries no
 * bank reference the feed uses): a booked transaction on the account with the same end-to-end id, direction, amount
 * and currency, booked within a day and a half, which came from the other kind of source. Within one kind of source
 * two such bookings stay two (a payer may send the same payment twice): the source's own ids tell them apart.
 */
const reportedByTheOtherSource = async (
  report: ReportedTransaction,
  account: Account,
  deps: Pick<ReconcileDeps, 'transactions'>,
  source: { readonly importId: string } | undefined,
): Promise<boolean> => {
  if (report.status !== 'booked' || report.endToEndId === null) return false;
  const booked = await deps.transactions.findBookedSummaryByEndToEndId(account.tenantId, account.id, report.endToEndId);
  if (booked === undefined || booked.bankTransactionId === report.bankTransactionId) return false;
  const fromStatement = source !== undefined;
  const sameBooking =
    (booked.importId !== null) !== fromStatement &&
    booked.creditDebitIndicator === report.creditDebitIndicator &&
    booked.amount === report.amount &&
    booked.currency === report.currency &&
    Math.abs(Date.parse(booked.bookingDateTime) - Date.parse(report.bookingDateTime)) <= BOOKING_DAY_TOLERANCE_MS;
  // One report per stored booking: a payer who paid twice with one end-to-end id makes two bookings, and only the
  // first report to claim the stored one is it.
  return sameBooking && (await deps.transactions.claimTwin(account.tenantId, account.id, booked.bankTransactionId, report.bankTransactionId));
};

/**
 * The decision's reads, the only ones whose count could grow with the number of open payments (bench/matching.ts
 * measures exactly this): the transaction's keys, one index lookup, and a read of each payment it names.
 */
export const lookUpPayments = async (
  report: Pick<ReportedTransaction, 'reference' | 'description' | 'creditDebitIndicator' | 'currency'>,
  account: Pick<Account, 'tenantId' | 'id'>,
  deps: Pick<ReconcileDeps, 'referenceIndex' | 'payments'>,
) => {
  const keys = candidateKeys({ reference: report.reference ?? undefined, description: report.description ?? undefined });
  const referenceKey = report.reference === null ? null : matchingKey(report.reference);
  // A truncated reference is shorter than the 18 characters a stored key may have; at 18 or more it could only
  // equal a key (already looked up exactly), so the prefix query would be wasted (every FPID is that long).
  const prefixKey = referenceKey !== null && referenceKey.length >= MIN_PREFIX_KEY_LENGTH && referenceKey.length < REFERENCE_MAX_LENGTH ? referenceKey : null;
  const candidates = keys.length === 0 && prefixKey === null ? [] : await deps.referenceIndex.findCandidates(account.tenantId, account.id, keys, prefixKey);
  const query = { creditDebitIndicator: report.creditDebitIndicator, currency: report.currency, keys, referenceKey: prefixKey };
  const decision = decideMatch(query, candidates);
  // Read the payments the transaction names, as they are now: the index may be a step behind a concurrent writer.
  const reachedIds = [...new Set(namedCandidates(query, candidates).map((candidate) => candidate.paymentId))].slice(0, MAX_REACHED);
  const reached = (await Promise.all(reachedIds.map((id) => deps.payments.get(account.tenantId, id)))).filter((payment) => payment !== undefined);
  return { keys, decision, reached };
};

/**
 * The events of a transaction's payment changes, one per state each payment passed, in order
 * (payments/payment-events.ts). A settled payment that takes more money (a person accepting a second payment as
 * over-payment) stays settled: the resolved exception says so, not a second payment.settled.
 */
export const paymentChangeEvents = (changes: readonly PaymentChange[], transactionId: string, now: string): DomainEvent[] =>
  changes.flatMap((change) => paymentEvents(change.from, change.to, transactionId, now));

const flushOutbox = async (transaction: BankTransaction, outbox: readonly DomainEvent[], deps: ReconcileDeps): Promise<void> => {
  if (outbox.length === 0) return;
  await deps.events.publish(outbox);
  await deps.transactions.clearOutbox(transaction, outbox);
};
