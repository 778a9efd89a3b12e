import type { Clock } from '../ports';
import type { DomainEvent } from '../events/domain-event';
import { type CallbackSender, callbackBody, type EventLog, subscribes, type WebhookEndpointRepository } from './webhook-endpoint';

/** Thrown when at least one endpoint still has to receive the event; the caller's retry mechanism tries again. */
export class CallbackDeliveryError extends Error {
  constructor(readonly failures: readonly { endpointId: string; result: string }[]) {
    super(`Callback delivery failed for ${failures.map((failure) => `${failure.endpointId} (${failure.result})`).join(', ')}`);
  }
}

/**
 * Records an event in the tenant's log and delivers it to every subscribed endpoint.
 * Primary course: append to the log once; POST the signed event to each enabled, subscribed endpoint that has not
 * had it yet; 2xx is delivered, 410 disables the endpoint, anything else is retried later with the same
 * webhook-id (the event id).
 */
export const deliverEvent = async (
  event: DomainEvent,
  deps: { readonly log: EventLog; readonly endpoints: WebhookEndpointRepository; readonly sender: CallbackSender; readonly clock: Clock },
): Promise<{ delivered: number; skipped: number }> => {
  await deps.log.append(event);
  const tenantId = event.metadata.tenantId;
  const endpoints = (await deps.endpoints.listEnabled(tenantId)).filter((endpoint) => subscribes(endpoint, event.type));
  const body = JSON.stringify(callbackBody(event));
  const failures: { endpointId: string; result: string }[] = [];
  let delivered = 0;
  let skipped = 0;
  await Promise.all(
    endpoints.map(async (endpoint) => {
      if (await deps.log.wasDelivered(tenantId, event.metadata.id, endpoint.id)) {
        skipped += 1;
        return;
      }
      const result = await deps.sender.send(endpoint, event.metadata.id, body);
      if (result.kind === 'response' && result.status >= 200 && result.status < 300) {
        await deps.log.markDelivered(tenantId, event.metadata.id, endpoint.id, deps.clock.now().toISOString());
        delivered += 1;
      } else if (result.kind === 'response' && result.status === 410) {
        await deps.endpoints.disable(tenantId, endpoint.id, 'The endpoint answered 410 Gone.');
      } else {
        failures.push({ endpointId: endpoint.id, result: result.kind === 'response' ? `HTTP ${result.status}` : result.kind });
      }
    }),
  );
  if (failures.length > 0) throw new CallbackDeliveryError(failures);
  return { delivered, skipped };
};
