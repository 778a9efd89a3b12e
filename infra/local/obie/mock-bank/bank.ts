import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { type IncomingMessage, type Server, type ServerResponse, createServer as createHttpServer } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { TLSSocket } from 'node:tls';
import { jwtVerify } from 'jose';
import { ValidationError } from '../../../../shared/domain/errors';
import { parseBankAmount } from '../../../../shared/domain/money';
import { mangleReference } from '../../../../shared/adapters/sandbox-bank/behaviour';
import type { ObieSpecValidator, ObieVersion } from '../spec-validator';
import { serveAuthorise, type AuthorisingBank } from './authorisation';
import { type ControlledBank, serveControl } from './controls';
import { closeServer, headerValue, listenOn, queryRecord, readBody, sendJson, sendText } from './http';
import { JwsRejected, type SigningKey, signDetached, signJwt, verifyDetached } from './jws';
import { publicJwk, type SigningJwk } from './pki';
import { type FasterPaymentsScheme, type SchemeMember, submitToScheme } from './scheme';
import { isVrpOperation, MockVrpApi, type VrpHost } from './vrp';
import { type FileHost, isFileOperation, MockFilePaymentsApi } from './file-payments';
import type { BankState, StoredAccessToken, StoredAccount, StoredConsent, StoredPayment } from './state';
import {
  type ObErrorCode,
  type ObErrorDetail,
  SORT_CODE_SCHEME,
  accountJson,
  balancesJson,
  consentPermissions,
  consentStatus,
  errorJson,
  pathVersion,
  paymentStatus,
  sortCodeAccount,
  transactionJson,
} from './wire';

/** How a bank shows a payer's reference to its customer. */
export const REFERENCE_STYLES = ['as-sent', 'upper-case', 'uk-realistic'] as const;
export type ReferenceStyle = (typeof REFERENCE_STYLES)[number];

export interface BankProfile {
  readonly id: string;
  readonly name: string;
  readonly apiVersion: ObieVersion;
  /** The first four digits of every sort code this bank owns. */
  readonly sortCodePrefix: string;
  /** Push event notifications to the TPP (else queue them for aggregated polling). */
  readonly pushNotifications: boolean;
  readonly referenceStyle: ReferenceStyle;
  /** Most transactions this bank accepts in one file payment (file-payments.ts). */
  readonly fileTransactionLimit: number;
}

/** Settled as registered at the bank (pre-provisioned, no DCR). */
export interface ClientRegistration {
  readonly clientId: string;
  /** `http://openbanking.org.uk/iss` of its x-jws-signature: `${organisationId}/${softwareId}`. */
  readonly jwsIssuer: string;
  readonly signingKid: string;
  readonly signingKey: SigningKey;
  /** DER (base64) of its transport certificate. */
  readonly transportCertificateDer: string;
  readonly redirectUris: readonly string[];
  readonly notificationUrl: string;
}

export interface MockBankDependencies {
  readonly profile: BankProfile;
  readonly state: BankState;
  readonly save: () => void;
  readonly scheme: FasterPaymentsScheme;
  readonly validator: ObieSpecValidator;
  readonly recordViolation: (message: string) => void;
  readonly tls: { readonly certificatePem: string; readonly keyPem: string; readonly caPem: string };
  readonly signingJwk: SigningJwk;
  readonly signingKey: SigningKey;
  readonly client: ClientRegistration;
  readonly host: string;
  readonly accessTokenTtlSeconds: number;
  readonly pageSize: number;
  readonly notificationRetryDelaysMs: readonly number[];
}

const CLIENT_ASSERTION_TYPE = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';
const EVENT_RESOURCE_UPDATE = 'urn:uk:org:openbanking:events:resource-update';
const EVENT_CONSENT_REVOKED = 'urn:uk:org:openbanking:events:consent-authorization-revoked';
const SUBJECT_TYPE = 'http://openbanking.org.uk/rid_http://openbanking.org.uk/rty';

const isRecord = (value: unknown): value is Record<string, unknown> => value !== null && typeof value === 'object' && !Array.isArray(value);
const recordOf = (value: unknown): Record<string, unknown> => (isRecord(value) ? value : {});
const stringOf = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);
const opaque = (): string => randomBytes(32).toString('base64url');
const sha256 = (text: string): string => createHash('sha256').update(text).digest('base64url');

/** JSON with object keys sorted, so two equal documents compare equal whatever their key order. */
const canonical = (value: unknown): string => {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (isRecord(value)) return `{${Object.keys(value).sort().map((key) => `${JSON.stringify(key)}:${canonical(value[key])}`).join(',')}}`;
  return JSON.stringify(value);
};

/** A refusal in the OB error shape (401 has no body in the specs). `violation`: the client broke a rule. */
class ObError extends Error {
  constructor(
    readonly status: number,
    readonly details: readonly ObErrorDetail[],
    readonly violation: boolean,
  ) {
    super(details.map((d) => d.message).join('; '));
    this.name = 'ObError';
  }
}
const obError = (status: number, code: ObErrorCode, message: string, violation: boolean, path?: string): ObError =>
  new ObError(status, [{ code, message, ...(path === undefined ? {} : { path }) }], violation);

/** An OAuth error at the token endpoint (RFC 6749 §5.2). */
class OAuthError extends Error {
  constructor(
    readonly status: number,
    readonly error: string,
    readonly description: string,
    readonly violation: boolean,
  ) {
    super(description);
    this.name = 'OAuthError';
  }
}

interface Reply {
  readonly status: number;
  readonly body?: unknown;
}

/**
 * One mock ASPSP: an HTTPS server (mutual TLS on the token and resource endpoints) speaking one Open Banking UK
 * version, held to its official OpenAPI file in both directions, and a plain HTTP server for the PSU's
 * authorisation page and the test controls under `/_mock/`.
 */
export class MockBank implements SchemeMember, ControlledBank, AuthorisingBank, VrpHost, FileHost {
  private readonly https: Server;
  private readonly http: Server;
  private httpsPort = 0;
  private httpPort = 0;
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly seenAssertionIds = new Map<string, number>();
  private stopping = false;
  private readonly vrp = new MockVrpApi(this);
  private readonly files = new MockFilePaymentsApi(this);

