import type { Clock } from '../ports';
import type { DomainEvent } from '../events/domain-event';
import type { DeliveryAttempt, DeliveryQueue } from './delivery-attempt';
import { DELIVERY_WINDOW_MS, retryDelaySeconds } from './retry-schedule';
import { type CallbackSender, callbackBody, type DeliveryResult, type EventLog, subscribes, type WebhookEndpoint, type WebhookEndpointRepository } from './webhook-endpoint';

/** Thrown when a delivery is given up (its window closed): the queue dead-letters it and the DLQ alarm fires. */
export class CallbackDeliveryError extends Error {
  constructor(readonly failures: readonly { endpointId: string; result: string }[]) {
    super(`Callback delivery failed for ${failures.map((failure) => `${failure.endpointId} (${failure.result})`).join(', ')}`);
  }
}

/**
 * A domain event for a tenant.
 * Primary course: record it in the tenant's event log once, then schedule a first delivery attempt to every
 * enabled endpoint subscribed to its type, carrying the event when this call wrote the log entry (so the deliverer
 * sends exactly what the log holds without reading it). Nothing is read to find out whether a delivery has begun:
 * the same event published twice (an outbox flushed by two readers, two writers reaching one state, a retry after
 * a crash between the append and the scheduling) schedules another first attempt, and the deliverer's claim — a
 * conditional write keyed by event and endpoint — lets only one attempt send, so the endpoint hears it once.
 */
export const fanOutEvent = async (
  event: DomainEvent,
  deps: { readonly log: EventLog; readonly endpoints: WebhookEndpointRepository; readonly deliveries: DeliveryQueue; readonly clock: Clock },
): Promise<number> => {
  // Its writer logged it and handed it to the endpoints already (deliver-write.ts); the bus rule keeps such copies away.
  if (event.metadata.fannedOut === true) return 0;
  const logged = await deps.log.append(event);
  const tenantId = event.metadata.tenantId;
  const now = deps.clock.now().toISOString();
  const endpoints = (await deps.endpoints.listEnabled(tenantId)).filter((endpoint) => subscribes(endpoint, event.type));
  const attempts: DeliveryAttempt[] = endpoints.map((endpoint) => ({
    tenantId,
    eventId: event.metadata.id,
    endpointId: endpoint.id,
    attempt: 1,
    firstAttemptAt: now,
    notBefore: now,
    // A copy (not appended by this call) may differ from the logged event in its data: its attempt reads the log.
    ...(logged ? { event } : {}),
  }));
  if (attempts.length > 0) await deps.deliveries.schedule(attempts);
  return attempts.length;
};

/**
 * How long a claimed attempt is left to its sender before another copy may take it over: longer than a send can
 * take (10 s timeout), shorter than SQS's visibility timeout on AWS, so a message redelivered after a crash can claim.
 */
export const ATTEMPT_LEASE_MS = 30_000;

interface AttemptDeps {
  readonly log: EventLog;
  readonly endpoints: WebhookEndpointRepository;
  readonly sender: CallbackSender;
  readonly deliveries: DeliveryQueue;
  readonly clock: Clock;
  readonly random: () => number;
  /** Shrinks the schedule (the local runtime's tests); 1 on AWS. */
  readonly retryScale: number;
}

/** The event the attempt carries, if it is the attempt's own (same tenant and id); else the log is read. */
const carriedEvent = (attempt: DeliveryAttempt): DomainEvent | undefined =>
  attempt.event !== undefined && attempt.event.metadata.id === attempt.eventId && attempt.event.metadata.tenantId === attempt.tenantId
    ? attempt.event
    : undefined;

export type AttemptOutcome = 'delivered' | 'already_delivered' | 'duplicate' | 'disabled' | 'dropped' | 'retry_scheduled' | 'waiting' | 'split';

