import type { AccessLogEntry, Account, AccountRepository, AccountUpdateEffects, ConnectedAccount, Page, PageRequest, Provider } from '../../shared/domain/accounts/account';
import type { CashMove, CashPosition, CashPositionStore, PositionRef } from '../../shared/domain/cash/cash-position';
import { addMoves, isNoMove, NO_MOVE, paymentMove, reconciliationMoves } from '../../shared/domain/cash/cash-position';
import type { DeliveryAttempt, DeliveryQueue } from '../../shared/domain/callbacks/delivery-attempt';
import type { AttemptClaim, CallbackSender, DeliveryRef, DeliveryResult, EventLog, WebhookEndpoint, WebhookEndpointRepository } from '../../shared/domain/callbacks/webhook-endpoint';
import type { DomainEvent, EventPublisher, EventType } from '../../shared/domain/events/domain-event';
import type { IdempotencyCompletion, IdempotencyStore, Reservation, StoredResponse } from '../../shared/domain/idempotency/idempotency';
import { isOpen, type Payment } from '../../shared/domain/payments/payment';
import type { PaymentCreationOptions, PaymentCreationOutcome, PaymentFilter, PaymentRepository } from '../../shared/domain/payments/payment-repository';
import { matchingKey } from '../../shared/domain/references';
import type { BankTransaction, ReportedTransaction } from '../../shared/domain/settlement/bank-transaction';
import type { OpenPaymentCandidate } from '../../shared/domain/settlement/matching';
import type { ExceptionFilter, ExceptionStore, ReconciliationException } from '../../shared/domain/reconciliation/reconciliation-exception';
import type {
  PaymentStatusReport,
  BookedSummary,
  RecordResult,
  ReferenceIndex,
  StoredTransaction,
  TransactionFilter,
  TransactionStore,
} from '../../shared/domain/settlement/settlement-store';

/**
 * In-memory adapters of the domain ports, faithful to the conditional semantics of the DynamoDB adapters
 * (shared/adapters/dynamodb): every write that is conditional there is conditional here, so a use case that
 * relies on a condition it does not get will misbehave in these fakes too.
 */

/**
 * The DynamoDB adapters empty an outbox only if it still holds exactly what was published (`outbox = :published`):
 * events appended meanwhile keep it, to be published again later.
 */
const sameEvents = (outbox: readonly DomainEvent[], published: readonly DomainEvent[]): boolean =>
  published.length > 0 && JSON.stringify(outbox) === JSON.stringify(published);

const firstPage = <T>(items: readonly T[], page: PageRequest): Page<T> => ({ data: items.slice(0, page.limit), nextCursor: null });

// ---------------------------------------------------------------------------------------------------------------
// Builders

export const TENANT_ID = 'ten_01JD0000000000000000000001';
export const OTHER_TENANT_ID = 'ten_01JD0000000000000000000002';
export const AT = '2026-11-24T10:00:00.000Z';

export const anAccount = (overrides: Partial<ConnectedAccount> = {}): ConnectedAccount => ({
  id: 'acc_01JD0000000000000000000001',
  tenantId: TENANT_ID,
  status: 'active',
  provider: 'sandbox',
  name: 'Operating account',
  sortCode: '040004',
  accountNumber: '12345678',
  iban: null,
  currency: 'GBP',
  sandboxProfile: 'exact',
  aspspId: null,
  openingBalance: 100_000,
  consent: {
    id: 'con_01JD0000000000000000000001',
    status: 'authorised',
    expiresAt: null,
    reconfirmBy: '2027-02-22T10:00:00.000Z',
    authorisationUrl: null,
    bankConsentId: null,
    pendingBankConsentId: null,
    statusReason: null,
    reconfirmationNotifiedFor: null,
  },
  createdAt: AT,
  bankAccountId: null,
  syncCursor: null,
  connectedAt: null,
  version: 1,
  ...overrides,
});

export const aPayment = (overrides: Partial<Payment> = {}): Payment => {
  const reference = overrides.reference ?? 'ST7KQ2M9XR4';
  return {
    id: 'pay_01JD0000000000000000000001',
    tenantId: TENANT_ID,
    accountId: 'acc_01JD0000000000000000000001',
    direction: 'inbound',
    amount: 12_500,
    currency: 'GBP',
    reference,
    matchingKey: matchingKey(reference),
    invoiceId: null,
    counterparty: null,
    metadata: {},
    status: 'authorised',
    failureReason: null,
    authorisationUrl: 'https://sandbox.example/authorise/bp_1',
    provider: 'sandbox',
    bankPaymentId: 'bp_0001',
    redirectUrl: null,
    createdAt: AT,
    updatedAt: AT,
    executedAt: null,
    settlement: null,
    version: 1,
    ...overrides,
  };
};

/** A booked credit on the default account carrying the default payment's reference for its full amount. */
export const aReportedTransaction = (overrides: Partial<ReportedTransaction> = {}): ReportedTransaction => ({
  provider: 'sandbox',
  sortCode: '040004',
  accountNumber: '12345678',
  bankTransactionId: 'bank-txn-0001',
  status: 'booked',
  creditDebitIndicator: 'credit',
  amount: 12_500,
  currency: 'GBP',
  bookingDateTime: AT,
  valueDateTime: AT,
  reference: 'ST7KQ2M9XR4',
  description: 'J SMITH ST7KQ2M9XR4',
  endToEndId: null,
  counterparty: { name: 'J SMITH' },
  merchant: null,
  category: null,
  ...overrides,
});