  constructor(private readonly deps: MockBankDependencies) {
    this.https = createHttpsServer(
      { key: deps.tls.keyPem, cert: deps.tls.certificatePem, ca: [deps.tls.caPem], requestCert: true, rejectUnauthorized: false },
      (request, response) => void this.serveHttps(request, response),
    );
    this.http = createHttpServer((request, response) => void this.serveHttp(request, response));
  }

  get id(): string {
    return this.deps.profile.id;
  }
  get name(): string {
    return this.deps.profile.name;
  }
  get apiVersion(): ObieVersion {
    return this.deps.profile.apiVersion;
  }
  get issuer(): string {
    return `https://${this.deps.host}:${this.httpsPort}`;
  }
  get tokenEndpoint(): string {
    return `${this.issuer}/token`;
  }
  get jwksUri(): string {
    return `${this.issuer}/jwks`;
  }
  get resourceBaseUrl(): string {
    return `${this.issuer}/open-banking/${pathVersion(this.apiVersion)}`;
  }
  get authorizationEndpoint(): string {
    return `http://${this.deps.host}:${this.httpPort}/authorize`;
  }
  get controlUrl(): string {
    return `http://${this.deps.host}:${this.httpPort}/_mock`;
  }
  get client(): ClientRegistration {
    return this.deps.client;
  }
  get state(): BankState {
    return this.deps.state;
  }
  get scheme(): FasterPaymentsScheme {
    return this.deps.scheme;
  }
  get fileTransactionLimit(): number {
    return this.deps.profile.fileTransactionLimit;
  }
  get offersAggregatedPolling(): boolean {
    return !this.deps.profile.pushNotifications;
  }
  get ports(): { https: number; http: number } {
    return { https: this.httpsPort, http: this.httpPort };
  }

  async listen(ports: { https: number; http: number } | undefined): Promise<void> {
    this.httpsPort = await listenOn(this.https, this.deps.host, ports?.https);
    this.httpPort = await listenOn(this.http, this.deps.host, ports?.http);
  }

  async stop(): Promise<void> {
    this.stopping = true;
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    await Promise.all([closeServer(this.https), closeServer(this.http)]);
  }

  // ---- scheme member ----

  ownsSortCode(sortCode: string): boolean {
    return sortCode.startsWith(this.deps.profile.sortCodePrefix);
  }

  showReference(reference: string): string {
    switch (this.deps.profile.referenceStyle) {
      case 'as-sent':
        return reference;
      case 'upper-case':
        return reference.toUpperCase();
      case 'uk-realistic':
        return mangleReference(reference);
    }
  }

  transactionsChanged(accountId: string): void {
    const clients = new Set(
      Object.values(this.deps.state.consents)
        .filter((c) => c.kind === 'account-access' && c.status === 'authorised' && c.accountIds.includes(accountId) && !this.expired(c))
        .map((c) => c.clientId),
    );
    for (const clientId of clients) void this.notify(clientId, EVENT_RESOURCE_UPDATE, 'transactions', accountId, `${this.resourceBaseUrl}/aisp/accounts/${accountId}/transactions`);
  }

  paymentChanged(domesticPaymentId: string): void {
    const payment = this.deps.state.payments[domesticPaymentId];
    // A file item has no resource of its own: the file's status and report file follow its items (file-payments.ts).
    if (payment === undefined || payment.kind === 'file-item') return;
    if (payment.kind === 'domestic-vrp') {
      void this.notify(payment.clientId, EVENT_RESOURCE_UPDATE, 'domestic-vrp', domesticPaymentId, `${this.resourceBaseUrl}/pisp/domestic-vrps/${domesticPaymentId}`);
      return;
    }
    void this.notify(payment.clientId, EVENT_RESOURCE_UPDATE, 'domestic-payment', domesticPaymentId, `${this.resourceBaseUrl}/pisp/domestic-payments/${domesticPaymentId}`);
  }

  // ---- accounts ----

  openAccount(name: string, balanceMinor: number, accountNumber?: string): StoredAccount {
    const state = this.deps.state;
    state.accountCount += 1;
    const sortCode = `${this.deps.profile.sortCodePrefix}00`;
    const number = accountNumber ?? `${this.deps.profile.sortCodePrefix.slice(-1)}${String(state.accountCount).padStart(7, '0')}`;
    if (this.findAccount(sortCode, number) !== undefined) throw new ValidationError(`account ${sortCode} ${number} already exists`);
    const account: StoredAccount = {
      accountId: `acc-${randomUUID()}`,
      sortCode,
      accountNumber: number,
      name,
      currency: 'GBP',
      bookedMinor: balanceMinor,
      openedAt: new Date().toISOString(),
      transactions: [],
    };
    state.accounts[account.accountId] = account;
    this.deps.save();
    return account;
  }

  newCustomerName(): string {
    this.deps.state.customerCount += 1;
    return `Mock Customer ${this.deps.state.customerCount}`;
  }

  revokeAtBank(consent: StoredConsent): void {
    this.revoke(consent);
    void this.notify(consent.clientId, EVENT_CONSENT_REVOKED, 'account-access-consent', consent.consentId, `${this.resourceBaseUrl}/aisp/account-access-consents/${consent.consentId}`);
  }

  findAccount(sortCode: string, accountNumber: string): StoredAccount | undefined {
    return Object.values(this.deps.state.accounts).find((a) => a.sortCode === sortCode && a.accountNumber === accountNumber);
  }

  // ---- HTTPS: discovery, token, resources ----

