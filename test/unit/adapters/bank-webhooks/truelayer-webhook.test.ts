import { generateKeyPairSync, sign, type KeyObject } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  readTrueLayerSignatureKey,
  type TrueLayerJwks,
  type TrueLayerWebhookRequest,
  verifyTrueLayerWebhook,
} from '../../../../shared/adapters/bank-webhooks/truelayer-webhook';
import { UnauthorizedError } from '../../../../shared/domain/errors';

// TrueLayer's shared test vector (truelayer-signing/test-resources, copied into test/fixtures with its licence):
// webhook-signature.txt signed by the key of jwks.json, with the request described in its README.md.
const VECTORS = new URL('../../../fixtures/truelayer/signing-test-vectors/', import.meta.url);
const VECTOR_SIGNATURE = readFileSync(new URL('webhook-signature.txt', VECTORS), 'utf8').trim();
const VECTOR_JWKS = JSON.parse(readFileSync(new URL('jwks.json', VECTORS), 'utf8')) as TrueLayerJwks;
const VECTOR_KID = '45fc75cf-5649-4134-84b3-192c2c78e990';

/** The request of the vector, as README.md describes it (header casing as TrueLayer sent it). */
const vectorRequest = (overrides: Partial<TrueLayerWebhookRequest> = {}): TrueLayerWebhookRequest => ({
  method: 'POST',
  path: '/tl-webhook',
  headers: {
    'X-Tl-webhook-Timestamp': '2021-11-29T11:42:55Z',
    'Content-Type': 'application/json',
    'Tl-Signature': VECTOR_SIGNATURE,
  },
  rawBody: '{"event_type":"example","event_id":"18b2842b-a57b-4887-a0a6-d3c7c36f1020"}',
  ...overrides,
});

/** The error `act` throws (failing the test if it throws nothing). */
const thrownBy = (act: () => unknown): unknown => {
  try {
    act();
  } catch (error) {
    return error;
  }
  throw new Error('expected an error');
};

const base64url = (value: string | Buffer): string => Buffer.from(value).toString('base64url');

/** A fresh P-521 key pair, its public half as a JWKS with `kid`. */
const aKeyPair = (kid: string): { privateKey: KeyObject; jwks: TrueLayerJwks } => {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-521' });
  return { privateKey, jwks: { keys: [{ ...publicKey.export({ format: 'jwk' }), kty: 'EC', alg: 'ES512', kid }] } };
};

/**
 * A `Tl-Signature` built by hand the way TrueLayer signs webhooks (v2: detached ES512 JWS over
 * `POST path\n` + the listed headers + body), for the cases the vector cannot show: another jku, fewer headers.
 */
const tlSignature = (options: { privateKey: KeyObject; kid: string; jku?: string; path: string; headers: Record<string, string>; body: string }): string => {
  const header = base64url(
    JSON.stringify({
      alg: 'ES512',
      kid: options.kid,
      tl_version: '2',
      tl_headers: Object.keys(options.headers).join(','),
      ...(options.jku === undefined ? {} : { jku: options.jku }),
    }),
  );
  const payload = `POST ${options.path}\n${Object.entries(options.headers)
    .map(([name, value]) => `${name}: ${value}\n`)
    .join('')}${options.body}`;
  const signature = sign('sha512', Buffer.from(`${header}.${base64url(payload)}`), { key: options.privateKey, dsaEncoding: 'ieee-p1363' });
  return `${header}..${base64url(signature)}`;
};

/** A webhook signed with a fresh key, with everything the vector has, and its JWKS. */
const selfSigned = (options: { jku?: string; signedHeaders?: Record<string, string> } = {}) => {
  const kid = 'self-signed-key';
  const { privateKey, jwks } = aKeyPair(kid);
  const base = vectorRequest();
  const signedHeaders = options.signedHeaders ?? { 'X-Tl-Webhook-Timestamp': '2021-11-29T11:42:55Z', 'Content-Type': 'application/json' };
  const signature = tlSignature({
    privateKey,
    kid,
    jku: 'jku' in options ? options.jku : 'https://webhooks.truelayer-sandbox.com/.well-known/jwks',
    path: base.path,
    headers: signedHeaders,
    body: base.rawBody,
  });
  return { request: vectorRequest({ headers: { ...base.headers, 'Tl-Signature': signature } }), jwks };
};

