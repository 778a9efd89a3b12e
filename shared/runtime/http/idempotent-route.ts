import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { type IdempotencyCompletion, type IdempotencyStore, requestFingerprint, runIdempotently, validateIdempotencyKey } from '../../domain/idempotency/idempotency';
import type { Clock } from '../../domain/ports';
import type { ApiResponse } from './api-handler';
import { rawBodyOf } from './request';

const parsedOrRaw = (raw: string): unknown => {
  try {
    return JSON.parse(raw);
  } catch {
    return raw;
  }
};

/**
 * Runs a money-moving POST once per `Idempotency-Key` (docs/architecture.md §9): a retry with the same key and body
 * gets the first response again (marked `idempotent-replayed: true`), a different body 422. A route whose effect is
 * one atomic write may put `completionOf(response)` in it and answer `recorded: true` (see runIdempotently).
 */
export const idempotentRoute = async (
  event: APIGatewayProxyEventV2,
  tenantId: string,
  deps: { readonly idempotency: IdempotencyStore; readonly clock: Clock },
  execute: (completionOf: (response: ApiResponse) => IdempotencyCompletion) => Promise<ApiResponse & { readonly recorded?: boolean }>,
): Promise<ApiResponse> => {
  const key = validateIdempotencyKey(event.headers['idempotency-key']);
  const result = await runIdempotently(
    { tenantId, key, fingerprint: requestFingerprint(event.routeKey, parsedOrRaw(rawBodyOf(event))), now: deps.clock.now() },
    deps.idempotency,
    async (completionOf) => {
      const response = await execute((answer) => completionOf({ statusCode: answer.statusCode, body: answer.body }));
      return { statusCode: response.statusCode, body: response.body, recorded: response.recorded === true };
    },
  );
  return { statusCode: result.statusCode, body: result.body, headers: result.replayed ? { 'idempotent-replayed': 'true' } : {} };
};
