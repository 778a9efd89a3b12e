import { ok, type SettledClient } from '../../../../clients/typescript/src/client';
import type { components } from '../../../../clients/typescript/src/schema';

/** The answer of `POST /v1/webhook-endpoints/{endpointId}/redeliveries`: the redelivery, queued. */
export type Redelivery = components['schemas']['Redelivery'];

/**
 * Sends one event to one endpoint again: `POST /v1/webhook-endpoints/{endpointId}/redeliveries` `{ eventId }` with
 * an Idempotency-Key (the same key for a retry of the same click), answered 202 `{ id, …, status: 'queued' }`.
 * Any other answer throws a SettledApiError; a 401 reaches the shell through the typed client's watched fetch.
 */
export const redeliver = (client: SettledClient, endpointId: string, eventId: string, idempotencyKey: string): Promise<Redelivery> =>
  ok(
    client.POST('/v1/webhook-endpoints/{endpointId}/redeliveries', {
      params: { path: { endpointId }, header: { 'Idempotency-Key': idempotencyKey } },
      body: { eventId },
    }),
  );