  private async serveHttps(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = new URL(request.url ?? '/', this.issuer);
    const interactionId = headerValue(request, 'x-fapi-interaction-id') ?? randomUUID();
    try {
      if (request.method === 'GET' && url.pathname === '/.well-known/openid-configuration') {
        sendJson(response, 200, this.discovery());
        return;
      }
      if (request.method === 'GET' && url.pathname === '/jwks') {
        sendJson(response, 200, { keys: [publicJwk(this.deps.signingJwk)] });
        return;
      }
      const transportProblem = this.transportProblem(request);
      if (transportProblem !== undefined) {
        this.violation(`mTLS ${request.method ?? ''} ${url.pathname}: ${transportProblem}`);
        response.writeHead(401, { 'x-fapi-interaction-id': interactionId }).end();
        return;
      }
      const rawBody = await readBody(request);
      if (request.method === 'POST' && url.pathname === '/token') {
        await this.serveToken(rawBody, response);
        return;
      }
      if (url.pathname.startsWith(`${new URL(this.resourceBaseUrl).pathname}/`)) {
        await this.serveResource(request, url, rawBody, interactionId, response);
        return;
      }
      response.writeHead(404, { 'x-fapi-interaction-id': interactionId }).end();
    } catch (error) {
      const message = error instanceof Error ? error.message : 'unexpected error';
      this.violation(`mock bank bug: 500 on ${request.method ?? ''} ${url.pathname}: ${message}`);
      if (!response.headersSent) sendJson(response, 500, errorJson(this.apiVersion, 500, interactionId, [{ code: 'UK.OBIE.UnexpectedError', message }]));
    }
  }

  private discovery(): Record<string, unknown> {
    return {
      issuer: this.issuer,
      authorization_endpoint: this.authorizationEndpoint,
      token_endpoint: this.tokenEndpoint,
      jwks_uri: this.jwksUri,
      response_types_supported: ['code'],
      response_modes_supported: ['query'],
      grant_types_supported: ['client_credentials', 'authorization_code', 'refresh_token'],
      scopes_supported: ['openid', 'accounts', 'payments'],
      token_endpoint_auth_methods_supported: ['private_key_jwt'],
      token_endpoint_auth_signing_alg_values_supported: ['PS256'],
      request_object_signing_alg_values_supported: ['PS256'],
      request_parameter_supported: true,
      code_challenge_methods_supported: ['S256'],
      claims_parameter_supported: true,
      tls_client_certificate_bound_access_tokens: true,
    };
  }

  private transportProblem(request: IncomingMessage): string | undefined {
    const socket = request.socket;
    if (!(socket instanceof TLSSocket)) return 'not a TLS connection';
    const certificate = socket.getPeerCertificate();
    if (certificate === null || Object.keys(certificate).length === 0) return 'no client certificate';
    if (!socket.authorized) return `client certificate not trusted (${String(socket.authorizationError)})`;
    if (certificate.raw.toString('base64') !== this.deps.client.transportCertificateDer) return 'client certificate is not a registered transport certificate';
    return undefined;
  }

  violation(message: string): void {
    this.deps.recordViolation(`${this.id}: ${message}`);
  }

  save(): void {
    this.deps.save();
  }

  // ---- token endpoint ----

  private async serveToken(rawBody: string, response: ServerResponse): Promise<void> {
    try {
      const form = new URLSearchParams(rawBody);
      const clientId = await this.authenticateClient(form);
      const grant = form.get('grant_type');
      const issued =
        grant === 'client_credentials'
          ? this.clientCredentials(clientId, form)
          : grant === 'authorization_code'
            ? this.authorizationCode(clientId, form)
            : grant === 'refresh_token'
              ? this.refresh(clientId, form)
              : undefined;
      if (issued === undefined) throw new OAuthError(400, 'unsupported_grant_type', `grant_type ${grant ?? '(none)'} is not supported`, true);
      this.deps.save();
      sendJson(response, 200, issued, { 'cache-control': 'no-store', pragma: 'no-cache' });
    } catch (error) {
      if (!(error instanceof OAuthError)) throw error;
      if (error.violation) this.violation(`token: ${error.error}: ${error.description}`);
      sendJson(response, error.status, { error: error.error, error_description: error.description }, { 'cache-control': 'no-store' });
    }
  }

  /** private_key_jwt (RFC 7523): PS256, iss = sub = client id, aud = token endpoint, jti once, exp within 5 minutes. */
  private async authenticateClient(form: URLSearchParams): Promise<string> {
    const client = this.deps.client;
    if (form.get('client_assertion_type') !== CLIENT_ASSERTION_TYPE) throw new OAuthError(401, 'invalid_client', `client_assertion_type must be ${CLIENT_ASSERTION_TYPE}`, true);
    const assertion = form.get('client_assertion');
    if (assertion === null) throw new OAuthError(401, 'invalid_client', 'client_assertion is missing', true);
    const clientIdParameter = form.get('client_id');
    if (clientIdParameter !== null && clientIdParameter !== client.clientId) throw new OAuthError(401, 'invalid_client', 'client_id is not the registered client', true);
    let payload: Record<string, unknown>;
    try {
      ({ payload } = await jwtVerify(assertion, client.signingKey, {
        algorithms: ['PS256'],
        issuer: client.clientId,
        subject: client.clientId,
        audience: [this.tokenEndpoint, this.issuer],
        requiredClaims: ['jti', 'exp', 'iat'],
        clockTolerance: 30,
      }));
    } catch (error) {
      throw new OAuthError(401, 'invalid_client', `client_assertion rejected: ${error instanceof Error ? error.message : 'invalid'}`, true);
    }
    const exp = Number(payload.exp);
    if (exp - Date.now() / 1000 > 330) throw new OAuthError(401, 'invalid_client', 'client_assertion exp must be at most 5 minutes ahead', true);
    const jti = String(payload.jti);
    const now = Date.now();
    for (const [seen, until] of this.seenAssertionIds) if (until < now) this.seenAssertionIds.delete(seen);
    if (this.seenAssertionIds.has(jti)) throw new OAuthError(401, 'invalid_client', 'client_assertion jti was already used', true);
    this.seenAssertionIds.set(jti, exp * 1000 + 30_000);
    return client.clientId;
  }

  private issueAccess(token: Omit<StoredAccessToken, 'expiresAt'>): { access_token: string; token_type: 'Bearer'; expires_in: number; scope: string } {
    const accessToken = opaque();
    this.deps.state.accessTokens[accessToken] = { ...token, expiresAt: Date.now() + this.deps.accessTokenTtlSeconds * 1000 };
    const now = Date.now();
    for (const [value, stored] of Object.entries(this.deps.state.accessTokens)) if (stored.expiresAt < now - 3600_000) delete this.deps.state.accessTokens[value];
    return { access_token: accessToken, token_type: 'Bearer', expires_in: this.deps.accessTokenTtlSeconds, scope: token.scope };
  }

