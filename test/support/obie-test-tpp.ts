import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { type CryptoKey, FlattenedSign, type JWK, SignJWT, createLocalJWKSet, flattenedVerify, base64url, importJWK } from 'jose';
import { Agent, fetch as undiciFetch } from 'undici';
import * as v from 'valibot';
import { expect } from 'vitest';
import type { AspspRegistryEntry } from '../../shared/adapters/obie/configuration';
import type { MockBanks } from '../../infra/local/obie/mock-banks';

/**
 * A minimal TPP for driving the mock Open Banking banks over the wire (undici + jose), not Settled's adapter: the
 * mock banks' own tests and the VRP tests both drive the banks with it.
 */
export const JsonObject = v.record(v.string(), v.unknown());
export type Json = v.InferOutput<typeof JsonObject>;
export const TokenSchema = v.object({ access_token: v.string(), token_type: v.literal('Bearer'), expires_in: v.number(), scope: v.string(), refresh_token: v.optional(v.string()) });
const TransactionView = v.object({
  transactionId: v.string(),
  status: v.picklist(['pending', 'booked']),
  creditDebit: v.picklist(['Credit', 'Debit']),
  amount: v.string(),
  reference: v.string(),
  fasterPaymentsId: v.string(),
  endToEndIdentification: v.string(),
});
export const AccountView = v.object({
  accountId: v.string(),
  sortCode: v.string(),
  accountNumber: v.string(),
  balance: v.object({ booked: v.string(), available: v.string() }),
  transactions: v.array(TransactionView),
});
export type AccountView = v.InferOutput<typeof AccountView>;

export const at = (value: unknown, ...path: (string | number)[]): unknown => {
  let current = value;
  for (const key of path) {
    if (typeof key === 'number') current = Array.isArray(current) ? current[key] : undefined;
    else current = current !== null && typeof current === 'object' && !Array.isArray(current) ? new Map(Object.entries(current)).get(key) : undefined;
  }
  return current;
};

export const waitUntil = async <T>(probe: () => Promise<T | undefined>, what: string, timeoutMs = 4000): Promise<T> => {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const value = await probe();
    if (value !== undefined) return value;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error(`timed out waiting for ${what}`);
};

/** Settled's side of the wire, as little of it as the specs require. */
export class TestTpp {
  readonly agent: Agent;
  readonly anonymousAgent: Agent;
  constructor(
    private readonly banks: MockBanks,
    readonly entry: AspspRegistryEntry,
  ) {
    const ca = entry.serverCaPem ?? '';
    this.agent = new Agent({ connect: { ca, cert: banks.credentials.transportCertificatePem, key: banks.credentials.transportKeyPem } });
    this.anonymousAgent = new Agent({ connect: { ca } });
  }

  private async key(): Promise<CryptoKey> {
    const key = await importJWK(this.banks.credentials.signingKey, 'PS256');
    if (key instanceof Uint8Array) throw new Error('symmetric key');
    return key;
  }

  get kid(): string {
    return this.banks.credentials.signingKey.kid;
  }

  async jwsSignature(body: string): Promise<string> {
    const jws = await new FlattenedSign(new TextEncoder().encode(body))
      .setProtectedHeader({
        alg: 'PS256',
        kid: this.kid,
        typ: 'JOSE',
        cty: 'application/json',
        'http://openbanking.org.uk/iat': Math.floor(Date.now() / 1000),
        'http://openbanking.org.uk/iss': `${this.banks.credentials.organisationId}/${this.banks.credentials.softwareId}`,
        'http://openbanking.org.uk/tan': 'openbanking.org.uk',
        crit: ['http://openbanking.org.uk/iat', 'http://openbanking.org.uk/iss', 'http://openbanking.org.uk/tan'],
      })
      .sign(await this.key(), { crit: { 'http://openbanking.org.uk/iat': true, 'http://openbanking.org.uk/iss': true, 'http://openbanking.org.uk/tan': true } });
    return `${jws.protected ?? ''}..${jws.signature}`;
  }

  async token(form: Record<string, string>, agent = this.agent): Promise<{ status: number; body: unknown }> {
    const assertion = await new SignJWT({})
      .setProtectedHeader({ alg: 'PS256', kid: this.kid })
      .setIssuer(this.entry.clientId)
      .setSubject(this.entry.clientId)
      .setAudience(this.entry.tokenEndpoint)
      .setJti(randomUUID())
      .setIssuedAt()
      .setExpirationTime('2m')
      .sign(await this.key());
    const response = await undiciFetch(this.entry.tokenEndpoint, {
      method: 'POST',
      dispatcher: agent,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ ...form, client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer', client_assertion: assertion }).toString(),
    });
    const text = await response.text();
    return { status: response.status, body: text === '' ? undefined : JSON.parse(text) };
  }

  async clientToken(scope: 'accounts' | 'payments'): Promise<string> {
    const answer = await this.token({ grant_type: 'client_credentials', scope });
    return v.parse(TokenSchema, answer.body).access_token;
  }