/**
 * One delivery attempt.
 * Primary course: claim the attempt (a conditional write keyed by event and endpoint, so a copy of the attempt —
 * the same event published twice, a message redelivered while still being handled — sends nothing), POST the signed
 * event (webhook-id = the event id on every attempt; the event carried by the attempt, else read from the log) — 2xx
 * is delivered, 410 disables the endpoint, anything else schedules the next attempt with backoff and jitter — until
 * 72 hours after the first, when the attempt fails for good (dead-lettered, alarmed). An endpoint deleted or disabled
 * meanwhile, or an event already delivered, ends it quietly. A first attempt scheduled for a delivery already given
 * up (a copy of the event published late) is a duplicate, not a second dead letter. A redelivery's attempts
 * (`redeliveryId` set) claim and record under their own key, so the same course sends each redelivery once.
 */
export const attemptDelivery = async (attempt: DeliveryAttempt, deps: AttemptDeps): Promise<AttemptOutcome> => {
  const now = deps.clock.now();
  if (Date.parse(attempt.notBefore) > now.getTime() + 1000) {
    await deps.deliveries.schedule([attempt]); // still waiting: another hop of at most 15 minutes
    return 'waiting';
  }
  const endpoint = await deps.endpoints.get(attempt.tenantId, attempt.endpointId);
  if (endpoint === undefined || endpoint.status !== 'enabled') return 'dropped';
  if (attempt.more !== undefined && attempt.more.length > 0) return attemptGroup(attempt, attempt.more, endpoint, now, deps);
  const claim = await deps.log.claimAttempt(attempt, attempt.attempt, now.toISOString(), new Date(now.getTime() - ATTEMPT_LEASE_MS).toISOString());
  if (claim.kind === 'delivered') return 'already_delivered';
  if (claim.kind === 'taken') return 'duplicate';
  if (claim.kind === 'given_up') throw new CallbackDeliveryError([{ endpointId: attempt.endpointId, result: 'given up earlier' }]);
  if (claim.kind === 'in_flight') {
    // Another copy is sending right now: look again once its lease ends, in case its sender died.
    await deps.deliveries.schedule([{ ...attempt, notBefore: new Date(Date.parse(claim.claimedAt) + ATTEMPT_LEASE_MS).toISOString() }]);
    return 'waiting';
  }
  const event = carriedEvent(attempt) ?? (await deps.log.get(attempt.tenantId, attempt.eventId));
  if (event === undefined) throw new Error(`Event ${attempt.eventId} is not in the log`);

  const result = await deps.sender.send(endpoint, event.metadata.id, JSON.stringify(callbackBody(event)));
  if (result.kind === 'response' && result.status >= 200 && result.status < 300) {
    await deps.log.markDelivered(attempt.tenantId, attempt.eventId, attempt.endpointId, now.toISOString(), attempt.redeliveryId);
    return 'delivered';
  }
  if (result.kind === 'response' && result.status === 410) {
    await deps.endpoints.disable(attempt.tenantId, attempt.endpointId, 'The endpoint answered 410 Gone.');
    return 'disabled';
  }
  const failure = result.kind === 'response' ? `HTTP ${result.status}` : result.kind;
  const nextAt = now.getTime() + retryDelaySeconds(attempt.attempt, deps.random) * 1000 * deps.retryScale;
  if (nextAt - Date.parse(attempt.firstAttemptAt) > DELIVERY_WINDOW_MS * deps.retryScale) {
    await deps.log.finishAttempt(attempt, attempt.attempt, 'given_up');
    throw new CallbackDeliveryError([{ endpointId: attempt.endpointId, result: `${failure}; gave up after ${attempt.attempt} attempts` }]);
  }
  // Next attempt first, then the record: a crash between leaves the next attempt to claim, never nothing scheduled.
  // The retry carries the event (as logged), so it does not read the log either.
  await deps.deliveries.schedule([{ ...attempt, event, attempt: attempt.attempt + 1, notBefore: new Date(nextAt).toISOString() }]);
  await deps.log.finishAttempt(attempt, attempt.attempt, 'retry_scheduled');
  return 'retry_scheduled';
};