export const aStatusReport = (overrides: Partial<PaymentStatusReport> = {}): PaymentStatusReport => ({
  provider: 'sandbox',
  bankPaymentId: 'bp_0001',
  status: 'executed',
  at: '2026-11-24T10:00:05.000Z',
  reason: null,
  ...overrides,
});

export const aBankTransaction = (overrides: Partial<BankTransaction> = {}): BankTransaction => ({
  id: 'txn_01JD0000000000000000000001',
  tenantId: TENANT_ID,
  accountId: 'acc_01JD0000000000000000000001',
  bankTransactionId: 'bank-txn-0001',
  status: 'booked',
  creditDebitIndicator: 'credit',
  amount: 12_500,
  currency: 'GBP',
  bookingDateTime: AT,
  valueDateTime: AT,
  reference: null,
  description: null,
  endToEndId: null,
  counterparty: null,
  merchant: null,
  category: null,
  receivedAt: AT,
  reconciliation: { status: 'unmatched', paymentIds: [], exceptionId: null, matchedBy: null, keys: [], candidatePaymentIds: [] },
  supersedes: null,
  supersededBy: null,
  ...overrides,
});

export const aWebhookEndpoint = (overrides: Partial<WebhookEndpoint> = {}): WebhookEndpoint => ({
  id: 'whe_01JD0000000000000000000001',
  tenantId: TENANT_ID,
  url: 'https://tenant.example/hooks',
  events: null,
  secret: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw',
  status: 'enabled',
  disabledReason: null,
  createdAt: AT,
  ...overrides,
});

// ---------------------------------------------------------------------------------------------------------------
// Accounts

/**
 * Accounts with their outbox; like the DynamoDB adapter, `update` is conditional on the stored version, and only
 * active accounts are found by their bank account.
 */
export class InMemoryAccountRepository implements AccountRepository {
  readonly accounts: Account[] = [];
  readonly accessLog: { tenantId: string; entry: AccessLogEntry }[] = [];
  private readonly outboxes = new Map<string, DomainEvent[]>();
  /** Every bankConsentId an account's consent has had, as the DynamoDB lookup items keep them. */
  private readonly bankConsents = new Map<string, { tenantId: string; accountId: string }>();
  /** Runs once, just before the next update is applied: a concurrent writer getting there first. */
  beforeNextUpdate: (() => Promise<void>) | undefined;

  constructor(accounts: readonly Account[] = []) {
    for (const account of accounts) this.put(account);
  }

  /** Sets an account's state directly (test setup, or another process's write). */
  put(account: Account): void {
    const index = this.accounts.findIndex((stored) => stored.tenantId === account.tenantId && stored.id === account.id);
    if (index === -1) this.accounts.push(account);
    else this.accounts[index] = account;
    for (const bankConsentId of [account.consent.bankConsentId, account.consent.pendingBankConsentId]) {
      if (bankConsentId !== null && account.aspspId !== null) {
        this.bankConsents.set(`${account.aspspId}|${bankConsentId}`, { tenantId: account.tenantId, accountId: account.id });
      }
    }
  }

  outboxOf(tenantId: string, accountId: string): readonly DomainEvent[] {
    return this.outboxes.get(`${tenantId}|${accountId}`) ?? [];
  }

  async create(account: Account): Promise<void> {
    if (this.accounts.some((stored) => stored.tenantId === account.tenantId && stored.id === account.id)) throw new Error('duplicate account');
    this.put(account);
  }

  async get(tenantId: string, accountId: string): Promise<Account | undefined> {
    return this.accounts.find((account) => account.tenantId === tenantId && account.id === accountId);
  }

  async list(tenantId: string, page: PageRequest): Promise<Page<Account>> {
    return firstPage(
      this.accounts.filter((account) => account.tenantId === tenantId),
      page,
    );
  }

  async findByBankAccount(provider: Provider, sortCode: string, accountNumber: string): Promise<Account[]> {
    return this.accounts.filter(
      (account) =>
        account.provider === provider && account.sortCode === sortCode && account.accountNumber === accountNumber && account.status === 'active',
    );
  }

  async findByIban(provider: Provider, iban: string): Promise<Account[]> {
    return this.accounts.filter(
      (account) => account.provider === provider && account.iban === iban && account.sortCode === null && account.status === 'active',
    );
  }

  async findByConsent(tenantId: string, consentId: string): Promise<Account | undefined> {
    return this.accounts.find((account) => account.tenantId === tenantId && account.consent.id === consentId);
  }

  /** The `connected` updates applied, in order (the DynamoDB adapter writes the lookups and cash position then). */
  readonly connections: Account[] = [];

  async update(next: Account, effects: AccountUpdateEffects = {}): Promise<boolean> {
    const outbox = effects.outbox ?? [];
    const hook = this.beforeNextUpdate;
    this.beforeNextUpdate = undefined;
    if (hook !== undefined) await hook();
    const stored = await this.get(next.tenantId, next.id);
    if (stored === undefined || stored.version !== next.version - 1) return false;
    this.put(next);
    if (effects.connected === true) this.connections.push(next);
    const key = `${next.tenantId}|${next.id}`;
    if (outbox.length > 0) this.outboxes.set(key, [...(this.outboxes.get(key) ?? []), ...outbox]);
    return true;
  }

