import type { components } from '../../../clients/typescript/src/schema';

// The payment page's pure parts (no DOM, no Preact), so unit tests can check them.

type Payment = components['schemas']['Payment'];

export type StepState = 'done' | 'failed' | 'todo';

export interface TimelineStep {
  readonly label: string;
  readonly state: StepState;
  /** When it happened, if the payment records it. */
  readonly at: string | undefined;
  /** What to say when there is no time: `passed (time not recorded)`, `not yet`, a failure reason. */
  readonly note: string | undefined;
}

const PAST_AUTHORISATION: ReadonlySet<Payment['status']> = new Set(['authorised', 'executed', 'settled', 'partially_settled', 'returned']);
const PAST_EXECUTION: ReadonlySet<Payment['status']> = new Set(['executed', 'settled', 'partially_settled', 'returned']);

/** The payment's life as steps: initiated → authorised → executed → settled, and a failure where it stopped. */
export const timelineOf = (payment: Payment): TimelineStep[] => {
  // Absent when the bank's reports skipped the authorised step (or the payment predates the field).
  const authorisedAt = payment.authorisedAt;
  const authorised = authorisedAt !== undefined || PAST_AUTHORISATION.has(payment.status) || payment.executedAt !== null || payment.settlement !== null;
  const executed = payment.executedAt !== null || PAST_EXECUTION.has(payment.status) || payment.settlement !== null;
  const settled = payment.settlement !== null;
  const steps: TimelineStep[] = [{ label: 'Initiated', state: 'done', at: payment.createdAt, note: undefined }];
  const push = (label: string, done: boolean, at: string | undefined) =>
    steps.push({ label, state: done ? 'done' : 'todo', at: done ? at : undefined, note: done ? (at === undefined ? 'passed (time not recorded)' : undefined) : 'not yet' });
  push('Authorised', authorised, authorisedAt);
  push('Executed', executed, payment.executedAt ?? undefined);
  push(payment.status === 'partially_settled' ? 'Settled (partly)' : 'Settled', settled, payment.settlement?.settledAt);
  if (payment.status === 'failed' || payment.status === 'expired') {
    const firstTodo = steps.findIndex((step) => step.state === 'todo');
    const failure: TimelineStep = {
      label: payment.status === 'failed' ? 'Failed' : 'Expired',
      state: 'failed',
      at: payment.updatedAt,
      note: payment.status === 'failed' ? (payment.failureReason ?? 'no reason given') : 'not authorised in time',
    };
    steps.splice(firstTodo === -1 ? steps.length : firstTodo, 0, failure);
    return steps.map((step) => (step.state === 'todo' ? { ...step, note: 'did not happen' } : step));
  }
  if (payment.status === 'returned') steps.push({ label: 'Returned', state: 'failed', at: payment.updatedAt, note: 'the money went back; see the exceptions queue' });
  return steps;
};

/** Why the settling transaction matched this payment, in words. */
export const matchReason = (payment: Payment): string | undefined => {
  if (payment.settlement === null) return undefined;
  return payment.settlement.matchedBy === 'reference'
    ? `The booked transaction carried the payment reference ${payment.reference} (in its reference or narrative, where banks put what the payer sent).`
    : 'Matched by hand from the exceptions queue.';
};