/** The attempts of one event each that a group of events comes apart into, every event carried. */
const singles = (attempt: DeliveryAttempt, events: readonly DomainEvent[], notBefore: string): DeliveryAttempt[] =>
  events.map((event) => {
    const { more: _more, ...single } = attempt;
    return { ...single, eventId: event.metadata.id, event, notBefore };
  });

/**
 * An attempt carrying several events of one write for one endpoint (deliver-write.ts).
 * Primary course: claim them all in one write (each under the claim a single attempt makes), POST each (started in
 * the write's order), record those delivered in one write. Alternate courses: a claim refused (a copy of one of them
 * delivered, in flight or taken — a republished write) comes apart into attempts of one event each, scheduled now,
 * whose own claims sort it out; events the endpoint refused go on as one group on the ordinary schedule, the
 * accepted ones recorded (a 410 disables the endpoint and ends them; past the delivery window they are given up).
 */
const attemptGroup = async (
  attempt: DeliveryAttempt,
  more: readonly DomainEvent[],
  endpoint: WebhookEndpoint,
  now: Date,
  deps: AttemptDeps,
): Promise<AttemptOutcome> => {
  const head = carriedEvent(attempt) ?? (await deps.log.get(attempt.tenantId, attempt.eventId));
  if (head === undefined) throw new Error(`Event ${attempt.eventId} is not in the log`);
  const events = [head, ...more];
  const refOf = (event: DomainEvent) => ({ tenantId: attempt.tenantId, eventId: event.metadata.id, endpointId: attempt.endpointId, redeliveryId: attempt.redeliveryId });
  const claimed = await deps.log.claimAttempts(events.map(refOf), attempt.attempt, now.toISOString(), new Date(now.getTime() - ATTEMPT_LEASE_MS).toISOString());
  if (!claimed) {
    await deps.deliveries.schedule(singles(attempt, events, now.toISOString()));
    return 'split';
  }

  // Sent side by side, as attempts of one event each would be: one endpoint failing one event delays no other, and
  // the group takes one send's time, never several (the deliverer's timeout).
  const sends = await Promise.all(
    events.map(async (event) => ({ event, result: await deps.sender.send(endpoint, event.metadata.id, JSON.stringify(callbackBody(event))) })),
  );
  const accepted = (result: DeliveryResult) => result.kind === 'response' && result.status >= 200 && result.status < 300;
  const delivered = sends.filter((send) => accepted(send.result)).map((send) => send.event);
  if (delivered.length > 0) await deps.log.markAllDelivered(delivered.map(refOf), now.toISOString());
  const refused = sends.filter((send) => !accepted(send.result));
  const rest = refused.map((send) => send.event);
  const [next, ...after] = rest;
  if (next === undefined) return 'delivered';
  if (refused.some((send) => send.result.kind === 'response' && send.result.status === 410)) {
    await deps.endpoints.disable(attempt.tenantId, attempt.endpointId, 'The endpoint answered 410 Gone.');
    return 'disabled';
  }
  const refusals = refused.map((send) => send.result);
  const failure = refusals.map((result) => (result.kind === 'response' ? `HTTP ${result.status}` : result.kind)).join(', ');
  const nextAt = now.getTime() + retryDelaySeconds(attempt.attempt, deps.random) * 1000 * deps.retryScale;
  if (nextAt - Date.parse(attempt.firstAttemptAt) > DELIVERY_WINDOW_MS * deps.retryScale) {
    for (const event of rest) await deps.log.finishAttempt(refOf(event), attempt.attempt, 'given_up');
    throw new CallbackDeliveryError([{ endpointId: attempt.endpointId, result: `${failure}; gave up after ${attempt.attempt} attempts` }]);
  }
  // Next attempt first, then the records, as for one event.
  await deps.deliveries.schedule([
    { ...attempt, eventId: next.metadata.id, event: next, more: after.length > 0 ? after : undefined, attempt: attempt.attempt + 1, notBefore: new Date(nextAt).toISOString() },
  ]);
  for (const event of rest) await deps.log.finishAttempt(refOf(event), attempt.attempt, 'retry_scheduled');
  return 'retry_scheduled';
};