  async getWithOutbox(tenantId: string, accountId: string) {
    const account = await this.get(tenantId, accountId);
    return account === undefined ? undefined : { account, outbox: this.outboxOf(tenantId, accountId) };
  }

  async clearOutbox(tenantId: string, accountId: string, published: readonly DomainEvent[]): Promise<void> {
    const key = `${tenantId}|${accountId}`;
    if (sameEvents(this.outboxes.get(key) ?? [], published)) this.outboxes.set(key, []);
  }

  async findByAspspAccount(aspspId: string, bankAccountId: string): Promise<Account[]> {
    return this.accounts.filter((account) => account.aspspId === aspspId && account.bankAccountId === bankAccountId);
  }

  async listConnectedAt(aspspId: string) {
    const seen = new Set<string>();
    return this.connections
      .filter((account) => account.aspspId === aspspId && !seen.has(`${account.tenantId}|${account.id}`) && seen.add(`${account.tenantId}|${account.id}`))
      .map((account) => ({ tenantId: account.tenantId, accountId: account.id }));
  }

  async findByBankConsent(aspspId: string, bankConsentId: string): Promise<Account | undefined> {
    const found = this.bankConsents.get(`${aspspId}|${bankConsentId}`);
    return found === undefined ? undefined : this.get(found.tenantId, found.accountId);
  }

  async appendAccessLog(tenantId: string, entry: AccessLogEntry): Promise<void> {
    this.accessLog.push({ tenantId, entry });
  }

