import { readFileSync } from 'node:fs';
import { describe, expect, it, vi } from 'vitest';
import {
  checkTrueLayerWebhookTimestamp,
  TRUELAYER_JWKS_URLS,
  type TrueLayerJwks,
  type TrueLayerWebhookRequest,
  trueLayerJwksUrlsFrom,
  TrueLayerWebhookVerifier,
} from '../../../../shared/adapters/bank-webhooks/truelayer-webhook';
import { UnauthorizedError } from '../../../../shared/domain/errors';
import { aTlSignature, aTrueLayerKeyPair } from '../../../support/truelayer-signing';

const VECTORS = new URL('../../../fixtures/truelayer/signing-test-vectors/', import.meta.url);
const VECTOR_SIGNATURE = readFileSync(new URL('webhook-signature.txt', VECTORS), 'utf8').trim();
const VECTOR_JWKS = JSON.parse(readFileSync(new URL('jwks.json', VECTORS), 'utf8')) as TrueLayerJwks;
const VECTOR_KID = '45fc75cf-5649-4134-84b3-192c2c78e990';
const VECTOR_JKU = 'https://webhooks.truelayer.com/.well-known/jwks';
const SIGNED_AT = '2021-11-29T11:42:55Z';

const vectorRequest = (overrides: Partial<TrueLayerWebhookRequest> = {}): TrueLayerWebhookRequest => ({
  method: 'POST',
  path: '/tl-webhook',
  headers: { 'x-tl-webhook-timestamp': SIGNED_AT, 'content-type': 'application/json', 'tl-signature': VECTOR_SIGNATURE },
  rawBody: '{"event_type":"example","event_id":"18b2842b-a57b-4887-a0a6-d3c7c36f1020"}',
  ...overrides,
});

const verifierWith = (answers: readonly unknown[], options: { now?: string; allowed?: readonly string[] } = {}) => {
  const fetchJwks = vi.fn<(url: string) => Promise<unknown>>();
  for (const answer of answers) fetchJwks.mockResolvedValueOnce(answer);
  let now = new Date(options.now ?? '2021-11-29T11:43:30Z');
  const verifier = new TrueLayerWebhookVerifier({ allowedJwksUrls: options.allowed ?? TRUELAYER_JWKS_URLS, fetchJwks, now: () => now });
  return { verifier, fetchJwks, setNow: (at: string) => (now = new Date(at)) };
};

