import { readFileSync } from 'node:fs';
import { exportJWK, generateKeyPair, jwtVerify, createLocalJWKSet, type JSONWebKeySet, type JWK } from 'jose';
import { ObieSpecValidator, type ObieVersion } from '../../../../infra/local/obie/spec-validator';
import type { ObieConfiguration } from '../../../../shared/adapters/obie/client';
import type { AspspRegistryEntry, TppCredentials } from '../../../../shared/adapters/obie/configuration';
import type { ObieHttpRequest, ObieHttpResponse, ObieTransport } from '../../../../shared/adapters/obie/transport';

/** Test keys, banks and a fake bank transport that holds every request to its version's official OpenAPI file. */

export const fixture = (relative: string): unknown => JSON.parse(readFileSync(new URL(`../../../fixtures/obie/${relative}`, import.meta.url), 'utf8'));

export interface KeyPair {
  readonly privateJwk: JWK & { kid: string };
  readonly publicJwk: JWK & { kid: string };
}

export const newKeyPair = async (kid: string): Promise<KeyPair> => {
  const { privateKey, publicKey } = await generateKeyPair('PS256', { extractable: true });
  return {
    privateJwk: { ...(await exportJWK(privateKey)), kid, alg: 'PS256' },
    publicJwk: { ...(await exportJWK(publicKey)), kid, alg: 'PS256', use: 'sig' },
  };
};

export const bankEntry = (id: string, version: ObieVersion): AspspRegistryEntry => {
  const host = `https://${id}.bank.test`;
  return {
    id,
    name: `Bank ${id}`,
    apiVersion: version,
    issuer: `${host}/issuer`,
    authorizationEndpoint: `http://${id}.bank.test/authorize`,
    tokenEndpoint: `${host}/token`,
    jwksUri: `${host}/jwks`,
    resourceBaseUrl: `${host}/open-banking/${version === 'v3.1.11' ? 'v3.1' : 'v4.0'}`,
    aggregatedPolling: version === 'v3.1.11',
    clientId: `settled-at-${id}`,
    ...(version === 'v3.1.11' ? { financialId: '0015800001041REAAY' } : {}),
    serverCaPem: '-----BEGIN CERTIFICATE-----\nbank-ca\n-----END CERTIFICATE-----\n',
  };
};

export const V3_BANK = bankEntry('bank-v3', 'v3.1.11');
export const V4_BANK = bankEntry('bank-v4', 'v4.0');
export const BANKS = [V3_BANK, V4_BANK] as const;

export const credentialsWith = (signing: KeyPair): TppCredentials => {
  const { kid, n, e, d } = signing.privateJwk;
  if (n === undefined || e === undefined || d === undefined) throw new Error('an RSA private key has n, e and d');
  return {
    organisationId: '0015800001ZEZ1AAO',
    softwareId: 'settled-software',
    signingKey: { ...signing.privateJwk, kty: 'RSA', kid, n, e, d },
    transportCertificatePem: '-----BEGIN CERTIFICATE-----\ntransport\n-----END CERTIFICATE-----\n',
    transportKeyPem: '-----BEGIN PRIVATE KEY-----\ntransport\n-----END PRIVATE KEY-----\n',
  };
};

export const configurationWith = (signing: KeyPair, banks: readonly AspspRegistryEntry[] = BANKS): ObieConfiguration => ({
  registry: { aspsps: [...banks] },
  credentials: credentialsWith(signing),
});

const validators = new Map<ObieVersion, Promise<ObieSpecValidator>>();
export const validatorFor = (version: ObieVersion): Promise<ObieSpecValidator> => {
  let validator = validators.get(version);
  if (validator === undefined) {
    validator = ObieSpecValidator.load(version);
    validators.set(version, validator);
  }
  return validator;
};

export interface CapturedRequest {
  readonly request: ObieHttpRequest;
  readonly bank: AspspRegistryEntry;
  /** The operation the request routed to in its version's spec (resource calls), `token` or `jwks`. */
  readonly operationId: string;
  readonly url: URL;
  readonly json: unknown;
  readonly form: URLSearchParams | undefined;
}

