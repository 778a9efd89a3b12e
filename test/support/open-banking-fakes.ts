import type {
  AuthorisationSession,
  AuthorisationSessionStore,
  BankTokenStore,
  SealingContext,
  StoredBankTokens,
  TokenSealer,
} from '../../shared/domain/open-banking/authorisation';
import type {
  AccountInformationGateway,
  Aspsp,
  AspspDirectory,
  AuthorisationRequest,
  BankAccountDetails,
  BankTokens,
  ConsentCreated,
  TransactionBatch,
} from '../../shared/domain/open-banking/ports';
import type { SettlementMessage, SettlementQueue } from '../../shared/domain/settlement/settlement-message';

export const anAspsp = (overrides: Partial<Aspsp> = {}): Aspsp => ({
  id: 'mock-v4',
  name: 'Mock Bank v4.0',
  apiVersion: 'v4.0',
  issuer: 'https://127.0.0.1:8443',
  authorizationEndpoint: 'http://127.0.0.1:8080/authorize',
  tokenEndpoint: 'https://127.0.0.1:8443/token',
  jwksUri: 'https://127.0.0.1:8443/jwks',
  resourceBaseUrl: 'https://127.0.0.1:8443/open-banking/v4.0',
  aggregatedPolling: false,
  ...overrides,
});

/** Client credentials that pass the configuration schema; for handlers that load them but never call a bank. */
export const WELL_FORMED_TPP_CREDENTIALS = {
  organisationId: 'org',
  softwareId: 'software',
  signingKey: { kty: 'RSA', kid: 'k1', n: 'n', e: 'AQAB', d: 'd' },
  transportCertificatePem: '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n',
  transportKeyPem: '-----BEGIN PRIVATE KEY-----\nMIIB\n-----END PRIVATE KEY-----\n',
};

export class StaticAspspDirectory implements AspspDirectory {
  constructor(private readonly aspsps: readonly Aspsp[] = [anAspsp()]) {}
  async list(): Promise<readonly Aspsp[]> {
    return this.aspsps;
  }
  async get(aspspId: string): Promise<Aspsp | undefined> {
    return this.aspsps.find((aspsp) => aspsp.id === aspspId);
  }
}

/** Single-use sessions by state, like the DynamoDB store's one conditional write. */
export class InMemoryAuthorisationSessionStore implements AuthorisationSessionStore {
  readonly sessions = new Map<string, AuthorisationSession>();

  async create(session: AuthorisationSession): Promise<void> {
    if (this.sessions.has(session.state)) throw new Error('duplicate state');
    this.sessions.set(session.state, session);
  }

  async claim(state: string, now: Date): Promise<AuthorisationSession | undefined> {
    const session = this.sessions.get(state);
    if (session === undefined || session.usedAt !== null || now.toISOString() >= session.expiresAt) return undefined;
    this.sessions.set(state, { ...session, usedAt: now.toISOString() });
    return session;
  }
}

export class InMemoryBankTokenStore implements BankTokenStore {
  readonly stored = new Map<string, StoredBankTokens>();
  /** Runs once, just before the next put is applied: a concurrent writer getting there first. */
  beforeNextPut: (() => Promise<void>) | undefined;

  async get(tenantId: string, consentId: string): Promise<StoredBankTokens | undefined> {
    return this.stored.get(`${tenantId}|${consentId}`);
  }

  async put(tenantId: string, consentId: string, sealed: string, expectedVersion: number | null): Promise<boolean> {
    const hook = this.beforeNextPut;
    this.beforeNextPut = undefined;
    if (hook !== undefined) await hook();
    const key = `${tenantId}|${consentId}`;
    const current = this.stored.get(key);
    if ((current?.version ?? null) !== expectedVersion) return false;
    this.stored.set(key, { sealed, version: (current?.version ?? 0) + 1 });
    return true;
  }
}

/** Reversible and context-bound, but never the plaintext: enough to prove the domain seals and opens with the right context. */
export const fakeSealer: TokenSealer = {
  seal: async (plaintext: string, context: SealingContext) =>
    `sealed:${context.tenantId}:${context.consentId}:${Buffer.from(plaintext, 'utf8').toString('base64url')}`,
  open: async (sealed: string, context: SealingContext) => {
    const prefix = `sealed:${context.tenantId}:${context.consentId}:`;
    if (!sealed.startsWith(prefix)) throw new Error('sealed for another context');
    return Buffer.from(sealed.slice(prefix.length), 'base64url').toString('utf8');
  },
};

