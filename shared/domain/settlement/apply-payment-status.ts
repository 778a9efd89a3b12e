import { movedPosition, paymentMove } from '../cash/cash-position';
import { type DomainEvent, type EventPublisher, withMovedPosition } from '../events/domain-event';
import type { Payment } from '../payments/payment';
import { authorisedAtAfter, statusAfterBankReport } from '../payments/payment';
import { changeTime, paymentEvents } from '../payments/payment-events';
import type { PaymentRepository } from '../payments/payment-repository';
import type { Clock } from '../ports';
import type { PaymentStatusReport } from './settlement-store';

export type StatusOutcome = 'applied' | 'ignored' | 'unknown_payment';

const MAX_ATTEMPTS = 5;

/**
 * Applies a provider's status report (authorised, executed, rejected) to the payment it names.
 * Primary course: move the payment forward if the status machine allows it, with a write conditional on the
 * version read, and publish one event per state the payment passed (an executed report for a payment still awaiting
 * authorisation also publishes payment.authorised, first). A report for a payment already further on (a booked credit
 * settled it before the status came, a duplicate) changes nothing: the events of those states were published by
 * the change that passed them, under the same ids.
 */
export const applyPaymentStatus = async (
  report: PaymentStatusReport,
  deps: { readonly payments: PaymentRepository; readonly events: EventPublisher; readonly clock: Clock },
): Promise<StatusOutcome> => {
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt += 1) {
    const found = await deps.payments.findByBankPaymentId(report.provider, report.bankPaymentId);
    if (found === undefined) return 'unknown_payment';
    const { payment, outbox } = found;
    const status = statusAfterBankReport(payment.status, report.status);
    if (status === undefined) {
      await flush(payment, outbox, deps);
      return 'ignored';
    }
    const now = changeTime([payment], deps.clock.now());
    const next: Payment = {
      ...payment,
      status,
      failureReason: status === 'failed' ? (report.reason ?? 'rejected_by_bank') : payment.failureReason,
      executedAt: status === 'executed' ? report.at : payment.executedAt,
      authorisedAt: authorisedAtAfter(payment, status, report.at),
      updatedAt: now,
      version: payment.version + 1,
    };
    // Its pending contribution moves in the same write (the store applies it); the first event says so.
    const moved = movedPosition([{ position: next, move: paymentMove(payment, next) }]);
    const events = withMovedPosition(paymentEvents(payment, next, report.bankPaymentId, now), moved);
    if (!(await deps.payments.update(payment, next, events))) continue;
    await flush(next, events, deps);
    return 'applied';
  }
  throw new Error(`Payment for ${report.bankPaymentId} kept changing while applying ${report.status}`);
};

const flush = async (
  payment: Payment,
  outbox: readonly DomainEvent[],
  deps: { readonly payments: PaymentRepository; readonly events: EventPublisher },
): Promise<void> => {
  if (outbox.length === 0) return;
  await deps.events.publish(outbox);
  await deps.payments.clearOutbox(payment.tenantId, payment.id, outbox);
};