  private clientCredentials(clientId: string, form: URLSearchParams): Record<string, unknown> {
    const scopes = (form.get('scope') ?? '').split(' ').filter((s) => s !== '');
    if (scopes.length === 0 || scopes.some((s) => s !== 'accounts' && s !== 'payments')) {
      throw new OAuthError(400, 'invalid_scope', 'client_credentials scope must be accounts and/or payments', true);
    }
    return this.issueAccess({ clientId, kind: 'client', scope: scopes.join(' ') });
  }

  private authorizationCode(clientId: string, form: URLSearchParams): Record<string, unknown> {
    const codeValue = form.get('code') ?? '';
    const code = this.deps.state.codes[codeValue];
    if (code === undefined || code.clientId !== clientId) throw new OAuthError(400, 'invalid_grant', 'unknown authorization code', true);
    if (code.used) throw new OAuthError(400, 'invalid_grant', 'authorization code already used', true);
    if (code.expiresAt < Date.now()) throw new OAuthError(400, 'invalid_grant', 'authorization code expired', false);
    if (form.get('redirect_uri') !== code.redirectUri) throw new OAuthError(400, 'invalid_grant', 'redirect_uri differs from the authorisation request', true);
    const verifier = form.get('code_verifier');
    if (verifier === null || !/^[A-Za-z0-9._~-]{43,128}$/.test(verifier)) throw new OAuthError(400, 'invalid_grant', 'code_verifier missing or malformed (RFC 7636)', true);
    if (sha256(verifier) !== code.codeChallenge) throw new OAuthError(400, 'invalid_grant', 'code_verifier does not match the S256 code_challenge', true);
    code.used = true;
    const refreshToken = opaque();
    this.deps.state.refreshTokens[refreshToken] = { clientId, scope: code.scope, consentId: code.consentId };
    return { ...this.issueAccess({ clientId, kind: 'psu', scope: code.scope, consentId: code.consentId }), refresh_token: refreshToken };
  }

  private refresh(clientId: string, form: URLSearchParams): Record<string, unknown> {
    const value = form.get('refresh_token') ?? '';
    const refresh = this.deps.state.refreshTokens[value];
    if (refresh === undefined || refresh.clientId !== clientId) throw new OAuthError(400, 'invalid_grant', 'unknown or revoked refresh token', false);
    const consent = this.deps.state.consents[refresh.consentId];
    if (consent === undefined || consent.status === 'revoked' || consent.status === 'rejected') {
      delete this.deps.state.refreshTokens[value];
      throw new OAuthError(400, 'invalid_grant', 'the consent behind this refresh token is no longer authorised', false);
    }
    return { ...this.issueAccess({ clientId, kind: 'psu', scope: refresh.scope, consentId: refresh.consentId }), refresh_token: value };
  }

  // ---- resources ----

  private async serveResource(request: IncomingMessage, url: URL, rawBody: string, interactionId: string, response: ServerResponse): Promise<void> {
    let operationId: string | undefined;
    let reply: Reply;
    try {
      let body: unknown;
      if (rawBody !== '') {
        try {
          body = JSON.parse(rawBody);
        } catch {
          throw obError(400, 'UK.OBIE.Resource.InvalidFormat', 'the body is not JSON', true);
        }
      }
      const validation = this.deps.validator.validateRequest({ method: request.method ?? 'GET', path: url.pathname, query: queryRecord(url), headers: request.headers, body });
      operationId = validation.operationId;
      if (validation.violations.length > 0) {
        for (const message of validation.violations) this.violation(message);
        throw new ObError(
          operationId === undefined ? 404 : 400,
          validation.violations.slice(0, 20).map((message) => ({ code: /header/i.test(message) ? 'UK.OBIE.Header.Invalid' : 'UK.OBIE.Field.Invalid', message })),
          false,
        );
      }
      reply = await this.operate(operationId ?? '', request, url, rawBody, body);
    } catch (error) {
      if (!(error instanceof ObError)) throw error;
      if (error.violation) this.violation(`${operationId ?? `${request.method ?? ''} ${url.pathname}`}: ${error.message}`);
      reply = { status: error.status, ...(error.status === 401 ? {} : { body: errorJson(this.apiVersion, error.status, interactionId, error.details) }) };
    }
    const headers: Record<string, string> = { 'x-fapi-interaction-id': interactionId };
    if (reply.body === undefined) {
      response.writeHead(reply.status, headers).end();
      return;
    }
    if (operationId !== undefined) for (const message of this.deps.validator.validateResponse(operationId, reply.status, reply.body)) this.violation(`mock bank bug: ${message}`);
    const text = JSON.stringify(reply.body);
    headers['x-jws-signature'] = await signDetached(text, this.deps.signingKey, this.deps.signingJwk.kid, this.issuer);
    sendText(response, reply.status, 'application/json; charset=utf-8', text, headers);
  }

  /** A refusal in the OB error shape, for the VRP API (vrp.ts). */
  refuse(status: number, code: ObErrorCode, message: string, violation: boolean, path?: string): Error {
    return new ObError(status, [{ code, message, ...(path === undefined ? {} : { path }) }], violation);
  }

