import { createHash } from 'node:crypto';
import { ConflictError, UnprocessableError, ValidationError } from '../errors';

/** What a request answered, kept to answer its retries. */
export interface StoredResponse {
  readonly statusCode: number;
  readonly body: unknown;
}

export type Reservation =
  | { readonly state: 'acquired' }
  | { readonly state: 'in_progress'; readonly fingerprint: string }
  | { readonly state: 'completed'; readonly fingerprint: string; readonly response: StoredResponse };

/**
 * The write that finishes an idempotent request (its response kept for retries), handed to work that commits it in
 * its own atomic write: the effect and the stored answer then exist together or not at all.
 */
export interface IdempotencyCompletion {
  readonly tenantId: string;
  readonly key: string;
  readonly fingerprint: string;
  readonly response: StoredResponse;
}

/** What the work answered; `recorded` when it committed the completion itself (with its effect). */
export type IdempotentResult = StoredResponse & { readonly recorded?: boolean };

export interface IdempotencyStore {
  /** Reserves the key for this request unless a live record exists; reports that record otherwise. */
  reserve(tenantId: string, key: string, fingerprint: string, expiresAt: Date): Promise<Reservation>;
  complete(tenantId: string, key: string, fingerprint: string, response: StoredResponse): Promise<void>;
  /** Releases a reservation this request holds (never one it does not: that would let a duplicate through). */
  release(tenantId: string, key: string, fingerprint: string): Promise<void>;
}

export const IDEMPOTENCY_TTL_DAYS = 7;
const MAX_KEY_LENGTH = 255;

/** Same request ⇔ same route and same JSON body, whatever the key order or whitespace. */
export const requestFingerprint = (routeKey: string, body: unknown): string =>
  createHash('sha256').update(`${routeKey}\n${canonicalJson(body)}`, 'utf8').digest('hex');

const canonicalJson = (value: unknown): string => {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
};

export const validateIdempotencyKey = (key: string | undefined): string => {
  if (key === undefined || key.length === 0) {
    throw new ValidationError('This request moves money and needs an Idempotency-Key header.', {
      code: 'idempotency_key_required',
      details: [{ path: 'Idempotency-Key', message: 'required, 1–255 characters' }],
    });
  }
  if (key.length > MAX_KEY_LENGTH) {
    throw new ValidationError('The Idempotency-Key header is too long.', {
      details: [{ path: 'Idempotency-Key', message: `must be at most ${MAX_KEY_LENGTH} characters` }],
    });
  }
  return key;
};

/**
 * Runs a money-moving request once per idempotency key.
 * Same key and body as a finished request: its response again, nothing repeated. Same key, different body: 422.
 * Same key while the first is still running: 409, try again. A request that fails releases its own reservation
 * so the client can retry it.
 *
 * `execute` is given `completionOf`, the finishing write for a response: work that writes its effect atomically
 * may include it there and answer `recorded: true` (one request fewer, and no window where the effect exists
 * without its stored answer); otherwise the store completes the record after the work.
 */
export const runIdempotently = async (
  request: { tenantId: string; key: string; fingerprint: string; now: Date },
  store: IdempotencyStore,
  execute: (completionOf: (response: StoredResponse) => IdempotencyCompletion) => Promise<IdempotentResult>,
): Promise<StoredResponse & { replayed: boolean }> => {
  const expiresAt = new Date(request.now.getTime() + IDEMPOTENCY_TTL_DAYS * 24 * 60 * 60 * 1000);
  const reservation = await store.reserve(request.tenantId, request.key, request.fingerprint, expiresAt);
  if (reservation.state !== 'acquired') {
    if (reservation.fingerprint !== request.fingerprint) {
      throw new UnprocessableError('idempotency_key_reused', 'This Idempotency-Key was used with a different request body.');
    }
    if (reservation.state === 'in_progress') {
      throw new ConflictError('A request with this Idempotency-Key is still being processed; retry shortly.', { code: 'idempotency_key_in_use' });
    }
    return { ...reservation.response, replayed: true };
  }
  const completionOf = (response: StoredResponse): IdempotencyCompletion => ({ tenantId: request.tenantId, key: request.key, fingerprint: request.fingerprint, response });
  let result: IdempotentResult;
  try {
    result = await execute(completionOf);
  } catch (error) {
    await store.release(request.tenantId, request.key, request.fingerprint);
    throw error;
  }
  const response: StoredResponse = { statusCode: result.statusCode, body: result.body };
  if (result.recorded !== true) await store.complete(request.tenantId, request.key, request.fingerprint, response);
  return { ...response, replayed: false };
};