describe('verifyTrueLayerWebhook', () => {
  it('accepts the TrueLayer Tl-Signature test vector', () => {
    // Act + Assess
    expect(() => verifyTrueLayerWebhook(vectorRequest(), VECTOR_JWKS)).not.toThrow();
  });

  it('accepts the vector with the header names lower-cased, as Lambda and Node deliver them, and extra headers', () => {
    // Prepare
    const request = vectorRequest({
      headers: {
        'x-tl-webhook-timestamp': '2021-11-29T11:42:55Z',
        'content-type': 'application/json',
        'tl-signature': VECTOR_SIGNATURE,
        'user-agent': 'TrueLayer-Webhooks',
        'x-forwarded-for': undefined,
      },
    });
    // Act + Assess
    expect(() => verifyTrueLayerWebhook(request, VECTOR_JWKS)).not.toThrow();
  });

  it('refuses the vector body changed by one byte', () => {
    // Prepare
    const request = vectorRequest();
    const tampered = vectorRequest({ rawBody: request.rawBody.replace('example', 'exampld') });
    // Act
    const error = thrownBy(() => verifyTrueLayerWebhook(tampered, VECTOR_JWKS));
    // Assess
    expect(error).toBeInstanceOf(UnauthorizedError);
    expect(error).toMatchObject({ code: 'unauthorized', message: expect.stringMatching(/signature rejected/) });
  });

  it('refuses the vector body re-serialised (whitespace only)', () => {
    // Prepare
    const request = vectorRequest();
    const reformatted = vectorRequest({ rawBody: JSON.stringify(JSON.parse(request.rawBody), null, 2) });
    // Act + Assess
    expect(() => verifyTrueLayerWebhook(reformatted, VECTOR_JWKS)).toThrow(UnauthorizedError);
  });

  it.each(['/tl-webhook-2', '/other/tl-webhook', '/TL-WEBHOOK'])('refuses the vector posted to another path (%s)', (path) => {
    // Act + Assess
    expect(() => verifyTrueLayerWebhook(vectorRequest({ path }), VECTOR_JWKS)).toThrow(UnauthorizedError);
  });

  it('refuses a request without the Tl-Signature header', () => {
    // Prepare
    const { 'Tl-Signature': _removed, ...headers } = vectorRequest().headers;
    // Act
    const error = thrownBy(() => verifyTrueLayerWebhook(vectorRequest({ headers }), VECTOR_JWKS));
    // Assess
    expect(error).toBeInstanceOf(UnauthorizedError);
    expect(error).toMatchObject({ message: 'Missing Tl-Signature header.' });
  });

  it.each(['X-Tl-webhook-Timestamp', 'Content-Type'])('refuses the vector without the signed header %s', (name) => {
    // Prepare
    const headers: Record<string, string | undefined> = { ...vectorRequest().headers, [name]: undefined };
    // Act + Assess
    expect(() => verifyTrueLayerWebhook(vectorRequest({ headers }), VECTOR_JWKS)).toThrow(UnauthorizedError);
  });

  it('refuses the vector with the signed timestamp changed', () => {
    // Prepare
    const headers = { ...vectorRequest().headers, 'X-Tl-webhook-Timestamp': '2021-11-29T11:42:56Z' };
    // Act + Assess
    expect(() => verifyTrueLayerWebhook(vectorRequest({ headers }), VECTOR_JWKS)).toThrow(UnauthorizedError);
  });

  it('refuses the vector checked against another P-521 key under the same kid', () => {
    // Prepare
    const { jwks } = aKeyPair(VECTOR_KID);
    // Act
    const error = thrownBy(() => verifyTrueLayerWebhook(vectorRequest(), jwks));
    // Assess
    expect(error).toBeInstanceOf(UnauthorizedError);
    expect(error).toMatchObject({ message: expect.stringMatching(/Invalid signature/) });
  });

  it('refuses the vector when the JWKS has no key with its kid', () => {
    // Prepare
    const jwks = { keys: VECTOR_JWKS.keys.filter((key) => key.kid !== VECTOR_KID) };
    // Act
    const error = thrownBy(() => verifyTrueLayerWebhook(vectorRequest(), jwks));
    // Assess
    expect(error).toBeInstanceOf(UnauthorizedError);
    expect(error).toMatchObject({ message: expect.stringMatching(/no jwk found/) });
  });

  it('accepts a webhook signed by hand the same way (control for the cases below)', () => {
    // Prepare
    const { request, jwks } = selfSigned();
    // Act + Assess
    expect(() => verifyTrueLayerWebhook(request, jwks)).not.toThrow();
  });

  it.each([
    ['an attacker URL', 'https://attacker.example/.well-known/jwks'],
    ['a look-alike host', 'https://webhooks.truelayer.com.attacker.example/.well-known/jwks'],
    ['plain http', 'http://webhooks.truelayer.com/.well-known/jwks'],
    ['another path', 'https://webhooks.truelayer.com/jwks'],
    ['no jku at all', undefined],
  ])('refuses a correctly signed webhook whose jku is %s', (_, jku) => {
    // Prepare: the key is in the JWKS passed in, so only the jku check can refuse it.
    const { request, jwks } = selfSigned({ jku });
    // Act
    const error = thrownBy(() => verifyTrueLayerWebhook(request, jwks));
    // Assess
    expect(error).toBeInstanceOf(UnauthorizedError);
    expect(error).toMatchObject({ message: expect.stringMatching(/jku/) });
  });

  it('refuses a correctly signed webhook whose signature does not cover X-Tl-Webhook-Timestamp', () => {
    // Prepare
    const { request, jwks } = selfSigned({ signedHeaders: { 'Content-Type': 'application/json' } });
    // Act
    const error = thrownBy(() => verifyTrueLayerWebhook(request, jwks));
    // Assess
    expect(error).toBeInstanceOf(UnauthorizedError);
    expect(error).toMatchObject({ message: expect.stringMatching(/missing required header X-Tl-Webhook-Timestamp/) });
  });

  it.each([
    ['garbage', 'not-a-jws'],
    ['an empty value', ''],
    ['another algorithm', `${base64url(JSON.stringify({ alg: 'HS256', kid: VECTOR_KID, tl_version: '2' }))}..c2ln`],
  ])('refuses a Tl-Signature that is %s as unauthorized, not as a crash', (_, signature) => {
    // Prepare
    const headers = { ...vectorRequest().headers, 'Tl-Signature': signature };
    // Act + Assess
    expect(() => verifyTrueLayerWebhook(vectorRequest({ headers }), VECTOR_JWKS)).toThrow(UnauthorizedError);
  });

  it('refuses headers repeated in two casings as unauthorized', () => {
    // Prepare
    const headers = { ...vectorRequest().headers, 'content-type': 'application/json' };
    // Act + Assess
    expect(() => verifyTrueLayerWebhook(vectorRequest({ headers }), VECTOR_JWKS)).toThrow(UnauthorizedError);
  });
});

describe('readTrueLayerSignatureKey', () => {
  it("reads the vector's jku and kid, so the caller knows which JWKS to fetch", () => {
    // Act + Assess
    expect(readTrueLayerSignatureKey(vectorRequest().headers)).toEqual({ jku: 'https://webhooks.truelayer.com/.well-known/jwks', kid: VECTOR_KID });
  });

  it('refuses a jku outside the allow-list before anything is fetched', () => {
    // Prepare
    const { request } = selfSigned({ jku: 'https://attacker.example/.well-known/jwks' });
    // Act + Assess
    expect(() => readTrueLayerSignatureKey(request.headers)).toThrow(UnauthorizedError);
  });
});
