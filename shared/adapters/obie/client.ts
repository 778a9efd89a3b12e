import { randomUUID } from 'node:crypto';
import * as v from 'valibot';
import { type AuthorisationRequest, BankAccessDenied, type BankTokens } from '../../domain/open-banking/ports';
import type { AspspRegistry, AspspRegistryEntry, TppCredentials } from './configuration';
import { BankSigningKeys } from './bank-keys';
import { ObieBankError, ObieResponseError, ObieTransportError, UnknownAspspError } from './errors';

export { ObieBankError, ObieResponseError, ObieTransportError, UnknownAspspError } from './errors';
import { CLIENT_ASSERTION_TYPE, signClientAssertion, signDetachedJws, verifyDetachedJws, type ConsentScope } from './signing';
import { UndiciObieTransport, type ObieHttpRequest, type ObieHttpResponse, type ObieTransport } from './transport';

/** The registry and the TPP credentials, as one deployment's configuration. */
export interface ObieConfiguration {
  readonly registry: AspspRegistry;
  readonly credentials: TppCredentials;
}

/** Reads the configuration (cached by the source; see obieConfigurationFromEnvironment). */
export type ObieConfigurationSource = () => Promise<ObieConfiguration>;

export interface ObieClientOptions {
  /** Default: the undici transport with mutual TLS. Tests pass a capturing fake. */
  readonly transport?: ObieTransport;
  readonly now?: () => Date;
  /** x-fapi-interaction-id values (uuid). */
  readonly newInteractionId?: () => string;
}

const OBErrorResponseSchema = v.object({
  Code: v.optional(v.string()),
  Errors: v.optional(v.array(v.object({ ErrorCode: v.optional(v.string()) }))),
});
const OAuthErrorSchema = v.object({ error: v.string() });

/** The OB (or OAuth) error codes of an error body; never its messages, which may echo request data. */
const errorCodesOf = (body: string): string[] => {
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    return [];
  }
  const oauth = v.safeParse(OAuthErrorSchema, json);
  if (oauth.success) return [oauth.output.error];
  const ob = v.safeParse(OBErrorResponseSchema, json);
  if (!ob.success) return [];
  const codes = (ob.output.Errors ?? []).map((error) => error.ErrorCode).filter((code): code is string => code !== undefined);
  return codes.length > 0 ? codes : ob.output.Code === undefined ? [] : [ob.output.Code];
};

const TokenResponseSchema = v.object({
  access_token: v.pipe(v.string(), v.minLength(1)),
  token_type: v.pipe(
    v.string(),
    v.check((type) => type.toLowerCase() === 'bearer', 'token_type must be Bearer'),
  ),
  expires_in: v.optional(v.pipe(v.number(), v.integer(), v.minValue(1))),
  refresh_token: v.optional(v.string()),
  scope: v.optional(v.string()),
});

/** A token without `expires_in` is taken to live five minutes (RFC 6749 leaves it to the server's documentation). */
const DEFAULT_TOKEN_SECONDS = 300;
/** A client-credentials token is replaced this long before it expires. */
const TOKEN_REFRESH_MARGIN_MS = 60_000;

export interface ResourceCall {
  readonly operation: string;
  readonly method: 'GET' | 'POST' | 'DELETE';
  /** Relative to the bank's resourceBaseUrl (`/pisp/domestic-payments`), or an absolute URL on the bank (Links.Next). */
  readonly path: string;
  readonly query?: Readonly<Record<string, string>>;
  readonly body?: unknown;
  readonly accessToken: string;
  /** Defaults to a fresh uuid on POST. */
  readonly idempotencyKey?: string;
}

export interface BankContext {
  readonly bank: AspspRegistryEntry;
  readonly credentials: TppCredentials;
}

/**
 * The protocol plumbing every Open Banking call shares: the bank's registry entry, mutual TLS, client
 * authentication (`private_key_jwt`), cached client-credentials tokens, the FAPI headers and the detached JWS of
 * request bodies, and mapping a bank's refusal to {@link BankAccessDenied} or {@link ObieBankError}.
 */
export class ObieClient {
  readonly transport: ObieTransport;
  readonly now: () => Date;
  private readonly newInteractionId: () => string;
  private readonly tokens = new Map<string, { accessToken: string; expiresAtMs: number }>();
  private readonly pendingTokens = new Map<string, Promise<string>>();
  /** The banks' JWKS, cached: response signatures here, event notifications in the verifier. */
  readonly bankKeys: BankSigningKeys;

  constructor(
    private readonly configuration: ObieConfigurationSource,
    options: ObieClientOptions = {},
  ) {
    this.transport = options.transport ?? new UndiciObieTransport();
    this.now = options.now ?? (() => new Date());
    this.newInteractionId = options.newInteractionId ?? randomUUID;
    this.bankKeys = new BankSigningKeys((bank) => this.fetchJwks(bank), { now: this.now });
  }

