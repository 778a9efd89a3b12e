import type { SettledClient } from '../../../../clients/typescript/src/client';
import { settledApiError } from '../../../../clients/typescript/src/errors';
import { storedApiKey } from '../../shell/session';

/** The answer of `POST /v1/webhook-endpoints/{endpointId}/redeliveries`: the redelivery, queued. */
export interface Redelivery {
  readonly id: string;
  readonly endpointId: string;
  readonly eventId: string;
  readonly status: string;
  readonly createdAt: string;
}

const isRedelivery = (body: unknown): body is Redelivery =>
  typeof body === 'object' &&
  body !== null &&
  'id' in body &&
  'endpointId' in body &&
  'eventId' in body &&
  'status' in body &&
  'createdAt' in body &&
  typeof body.id === 'string' &&
  typeof body.endpointId === 'string' &&
  typeof body.eventId === 'string' &&
  typeof body.status === 'string' &&
  typeof body.createdAt === 'string';

/**
 * Sends one event to one endpoint again: `POST /v1/webhook-endpoints/{endpointId}/redeliveries` `{ eventId }` with
 * an Idempotency-Key (the same key for a retry of the same click), answered 202 `{ id, …, status: 'queued' }`.
 *
 * Through fetch rather than the typed client: the operation is new in the API (docs/openapi.yaml gains it with the
 * redeliveries change) and the generated clients/typescript/src/schema.ts of this branch does not list it yet, so
 * the typed client cannot name its path. Same origin, the key in the Authorization header as the client sends it.
 * Once schema.ts has the path, this can become `client.POST('/v1/webhook-endpoints/{endpointId}/redeliveries', …)`.
 * Any other answer (the API's error, a 404 while the route does not exist) throws a SettledApiError. A 401 (the key
 * was revoked) is passed on to the shell the way every other page's is: through a request of the typed client
 * (`GET /v1/cash-position`, answered 401 too), whose fetch the shell watches to go back to the sign-in form.
 */
export const redeliver = async (client: SettledClient, endpointId: string, eventId: string, idempotencyKey: string): Promise<Redelivery> => {
  const apiKey = storedApiKey();
  const response = await fetch(`${window.location.origin}/v1/webhook-endpoints/${encodeURIComponent(endpointId)}/redeliveries`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'idempotency-key': idempotencyKey,
      ...(apiKey === undefined ? {} : { authorization: `Bearer ${apiKey}` }),
    },
    body: JSON.stringify({ eventId }),
  });
  const text = await response.text();
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {
    // Not JSON: reported as the text it is.
  }
  if (response.status === 202 && isRedelivery(body)) return body;
  if (response.status === 401) await client.GET('/v1/cash-position');
  throw settledApiError(response, body);
};
