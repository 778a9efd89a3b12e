import createClient, { type Client } from 'openapi-fetch';
import type { paths } from './schema';
import { settledApiError } from './errors';

export interface SettledClientOptions {
  /** Where Settled's API answers, e.g. `http://127.0.0.1:3000` on the local runtime. */
  readonly baseUrl: string;
  /** A tenant API key (`sk_ten_…`), or the operator's admin token for `/v1/admin/…`; sent as a bearer token. */
  readonly apiKey?: string | undefined;
  /** Another fetch (tests, proxies); defaults to the platform's. */
  readonly fetch?: ((request: Request) => Promise<Response>) | undefined;
}

/** Every operation of docs/openapi.yaml, typed: paths, parameters, bodies and answers. */
export type SettledClient = Client<paths>;

/**
 * A client for Settled's public API: `client.GET('/v1/payments/{paymentId}', { params: { path: { paymentId } } })`.
 * Answers are `{ data, error, response }` (openapi-fetch); wrap a call in `ok(...)` to get the data or a thrown
 * `SettledApiError`.
 */
export const createSettledClient = (options: SettledClientOptions): SettledClient =>
  createClient<paths>({
    baseUrl: options.baseUrl.replace(/\/+$/, ''),
    ...(options.apiKey === undefined ? {} : { headers: { authorization: `Bearer ${options.apiKey}` } }),
    ...(options.fetch === undefined ? {} : { fetch: options.fetch }),
  });

/**
 * The `Idempotency-Key` header every POST under /v1 takes: `params: { header: idempotencyKey() }`. Keep the key
 * and send it again when retrying the same request (a timeout, a 5xx), so Settled answers the first response again
 * instead of acting twice; a fresh key means a new request.
 */
export const idempotencyKey = (key: string = globalThis.crypto.randomUUID()): { 'Idempotency-Key': string } => ({ 'Idempotency-Key': key });

/** What an openapi-fetch call resolves to. */
interface Outcome {
  readonly data?: unknown;
  readonly error?: unknown;
  readonly response: Response;
}

/**
 * The answer's data, or a `SettledApiError` in the contract's error shape for any non-2xx answer (every documented
 * 2xx answer of Settled's API has a body; one without is refused as `unexpected_response`).
 */
export const ok = async <Result extends Outcome>(call: Promise<Result>): Promise<NonNullable<Result['data']>> => {
  const result = await call;
  if (!result.response.ok || result.error !== undefined) throw settledApiError(result.response, result.error);
  const data = result.data;
  if (data === undefined || data === null) throw settledApiError(result.response, undefined);
  return data;
};
