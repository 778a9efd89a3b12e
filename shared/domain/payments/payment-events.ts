import { type DomainEvent, domainEvent, type EventType } from '../events/domain-event';
import type { Payment, PaymentStatus } from './payment';
import { paymentView } from './payment-view';

/** The states before settlement every executed payment went through, in order. */
const PATH_TO_EXECUTION: readonly PaymentStatus[] = ['authorisation_required', 'authorised', 'executed'];

/**
 * The states a payment's own history passes through going from `from` to `to`, in order, `to` last.
 * The bank's messages may skip a state (the executed status lost, the booked credit before the status), but the
 * payment itself did not: money that reached the ledger was authorised and executed first. A failure is the one
 * exception: a payment refused before authorisation never was authorised, so nothing is inferred for it.
 */
export const statesPassed = (from: PaymentStatus, to: PaymentStatus): PaymentStatus[] => {
  const fromStep = PATH_TO_EXECUTION.indexOf(from);
  if (fromStep === -1 || to === 'failed' || to === 'expired' || to === 'returned') return [to];
  const toStep = PATH_TO_EXECUTION.indexOf(to);
  const lastInferred = toStep === -1 ? PATH_TO_EXECUTION.length - 1 : toStep;
  const passed = PATH_TO_EXECUTION.slice(fromStep + 1, lastInferred + 1);
  return toStep === -1 ? [...passed, to] : passed;
};

/** Most states one change can pass (authorised, executed, settled). */
const MAX_STATES_PER_CHANGE = 3;

/**
 * The time to stamp a change of these payments with: now, but always after each payment's last change (`updatedAt`,
 * the time of its last event) by enough for the intermediate states, so the event log — ordered by time — lists a
 * payment's events in the order of its history even when two writers change it within the same millisecond.
 */
export const changeTime = (payments: readonly Pick<Payment, 'updatedAt'>[], now: Date): string => {
  const after = Math.max(...payments.map((payment) => Date.parse(payment.updatedAt) + MAX_STATES_PER_CHANGE));
  return new Date(Math.max(now.getTime(), after)).toISOString();
};

const EVENT_OF: Readonly<Partial<Record<PaymentStatus, EventType>>> = {
  authorised: 'payment.authorised',
  executed: 'payment.executed',
  settled: 'payment.settled',
  partially_settled: 'payment.partially_settled',
  failed: 'payment.failed',
  returned: 'payment.returned',
};

/** States a payment reaches at most once: their event is keyed by the payment and the state alone. */
const ONCE_ONLY: readonly PaymentStatus[] = ['authorised', 'executed', 'failed'];

/**
 * The events of one change of a payment, one per state its history passed through, in that order.
 * Each event's id derives from the payment and the state (`payment.executed` of pay_x), or for states a payment
 * can reach again (settled after a return, each part payment) also from what caused it (`causeId`, the bank
 * transaction), so whichever writer records a state, and however often a message is redelivered, the same fact has
 * one id. Intermediate states are stamped a millisecond apart before `now` so the event log lists them in order
 * (`now` from changeTime, so even the first is after the payment's previous event).
 */
export const paymentEvents = (from: Payment, to: Payment, causeId: string, now: string): DomainEvent[] => {
  // A settled invoice paid again stays settled: its exception says so, not a second payment.settled.
  if (from.status === 'settled' && to.status === 'settled') return [];
  const states = statesPassed(from.status, to.status);
  const nowMs = Date.parse(now);
  return states.flatMap((state, index) => {
    const type = EVENT_OF[state];
    if (type === undefined) return [];
    const isLast = index === states.length - 1;
    const occurredAt = new Date(nowMs - (states.length - 1 - index)).toISOString();
    const snapshot: Payment = isLast
      ? to
      : { ...from, status: state, executedAt: state === 'executed' ? (to.executedAt ?? occurredAt) : from.executedAt, updatedAt: occurredAt };
    const identity = ONCE_ONLY.includes(state) ? [to.id, state] : [to.id, causeId];
    return [domainEvent(type, to.tenantId, occurredAt, paymentView(snapshot), identity)];
  });
};
