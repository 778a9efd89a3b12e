import { ConflictError, NotFoundError, UnprocessableError } from '../errors';
import type { Clock, IdGenerator } from '../ports';
import type { DeliveryQueue } from './delivery-attempt';
import type { EventLog, WebhookEndpointRepository } from './webhook-endpoint';

/** A redelivery the tenant asked for: the event sent again to one endpoint (POST /v1/webhook-endpoints/{id}/redeliveries). */
export interface Redelivery {
  readonly id: string;
  readonly endpointId: string;
  readonly eventId: string;
  /** Accepted and on the delivery queue; the attempts then follow callback delivery's course. */
  readonly status: 'queued';
  readonly createdAt: string;
}

/**
 * Sends one of the tenant's events again to one of its endpoints.
 * Primary course: find the endpoint (404 `webhook_endpoint_not_found`, also for another tenant's) and the event (404
 * `event_not_found`), refuse a disabled endpoint (409 `webhook_endpoint_disabled`) and an event type the endpoint is
 * not subscribed to (422 `event_not_subscribed`), then queue a first attempt carrying the event and a new redelivery
 * id before answering. The deliverer claims that attempt under the redelivery id (not the first delivery's claim,
 * which would say "already delivered"), so each accepted redelivery is sent once — same body, same `webhook-id` (the
 * event id), freshly signed — with the usual retries, backoff and dead-lettering. The route runs once per
 * Idempotency-Key, so a retried request queues nothing more.
 */
export const redeliverEvent = async (
  command: { readonly tenantId: string; readonly endpointId: string; readonly eventId: string },
  deps: {
    readonly endpoints: WebhookEndpointRepository;
    readonly log: EventLog;
    readonly deliveries: DeliveryQueue;
    readonly ids: IdGenerator;
    readonly clock: Clock;
  },
): Promise<Redelivery> => {
  const endpoint = await deps.endpoints.get(command.tenantId, command.endpointId);
  if (endpoint === undefined) {
    throw new NotFoundError(`Webhook endpoint ${command.endpointId} does not exist.`, { code: 'webhook_endpoint_not_found' });
  }
  const event = await deps.log.get(command.tenantId, command.eventId);
  if (event === undefined) throw new NotFoundError(`Event ${command.eventId} does not exist.`, { code: 'event_not_found' });
  if (endpoint.status !== 'enabled') {
    throw new ConflictError(`Webhook endpoint ${endpoint.id} is disabled (${endpoint.disabledReason ?? 'no reason recorded'}); register it again.`, {
      code: 'webhook_endpoint_disabled',
    });
  }
  if (endpoint.events !== null && !endpoint.events.includes(event.type)) {
    throw new UnprocessableError('event_not_subscribed', `Webhook endpoint ${endpoint.id} is not subscribed to ${event.type} events.`, {
      details: [{ path: 'eventId', message: `must be an event of a type the endpoint receives (${endpoint.events.join(', ')})` }],
    });
  }
  const now = deps.clock.now().toISOString();
  const redelivery: Redelivery = { id: deps.ids.next('rdl'), endpointId: endpoint.id, eventId: event.metadata.id, status: 'queued', createdAt: now };
  // Durable on the queue before the answer: a 202 means the attempt will be made.
  await deps.deliveries.schedule([
    { tenantId: command.tenantId, eventId: event.metadata.id, endpointId: endpoint.id, attempt: 1, firstAttemptAt: now, notBefore: now, event, redeliveryId: redelivery.id },
  ]);
  return redelivery;
};