export class RecordingSettlementQueue implements SettlementQueue {
  readonly messages: SettlementMessage[] = [];
  async enqueue(messages: readonly SettlementMessage[]): Promise<void> {
    this.messages.push(...messages);
  }
}

export const aBankAccount = (overrides: Partial<BankAccountDetails> = {}): BankAccountDetails => ({
  bankAccountId: 'bank-acc-1',
  currency: 'GBP',
  name: 'Acme Ltd',
  sortCode: '601613',
  accountNumber: '31926819',
  iban: null,
  ...overrides,
});

/** A scripted bank: records every call; each answer can be replaced or made to throw. */
export class FakeAccountInformationGateway implements AccountInformationGateway {
  readonly calls: { operation: string; aspspId: string; detail?: unknown }[] = [];
  consents = 0;
  refreshes = 0;
  accounts: readonly BankAccountDetails[] = [aBankAccount()];
  balance = { amount: 250_000, currency: 'GBP', at: '2026-11-24T09:59:00.000Z' };
  batch: TransactionBatch = { transactions: [], latestBookingDateTime: null };
  tokenLifetimeSeconds = 300;
  /** Thrown by the next call of the named operation. */
  readonly failures = new Map<string, Error>();
  /** Where the tokens' expiry is counted from (the test's clock). */
  constructor(private readonly now: () => Date = () => new Date('2026-11-24T10:00:00.000Z')) {}

  private record(operation: string, aspspId: string, detail?: unknown): void {
    this.calls.push({ operation, aspspId, detail });
    const failure = this.failures.get(operation);
    if (failure !== undefined) {
      this.failures.delete(operation);
      throw failure;
    }
  }

  callsOf(operation: string) {
    return this.calls.filter((call) => call.operation === operation);
  }

  private tokens(name: string): BankTokens {
    return { accessToken: `access-${name}`, refreshToken: `refresh-${name}`, expiresAt: new Date(this.now().getTime() + this.tokenLifetimeSeconds * 1000).toISOString() };
  }

  async createAccessConsent(aspspId: string, authorisation: AuthorisationRequest): Promise<ConsentCreated> {
    this.record('createAccessConsent', aspspId, authorisation);
    this.consents += 1;
    const bankConsentId = `bank-consent-${this.consents}`;
    return { bankConsentId, authorisationUrl: `http://127.0.0.1:8080/authorize?consent=${bankConsentId}&state=${authorisation.state}` };
  }

  async exchangeCode(aspspId: string, code: string, authorisation: AuthorisationRequest): Promise<BankTokens> {
    this.record('exchangeCode', aspspId, { code, codeVerifier: authorisation.codeVerifier, redirectUri: authorisation.redirectUri });
    return this.tokens(`code-${code}`);
  }

  async refreshTokens(aspspId: string, tokens: BankTokens): Promise<BankTokens> {
    this.record('refreshTokens', aspspId, tokens.refreshToken);
    this.refreshes += 1;
    return this.tokens(`refreshed-${this.refreshes}`);
  }

  async listAccounts(aspspId: string, tokens: BankTokens): Promise<readonly BankAccountDetails[]> {
    this.record('listAccounts', aspspId, tokens.accessToken);
    return this.accounts;
  }

  async getBookedBalance(aspspId: string, tokens: BankTokens, bankAccountId: string) {
    this.record('getBookedBalance', aspspId, { accessToken: tokens.accessToken, bankAccountId });
    return this.balance;
  }

  async fetchTransactions(
    aspspId: string,
    tokens: BankTokens,
    account: { readonly bankAccountId: string; readonly sortCode: string; readonly accountNumber: string },
    since: string | null,
  ): Promise<TransactionBatch> {
    this.record('fetchTransactions', aspspId, { accessToken: tokens.accessToken, account, since });
    return this.batch;
  }

  async deleteAccessConsent(aspspId: string, bankConsentId: string): Promise<void> {
    this.record('deleteAccessConsent', aspspId, bankConsentId);
  }
}