  /** A bank's JWKS document, over HTTPS without a client certificate. */
  async fetchJwks(bank: AspspRegistryEntry): Promise<unknown> {
    const context = await this.context(bank.id);
    const response = await this.getPublic(context, 'jwks', bank.jwksUri);
    if (response.status !== 200) throw new Error(`Bank ${bank.id} JWKS answered HTTP ${response.status}`);
    try {
      const parsed: unknown = JSON.parse(response.body);
      return parsed;
    } catch (error) {
      throw new Error(`Bank ${bank.id} JWKS is not JSON`, { cause: error });
    }
  }

  async registry(): Promise<AspspRegistry> {
    return (await this.configuration()).registry;
  }

  async context(aspspId: string): Promise<BankContext> {
    const { registry, credentials } = await this.configuration();
    const bank = registry.aspsps.find((entry) => entry.id === aspspId);
    if (bank === undefined) throw new UnknownAspspError(aspspId);
    return { bank, credentials };
  }

  private tlsOf(context: BankContext, clientCertificate: boolean): ObieHttpRequest['tls'] {
    return {
      ...(context.bank.serverCaPem === undefined ? {} : { serverCaPem: context.bank.serverCaPem }),
      ...(clientCertificate ? { clientCertificatePem: context.credentials.transportCertificatePem, clientKeyPem: context.credentials.transportKeyPem } : {}),
    };
  }

  private async send(context: BankContext, request: Omit<ObieHttpRequest, 'aspspId' | 'tls'>, clientCertificate: boolean): Promise<ObieHttpResponse> {
    try {
      return await this.transport.send({ ...request, aspspId: context.bank.id, tls: this.tlsOf(context, clientCertificate) });
    } catch (error) {
      // Network failures: name the bank and operation, keep the cause (it carries no secrets: undici errors name hosts).
      throw new ObieTransportError(context.bank.id, request.operation, error);
    }
  }

  /** A GET without client certificate (the bank's JWKS). */
  async getPublic(context: BankContext, operation: string, url: string): Promise<ObieHttpResponse> {
    return this.send(context, { operation, method: 'GET', url, headers: { accept: 'application/json' } }, false);
  }

  /** The token endpoint: a form POST over mutual TLS with a `private_key_jwt` client assertion. */
  async tokenRequest(context: BankContext, operation: string, grant: Readonly<Record<string, string>>): Promise<v.InferOutput<typeof TokenResponseSchema>> {
    const assertion = await signClientAssertion(context.bank, context.credentials, this.now());
    const body = new URLSearchParams({
      ...grant,
      client_id: context.bank.clientId,
      client_assertion_type: CLIENT_ASSERTION_TYPE,
      client_assertion: assertion,
    }).toString();
    const response = await this.send(
      context,
      {
        operation,
        method: 'POST',
        url: context.bank.tokenEndpoint,
        headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json', 'x-fapi-interaction-id': this.newInteractionId() },
        body,
      },
      true,
    );
    if (response.status < 200 || response.status > 299) {
      const codes = errorCodesOf(response.body);
      // invalid_grant: the code or refresh token is spent, expired or revoked at the bank: access is gone.
      if (response.status === 401 || response.status === 403 || codes.includes('invalid_grant')) {
        throw new BankAccessDenied(`Bank ${context.bank.id} refused ${operation} (HTTP ${response.status}${codes.length === 0 ? '' : `, ${codes.join(', ')}`})`);
      }
      throw new ObieBankError(context.bank.id, operation, response.status, codes);
    }
    return this.parse(context, operation, TokenResponseSchema, response.body);
  }

  /** A client-credentials token for `scope`, cached per bank and scope until shortly before it expires. */
  async clientCredentialsToken(context: BankContext, scope: ConsentScope): Promise<string> {
    const key = `${context.bank.id} ${context.bank.clientId} ${scope}`;
    const cached = this.tokens.get(key);
    if (cached !== undefined && cached.expiresAtMs - TOKEN_REFRESH_MARGIN_MS > this.now().getTime()) return cached.accessToken;
    let pending = this.pendingTokens.get(key);
    if (pending === undefined) {
      pending = (async () => {
        try {
          const token = await this.tokenRequest(context, `token (client_credentials ${scope})`, { grant_type: 'client_credentials', scope });
          this.tokens.set(key, { accessToken: token.access_token, expiresAtMs: this.now().getTime() + (token.expires_in ?? DEFAULT_TOKEN_SECONDS) * 1000 });
          return token.access_token;
        } finally {
          this.pendingTokens.delete(key);
        }
      })();
      this.pendingTokens.set(key, pending);
    }
    return pending;
  }

  /** Forgets a cached client-credentials token (after the bank refused it). */
  forgetClientToken(context: BankContext, scope: ConsentScope): void {
    this.tokens.delete(`${context.bank.id} ${context.bank.clientId} ${scope}`);
  }

