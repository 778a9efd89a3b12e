// TrueLayer's own `truelayer-signing` library, not a hand-written JWS check: it is maintained by TrueLayer against
// the shared cross-language test vectors, and it gets the parts that are easy to get subtly wrong right: the
// detached-payload JWS (`header..signature`, payload rebuilt from the request), ES512 only (no `alg` from the
// attacker), the v2 canonical form (`METHOD path\n`, the `tl_headers` in the signed order with the signed casing,
// then the raw body), the required-header check and the trailing-slash tolerance TrueLayer's paths need.
import { extractJku, extractKid, verify, type HttpMethod } from 'truelayer-signing';
import { UnauthorizedError } from '../../domain/errors';

/** The only JWKS URLs a TrueLayer webhook may name in its `jku` (production and sandbox), as TrueLayer documents. */
export const TRUELAYER_JWKS_URLS = ['https://webhooks.truelayer.com/.well-known/jwks', 'https://webhooks.truelayer-sandbox.com/.well-known/jwks'] as const;
export type TrueLayerJwksUrl = (typeof TRUELAYER_JWKS_URLS)[number];

/**
 * Headers the signature must cover, whatever its `tl_headers` say: TrueLayer signs the send time of every webhook,
 * and a signature without it would let the timestamp be rewritten freely.
 */
export const TRUELAYER_REQUIRED_SIGNED_HEADERS = ['X-Tl-Webhook-Timestamp'] as const;

/** One public key of a JWKS document, as served at the `jku` URL (EC P-521 keys for `Tl-Signature`). */
export interface TrueLayerJwk {
  readonly kty: string;
  readonly kid?: string;
  readonly [member: string]: unknown;
}

/** A JWKS document (`{ "keys": [...] }`) fetched by the caller from the signature's `jku` URL. */
export interface TrueLayerJwks {
  readonly keys: readonly TrueLayerJwk[];
}

/** The webhook as received: the path TrueLayer posted to, the headers, and the body exactly as sent (not re-serialised). */
export interface TrueLayerWebhookRequest {
  readonly method: 'POST';
  /** The path of the webhook URL TrueLayer called (the public path, e.g. `/tl-webhook`), without query string. */
  readonly path: string;
  /** Any casing; the names TrueLayer signed are matched case-insensitively. */
  readonly headers: Record<string, string | undefined>;
  /** The raw body, byte for byte: a parsed and re-serialised body does not verify. */
  readonly rawBody: string;
}

const isAllowedJwksUrl = (jku: string | undefined): jku is TrueLayerJwksUrl => TRUELAYER_JWKS_URLS.some((allowed) => allowed === jku);

const messageOf = (error: unknown): string => (error instanceof Error ? error.message : String(error));

const tlSignatureOf = (headers: Record<string, string | undefined>): string => {
  const entry = Object.entries(headers).find(([name]) => name.toLowerCase() === 'tl-signature');
  const value = entry?.[1]?.trim();
  if (value === undefined || value === '') throw new UnauthorizedError('Missing Tl-Signature header.');
  return value;
};

/**
 * Reads which key signed the webhook, before it is verified: the `jku` (one of {@link TRUELAYER_JWKS_URLS}, so the
 * caller knows which JWKS to fetch, and never fetches an attacker's URL) and the `kid` (to cache JWKS by jku + kid
 * and re-fetch when TrueLayer rotates keys). Nothing here is trusted until {@link verifyTrueLayerWebhook} passes.
 *
 * @throws UnauthorizedError when the `Tl-Signature` header is missing or malformed, has no `kid`, or names a `jku`
 *   outside the allow-list.
 */
export const readTrueLayerSignatureKey = (headers: Record<string, string | undefined>): { jku: TrueLayerJwksUrl; kid: string } => {
  const signature = tlSignatureOf(headers);
  let jku: string | undefined;
  let kid: string | undefined;
  try {
    jku = extractJku(signature);
    kid = extractKid(signature);
  } catch (error) {
    throw new UnauthorizedError(`Malformed Tl-Signature header: ${messageOf(error)}.`, { cause: error });
  }
  if (!isAllowedJwksUrl(jku)) throw new UnauthorizedError(`Tl-Signature names a jku that is not TrueLayer's: ${String(jku)}.`);
  if (typeof kid !== 'string' || kid === '') throw new UnauthorizedError('Tl-Signature has no kid.');
  return { jku, kid };
};

/**
 * Verifies a TrueLayer webhook's `Tl-Signature` (detached JWS, ES512, request-signing v2) the way TrueLayer
 * recommends: the `jku` in the signature header must be one of TrueLayer's JWKS URLs, the key is the JWKS entry
 * with the signature's `kid`, and the signature must cover the method, path, the headers it lists (at least
 * `X-Tl-Webhook-Timestamp`) and the raw body. No network here: the caller fetches (and caches) the JWKS from the
 * URL {@link readTrueLayerSignatureKey} returns. Returns normally when the webhook is authentic.
 *
 * There is no freshness window on the timestamp: TrueLayer retries for up to 72 hours and documents duplicates,
 * so replays are handled by idempotency on the event id, not here.
 *
 * @throws UnauthorizedError on any failure: missing `Tl-Signature`, a `jku` outside the allow-list, no key for the
 *   `kid`, a required header not signed, or a signature that does not match (body, path or a signed header changed,
 *   or another key).
 */
export const verifyTrueLayerWebhook = (request: TrueLayerWebhookRequest, jwks: TrueLayerJwks): void => {
  const signature = tlSignatureOf(request.headers);
  readTrueLayerSignatureKey(request.headers);
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(request.headers)) {
    if (value !== undefined) headers[name] = value;
  }
  try {
    verify({
      signature,
      // `HttpMethod` is an ambient const enum (not importable as a value under isolatedModules); 'POST' is its value.
      method: request.method as HttpMethod,
      path: request.path,
      headers,
      body: request.rawBody,
      requiredHeaders: [...TRUELAYER_REQUIRED_SIGNED_HEADERS],
      jwks: JSON.stringify({ keys: jwks.keys }),
    });
  } catch (error) {
    // The library throws SignatureError for a bad signature, and plain errors for input it cannot read (a JWK it
    // cannot convert, headers repeated in two casings, a path without a leading '/'): all of it is untrusted input,
    // so every failure is a rejection, never a 500.
    throw new UnauthorizedError(`TrueLayer webhook signature rejected: ${messageOf(error)}.`, { cause: error });
  }
};