  private async operate(operationId: string, request: IncomingMessage, url: URL, rawBody: string, body: unknown): Promise<Reply> {
    if (isVrpOperation(operationId)) return this.vrp.operate(operationId, request, url, rawBody, body);
    if (isFileOperation(operationId)) return this.files.operate(operationId, request, url, rawBody, body);
    const segments = url.pathname.slice(new URL(this.resourceBaseUrl).pathname.length).split('/').filter((s) => s !== '');
    // `/aisp/accounts/{AccountId}/...`, `/pisp/domestic-payments/{DomesticPaymentId}`: the id is the third segment.
    const resourceId = segments[2] ?? '';
    switch (operationId) {
      case 'CreateDomesticPaymentConsents':
        return this.createPaymentConsent(request, rawBody, recordOf(body));
      case 'GetDomesticPaymentConsentsConsentId':
        return this.getPaymentConsent(request, resourceId);
      case 'CreateDomesticPayments':
        return this.createPayment(request, rawBody, recordOf(body));
      case 'GetDomesticPaymentsDomesticPaymentId':
        return this.getPayment(request, resourceId);
      case 'CreateAccountAccessConsents':
        return this.createAccountAccessConsent(request, recordOf(body));
      case 'GetAccountAccessConsentsConsentId':
        return this.getAccountAccessConsent(request, resourceId);
      case 'DeleteAccountAccessConsentsConsentId':
        return this.deleteAccountAccessConsent(request, resourceId);
      case 'GetAccounts':
        return this.getAccounts(request);
      case 'GetAccountsAccountId':
        return this.getAccount(request, resourceId);
      case 'GetAccountsAccountIdBalances':
        return this.getBalances(request, resourceId);
      case 'GetAccountsAccountIdTransactions':
        return this.getTransactions(request, resourceId, url);
      case 'CreateEvents':
        if (this.deps.profile.pushNotifications) throw obError(400, 'UK.OBIE.Field.Unexpected', 'this bank pushes event notifications and offers no aggregated polling', true);
        return this.pollEvents(request, recordOf(body));
      default:
        throw obError(400, 'UK.OBIE.Field.Unexpected', `${operationId} is not offered by this mock bank`, false);
    }
  }

  bearer(request: IncomingMessage, kind: 'client' | 'psu' | 'any', scopes: readonly string[]): StoredAccessToken {
    const authorization = headerValue(request, 'authorization') ?? '';
    const match = /^Bearer (\S+)$/.exec(authorization);
    if (match?.[1] === undefined) throw obError(401, 'UK.OBIE.Header.Invalid', 'Authorization must be a Bearer token', true);
    const token = this.deps.state.accessTokens[match[1]];
    if (token === undefined || token.clientId !== this.deps.client.clientId) throw obError(401, 'UK.OBIE.Header.Invalid', 'unknown access token', true);
    if (token.expiresAt < Date.now()) throw obError(401, 'UK.OBIE.Header.Invalid', 'access token expired', false);
    if (kind !== 'any' && token.kind !== kind) {
      throw obError(403, 'UK.OBIE.Header.Invalid', kind === 'psu' ? 'this operation needs a token from the PSU authorisation (authorization_code)' : 'this operation needs a client_credentials token', true);
    }
    if (!token.scope.split(' ').some((s) => scopes.includes(s))) throw obError(403, 'UK.OBIE.Header.Invalid', `the token's scope does not include ${scopes.join(' or ')}`, true);
    return token;
  }

  async checkSignature(request: IncomingMessage, rawBody: string): Promise<void> {
    try {
      await verifyDetached(headerValue(request, 'x-jws-signature'), rawBody, this.deps.client.signingKey, { kid: this.deps.client.signingKid, issuer: this.deps.client.jwsIssuer });
    } catch (error) {
      if (error instanceof JwsRejected) throw obError(400, error.code, error.message, true);
      throw error;
    }
  }

  /** Same key and body: the first answer again; same key, another body: 400. */
  async idempotent(request: IncomingMessage, operation: string, rawBody: string, produce: () => Promise<Reply>): Promise<Reply> {
    const key = headerValue(request, 'x-idempotency-key') ?? '';
    const recordKey = `${this.deps.client.clientId} ${operation} ${key}`;
    const previous = this.deps.state.idempotency[recordKey];
    const bodyHash = sha256(rawBody);
    if (previous !== undefined) {
      if (previous.bodyHash !== bodyHash) throw obError(400, 'UK.OBIE.Header.Invalid', 'x-idempotency-key was already used with a different body', true);
      return { status: previous.status, body: previous.body };
    }
    const reply = await produce();
    if (reply.status < 300) {
      this.deps.state.idempotency[recordKey] = { bodyHash, status: reply.status, body: reply.body };
      this.deps.save();
    }
    return reply;
  }

  consentOf(consentId: string, kind: StoredConsent['kind']): StoredConsent {
    const consent = this.deps.state.consents[consentId];
    if (consent === undefined || consent.kind !== kind || consent.clientId !== this.deps.client.clientId) {
      throw obError(400, 'UK.OBIE.Resource.NotFound', `no ${kind} consent ${consentId}`, false);
    }
    return consent;
  }

  private links(path: string): { Links: { Self: string }; Meta: Record<string, never> } {
    return { Links: { Self: `${this.resourceBaseUrl}${path}` }, Meta: {} };
  }

  // ---- PIS ----

  private async createPaymentConsent(request: IncomingMessage, rawBody: string, body: Record<string, unknown>): Promise<Reply> {
    this.bearer(request, 'client', ['payments']);
    await this.checkSignature(request, rawBody);
    return this.idempotent(request, 'payment-consent', rawBody, async () => {
      const data = recordOf(body.Data);
      this.checkInitiation(recordOf(data.Initiation));
      const now = new Date().toISOString();
      const consent: StoredConsent = {
        consentId: `pdc-${randomUUID()}`,
        kind: 'domestic-payment',
        clientId: this.deps.client.clientId,
        status: 'awaiting',
        creationDateTime: now,
        statusUpdateDateTime: now,
        data,
        risk: recordOf(body.Risk),
        accountIds: [],
      };
      this.deps.state.consents[consent.consentId] = consent;
      this.deps.save();
      return { status: 201, body: this.paymentConsentJson(consent) };
    });
  }