  async listAccessLog(tenantId: string, consentId: string, page: PageRequest): Promise<Page<AccessLogEntry>> {
    return firstPage(
      this.accessLog.filter((logged) => logged.tenantId === tenantId && logged.entry.consentId === consentId).map((logged) => logged.entry),
      page,
    );
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Payments and the reference index

interface StoredPayment {
  payment: Payment;
  outbox: DomainEvent[];
}

const paymentKeyOf = (tenantId: string, paymentId: string): string => `${tenantId}|${paymentId}`;

/**
 * Payments with their outbox, and the reference index derived from them: like the DynamoDB adapter, an update is
 * conditional on the version it was derived from, and only open payments are indexed.
 */
export class InMemoryPaymentRepository implements PaymentRepository, ReferenceIndex {
  private readonly stored = new Map<string, StoredPayment>();
  private readonly claims = new Map<string, string>();
  /** Runs once, just before the next update is applied: a concurrent writer getting there first. */
  beforeNextUpdate: (() => Promise<void>) | undefined;
  /** Runs once, after the next index lookup has read the index: a concurrent writer acting in between. */
  afterNextLookup: (() => Promise<void>) | undefined;
  readonly lookups: { keys: readonly string[]; prefixKey: string | null }[] = [];
  /** The cash positions payment and transaction writes move, in the same atomic write. */
  readonly cash = new InMemoryCashPositionStore();

  constructor(payments: readonly Payment[] = []) {
    for (const payment of payments) this.put(payment);
  }

  /** Sets a payment's state directly (test setup, or another process's write), keeping its outbox. */
  put(payment: Payment): void {
    const key = paymentKeyOf(payment.tenantId, payment.id);
    this.stored.set(key, { payment, outbox: this.stored.get(key)?.outbox ?? [] });
  }

  outboxOf(tenantId: string, paymentId: string): readonly DomainEvent[] {
    return this.stored.get(paymentKeyOf(tenantId, paymentId))?.outbox ?? [];
  }

  async claimReference(tenantId: string, key: string, paymentId: string): Promise<boolean> {
    const claim = `${tenantId}|${key}`;
    if (this.claims.has(claim)) return false;
    this.claims.set(claim, paymentId);
    return true;
  }

  /** Idempotency completions written with a payment (`options.idempotency`), in order. */
  readonly completions: IdempotencyCompletion[] = [];

  async create(payment: Payment, options: PaymentCreationOptions = {}): Promise<PaymentCreationOutcome> {
    if (this.stored.has(paymentKeyOf(payment.tenantId, payment.id))) throw new Error('duplicate payment');
    if (options.claimReference === true) {
      const claim = `${payment.tenantId}|${payment.matchingKey}`;
      if (this.claims.has(claim)) return 'reference_taken';
      this.claims.set(claim, payment.id);
    }
    if (options.idempotency !== undefined) this.completions.push(options.idempotency);
    this.stored.set(paymentKeyOf(payment.tenantId, payment.id), { payment, outbox: [...(options.outbox ?? [])] });
    this.cash.apply([{ position: payment, move: paymentMove(undefined, payment) }], payment.updatedAt);
    return 'created';
  }

  async get(tenantId: string, paymentId: string): Promise<Payment | undefined> {
    return this.stored.get(paymentKeyOf(tenantId, paymentId))?.payment;
  }

  async list(tenantId: string, filter: PaymentFilter, page: PageRequest): Promise<Page<Payment>> {
    const payments = [...this.stored.values()]
      .map((stored) => stored.payment)
      .filter(
        (payment) =>
          payment.tenantId === tenantId &&
          (filter.status === undefined || payment.status === filter.status) &&
          (filter.invoiceId === undefined || payment.invoiceId === filter.invoiceId) &&
          (filter.reference === undefined || payment.reference === filter.reference) &&
          (filter.createdTo === undefined || payment.createdAt <= filter.createdTo),
      );
    return firstPage(payments, page);
  }

  async findByBankPaymentId(provider: string, bankPaymentId: string): Promise<{ payment: Payment; outbox: readonly DomainEvent[] } | undefined> {
    if (provider !== 'sandbox') return undefined;
    const found = [...this.stored.values()].find((stored) => stored.payment.bankPaymentId === bankPaymentId);
    return found === undefined ? undefined : { payment: found.payment, outbox: [...found.outbox] };
  }

  async update(previous: Payment, next: Payment, outbox: readonly DomainEvent[]): Promise<boolean> {
    await this.runOnce('beforeNextUpdate');
    if (!this.isAtVersion(previous, previous.version)) return false;
    return this.writeIfVersion(next, outbox);
  }

  /** The conditional write shared with the transaction store's atomic record. */
  writeIfVersion(next: Payment, outbox: readonly DomainEvent[]): boolean {
    const stored = this.stored.get(paymentKeyOf(next.tenantId, next.id));
    if (stored === undefined || stored.payment.version !== next.version - 1) return false;
    this.stored.set(paymentKeyOf(next.tenantId, next.id), { payment: next, outbox: [...stored.outbox, ...outbox] });
    this.cash.apply([{ position: next, move: paymentMove(stored.payment, next) }], next.updatedAt);
    return true;
  }

  isAtVersion(payment: Payment, version: number): boolean {
    return this.stored.get(paymentKeyOf(payment.tenantId, payment.id))?.payment.version === version;
  }

  async clearOutbox(tenantId: string, paymentId: string, published: readonly DomainEvent[]): Promise<void> {
    const stored = this.stored.get(paymentKeyOf(tenantId, paymentId));
    if (stored !== undefined && sameEvents(stored.outbox, published)) stored.outbox = [];
  }

  async findCandidates(tenantId: string, accountId: string, keys: readonly string[], prefixKey: string | null): Promise<OpenPaymentCandidate[]> {
    this.lookups.push({ keys: [...keys], prefixKey });
    const candidates = [...this.stored.values()]
      .map((stored) => stored.payment)
      .filter(
        (payment) =>
          payment.tenantId === tenantId &&
          payment.accountId === accountId &&
          // Like the index: open payments, and closed ones that were indexed (authorised at least once).
          (isOpen(payment) || payment.status === 'settled' || payment.status === 'failed') &&
          (keys.includes(payment.matchingKey) || (prefixKey !== null && payment.matchingKey.startsWith(prefixKey))),
      )
      .map((payment) => ({ paymentId: payment.id, matchingKey: payment.matchingKey, currency: payment.currency, direction: payment.direction, open: isOpen(payment) }));
    await this.runOnce('afterNextLookup');
    return candidates;
  }

  private async runOnce(hook: 'beforeNextUpdate' | 'afterNextLookup'): Promise<void> {
    const action = this[hook];
    this[hook] = undefined;
    if (action !== undefined) await action();
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Bank transactions

const transactionKeyOf = (tenantId: string, accountId: string, bankTransactionId: string): string => `${tenantId}|${accountId}|${bankTransactionId}`;

/**
 * Bank transactions stored once per (account, bank transaction id), with their outbox. `record` is one atomic write
 * like the DynamoDB TransactWrite: a duplicate bank id wins over a stale payment version, and nothing is written
 * unless every condition holds.
 */
export class InMemoryTransactionStore implements TransactionStore {
  private readonly stored = new Map<string, { transaction: BankTransaction; outbox: DomainEvent[] }>();
  private readonly endToEnd = new Map<string, string>();
  readonly keptAside: { report: ReportedTransaction; receivedAt: string }[] = [];
  readonly exceptions: ReconciliationException[] = [];
  readonly recordResults: RecordResult[] = [];
  /** Runs once, just before the next record is attempted: a concurrent writer getting there first. */
  beforeNextRecord: (() => Promise<void>) | undefined;

  constructor(private readonly payments: InMemoryPaymentRepository) {}

  all(): StoredTransaction[] {
    return [...this.stored.values()].map((stored) => ({ transaction: stored.transaction, outbox: [...stored.outbox] }));
  }

  async get(tenantId: string, accountId: string, bankTransactionId: string): Promise<StoredTransaction | undefined> {
    const stored = this.stored.get(transactionKeyOf(tenantId, accountId, bankTransactionId));
    return stored === undefined ? undefined : { transaction: stored.transaction, outbox: [...stored.outbox] };
  }

  async findPendingByEndToEndId(tenantId: string, accountId: string, endToEndId: string): Promise<BankTransaction | undefined> {
    const bankTransactionId = this.endToEnd.get(`${tenantId}|${accountId}|${endToEndId}`);
    if (bankTransactionId === undefined) return undefined;
    const twin = this.stored.get(transactionKeyOf(tenantId, accountId, bankTransactionId))?.transaction;
    return twin?.supersededBy === null ? twin : undefined;
  }

  async findBookedByEndToEndId(tenantId: string, accountId: string, endToEndId: string): Promise<BankTransaction | undefined> {
    const bankTransactionId = this.endToEnd.get(`${tenantId}|${accountId}|${endToEndId}|booked`);
    return bankTransactionId === undefined ? undefined : this.stored.get(transactionKeyOf(tenantId, accountId, bankTransactionId))?.transaction;
  }

  private readonly twinClaims = new Map<string, string>();

  async claimTwin(tenantId: string, accountId: string, twinBankTransactionId: string, claimantBankTransactionId: string): Promise<boolean> {
    const key = transactionKeyOf(tenantId, accountId, twinBankTransactionId);
    const claimant = this.twinClaims.get(key);
    if (claimant !== undefined) return claimant === claimantBankTransactionId;
    this.twinClaims.set(key, claimantBankTransactionId);
    return true;
  }

  async findBookedSummaryByEndToEndId(tenantId: string, accountId: string, endToEndId: string): Promise<BookedSummary | undefined> {
    const booked = await this.findBookedByEndToEndId(tenantId, accountId, endToEndId);
    if (booked === undefined) return undefined;
    const { bankTransactionId, creditDebitIndicator, amount, currency, bookingDateTime } = booked;
    return { bankTransactionId, creditDebitIndicator, amount, currency, bookingDateTime, importId: booked.importId ?? null };
  }

  async record(entry: {
    readonly transaction: BankTransaction;
    readonly paymentChanges: readonly { readonly from: Payment; readonly to: Payment }[];
    readonly exception: ReconciliationException | undefined;
    readonly supersedes: BankTransaction | undefined;
    readonly outbox: readonly DomainEvent[];
  }): Promise<RecordResult> {
    const hook = this.beforeNextRecord;
    this.beforeNextRecord = undefined;
    if (hook !== undefined) await hook();
    const result = this.recordAtomically(entry);
    this.recordResults.push(result);
    return result;
  }

  private recordAtomically(entry: {
    readonly transaction: BankTransaction;
    readonly paymentChanges: readonly { readonly from: Payment; readonly to: Payment }[];
    readonly exception: ReconciliationException | undefined;
    readonly supersedes: BankTransaction | undefined;
    readonly outbox: readonly DomainEvent[];
  }): RecordResult {
    const { transaction, supersedes, outbox } = entry;
    const changed = entry.paymentChanges.map((change) => change.to);
    const key = transactionKeyOf(transaction.tenantId, transaction.accountId, transaction.bankTransactionId);
    if (this.stored.has(key)) return 'duplicate';
    if (changed.some((payment) => !this.payments.isAtVersion(payment, payment.version - 1))) return 'payment_changed';
    const twinKey = supersedes === undefined ? undefined : transactionKeyOf(supersedes.tenantId, supersedes.accountId, supersedes.bankTransactionId);
    const twin = twinKey === undefined ? undefined : this.stored.get(twinKey);
    if (twinKey !== undefined && twin === undefined) throw new Error('TransactionCanceledException: superseded transaction does not exist');
    // The adapter's condition: a twin is replaced once (what it counted comes off once).
    if (twin !== undefined && twin.transaction.supersededBy !== null && twin.transaction.supersededBy !== transaction.id) return 'payment_changed';

    this.stored.set(key, { transaction, outbox: [...outbox] });
    for (const payment of changed) this.payments.writeIfVersion(payment, []);
    // The payments' moves went with their writes; the transaction's and the replaced twin's go here, in the same step.
    this.payments.cash.apply(reconciliationMoves({ transaction, paymentChanges: [], supersedes }), transaction.receivedAt);
    if (entry.exception !== undefined) this.exceptions.push(entry.exception);
    if (transaction.status === 'pending' && transaction.endToEndId !== null) {
      this.endToEnd.set(`${transaction.tenantId}|${transaction.accountId}|${transaction.endToEndId}`, transaction.bankTransactionId);
    }
    if (transaction.status === 'booked' && transaction.endToEndId !== null) {
      this.endToEnd.set(`${transaction.tenantId}|${transaction.accountId}|${transaction.endToEndId}|booked`, transaction.bankTransactionId);
    }
    if (twin !== undefined) twin.transaction = { ...twin.transaction, supersededBy: transaction.id };
    return 'recorded';
  }

  /** The exception store's write of a transaction's reconciliation (`attribute_exists(pk)`): false if not stored. */
  replaceReconciliation(transaction: BankTransaction): boolean {
    const stored = this.stored.get(transactionKeyOf(transaction.tenantId, transaction.accountId, transaction.bankTransactionId));
    if (stored === undefined) return false;
    stored.transaction = { ...stored.transaction, reconciliation: transaction.reconciliation };
    return true;
  }

  async clearOutbox(transaction: BankTransaction, published: readonly DomainEvent[]): Promise<void> {
    const stored = this.stored.get(transactionKeyOf(transaction.tenantId, transaction.accountId, transaction.bankTransactionId));
    if (stored !== undefined && sameEvents(stored.outbox, published)) stored.outbox = [];
  }

  async keepAside(report: ReportedTransaction, receivedAt: string): Promise<void> {
    this.keptAside.push({ report, receivedAt });
  }

  async list(tenantId: string, accountId: string, filter: TransactionFilter, page: PageRequest): Promise<Page<BankTransaction>> {
    const transactions = [...this.stored.values()]
      .map((stored) => stored.transaction)
      .filter(
        (transaction) =>
          transaction.tenantId === tenantId &&
          transaction.accountId === accountId &&
          (filter.status === undefined || transaction.status === filter.status) &&
          (filter.reconciliation === undefined || transaction.reconciliation.status === filter.reconciliation) &&
          (filter.direction === undefined || transaction.creditDebitIndicator === filter.direction) &&
          (filter.includeSuperseded === true || transaction.supersededBy === null) &&
          (filter.q === undefined || [transaction.reference, transaction.description].some((text) => text?.toLowerCase().includes(filter.q?.toLowerCase() ?? ''))),
      );
    return firstPage(transactions, page);
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Reconciliation exceptions

/**
 * The exceptions the transaction store opened, resolved like the DynamoDB adapter: one atomic write, only if the
 * exception is still open, every payment still at the version read and the refund payment new.
 */
export class InMemoryExceptionStore implements ExceptionStore {
  private readonly outboxes = new Map<string, DomainEvent[]>();
  /** Runs once, just before the next resolve is attempted: a colleague resolving it first. */
  beforeNextResolve: (() => Promise<void>) | undefined;

  constructor(
    private readonly transactions: InMemoryTransactionStore,
    private readonly payments: InMemoryPaymentRepository,
  ) {}

  async get(tenantId: string, exceptionId: string): Promise<{ exception: ReconciliationException; outbox: readonly DomainEvent[] } | undefined> {
    const exception = this.transactions.exceptions.find((candidate) => candidate.tenantId === tenantId && candidate.id === exceptionId);
    return exception === undefined ? undefined : { exception, outbox: [...(this.outboxes.get(exceptionId) ?? [])] };
  }

  async list(tenantId: string, filter: ExceptionFilter, page: PageRequest): Promise<Page<ReconciliationException>> {
    const exceptions = this.transactions.exceptions.filter(
      (exception) =>
        exception.tenantId === tenantId &&
        (filter.status === undefined || exception.status === filter.status) &&
        (filter.type === undefined || exception.type === filter.type) &&
        (filter.accountId === undefined || exception.accountId === filter.accountId),
    );
    return firstPage(exceptions, page);
  }

  async resolve(entry: {
    readonly exception: ReconciliationException;
    readonly transaction: BankTransaction;
    readonly paymentChanges: readonly { readonly from: Payment; readonly to: Payment }[];
    readonly refund: Payment | undefined;
    readonly outbox: readonly DomainEvent[];
  }): Promise<boolean> {
    const hook = this.beforeNextResolve;
    this.beforeNextResolve = undefined;
    if (hook !== undefined) await hook();
    const { exception, refund } = entry;
    const index = this.transactions.exceptions.findIndex((candidate) => candidate.tenantId === exception.tenantId && candidate.id === exception.id);
    if (this.transactions.exceptions[index]?.status !== 'open') return false;
    if (entry.paymentChanges.some((change) => !this.payments.isAtVersion(change.to, change.to.version - 1))) return false;
    if (refund !== undefined && (await this.payments.get(refund.tenantId, refund.id)) !== undefined) return false;
    if (!this.transactions.replaceReconciliation(entry.transaction)) return false;
    this.transactions.exceptions[index] = exception;
    this.outboxes.set(exception.id, [...entry.outbox]);
    for (const change of entry.paymentChanges) this.payments.writeIfVersion(change.to, []);
    if (refund !== undefined) await this.payments.create(refund);
    return true;
  }

  async clearOutbox(tenantId: string, exceptionId: string, published: readonly DomainEvent[]): Promise<void> {
    const outbox = this.outboxes.get(exceptionId) ?? [];
    if (sameEvents(outbox, published)) this.outboxes.set(exceptionId, []);
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Events

/** Records every publish; `failNext` makes the next publish throw (EventBridge unavailable) before anything is sent. */
export class RecordingEventPublisher implements EventPublisher {
  readonly published: DomainEvent[] = [];
  private failures: Error[] = [];

  failNext(error = new Error('EventBridge unavailable')): void {
    this.failures.push(error);
  }

  async publish(events: readonly DomainEvent[]): Promise<void> {
    const failure = this.failures.shift();
    if (failure !== undefined) throw failure;
    this.published.push(...events);
  }

  types(): EventType[] {
    return this.published.map((event) => event.type);
  }

  ids(): string[] {
    return this.published.map((event) => event.metadata.id);
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Cash positions

const positionKeyOf = (tenantId: string, accountId: string, currency: string): string => `${tenantId}|${accountId}|${currency}`;

/**
 * Cash positions as counters. Moves arrive with the writes that cause them (the payment and transaction fakes call
 * `apply` inside their own atomic writes, as the DynamoDB adapters add the ADD to their TransactWriteItems); a move
 * to a position nobody opened is kept anyway, like a sub-item DynamoDB creates, but such a position is not listed.
 */
export class InMemoryCashPositionStore implements CashPositionStore {
  private readonly positions = new Map<string, CashPosition>();
  private readonly unopened = new Map<string, CashMove>();

  /** The opening position, as connecting an account creates it. */
  open(position: { tenantId: string; accountId: string; currency: string; openingBalance: number }): void {
    const key = positionKeyOf(position.tenantId, position.accountId, position.currency);
    const early = this.unopened.get(key) ?? NO_MOVE;
    this.unopened.delete(key);
    this.positions.set(key, {
      tenantId: position.tenantId,
      accountId: position.accountId,
      currency: position.currency,
      settledBalance: position.openingBalance + early.settled,
      pendingInbound: early.pendingInbound,
      pendingOutbound: early.pendingOutbound,
      asOf: AT,
    });
  }

  apply(moves: readonly { readonly position: PositionRef; readonly move: CashMove }[], at: string): void {
    for (const { position: ref, move } of moves) {
      if (isNoMove(move)) continue;
      const key = positionKeyOf(ref.tenantId, ref.accountId, ref.currency);
      const position = this.positions.get(key);
      if (position === undefined) {
        this.unopened.set(key, addMoves(this.unopened.get(key) ?? NO_MOVE, move));
        continue;
      }
      this.positions.set(key, {
        ...position,
        settledBalance: position.settledBalance + move.settled,
        pendingInbound: position.pendingInbound + move.pendingInbound,
        pendingOutbound: position.pendingOutbound + move.pendingOutbound,
        asOf: at > position.asOf ? at : position.asOf,
      });
    }
  }

  async get(tenantId: string, accountId: string, currency: string): Promise<CashPosition | undefined> {
    return this.positions.get(positionKeyOf(tenantId, accountId, currency));
  }

  async list(tenantId: string): Promise<CashPosition[]> {
    return [...this.positions.values()].filter((position) => position.tenantId === tenantId);
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Idempotency

/** Idempotency records with the DynamoDB adapter's conditions (an expired record counts as absent). */
export class InMemoryIdempotencyStore implements IdempotencyStore {
  readonly records = new Map<string, { status: 'in_progress' | 'completed'; fingerprint: string; expiresAt: Date; response?: StoredResponse }>();

  constructor(private readonly now: () => Date = () => new Date()) {}

  async reserve(tenantId: string, key: string, fingerprint: string, expiresAt: Date): Promise<Reservation> {
    const existing = this.records.get(`${tenantId}|${key}`);
    if (existing === undefined || existing.expiresAt.getTime() < this.now().getTime()) {
      this.records.set(`${tenantId}|${key}`, { status: 'in_progress', fingerprint, expiresAt });
      return { state: 'acquired' };
    }
    if (existing.status === 'completed' && existing.response !== undefined) {
      return { state: 'completed', fingerprint: existing.fingerprint, response: existing.response };
    }
    return { state: 'in_progress', fingerprint: existing.fingerprint };
  }

  async complete(tenantId: string, key: string, fingerprint: string, response: StoredResponse): Promise<void> {
    const existing = this.records.get(`${tenantId}|${key}`);
    if (existing === undefined || existing.fingerprint !== fingerprint) throw new Error('ConditionalCheckFailedException');
    this.records.set(`${tenantId}|${key}`, { ...existing, status: 'completed', response });
  }

  async release(tenantId: string, key: string, fingerprint: string): Promise<void> {
    const existing = this.records.get(`${tenantId}|${key}`);
    if (existing?.status === 'in_progress' && existing.fingerprint === fingerprint) this.records.delete(`${tenantId}|${key}`);
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Tenant callbacks

export class InMemoryEventLog implements EventLog {
  readonly events: DomainEvent[] = [];
  readonly deliveries = new Map<string, string>();

  async append(event: DomainEvent): Promise<boolean> {
    if (this.events.some((logged) => logged.metadata.tenantId === event.metadata.tenantId && logged.metadata.id === event.metadata.id)) return false;
    this.events.push(event);
    return true;
  }

  async appendAll(events: readonly DomainEvent[]): Promise<boolean> {
    const logged = (event: DomainEvent) => this.events.some((entry) => entry.metadata.tenantId === event.metadata.tenantId && entry.metadata.id === event.metadata.id);
    if (events.some(logged)) return false;
    this.events.push(...events);
    return true;
  }

  async get(tenantId: string, eventId: string): Promise<DomainEvent | undefined> {
    return this.events.find((event) => event.metadata.tenantId === tenantId && event.metadata.id === eventId);
  }

  async list(tenantId: string, filter: { type?: EventType | undefined; after?: string | undefined; since?: string | undefined }, page: PageRequest): Promise<Page<DomainEvent>> {
    return firstPage(
      this.events.filter(
        (event) =>
          event.metadata.tenantId === tenantId &&
          (filter.type === undefined || event.type === filter.type) &&
          (filter.since === undefined || event.metadata.occurredAt >= filter.since),
      ),
      page,
    );
  }

  /** Claims as the DynamoDB adapter writes them: the attempt claimed, when, and how it finished, per event and endpoint. */
  readonly claims = new Map<string, { attempt: number; claimedAt: string; finished?: 'retry_scheduled' | 'given_up' }>();

  async claimAttempt(ref: DeliveryRef, attempt: number, now: string, staleBefore: string): Promise<AttemptClaim> {
    const key = `${ref.tenantId}|${ref.eventId}|${ref.endpointId}${ref.redeliveryId === undefined ? '' : `|${ref.redeliveryId}`}`;
    if (this.deliveries.has(key)) return { kind: 'delivered' };
    const held = this.claims.get(key);
    const claimable = held === undefined || held.attempt < attempt || (held.attempt === attempt && held.finished === undefined && held.claimedAt < staleBefore);
    if (claimable) {
      this.claims.set(key, { attempt, claimedAt: now });
      return { kind: 'claimed' };
    }
    if (held.finished === 'given_up' && held.attempt === attempt) return { kind: 'given_up' };
    if (held.attempt === attempt && held.finished === undefined) return { kind: 'in_flight', claimedAt: held.claimedAt };
    return { kind: 'taken' };
  }

  /** All or none, as one TransactWriteItems of the DynamoDB adapter's claims. */
  async claimAttempts(refs: readonly DeliveryRef[], attempt: number, now: string, staleBefore: string): Promise<boolean> {
    const claimable = (ref: DeliveryRef) => {
      const key = `${ref.tenantId}|${ref.eventId}|${ref.endpointId}${ref.redeliveryId === undefined ? '' : `|${ref.redeliveryId}`}`;
      if (this.deliveries.has(key)) return false;
      const held = this.claims.get(key);
      return held === undefined || held.attempt < attempt || (held.attempt === attempt && held.finished === undefined && held.claimedAt < staleBefore);
    };
    if (!refs.every(claimable)) return false;
    for (const ref of refs) await this.claimAttempt(ref, attempt, now, staleBefore);
    return true;
  }

  async markAllDelivered(refs: readonly DeliveryRef[], at: string): Promise<void> {
    for (const ref of refs) await this.markDelivered(ref.tenantId, ref.eventId, ref.endpointId, at, ref.redeliveryId);
  }

  async finishAttempt(ref: DeliveryRef, attempt: number, outcome: 'retry_scheduled' | 'given_up'): Promise<void> {
    const key = `${ref.tenantId}|${ref.eventId}|${ref.endpointId}${ref.redeliveryId === undefined ? '' : `|${ref.redeliveryId}`}`;
    const held = this.claims.get(key);
    if (held?.attempt === attempt) this.claims.set(key, { ...held, finished: outcome });
  }

  async markDelivered(tenantId: string, eventId: string, endpointId: string, at: string, redeliveryId?: string): Promise<void> {
    this.deliveries.set(`${tenantId}|${eventId}|${endpointId}${redeliveryId === undefined ? '' : `|${redeliveryId}`}`, at);
  }
}

export class InMemoryWebhookEndpointRepository implements WebhookEndpointRepository {
  readonly endpoints: WebhookEndpoint[] = [];

  constructor(endpoints: readonly WebhookEndpoint[] = []) {
    this.endpoints.push(...endpoints);
  }

  async create(endpoint: WebhookEndpoint): Promise<void> {
    this.endpoints.push(endpoint);
  }

  async get(tenantId: string, endpointId: string): Promise<WebhookEndpoint | undefined> {
    return this.endpoints.find((endpoint) => endpoint.tenantId === tenantId && endpoint.id === endpointId);
  }

  async list(tenantId: string, page: PageRequest): Promise<Page<WebhookEndpoint>> {
    return firstPage(
      this.endpoints.filter((endpoint) => endpoint.tenantId === tenantId),
      page,
    );
  }

  async listEnabled(tenantId: string): Promise<WebhookEndpoint[]> {
    return this.endpoints.filter((endpoint) => endpoint.tenantId === tenantId && endpoint.status === 'enabled');
  }

  async delete(tenantId: string, endpointId: string): Promise<boolean> {
    const index = this.endpoints.findIndex((endpoint) => endpoint.tenantId === tenantId && endpoint.id === endpointId);
    if (index === -1) return false;
    this.endpoints.splice(index, 1);
    return true;
  }

  async disable(tenantId: string, endpointId: string, reason: string): Promise<void> {
    const index = this.endpoints.findIndex((endpoint) => endpoint.tenantId === tenantId && endpoint.id === endpointId);
    const endpoint = this.endpoints[index];
    if (endpoint !== undefined) this.endpoints[index] = { ...endpoint, status: 'disabled', disabledReason: reason };
  }
}

/** Answers each endpoint (by id) with the next scripted result, 200 once the script runs out; records every send. */
/** Delivery attempts as scheduled, for a test to take and attempt as the callback-deliverer would. */
export class RecordingDeliveryQueue implements DeliveryQueue {
  readonly scheduled: DeliveryAttempt[] = [];
  async schedule(attempts: readonly DeliveryAttempt[]): Promise<void> {
    this.scheduled.push(...attempts);
  }
}

export class ScriptedCallbackSender implements CallbackSender {
  readonly sent: { endpointId: string; eventId: string; body: string }[] = [];
  private readonly scripts = new Map<string, DeliveryResult[]>();

  answer(endpointId: string, ...results: DeliveryResult[]): this {
    this.scripts.set(endpointId, [...(this.scripts.get(endpointId) ?? []), ...results]);
    return this;
  }

  /** Runs while a request is "on the wire", before its answer (to interleave a concurrent delivery). */
  beforeAnswer: (() => void) | undefined;

  async send(endpoint: WebhookEndpoint, eventId: string, body: string): Promise<DeliveryResult> {
    this.sent.push({ endpointId: endpoint.id, eventId, body });
    const interleave = this.beforeAnswer;
    this.beforeAnswer = undefined;
    interleave?.();
    await Promise.resolve();
    return this.scripts.get(endpoint.id)?.shift() ?? { kind: 'response', status: 200 };
  }

  sentTo(): string[] {
    return this.sent.map((sent) => sent.endpointId);
  }
}
