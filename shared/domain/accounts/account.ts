import type { DomainEvent } from '../events/domain-event';

/** Sandbox behaviours (docs/architecture.md §4.3). */
export const SANDBOX_PROFILES = ['exact', 'uk-realistic', 'chaotic'] as const;
export type SandboxProfile = (typeof SANDBOX_PROFILES)[number];

/** Where a bank fact comes from: the sandbox bank, Open Banking UK, and the aggregators whose webhooks Settled takes (TrueLayer, GoCardless). */
export const PROVIDERS = ['sandbox', 'obie', 'truelayer', 'gocardless'] as const;
export type Provider = (typeof PROVIDERS)[number];

export const CONSENT_STATUSES = ['awaiting_authorisation', 'authorised', 'rejected', 'expired', 'revoked'] as const;
export type ConsentStatus = (typeof CONSENT_STATUSES)[number];

export interface Consent {
  readonly id: string;
  /** `rejected`: the customer refused at the bank, or the bank offered no account that fits. */
  readonly status: ConsentStatus;
  /** When the consent lapses altogether; null when the provider sets no end. */
  readonly expiresAt: string | null;
  /** UK rules: the customer reconfirms AIS access every 90 days. */
  readonly reconfirmBy: string;
  /** The bank's page where the customer authorises (or reconfirms) this consent; null when nothing awaits them. */
  readonly authorisationUrl: string | null;
  /** obie: the bank's ConsentId in force. Internal: never returned by the API. */
  readonly bankConsentId: string | null;
  /** obie: the bank's ConsentId of a reconfirmation awaiting the customer; the consent in force serves until then. */
  readonly pendingBankConsentId: string | null;
  /** Why the consent was rejected or revoked (the bank's reason kept); null otherwise. */
  readonly statusReason: string | null;
  /** The `reconfirmBy` for which `consent.reconfirmation_required` went out: once per 90-day period. */
  readonly reconfirmationNotifiedFor: string | null;
}

/** One of a tenant's bank accounts, connected through an AIS consent. */
export interface Account {
  readonly id: string;
  readonly tenantId: string;
  readonly status: 'active' | 'awaiting_authorisation' | 'disconnected';
  readonly provider: Provider;
  readonly name: string;
  /** Null only for an obie account awaiting authorisation that did not name one: the bank's account then fills it. */
  readonly sortCode: string | null;
  readonly accountNumber: string | null;
  /**
   * The IBAN the account was named by (electronic form); null when it was named by sort code and account number.
   * A GB IBAN also fills sortCode and accountNumber; any other country's account has only this (sortCode and
   * accountNumber null), and incoming transactions find it by it.
   */
  readonly iban: string | null;
  readonly currency: string;
  readonly sandboxProfile: SandboxProfile | null;
  /** The bank's registry id, for Open Banking accounts; null for the sandbox. */
  readonly aspspId: string | null;
  /** Minor units. */
  readonly openingBalance: number;
  readonly consent: Consent;
  readonly createdAt: string;
  /** obie: the bank's AccountId, once the customer authorised; null before and for the sandbox. */
  readonly bankAccountId: string | null;
  /** obie: the latest booking time fetched from the bank (the next sync starts from it); null for the sandbox. */
  readonly syncCursor: string | null;
  /**
   * obie: the time of the booked balance the account opened with: a sync never fetches from before it, or money
   * already in the opening balance would count twice. Null before authorisation and for the sandbox.
   */
  readonly connectedAt: string | null;
  /** Optimistic-concurrency counter: every change is conditional on the version it was derived from. */
  readonly version: number;
}

/**
 * An account with a UK bank account (sort code and account number): every sandbox account named by them or by a GB
 * IBAN, and an obie account once authorised. An account named by another country's IBAN is never one.
 */
export type ConnectedAccount = Account & { readonly sortCode: string; readonly accountNumber: string };

export const isConnected = (account: Account): account is ConnectedAccount => account.sortCode !== null && account.accountNumber !== null;

/** The account's bank account as transactions name it; undefined while an obie account awaits authorisation. */
export const bankAccountOf = (account: Account): { readonly sortCode: string; readonly accountNumber: string } | undefined =>
  account.sortCode === null || account.accountNumber === null ? undefined : { sortCode: account.sortCode, accountNumber: account.accountNumber };

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
  /** Every connected account (any tenant) named only by this (non-GB, electronic-form) IBAN a provider reports on. */
  findByIban(provider: Provider, iban: string): Promise<Account[]>;
  findByConsent(tenantId: string, consentId: string): Promise<Account | undefined>;
  /**
   * Stores `next` only if the stored account is still at `next.version - 1`, in one atomic write with: the
   * `outbox` events appended to the account's outbox; with `connected` (an obie account just authorised), its
   * bank-account and (aspspId, bankAccountId) lookups and its opening cash position (kept if it exists); and the
   * (aspspId, bankConsentId) lookups of its consent. False when another write got there first: nothing changed.
   */
  update(next: Account, effects?: AccountUpdateEffects): Promise<boolean>;
  /** The account with its events not yet confirmed published. */
  getWithOutbox(tenantId: string, accountId: string): Promise<{ readonly account: Account; readonly outbox: readonly DomainEvent[] } | undefined>;
  /** Drops the outbox once `published` (exactly what it held) went out. */
  clearOutbox(tenantId: string, accountId: string, published: readonly DomainEvent[]): Promise<void>;
  /** The accounts (any tenant) connected to a bank's AccountId: a transactions event notification names it. */
  findByAspspAccount(aspspId: string, bankAccountId: string): Promise<Account[]>;
  /** Every account ever connected at a bank (any tenant, any status): what the scheduled sync walks. */
  listConnectedAt(aspspId: string): Promise<readonly { readonly tenantId: string; readonly accountId: string }[]>;
  /** The account whose consent is (or was) the bank's ConsentId: a consent-revoked notification names it. */
  findByBankConsent(aspspId: string, bankConsentId: string): Promise<Account | undefined>;
  appendAccessLog(tenantId: string, entry: AccessLogEntry): Promise<void>;
  listAccessLog(tenantId: string, consentId: string, page: PageRequest): Promise<Page<AccessLogEntry>>;
}

export interface AccountUpdateEffects {
  readonly outbox?: readonly DomainEvent[];
  readonly connected?: boolean;
}

export interface PageRequest {
  readonly limit: number;
  readonly cursor: string | undefined;
}

export interface Page<T> {
  readonly data: readonly T[];
  readonly nextCursor: string | null;
}