  /** What this bank can execute: a GBP amount, a sort code and account number payee (and debtor, if named). */
  private checkInitiation(initiation: Record<string, unknown>): void {
    const amount = recordOf(initiation.InstructedAmount);
    if (amount.Currency !== 'GBP') throw obError(400, 'UK.OBIE.Unsupported.Currency', 'Faster Payments moves GBP only', false, 'Data.Initiation.InstructedAmount.Currency');
    try {
      if (parseBankAmount(String(amount.Amount), 'GBP') <= 0) throw obError(400, 'UK.OBIE.Field.Invalid', 'the amount must be positive', false, 'Data.Initiation.InstructedAmount.Amount');
    } catch (error) {
      if (error instanceof ValidationError) throw obError(400, 'UK.OBIE.Field.Invalid', error.message, false, 'Data.Initiation.InstructedAmount.Amount');
      throw error;
    }
    if (sortCodeAccount(initiation.CreditorAccount) === undefined) {
      throw obError(400, 'UK.OBIE.Unsupported.AccountIdentifier', `CreditorAccount must be ${SORT_CODE_SCHEME} with 14 digits`, false, 'Data.Initiation.CreditorAccount');
    }
    if (initiation.DebtorAccount !== undefined && sortCodeAccount(initiation.DebtorAccount) === undefined) {
      throw obError(400, 'UK.OBIE.Unsupported.AccountIdentifier', `DebtorAccount must be ${SORT_CODE_SCHEME} with 14 digits`, false, 'Data.Initiation.DebtorAccount');
    }
  }

  private paymentConsentJson(consent: StoredConsent): Record<string, unknown> {
    const debtor = consent.accountIds[0] === undefined ? undefined : this.deps.state.accounts[consent.accountIds[0]];
    return {
      Data: {
        ConsentId: consent.consentId,
        CreationDateTime: consent.creationDateTime,
        Status: consentStatus(this.apiVersion, consent),
        StatusUpdateDateTime: consent.statusUpdateDateTime,
        ...consent.data,
        ...(debtor === undefined ? {} : { Debtor: { SchemeName: SORT_CODE_SCHEME, Identification: `${debtor.sortCode}${debtor.accountNumber}`, Name: debtor.name } }),
      },
      Risk: consent.risk,
      ...this.links(`/pisp/domestic-payment-consents/${consent.consentId}`),
    };
  }

  private async getPaymentConsent(request: IncomingMessage, consentId: string): Promise<Reply> {
    this.bearer(request, 'any', ['payments']);
    return { status: 200, body: this.paymentConsentJson(this.consentOf(consentId, 'domestic-payment')) };
  }

  private async createPayment(request: IncomingMessage, rawBody: string, body: Record<string, unknown>): Promise<Reply> {
    const token = this.bearer(request, 'psu', ['payments']);
    await this.checkSignature(request, rawBody);
    return this.idempotent(request, 'payment', rawBody, async () => {
      const data = recordOf(body.Data);
      const consentId = String(data.ConsentId);
      if (token.consentId !== consentId) throw obError(400, 'UK.OBIE.Resource.ConsentMismatch', 'the access token was issued for another consent', true, 'Data.ConsentId');
      const consent = this.consentOf(consentId, 'domestic-payment');
      if (consent.status !== 'authorised') {
        throw obError(400, 'UK.OBIE.Resource.InvalidConsentStatus', `the consent is ${consentStatus(this.apiVersion, consent)}, not authorised`, false);
      }
      if (canonical(data.Initiation) !== canonical(consent.data.Initiation)) {
        throw obError(400, 'UK.OBIE.Resource.ConsentMismatch', 'Data.Initiation differs from the consent', true, 'Data.Initiation');
      }
      if (canonical(body.Risk) !== canonical(consent.risk)) throw obError(400, 'UK.OBIE.Resource.ConsentMismatch', 'Risk differs from the consent', true, 'Risk');
      const debtorAccountId = consent.accountIds[0];
      const debtor = debtorAccountId === undefined ? undefined : this.deps.state.accounts[debtorAccountId];
      if (debtor === undefined) throw obError(400, 'UK.OBIE.Resource.InvalidConsentStatus', 'the consent has no debtor account', false);
      const initiation = recordOf(data.Initiation);
      const now = new Date().toISOString();
      consent.status = 'consumed';
      consent.statusUpdateDateTime = now;
      const payment: StoredPayment = {
        domesticPaymentId: `dp-${randomUUID()}`,
        consentId,
        clientId: token.clientId,
        status: 'accepted',
        creationDateTime: now,
        statusUpdateDateTime: now,
        initiation,
        debtorAccountId: debtor.accountId,
      };
      this.deps.state.payments[payment.domesticPaymentId] = payment;
      const amount = recordOf(initiation.InstructedAmount);
      submitToScheme(this.deps.scheme, this, payment, initiation, { minor: parseBankAmount(String(amount.Amount), String(amount.Currency)), currency: String(amount.Currency) });
      this.deps.save();
      return { status: 201, body: this.paymentJson(payment) };
    });
  }

  private paymentJson(payment: StoredPayment): Record<string, unknown> {
    const debtor = this.deps.state.accounts[payment.debtorAccountId];
    const reason = payment.statusReason;
    return {
      Data: {
        DomesticPaymentId: payment.domesticPaymentId,
        ConsentId: payment.consentId,
        CreationDateTime: payment.creationDateTime,
        Status: paymentStatus(this.apiVersion, payment),
        StatusUpdateDateTime: payment.statusUpdateDateTime,
        ...(reason !== undefined && this.apiVersion === 'v4.0' ? { StatusReason: [{ StatusReasonCode: reason.code, StatusReasonDescription: reason.description }] } : {}),
        Initiation: payment.initiation,
        ...(debtor === undefined ? {} : { Debtor: { SchemeName: SORT_CODE_SCHEME, Identification: `${debtor.sortCode}${debtor.accountNumber}`, Name: debtor.name } }),
      },
      ...this.links(`/pisp/domestic-payments/${payment.domesticPaymentId}`),
    };
  }

  private async getPayment(request: IncomingMessage, paymentId: string): Promise<Reply> {
    this.bearer(request, 'any', ['payments']);
    const payment = this.deps.state.payments[paymentId];
    if (payment === undefined || payment.clientId !== this.deps.client.clientId) throw obError(400, 'UK.OBIE.Resource.NotFound', `no domestic payment ${paymentId}`, false);
    return { status: 200, body: this.paymentJson(payment) };
  }

  // ---- AIS ----

