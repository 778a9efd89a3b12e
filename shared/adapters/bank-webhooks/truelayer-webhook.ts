// TrueLayer's own `truelayer-signing` library, not a hand-written JWS check: it is maintained by TrueLayer against
// the shared cross-language test vectors, and it gets the parts that are easy to get subtly wrong right: the
// detached-payload JWS (`header..signature`, payload rebuilt from the request), ES512 only (no `alg` from the
// attacker), the v2 canonical form (`METHOD path\n`, the `tl_headers` in the signed order with the signed casing,
// then the raw body), the required-header check and the trailing-slash tolerance TrueLayer's paths need.
import { extractJku, extractKid, verify, type HttpMethod } from 'truelayer-signing';
import * as v from 'valibot';
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

const isAllowedJwksUrl = (jku: string | undefined, allowed: readonly string[]): jku is string => jku !== undefined && allowed.some((url) => url === jku);

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
export const readTrueLayerSignatureKey = (
  headers: Record<string, string | undefined>,
  allowedJwksUrls: readonly string[] = TRUELAYER_JWKS_URLS,
): { jku: string; kid: string } => {
  const signature = tlSignatureOf(headers);
  let jku: string | undefined;
  let kid: string | undefined;
  try {
    jku = extractJku(signature);
    kid = extractKid(signature);
  } catch (error) {
    throw new UnauthorizedError(`Malformed Tl-Signature header: ${messageOf(error)}.`, { cause: error });
  }
  if (!isAllowedJwksUrl(jku, allowedJwksUrls)) throw new UnauthorizedError(`Tl-Signature names a jku that is not TrueLayer's: ${String(jku)}.`);
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
 * The signed timestamp's age is checked apart, by {@link checkTrueLayerWebhookTimestamp} (after this passes).
 *
 * @throws UnauthorizedError on any failure: missing `Tl-Signature`, a `jku` outside the allow-list, no key for the
 *   `kid`, a required header not signed, or a signature that does not match (body, path or a signed header changed,
 *   or another key).
 */
export const verifyTrueLayerWebhook = (request: TrueLayerWebhookRequest, jwks: TrueLayerJwks, allowedJwksUrls: readonly string[] = TRUELAYER_JWKS_URLS): void => {
  const signature = tlSignatureOf(request.headers);
  readTrueLayerSignatureKey(request.headers, allowedJwksUrls);
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

/**
 * How old a signed `X-Tl-Webhook-Timestamp` may be. Neither TrueLayer's documentation nor its signing library sets a
 * freshness window, and TrueLayer retries an undelivered webhook for up to 72 hours (it does not say that a retry is
 * signed afresh), so a tight window would refuse genuine retries. The window is therefore the retry horizon plus an
 * hour: an old captured webhook cannot be replayed for ever, and a replay inside the window changes nothing, because
 * every message it yields is idempotent downstream (a payment's status only moves forward; a transaction is stored
 * once by its bank id).
 */
export const TRUELAYER_MAX_WEBHOOK_AGE_MS = 73 * 60 * 60 * 1000;
/** Clock skew tolerated for a timestamp in the future. */
export const TRUELAYER_MAX_CLOCK_SKEW_MS = 5 * 60 * 1000;

/**
 * The allowed JWKS URLs from configuration (comma-separated); unset or blank: {@link TRUELAYER_JWKS_URLS}. Each must be
 * an https URL, so a misconfiguration fails at start, not by fetching keys over plain http.
 */
export const trueLayerJwksUrlsFrom = (value: string | undefined): readonly string[] => {
  const urls = (value ?? '')
    .split(',')
    .map((url) => url.trim())
    .filter((url) => url !== '');
  if (urls.length === 0) return TRUELAYER_JWKS_URLS;
  for (const url of urls) {
    if (!URL.canParse(url) || new URL(url).protocol !== 'https:') throw new Error(`A TrueLayer JWKS URL must be an https URL, got "${url}"`);
  }
  return urls;
};

const headerOf = (headers: Record<string, string | undefined>, name: string): string | undefined =>
  Object.entries(headers).find(([key]) => key.toLowerCase() === name.toLowerCase())?.[1];

/**
 * Refuses a verified webhook whose signed `X-Tl-Webhook-Timestamp` is missing, unreadable, older than
 * {@link TRUELAYER_MAX_WEBHOOK_AGE_MS} or more than {@link TRUELAYER_MAX_CLOCK_SKEW_MS} ahead of `now`. Call it after
 * {@link verifyTrueLayerWebhook}, which makes sure the timestamp is signed.
 *
 * @throws UnauthorizedError on any of those.
 */
export const checkTrueLayerWebhookTimestamp = (headers: Record<string, string | undefined>, now: Date): void => {
  const value = headerOf(headers, 'X-Tl-Webhook-Timestamp');
  const at = value === undefined ? Number.NaN : Date.parse(value);
  if (Number.isNaN(at)) throw new UnauthorizedError('Missing or unreadable X-Tl-Webhook-Timestamp header.');
  const age = now.getTime() - at;
  if (age > TRUELAYER_MAX_WEBHOOK_AGE_MS) throw new UnauthorizedError(`Stale TrueLayer webhook: signed at ${value}.`);
  if (-age > TRUELAYER_MAX_CLOCK_SKEW_MS) throw new UnauthorizedError(`TrueLayer webhook signed in the future: ${value}.`);
};

/** Fetches a JWKS document (the parsed JSON body) from an allowed URL; injected so tests need no network. */
export type JwksFetcher = (url: string) => Promise<unknown>;

const JwksSchema = v.object({ keys: v.array(v.looseObject({ kty: v.string(), kid: v.optional(v.string()) })) });

/** Never refetch a JWKS more often than this, whatever kids attackers make up. */
export const TRUELAYER_JWKS_MIN_REFETCH_MS = 60 * 1000;
const JWKS_FETCH_TIMEOUT_MS = 5000;

/** The production fetcher: HTTPS GET with a timeout; any failure is the caller's to map (it answers 5xx, TrueLayer retries). */
export const fetchJwksOverHttps: JwksFetcher = async (url) => {
  const response = await fetch(url, { headers: { accept: 'application/json' }, signal: AbortSignal.timeout(JWKS_FETCH_TIMEOUT_MS), redirect: 'error' });
  if (!response.ok) throw new Error(`JWKS fetch from ${url} answered ${response.status}`);
  return response.json();
};

/**
 * Verifies TrueLayer webhooks end to end: the `jku` must be one of the configured allowed URLs; the JWKS is fetched
 * from it once and cached (per execution environment); when the signature names a `kid` the cached JWKS lacks (a key
 * rotation), the JWKS is fetched again, once, and no more often than {@link TRUELAYER_JWKS_MIN_REFETCH_MS}; then the
 * signature ({@link verifyTrueLayerWebhook}) and the timestamp ({@link checkTrueLayerWebhookTimestamp}).
 */
export class TrueLayerWebhookVerifier {
  private readonly cache = new Map<string, { jwks: TrueLayerJwks; fetchedAt: number }>();

  constructor(
    private readonly options: {
      readonly allowedJwksUrls: readonly string[];
      readonly fetchJwks: JwksFetcher;
      readonly now: () => Date;
    },
  ) {}

  /** @throws UnauthorizedError when the webhook is not authentic or not fresh; a JWKS that cannot be fetched or read is a plain Error (5xx). */
  async verify(request: TrueLayerWebhookRequest): Promise<void> {
    const { jku, kid } = readTrueLayerSignatureKey(request.headers, this.options.allowedJwksUrls);
    const cached = this.cache.get(jku);
    let jwks = cached?.jwks ?? (await this.fetch(jku));
    const now = this.options.now().getTime();
    // A kid the cached copy lacks: TrueLayer may have rotated its keys since; fetch once more (a copy fetched by this
    // very call is fresh already, and a recent one is not fetched again for every made-up kid).
    if (cached !== undefined && !jwks.keys.some((key) => key.kid === kid) && now - cached.fetchedAt >= TRUELAYER_JWKS_MIN_REFETCH_MS) {
      jwks = await this.fetch(jku);
    }
    verifyTrueLayerWebhook(request, jwks, this.options.allowedJwksUrls);
    checkTrueLayerWebhookTimestamp(request.headers, this.options.now());
  }

  private async fetch(jku: string): Promise<TrueLayerJwks> {
    const now = this.options.now().getTime();
    const result = v.safeParse(JwksSchema, await this.options.fetchJwks(jku));
    if (!result.success) throw new Error(`The JWKS at ${jku} is not a JWKS document`);
    const jwks: TrueLayerJwks = result.output;
    this.cache.set(jku, { jwks, fetchedAt: now });
    return jwks;
  }
}
