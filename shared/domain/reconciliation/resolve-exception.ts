import { ConflictError, NotFoundError, UnprocessableError, ValidationError } from '../errors';
import type { DomainEvent, EventPublisher } from '../events/domain-event';
import { isOpen, type Payment } from '../payments/payment';
import type { PaymentRepository } from '../payments/payment-repository';
import type { Clock } from '../ports';
import type { BankTransaction } from '../settlement/bank-transaction';
import { applySettlement } from '../settlement/matching';
import { paymentEvent } from '../settlement/reconcile-transaction';
import type { TransactionStore } from '../settlement/settlement-store';
import type { PaymentChange } from './plan-reconciliation';
import type { ExceptionResolution, ExceptionStore, ReconciliationException } from './reconciliation-exception';

export type ResolveCommand =
  | { readonly tenantId: string; readonly exceptionId: string; readonly action: 'match'; readonly paymentIds: readonly string[] }
  | { readonly tenantId: string; readonly exceptionId: string; readonly action: 'dismiss'; readonly note: string };

export interface ResolveDeps {
  readonly exceptions: ExceptionStore;
  readonly transactions: TransactionStore;
  readonly payments: PaymentRepository;
  readonly events: EventPublisher;
  readonly clock: Clock;
}

const MAX_ATTEMPTS = 3;
/** Types whose transaction is already explained: a person acknowledges them, there is nothing left to match. */
const ACKNOWLEDGE_ONLY = new Set(['amount_mismatch', 'returned', 'duplicate_payment']);

const due = (payment: Payment): number => Math.max(0, payment.amount - (payment.settlement?.amountSettled ?? 0));

/**
 * A person resolves an exception: matches its transaction to payments they chose, or dismisses it with a note.
 * Primary course: check the choice against the transaction (same account, currency, direction; open payments;
 * money for each), allocate the amount in the order given (the last payment takes any excess, shown as
 * over-paid), and write the resolution, the transaction's reconciliation and every payment in one atomic write —
 * the same exactly-once writes automatic matching uses. Repeating the same resolution returns it again.
 */
export const resolveException = async (command: ResolveCommand, deps: ResolveDeps): Promise<ReconciliationException> => {
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt += 1) {
    const found = await deps.exceptions.get(command.tenantId, command.exceptionId);
    if (found === undefined) throw new NotFoundError(`Exception ${command.exceptionId} does not exist.`);
    const { exception } = found;
    if (exception.status === 'resolved') {
      if (!sameResolution(exception.resolution, command)) {
        throw new ConflictError(`Exception ${exception.id} was already resolved (${exception.resolution?.action ?? 'unknown'}).`, { code: 'exception_already_resolved' });
      }
      await flush(exception, found.outbox, deps);
      return exception;
    }
    const stored = await deps.transactions.get(exception.tenantId, exception.accountId, exception.bankTransactionId);
    if (stored === undefined) throw new Error(`Exception ${exception.id} names a transaction that is not stored`);
    const now = deps.clock.now().toISOString();

    const { paymentChanges, transaction, resolution } =
      command.action === 'dismiss'
        ? { paymentChanges: [], transaction: stored.transaction, resolution: { action: 'dismiss' as const, paymentIds: [], note: command.note, resolvedAt: now } }
        : await planManualMatch(exception, stored.transaction, command.paymentIds, now, deps);
    const resolved: ReconciliationException = { ...exception, status: 'resolved', resolution };
    const outbox: DomainEvent[] = paymentChanges.map((change) => paymentEvent(change, transaction.id, now));
    if (await deps.exceptions.resolve({ exception: resolved, transaction, paymentChanges, outbox })) {
      await flush(resolved, outbox, deps);
      return resolved;
    }
  }
  throw new ConflictError('The exception or its payments changed while it was being resolved; try again.', { code: 'concurrent_change' });
};

const planManualMatch = async (
  exception: ReconciliationException,
  transaction: BankTransaction,
  paymentIds: readonly string[],
  now: string,
  deps: ResolveDeps,
): Promise<{ paymentChanges: PaymentChange[]; transaction: BankTransaction; resolution: ExceptionResolution }> => {
  if (ACKNOWLEDGE_ONLY.has(exception.type)) {
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
    const problem =
      payment.accountId !== transaction.accountId
        ? `${paymentId} is on another account`
        : payment.currency !== transaction.currency
          ? `${paymentId} is in ${payment.currency}, the transaction in ${transaction.currency}`
          : payment.direction !== direction
            ? `${paymentId} is ${payment.direction}; a ${transaction.creditDebitIndicator} settles ${direction} payments`
            : !isOpen(payment)
              ? `${paymentId} is ${payment.status}`
              : undefined;
    if (problem !== undefined) throw new UnprocessableError('payment_not_matchable', `${problem}.`, { details: [{ path, message: problem }] });
    payments.push(payment);
  }

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
    return { from: payment, to: applySettlement(payment, { id: transaction.id, amount: portion }, now, 'manual') };
  });
  return {
    paymentChanges,
    transaction: {
      ...transaction,
      reconciliation: { ...transaction.reconciliation, status: 'matched', paymentIds: payments.map((payment) => payment.id), matchedBy: 'manual' },
    },
    resolution: { action: 'match', paymentIds: payments.map((payment) => payment.id), note: null, resolvedAt: now },
  };
};

const sameResolution = (resolution: ExceptionResolution | null, command: ResolveCommand): boolean =>
  resolution !== null &&
  resolution.action === command.action &&
  (command.action === 'dismiss'
    ? resolution.note === command.note
    : resolution.paymentIds.length === command.paymentIds.length && resolution.paymentIds.every((id, index) => id === command.paymentIds[index]));

const flush = async (exception: ReconciliationException, outbox: readonly DomainEvent[], deps: ResolveDeps): Promise<void> => {
  if (outbox.length === 0) return;
  await deps.events.publish(outbox);
  await deps.exceptions.clearOutbox(exception.tenantId, exception.id, outbox);
};
