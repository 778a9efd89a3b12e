import { Webhook } from 'standardwebhooks';
import type { components } from './schema';

/** The body of a Settled callback (and an entry of GET /v1/events). */
export type SettledEvent = components['schemas']['Event'];

/** Standard Webhooks' recommended tolerance between the `webhook-timestamp` and the receiver's clock. */
export const DEFAULT_TOLERANCE_SECONDS = 5 * 60;

/** Why a callback was refused; nothing in it should be acted on. */
export class SettledCallbackVerificationError extends Error {
  override readonly name = 'SettledCallbackVerificationError';
}

/** Node's `request.headers`, a fetch `Headers`, or a plain record. */
export type CallbackHeaders = Headers | Readonly<Record<string, string | readonly string[] | undefined>>;

export interface VerifyOptions {
  /** How far the `webhook-timestamp` may be from `now`, either way; 300 s by default. */
  readonly toleranceSeconds?: number;
  /** The receiver's clock; the current time by default. */
  readonly now?: Date;
}

const headerOf = (headers: CallbackHeaders, name: string): string | undefined => {
  if (headers instanceof Headers) return headers.get(name) ?? undefined;
  for (const [key, value] of Object.entries(headers)) {
    if (key.toLowerCase() !== name) continue;
    return typeof value === 'string' ? value : value?.[0];
  }
  return undefined;
};

/** Compares without stopping at the first difference, so the time taken says nothing about the expected value. */
const constantTimeEqual = (left: string, right: string): boolean => {
  const a = new TextEncoder().encode(left);
  const b = new TextEncoder().encode(right);
  let difference = a.length ^ b.length;
  for (let i = 0; i < a.length; i += 1) difference |= (a[i] ?? 0) ^ (b[i % Math.max(b.length, 1)] ?? 0);
  return difference === 0;
};

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

const isSettledEvent = (value: unknown): value is SettledEvent =>
  isRecord(value) && typeof value.id === 'string' && typeof value.type === 'string' && typeof value.createdAt === 'string' && isRecord(value.data);

/**
 * Verifies a callback Settled sent to a tenant's endpoint and returns its event. Settled signs with Standard Webhooks:
 * `webhook-signature` is `v1,` + base64 HMAC-SHA256 of `{webhook-id}.{webhook-timestamp}.{body}` under the endpoint's
 * secret (`whsec_…`, shown once when the endpoint is registered). Pass the body exactly as received (the bytes, not
 * a re-serialised JSON). Throws `SettledCallbackVerificationError` when a header is missing, the timestamp is further
 * than the tolerance from now (a replay), no signature matches, or the body is not an event whose id is the
 * `webhook-id`. Drop duplicates by `webhook-id`: a retried delivery carries the same one.
 */
export const verifySettledCallback = (rawBody: string | Uint8Array, headers: CallbackHeaders, secret: string, options: VerifyOptions = {}): SettledEvent => {
  const webhookId = headerOf(headers, 'webhook-id');
  const timestampHeader = headerOf(headers, 'webhook-timestamp');
  const signatureHeader = headerOf(headers, 'webhook-signature');
  if (webhookId === undefined || timestampHeader === undefined || signatureHeader === undefined || webhookId === '') {
    throw new SettledCallbackVerificationError('Missing webhook-id, webhook-timestamp or webhook-signature header');
  }
  if (!/^\d{1,12}$/.test(timestampHeader)) throw new SettledCallbackVerificationError('webhook-timestamp is not a number of seconds');
  const timestamp = Number(timestampHeader);
  const now = Math.floor((options.now ?? new Date()).getTime() / 1000);
  const tolerance = options.toleranceSeconds ?? DEFAULT_TOLERANCE_SECONDS;
  if (now - timestamp > tolerance) throw new SettledCallbackVerificationError('webhook-timestamp is too old');
  if (timestamp - now > tolerance) throw new SettledCallbackVerificationError('webhook-timestamp is in the future');

  let body: string;
  try {
    body = typeof rawBody === 'string' ? rawBody : new TextDecoder('utf-8', { fatal: true }).decode(rawBody);
  } catch {
    throw new SettledCallbackVerificationError('The body is not UTF-8');
  }
  let expected: string;
  try {
    expected = new Webhook(secret).sign(webhookId, new Date(timestamp * 1000), body).slice('v1,'.length);
  } catch {
    throw new SettledCallbackVerificationError('The secret is not a Standard Webhooks secret (whsec_…)');
  }
  const matches = signatureHeader
    .split(' ')
    .filter((entry) => entry.startsWith('v1,'))
    .some((entry) => constantTimeEqual(entry.slice('v1,'.length), expected));
  if (!matches) throw new SettledCallbackVerificationError('No signature matches the body');

  let event: unknown;
  try {
    event = JSON.parse(body);
  } catch {
    throw new SettledCallbackVerificationError('The signed body is not JSON');
  }
  if (!isSettledEvent(event)) throw new SettledCallbackVerificationError('The signed body is not a Settled event');
  if (event.id !== webhookId) throw new SettledCallbackVerificationError('The event id is not the webhook-id');
  return event;
};