describe('TrueLayerWebhookVerifier', () => {
  it('accepts the TrueLayer vector, fetching the JWKS from its jku once and keeping it', async () => {
    const { verifier, fetchJwks } = verifierWith([VECTOR_JWKS]);
    await verifier.verify(vectorRequest());
    await verifier.verify(vectorRequest());
    expect(fetchJwks).toHaveBeenCalledExactlyOnceWith(VECTOR_JKU);
  });

  it('refuses the vector with its body tampered with', async () => {
    const { verifier } = verifierWith([VECTOR_JWKS]);
    await expect(verifier.verify(vectorRequest({ rawBody: vectorRequest().rawBody.replace('example', 'exampld') }))).rejects.toThrow(UnauthorizedError);
  });

  it('refuses the vector when the JWKS holds another key under its kid', async () => {
    const { jwks } = aTrueLayerKeyPair(VECTOR_KID);
    const { verifier } = verifierWith([jwks]);
    await expect(verifier.verify(vectorRequest())).rejects.toThrow(/signature rejected/);
  });

  it('fetches the cached JWKS again, once, when a signature names a kid it lacks (key rotation), then accepts', async () => {
    const old = aTrueLayerKeyPair('old-kid').jwks;
    const { verifier, fetchJwks, setNow } = verifierWith([old, VECTOR_JWKS]);
    await expect(verifier.verify(vectorRequest())).rejects.toThrow(/no jwk found/);
    expect(fetchJwks).toHaveBeenCalledTimes(1);
    setNow('2021-11-29T11:45:00Z');
    await verifier.verify(vectorRequest());
    expect(fetchJwks).toHaveBeenCalledTimes(2);
    // Cached from now on.
    await verifier.verify(vectorRequest());
    expect(fetchJwks).toHaveBeenCalledTimes(2);
  });

  it('refuses a kid still unknown after the one refetch, and does not refetch for every made-up kid within the minute', async () => {
    const { verifier, fetchJwks, setNow } = verifierWith([{ keys: [] }, { keys: [] }, VECTOR_JWKS]);
    await expect(verifier.verify(vectorRequest())).rejects.toThrow(/no jwk found/);
    setNow('2021-11-29T11:44:40Z');
    await expect(verifier.verify(vectorRequest())).rejects.toThrow(/no jwk found/);
    expect(fetchJwks).toHaveBeenCalledTimes(2);
    setNow('2021-11-29T11:45:00Z');
    await expect(verifier.verify(vectorRequest())).rejects.toThrow(UnauthorizedError);
    expect(fetchJwks).toHaveBeenCalledTimes(2);
    // A minute after the last fetch the JWKS may be fetched again, and now has the key.
    setNow('2021-11-29T11:45:41Z');
    await verifier.verify(vectorRequest());
    expect(fetchJwks).toHaveBeenCalledTimes(3);
  });

  it('refuses a jku outside the configured URLs before fetching anything', async () => {
    const { verifier, fetchJwks } = verifierWith([VECTOR_JWKS], { allowed: ['https://webhooks.truelayer-sandbox.com/.well-known/jwks'] });
    await expect(verifier.verify(vectorRequest())).rejects.toThrow(/jku/);
    expect(fetchJwks).not.toHaveBeenCalled();
  });

  it('accepts a webhook signed by a key of a configured sandbox jku', async () => {
    const { privateKey, jwks } = aTrueLayerKeyPair('k-sandbox');
    const jku = 'https://webhooks.truelayer-sandbox.com/.well-known/jwks';
    const body = '{"type":"payment_executed"}';
    const headers = { 'X-Tl-Webhook-Timestamp': SIGNED_AT };
    const signature = aTlSignature({ privateKey, kid: 'k-sandbox', jku, path: '/v1/bank-webhooks/truelayer', headers, body });
    const { verifier, fetchJwks } = verifierWith([jwks]);
    await verifier.verify({ method: 'POST', path: '/v1/bank-webhooks/truelayer', headers: { ...headers, 'Tl-Signature': signature }, rawBody: body });
    expect(fetchJwks).toHaveBeenCalledExactlyOnceWith(jku);
  });

  it('refuses the authentic vector once its signed timestamp is older than the retry horizon', async () => {
    const { verifier } = verifierWith([VECTOR_JWKS], { now: '2021-12-02T12:43:00Z' });
    await expect(verifier.verify(vectorRequest())).rejects.toThrow(/Stale TrueLayer webhook/);
  });

  it('refuses a JWKS document that is not one (a 5xx, TrueLayer retries), not as a signature failure', async () => {
    const { verifier } = verifierWith([{ nope: true }]);
    const error = await verifier.verify(vectorRequest()).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(Error);
    expect(error).not.toBeInstanceOf(UnauthorizedError);
  });
});

describe('checkTrueLayerWebhookTimestamp', () => {
  const at = (now: string) => () => checkTrueLayerWebhookTimestamp({ 'X-Tl-Webhook-Timestamp': SIGNED_AT }, new Date(now));

  it.each([
    ['just sent', '2021-11-29T11:42:56Z'],
    ['72 hours on (TrueLayer still retrying)', '2021-12-02T11:42:55Z'],
    ['4 minutes ahead of the sender (clock skew)', '2021-11-29T11:38:56Z'],
  ])('accepts a timestamp %s', (_, now) => {
    expect(at(now)).not.toThrow();
  });

  it.each([
    ['older than 73 hours', '2021-12-02T12:42:56Z'],
    ['more than 5 minutes in the future', '2021-11-29T11:37:54Z'],
  ])('refuses a timestamp %s', (_, now) => {
    expect(at(now)).toThrow(UnauthorizedError);
  });

  it.each([{}, { 'X-Tl-Webhook-Timestamp': 'yesterday' }])('refuses a missing or unreadable timestamp (%j)', (headers) => {
    expect(() => checkTrueLayerWebhookTimestamp(headers, new Date(SIGNED_AT))).toThrow(UnauthorizedError);
  });
});

describe('trueLayerJwksUrlsFrom', () => {
  it.each([undefined, '', ' , '])('is TrueLayer production and sandbox when unset (%j)', (value) => {
    expect(trueLayerJwksUrlsFrom(value)).toEqual(TRUELAYER_JWKS_URLS);
  });

  it('reads a comma-separated list', () => {
    expect(trueLayerJwksUrlsFrom(' https://webhooks.truelayer.com/.well-known/jwks ,https://a.example/jwks')).toEqual([
      'https://webhooks.truelayer.com/.well-known/jwks',
      'https://a.example/jwks',
    ]);
  });

  it.each(['http://webhooks.truelayer.com/.well-known/jwks', 'not a url'])('refuses %s', (value) => {
    expect(() => trueLayerJwksUrlsFrom(value)).toThrow(/https URL/);
  });
});