export interface CannedAnswer {
  readonly status: number;
  readonly body?: unknown;
  /** Skip the response-schema check (error bodies the test invents on purpose). */
  readonly unchecked?: boolean;
  /** Extra response headers; `x-jws-signature` may be a function of the exact body text. */
  readonly headers?: Readonly<Record<string, string | ((body: string) => Promise<string>)>>;
}

export type Responder = (captured: CapturedRequest) => CannedAnswer | undefined;

/**
 * A fake of every configured bank at once: records each request, validates every resource request against the
 * official OpenAPI file of the bank's version (and every canned response against the response schema), and throws
 * on the first violation, so a test cannot pass with a request a real bank would refuse. Token requests are
 * answered with fresh tokens unless a responder says otherwise.
 */
export class SpecCheckingBanks implements ObieTransport {
  readonly captured: CapturedRequest[] = [];
  readonly violations: string[] = [];
  private readonly responders: Responder[] = [];
  private tokenCounter = 0;

  constructor(private readonly banks: readonly AspspRegistryEntry[] = BANKS) {}

  /** The latest responder that answers wins. */
  on(responder: Responder): this {
    this.responders.unshift(responder);
    return this;
  }

  requestsTo(operationId: string): CapturedRequest[] {
    return this.captured.filter((captured) => captured.operationId === operationId);
  }

  async send(request: ObieHttpRequest): Promise<ObieHttpResponse> {
    const bank = this.banks.find((candidate) => candidate.id === request.aspspId);
    if (bank === undefined) throw new Error(`request to unknown bank ${request.aspspId}`);
    const url = new URL(request.url);
    const isToken = request.url === bank.tokenEndpoint;
    const isJwks = request.url === bank.jwksUri;
    let operationId: string;
    let json: unknown;
    let form: URLSearchParams | undefined;
    const validator = await validatorFor(bank.apiVersion);
    if (isToken) {
      operationId = 'token';
      form = new URLSearchParams(request.body ?? '');
    } else if (isJwks) {
      operationId = 'jwks';
    } else {
      json = request.body === undefined ? undefined : JSON.parse(request.body);
      const query: Record<string, string> = {};
      for (const [name, value] of url.searchParams) query[name] = value;
      const validation = validator.validateRequest({ method: request.method, path: url.pathname, query, headers: request.headers, ...(json === undefined ? {} : { body: json }) });
      if (validation.violations.length > 0 || validation.operationId === undefined) {
        this.violations.push(...validation.violations);
        throw new Error(`request violates the ${bank.apiVersion} spec:\n${validation.violations.join('\n')}`);
      }
      operationId = validation.operationId;
    }
    const captured: CapturedRequest = { request, bank, operationId, url, json, form };
    this.captured.push(captured);
    let answer: CannedAnswer | undefined;
    for (const responder of this.responders) {
      answer = responder(captured);
      if (answer !== undefined) break;
    }
    if (answer === undefined && isToken) {
      this.tokenCounter += 1;
      answer = { status: 200, body: { access_token: `access-${this.tokenCounter}`, token_type: 'Bearer', expires_in: 300, refresh_token: `refresh-${this.tokenCounter}`, scope: form?.get('scope') ?? 'openid' } };
    }
    if (answer === undefined) throw new Error(`no canned answer for ${operationId} at ${bank.id}`);
    if (!isToken && !isJwks && answer.unchecked !== true && answer.body !== undefined) {
      const responseViolations = validator.validateResponse(operationId, answer.status, answer.body);
      if (responseViolations.length > 0) {
        this.violations.push(...responseViolations);
        throw new Error(`canned response violates the ${bank.apiVersion} spec:\n${responseViolations.join('\n')}`);
      }
    }
    const text = answer.body === undefined ? '' : JSON.stringify(answer.body);
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    for (const [name, value] of Object.entries(answer.headers ?? {})) headers[name] = typeof value === 'string' ? value : await value(text);
    return { status: answer.status, headers, body: text };
  }
}

/** Verifies a JWT the adapter signed with the TPP key's public half. */
export const NOW = new Date('2026-11-30T10:00:00.000Z');

export const verifyTppJwt = async (jwt: string, signing: KeyPair, options: { audience: string; issuer: string }) => {
  const jwks: JSONWebKeySet = { keys: [signing.publicJwk] };
  return jwtVerify(jwt, createLocalJWKSet(jwks), { algorithms: ['PS256'], currentDate: NOW, ...options });
};
