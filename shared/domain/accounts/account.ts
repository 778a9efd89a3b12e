/** Sandbox behaviours (docs/architecture.md §4.3). */
export const SANDBOX_PROFILES = ['exact', 'uk-realistic', 'chaotic'] as const;
export type SandboxProfile = (typeof SANDBOX_PROFILES)[number];

export const PROVIDERS = ['sandbox', 'obie'] as const;
export type Provider = (typeof PROVIDERS)[number];

export interface Consent {
  readonly id: string;
  readonly status: 'awaiting_authorisation' | 'authorised' | 'expired' | 'revoked';
  /** When the consent lapses altogether; null when the provider sets no end. */
  readonly expiresAt: string | null;
  /** UK rules: the customer reconfirms AIS access every 90 days. */
  readonly reconfirmBy: string;
}

/** One of a tenant's bank accounts, connected through an AIS consent. */
export interface Account {
  readonly id: string;
  readonly tenantId: string;
  readonly status: 'active' | 'awaiting_authorisation' | 'disconnected';
  readonly provider: Provider;
  readonly name: string;
  readonly sortCode: string;
  readonly accountNumber: string;
  readonly currency: string;
  readonly sandboxProfile: SandboxProfile | null;
  /** Minor units. */
  readonly openingBalance: number;
  readonly consent: Consent;
  readonly createdAt: string;
}

/** An AIS access-log entry: immutable, one per retrieval of account data. */
export interface AccessLogEntry {
  readonly consentId: string;
  readonly at: string;
  readonly endpoint: string;
  readonly scope: string;
  readonly count: number;
  readonly requestId: string;
}

export interface AccountRepository {
  /** Stores the account, its consent and its opening cash position together. */
  create(account: Account): Promise<void>;
  get(tenantId: string, accountId: string): Promise<Account | undefined>;
  list(tenantId: string, page: PageRequest): Promise<Page<Account>>;
  /** Every connected account (any tenant) for a bank account a provider reports on. */
  findByBankAccount(provider: Provider, sortCode: string, accountNumber: string): Promise<Account[]>;
  findByConsent(tenantId: string, consentId: string): Promise<Account | undefined>;
  appendAccessLog(tenantId: string, entry: AccessLogEntry): Promise<void>;
  listAccessLog(tenantId: string, consentId: string, page: PageRequest): Promise<Page<AccessLogEntry>>;
}

export interface PageRequest {
  readonly limit: number;
  readonly cursor: string | undefined;
}

export interface Page<T> {
  readonly data: readonly T[];
  readonly nextCursor: string | null;
}