  private async createAccountAccessConsent(request: IncomingMessage, body: Record<string, unknown>): Promise<Reply> {
    this.bearer(request, 'client', ['accounts']);
    const now = new Date().toISOString();
    const consent: StoredConsent = {
      consentId: `aac-${randomUUID()}`,
      kind: 'account-access',
      clientId: this.deps.client.clientId,
      status: 'awaiting',
      creationDateTime: now,
      statusUpdateDateTime: now,
      data: recordOf(body.Data),
      risk: recordOf(body.Risk),
      accountIds: [],
    };
    this.deps.state.consents[consent.consentId] = consent;
    this.deps.save();
    return { status: 201, body: this.accountAccessConsentJson(consent) };
  }

  private accountAccessConsentJson(consent: StoredConsent): Record<string, unknown> {
    return {
      Data: {
        ...consent.data,
        ConsentId: consent.consentId,
        CreationDateTime: consent.creationDateTime,
        // v4.0 reports an authorised consent past its ExpirationDateTime as EXPD; v3.1.11 has no such status.
        Status: this.apiVersion === 'v4.0' && consent.status === 'authorised' && this.expired(consent) ? 'EXPD' : consentStatus(this.apiVersion, consent),
        StatusUpdateDateTime: consent.statusUpdateDateTime,
      },
      Risk: consent.risk,
      ...this.links(`/aisp/account-access-consents/${consent.consentId}`),
    };
  }

  private async getAccountAccessConsent(request: IncomingMessage, consentId: string): Promise<Reply> {
    this.bearer(request, 'client', ['accounts']);
    return { status: 200, body: this.accountAccessConsentJson(this.consentOf(consentId, 'account-access')) };
  }

  private async deleteAccountAccessConsent(request: IncomingMessage, consentId: string): Promise<Reply> {
    this.bearer(request, 'client', ['accounts']);
    this.revoke(this.consentOf(consentId, 'account-access'));
    return { status: 204 };
  }

  /** Ends a consent: its access tokens then meet 403 (the consent's status is checked on every call), refresh fails. */
  revoke(consent: StoredConsent): void {
    consent.status = 'revoked';
    consent.statusUpdateDateTime = new Date().toISOString();
    this.deps.save();
  }

  private expired(consent: StoredConsent): boolean {
    const expiration = stringOf(consent.data.ExpirationDateTime);
    return expiration !== undefined && Date.parse(expiration) < Date.now();
  }

  /** The authorised account-access consent behind a PSU token, and a permission it must grant. */
  private accessConsent(request: IncomingMessage, permission: string | undefined): StoredConsent {
    const token = this.bearer(request, 'psu', ['accounts']);
    const consent = this.deps.state.consents[token.consentId ?? ''];
    if (consent === undefined || consent.kind !== 'account-access') throw obError(403, 'UK.OBIE.Resource.InvalidConsentStatus', 'the token is not for an account-access consent', true);
    if (consent.status !== 'authorised') throw obError(403, 'UK.OBIE.Resource.InvalidConsentStatus', `the consent is ${consentStatus(this.apiVersion, consent)}`, false);
    if (this.expired(consent)) throw obError(403, 'UK.OBIE.Resource.InvalidConsentStatus', 'the consent has expired', false);
    if (permission !== undefined && !consentPermissions(consent).includes(permission)) throw obError(403, 'UK.OBIE.Resource.InvalidConsentStatus', `the consent does not grant ${permission}`, false);
    return consent;
  }


  private consentedAccount(consent: StoredConsent, accountId: string): StoredAccount {
    const account = this.deps.state.accounts[accountId];
    if (account === undefined || !consent.accountIds.includes(accountId)) throw obError(403, 'UK.OBIE.Resource.NotFound', `account ${accountId} is not covered by the consent`, false);
    return account;
  }

  private async getAccounts(request: IncomingMessage): Promise<Reply> {
    const consent = this.accessConsent(request, undefined);
    const detail = consentPermissions(consent).includes('ReadAccountsDetail');
    if (!detail && !consentPermissions(consent).includes('ReadAccountsBasic')) throw obError(403, 'UK.OBIE.Resource.InvalidConsentStatus', 'the consent grants neither ReadAccountsBasic nor ReadAccountsDetail', false);
    const accounts = consent.accountIds.flatMap((id) => {
      const account = this.deps.state.accounts[id];
      return account === undefined ? [] : [accountJson(this.apiVersion, account, detail)];
    });
    return { status: 200, body: { Data: { Account: accounts }, ...this.links('/aisp/accounts'), Meta: { TotalPages: 1 } } };
  }

  private async getAccount(request: IncomingMessage, accountId: string): Promise<Reply> {
    const consent = this.accessConsent(request, undefined);
    const account = this.consentedAccount(consent, accountId);
    return { status: 200, body: { Data: { Account: [accountJson(this.apiVersion, account, consentPermissions(consent).includes('ReadAccountsDetail'))] }, ...this.links(`/aisp/accounts/${accountId}`), Meta: { TotalPages: 1 } } };
  }

  private async getBalances(request: IncomingMessage, accountId: string): Promise<Reply> {
    const account = this.consentedAccount(this.accessConsent(request, 'ReadBalances'), accountId);
    return { status: 200, body: { Data: { Balance: balancesJson(this.apiVersion, account, new Date().toISOString()) }, ...this.links(`/aisp/accounts/${accountId}/balances`), Meta: { TotalPages: 1 } } };
  }