  /** Runs `call` with a client-credentials token; if the bank refuses a cached one, forgets it and tries once more. */
  async withClientToken<T>(context: BankContext, scope: ConsentScope, call: (token: string) => Promise<T>): Promise<T> {
    const token = await this.clientCredentialsToken(context, scope);
    try {
      return await call(token);
    } catch (error) {
      if (!(error instanceof BankAccessDenied)) throw error;
      this.forgetClientToken(context, scope);
      const fresh = await this.clientCredentialsToken(context, scope);
      if (fresh === token) throw error;
      return call(fresh);
    }
  }

  /** Bank tokens from a token response: the old refresh token kept when the bank rotates none. */
  /** The authorization-code grant (code, redirect URI and PKCE verifier) for AIS and PIS consents alike. */
  async exchangeCode(aspspId: string, code: string, authorisation: AuthorisationRequest): Promise<BankTokens> {
    const context = await this.context(aspspId);
    const token = await this.tokenRequest(context, 'token (authorization_code)', {
      grant_type: 'authorization_code',
      code,
      redirect_uri: authorisation.redirectUri,
      code_verifier: authorisation.codeVerifier,
    });
    return this.bankTokensOf(token);
  }

  bankTokensOf(token: v.InferOutput<typeof TokenResponseSchema>, previousRefreshToken: string | null = null): BankTokens {
    return {
      accessToken: token.access_token,
      refreshToken: token.refresh_token ?? previousRefreshToken,
      expiresAt: new Date(this.now().getTime() + (token.expires_in ?? DEFAULT_TOKEN_SECONDS) * 1000).toISOString(),
    };
  }

  /** A resource call (AIS, PIS, events) over mutual TLS with the FAPI headers; returns the parsed JSON body, or null for 204. */
  async resource(context: BankContext, call: ResourceCall): Promise<unknown> {
    const absolute = /^https?:\/\//.test(call.path);
    const base = context.bank.resourceBaseUrl.replace(/\/$/, '');
    const url = new URL(absolute ? call.path : `${base}${call.path}`);
    // A link the bank gave (Links.Next) must stay on the bank's resource server: its token never goes elsewhere.
    if (absolute && url.origin !== new URL(base).origin) throw new ObieResponseError(context.bank.id, call.operation, `link to ${url.origin} is not on the bank's resource server`);
    for (const [name, value] of Object.entries(call.query ?? {})) url.searchParams.set(name, value);
    const headers: Record<string, string> = {
      authorization: `Bearer ${call.accessToken}`,
      accept: 'application/json',
      'x-fapi-interaction-id': this.newInteractionId(),
    };
    if (context.bank.financialId !== undefined) headers['x-fapi-financial-id'] = context.bank.financialId;
    let body: string | undefined;
    if (call.body !== undefined) {
      body = JSON.stringify(call.body);
      headers['content-type'] = 'application/json; charset=utf-8';
      headers['x-jws-signature'] = await signDetachedJws(body, context.credentials, this.now());
    }
    if (call.method === 'POST') headers['x-idempotency-key'] = call.idempotencyKey ?? randomUUID();
    const response = await this.send(context, { operation: call.operation, method: call.method, url: url.toString(), headers, ...(body === undefined ? {} : { body }) }, true);
    if (response.status === 401 || response.status === 403) {
      const codes = errorCodesOf(response.body);
      throw new BankAccessDenied(`Bank ${context.bank.id} refused ${call.operation} (HTTP ${response.status}${codes.length === 0 ? '' : `, ${codes.join(', ')}`})`);
    }
    if (response.status < 200 || response.status > 299) throw new ObieBankError(context.bank.id, call.operation, response.status, errorCodesOf(response.body));
    if (response.status === 204 || response.body.trim() === '') return null;
    const signature = response.headers['x-jws-signature'];
    if (signature !== undefined) {
      // The bank signed its answer: it must verify against the bank's published keys over these exact bytes.
      try {
        await this.bankKeys.withKeys(context.bank, (keys) => verifyDetachedJws(signature, response.body, keys));
      } catch (error) {
        throw new ObieResponseError(context.bank.id, call.operation, `x-jws-signature does not verify (${error instanceof Error ? error.message : 'invalid'})`, { cause: error });
      }
    }
    try {
      const parsed: unknown = JSON.parse(response.body);
      return parsed;
    } catch (error) {
      throw new ObieResponseError(context.bank.id, call.operation, 'not JSON', { cause: error });
    }
  }

  /** Validates a bank's JSON body with a valibot schema, naming the first problem's path (never the values). */
  parse<TSchema extends v.GenericSchema>(context: BankContext, operation: string, schema: TSchema, body: unknown): v.InferOutput<TSchema> {
    let json: unknown = body;
    if (typeof body === 'string') {
      try {
        json = JSON.parse(body);
      } catch (error) {
        throw new ObieResponseError(context.bank.id, operation, 'not JSON', { cause: error });
      }
    }
    const result = v.safeParse(schema, json);
    if (!result.success) {
      const issue = result.issues[0];
      throw new ObieResponseError(context.bank.id, operation, `${v.getDotPath(issue) ?? '(root)'}: ${issue.message}`);
    }
    return result.output;
  }
}