  async call(
    method: string,
    path: string,
    options: { token?: string; body?: unknown; signature?: string | false; idempotencyKey?: string; agent?: Agent; rawBody?: string } = {},
  ): Promise<{ status: number; body: Json | undefined; headers: { get(name: string): string | null }; text: string }> {
    const text = options.rawBody ?? (options.body === undefined ? undefined : JSON.stringify(options.body));
    const headers: Record<string, string> = { accept: 'application/json', 'x-fapi-interaction-id': randomUUID() };
    if (options.token !== undefined) headers.authorization = `Bearer ${options.token}`;
    if (text !== undefined) headers['content-type'] = 'application/json';
    if (text !== undefined && options.signature !== false) headers['x-jws-signature'] = options.signature ?? (await this.jwsSignature(text));
    if (options.idempotencyKey !== undefined) headers['x-idempotency-key'] = options.idempotencyKey;
    const response = await undiciFetch(path.startsWith('https://') ? path : `${this.entry.resourceBaseUrl}${path}`, {
      method,
      dispatcher: options.agent ?? this.agent,
      headers,
      ...(text === undefined ? {} : { body: text }),
    });
    const responseText = await response.text();
    const parsed: unknown = responseText === '' ? undefined : JSON.parse(responseText);
    return { status: response.status, body: parsed === undefined ? undefined : v.parse(JsonObject, parsed), headers: response.headers, text: responseText };
  }

  /** Builds the authorisation URL with a signed request object, as Settled's adapter does. */
  async authorisationUrl(consentId: string, scope: 'accounts' | 'payments', redirectUri: string): Promise<{ url: string; state: string; verifier: string }> {
    const state = randomUUID();
    const verifier = randomBytes(32).toString('base64url');
    const parameters = {
      client_id: this.entry.clientId,
      response_type: 'code',
      scope: `openid ${scope}`,
      redirect_uri: redirectUri,
      state,
      nonce: randomUUID(),
      code_challenge: createHash('sha256').update(verifier).digest('base64url'),
      code_challenge_method: 'S256',
    };
    const request = await new SignJWT({ ...parameters, claims: { id_token: { openbanking_intent_id: { value: consentId, essential: true } } } })
      .setProtectedHeader({ alg: 'PS256', kid: this.kid, typ: 'oauth-authz-req+jwt' })
      .setIssuer(this.entry.clientId)
      .setAudience(this.entry.issuer)
      .setIssuedAt()
      .setExpirationTime('10m')
      .sign(await this.key());
    const url = new URL(this.entry.authorizationEndpoint);
    for (const [name, value] of Object.entries({ ...parameters, request })) url.searchParams.set(name, value);
    return { url: url.toString(), state, verifier };
  }

  /** The PSU approves on the bank's page (JSON POST); returns the tokens for the consent. */
  async authorise(consentId: string, scope: 'accounts' | 'payments', redirectUri: string, account?: { sortCode: string; accountNumber: string }): Promise<v.InferOutput<typeof TokenSchema>> {
    const { url, state, verifier } = await this.authorisationUrl(consentId, scope, redirectUri);
    const decision = await fetch(url, { method: 'POST', redirect: 'manual', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ outcome: 'approve', ...account }) });
    expect(decision.status).toBe(303);
    const back = new URL(decision.headers.get('location') ?? '');
    expect(back.searchParams.get('state')).toBe(state);
    const code = back.searchParams.get('code') ?? '';
    const answer = await this.token({ grant_type: 'authorization_code', code, redirect_uri: redirectUri, code_verifier: verifier });
    expect(answer.status).toBe(200);
    return v.parse(TokenSchema, answer.body);
  }

  async jwks(): Promise<{ keys: JWK[] }> {
    const response = await undiciFetch(this.entry.jwksUri, { dispatcher: this.anonymousAgent });
    return v.parse(v.object({ keys: v.array(v.looseObject({ kty: v.string() })) }), await response.json());
  }

  /** Checks a bank response's x-jws-signature over the exact body with the bank's published key. */
  async verifyResponseSignature(text: string, signature: string | null): Promise<void> {
    const [protectedHeader = '', , sig = ''] = (signature ?? '').split('.');
    await flattenedVerify({ protected: protectedHeader, payload: base64url.encode(text), signature: sig }, createLocalJWKSet(await this.jwks()), {
      crit: { 'http://openbanking.org.uk/iat': true, 'http://openbanking.org.uk/iss': true, 'http://openbanking.org.uk/tan': true },
    });
  }
}

export const control = async (url: string, method = 'GET', body?: unknown): Promise<{ status: number; body: unknown }> => {
  const response = await fetch(url, { method, ...(body === undefined ? {} : { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }) });
  return { status: response.status, body: await response.json() };
};

export const openAccount = async (banks: MockBanks, bankId: string, name: string, balance: string): Promise<AccountView> => {
  const bank = banks.banks.find((b) => b.id === bankId);
  const answer = await control(`${bank?.controlUrl ?? ''}/accounts`, 'POST', { name, balance });
  expect(answer.status).toBe(201);
  return v.parse(AccountView, answer.body);
};

export const readAccount = async (banks: MockBanks, bankId: string, accountId: string): Promise<AccountView> => {
  const bank = banks.banks.find((b) => b.id === bankId);
  return v.parse(AccountView, (await control(`${bank?.controlUrl ?? ''}/accounts/${accountId}`)).body);
};


/** The next file payment submitted to `bankId` is rejected whole with `reasonCode` (the bank's `/_mock/file-payments/reject-next`). */
export const rejectNextFile = async (banks: MockBanks, bankId: string, reasonCode: string, description?: string): Promise<void> => {
  const bank = banks.banks.find((b) => b.id === bankId);
  const answer = await control(`${bank?.controlUrl ?? ''}/file-payments/reject-next`, 'POST', { reasonCode, ...(description === undefined ? {} : { description }) });
  expect(answer.status).toBe(200);
};