  private async getTransactions(request: IncomingMessage, accountId: string, url: URL): Promise<Reply> {
    const consent = this.accessConsent(request, undefined);
    const permissions = consentPermissions(consent);
    if (!permissions.includes('ReadTransactionsBasic') && !permissions.includes('ReadTransactionsDetail')) {
      throw obError(403, 'UK.OBIE.Resource.InvalidConsentStatus', 'the consent grants neither ReadTransactionsBasic nor ReadTransactionsDetail', false);
    }
    const account = this.consentedAccount(consent, accountId);
    const bound = (name: string, consentBound: unknown, pick: (a: number, b: number) => number): number | undefined => {
      const query = url.searchParams.get(name);
      const parsed = query === null ? undefined : Date.parse(query);
      if (parsed !== undefined && Number.isNaN(parsed)) throw obError(400, 'UK.OBIE.Field.Invalid', `${name} is not a date-time`, true, name);
      const fromConsent = typeof consentBound === 'string' ? Date.parse(consentBound) : undefined;
      if (parsed === undefined) return fromConsent;
      return fromConsent === undefined ? parsed : pick(parsed, fromConsent);
    };
    const from = bound('fromBookingDateTime', consent.data.TransactionFromDateTime, Math.max);
    const to = bound('toBookingDateTime', consent.data.TransactionToDateTime, Math.min);
    const all = [...account.transactions]
      .filter((t) => (t.creditDebit === 'Credit' ? permissions.includes('ReadTransactionsCredits') : permissions.includes('ReadTransactionsDebits')))
      .filter((t) => (from === undefined || Date.parse(t.bookingDateTime) >= from) && (to === undefined || Date.parse(t.bookingDateTime) <= to))
      .sort((a, b) => Date.parse(a.bookingDateTime) - Date.parse(b.bookingDateTime) || a.sequence - b.sequence);
    // The spec allows no paging parameter (the validator refuses unknown query parameters), so Links.Next moves
    // fromBookingDateTime on to the first transaction of the next page: booking times are unique per account.
    const pageSize = this.deps.pageSize;
    const pageUrl = (fromBookingDateTime: string | null): string => {
      const link = new URL(`${this.resourceBaseUrl}/aisp/accounts/${accountId}/transactions`);
      if (fromBookingDateTime !== null) link.searchParams.set('fromBookingDateTime', fromBookingDateTime);
      const toBookingDateTime = url.searchParams.get('toBookingDateTime');
      if (toBookingDateTime !== null) link.searchParams.set('toBookingDateTime', toBookingDateTime);
      return link.toString();
    };
    const following = all[pageSize];
    const transactions = all.slice(0, pageSize).map((t) => transactionJson(this.apiVersion, t, this.name));
    return {
      status: 200,
      body: {
        Data: { Transaction: transactions },
        Links: {
          Self: pageUrl(url.searchParams.get('fromBookingDateTime')),
          ...(following === undefined ? {} : { Next: pageUrl(following.bookingDateTime) }),
        },
        Meta: { TotalPages: Math.max(1, Math.ceil(all.length / pageSize)) },
      },
    };
  }

  // ---- events ----

  private async pollEvents(request: IncomingMessage, body: Record<string, unknown>): Promise<Reply> {
    const token = this.bearer(request, 'client', ['accounts', 'payments']);
    const state = this.deps.state;
    const acknowledged = new Set([...(Array.isArray(body.ack) ? body.ack : []), ...Object.keys(recordOf(body.setErrs))].filter((j): j is string => typeof j === 'string'));
    state.eventQueue = state.eventQueue.filter((event) => !(event.clientId === token.clientId && acknowledged.has(event.jti)));
    this.deps.save();
    const mine = state.eventQueue.filter((event) => event.clientId === token.clientId);
    const maxEvents = typeof body.maxEvents === 'number' ? Math.max(0, Math.floor(body.maxEvents)) : 100;
    const returned = mine.slice(0, maxEvents);
    return { status: 200, body: { moreAvailable: mine.length > returned.length, sets: Object.fromEntries(returned.map((event) => [event.jti, event.jwt])) } };
  }

  private async notify(clientId: string, eventType: string, resourceType: string, resourceId: string, link: string): Promise<void> {
    if (this.stopping) return;
    const iat = Math.floor(Date.now() / 1000);
    const jti = randomUUID();
    const jwt = await signJwt(
      {
        iss: this.issuer,
        iat,
        jti,
        aud: clientId,
        sub: link,
        txn: randomUUID(),
        toe: iat,
        events: {
          [eventType]: {
            subject: {
              subject_type: SUBJECT_TYPE,
              'http://openbanking.org.uk/rid': resourceId,
              'http://openbanking.org.uk/rty': resourceType,
              'http://openbanking.org.uk/rlk': [{ version: pathVersion(this.apiVersion), link }],
            },
          },
        },
      },
      this.deps.signingKey,
      this.deps.signingJwk.kid,
    );
    if (this.stopping) return;
    if (!this.deps.profile.pushNotifications) {
      this.deps.state.eventQueue.push({ jti, clientId, jwt, createdAt: new Date(iat * 1000).toISOString() });
      this.deps.save();
      return;
    }
    this.push(jwt, 0);
  }

  /** Delivers one event notification; on failure or a non-2xx answer tries again after the next delay, then gives up. */
  private push(jwt: string, attempt: number): void {
    if (this.stopping) return;
    const retry = (): void => {
      const delay = this.deps.notificationRetryDelaysMs[attempt];
      if (delay === undefined || this.stopping) return;
      const timer = setTimeout(() => {
        this.timers.delete(timer);
        this.push(jwt, attempt + 1);
      }, delay);
      this.timers.add(timer);
    };
    fetch(this.deps.client.notificationUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/jwt', 'x-fapi-interaction-id': randomUUID() },
      body: jwt,
      signal: AbortSignal.timeout(5000),
    }).then(
      (answer) => {
        void answer.body?.cancel();
        if (answer.status < 200 || answer.status >= 300) retry();
      },
      () => retry(),
    );
  }

  // ---- HTTP: the PSU's authorisation page and the test controls ----

  private async serveHttp(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = new URL(request.url ?? '/', `http://${this.deps.host}:${this.httpPort}`);
    // A browser page and test controls: no keep-alive, so a client never reuses a socket across a restart.
    response.setHeader('connection', 'close');
    try {
      if (url.pathname === '/authorize' && (request.method === 'GET' || request.method === 'POST')) {
        await serveAuthorise(this, request, url, response);
        return;
      }
      if (url.pathname.startsWith('/_mock/')) {
        await serveControl(this, request, url, response);
        return;
      }
      sendJson(response, 404, { error: 'not found' });
    } catch (error) {
      const message = error instanceof Error ? error.message : 'unexpected error';
      this.violation(`mock bank bug: 500 on ${request.method ?? ''} ${url.pathname}: ${message}`);
      if (!response.headersSent) sendJson(response, 500, { error: message });
    }
  }
}
