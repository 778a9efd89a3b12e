import { positionAnnouncement } from '../cash/announce-position';
import type { CashPositionStore } from '../cash/cash-position';
import type { DomainEvent, EventPublisher } from '../events/domain-event';
import type { Clock } from '../ports';
import type { DeliveryAttempt, DeliveryQueue } from './delivery-attempt';
import { type EventLog, subscribes, type WebhookEndpointRepository } from './webhook-endpoint';

export interface DeliverWriteDeps {
  readonly log: EventLog;
  readonly endpoints: WebhookEndpointRepository;
  readonly deliveries: DeliveryQueue;
  readonly cash: CashPositionStore;
  /** The event bus: every other consumer (links, payouts, the tenant's own rules) still hears every event. */
  readonly bus: EventPublisher;
  readonly clock: Clock;
}

/** The copy the bus carries of an event its writer handed on itself: nothing left for the fan-out or cash-position. */
const fannedOut = (event: DomainEvent): DomainEvent => {
  const { movedPosition: _announced, ...metadata } = event.metadata;
  return { ...event, metadata: { ...metadata, fannedOut: true } };
};

/**
 * Publishes the events of one committed write, doing at once what the bus's consumers would otherwise each do with
 * one event at a time (issue 11: the requests of a settlement): the writer announces the cash position its write
 * moved, logs every event of the write and that announcement in one write, and schedules for each subscribed
 * endpoint one delivery attempt carrying all the events it takes, in order (claimed and recorded together by the
 * deliverer, deliver-event.ts); then it puts the events on the bus marked `fannedOut`, which the fan-out and the
 * cash-position function leave alone.
 * Alternate course: an event of the write already logged (the write's outbox republished after a crash or a
 * redelivery) or events of several tenants: the events go on the bus as they are, and the consumers handle each
 * as before — the log keeps the first copy, the deliverer's claims send each event to an endpoint once, and the
 * announcement has the same id, so nothing is said twice.
 * Everything here may be repeated (the caller clears its outbox only after this returns): the events keep their ids.
 */
export const deliverWrite = async (events: readonly DomainEvent[], deps: DeliverWriteDeps): Promise<void> => {
  const [first] = events;
  if (first === undefined) return;
  const tenantId = first.metadata.tenantId;
  if (events.some((event) => event.metadata.tenantId !== tenantId)) {
    await deps.bus.publish(events);
    return;
  }
  const moving = events.find((event) => event.metadata.movedPosition !== undefined);
  const announcement = moving === undefined ? undefined : await positionAnnouncement(moving, deps.cash);
  const all = announcement === undefined ? [...events] : [...events, announcement];
  if (!(await deps.log.appendAll(all))) {
    await deps.bus.publish(events);
    return;
  }

  const now = deps.clock.now().toISOString();
  const attempts: DeliveryAttempt[] = (await deps.endpoints.listEnabled(tenantId)).flatMap((endpoint) => {
    const [head, ...more] = all.filter((event) => subscribes(endpoint, event.type));
    if (head === undefined) return [];
    const attempt: DeliveryAttempt = { tenantId, eventId: head.metadata.id, endpointId: endpoint.id, attempt: 1, firstAttemptAt: now, notBefore: now, event: head };
    return [more.length === 0 ? attempt : { ...attempt, more }];
  });
  // Both at once: a crash before both are done leaves the outbox to publish the write again, whose events are then
  // logged already and go to every consumer unmarked; the copies' claims let each reach an endpoint once.
  await Promise.all([attempts.length > 0 ? deps.deliveries.schedule(attempts) : undefined, deps.bus.publish(all.map(fannedOut))]);
};

/** An EventPublisher that delivers each published write's events itself (deliverWrite), for the settlement path. */
export const deliveringPublisher = (deps: DeliverWriteDeps): EventPublisher => ({ publish: (events) => deliverWrite(events, deps) });
