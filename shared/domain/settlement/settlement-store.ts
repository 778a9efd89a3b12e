import type { Page, PageRequest, Provider } from '../accounts/account';
import type { DomainEvent } from '../events/domain-event';
import type { Payment } from '../payments/payment';
import type { ReconciliationException } from '../reconciliation/reconciliation-exception';
import type { BankTransaction, ReconciliationStatus, ReportedTransaction, TransactionStatus } from './bank-transaction';
import type { OpenPaymentCandidate } from './matching';

/** The open payments of one account, indexed by matching key. Lookups cost the same however many are open. */
export interface ReferenceIndex {
  /** Payments indexed under exactly one of `keys`, plus those whose key starts with `prefixKey`. */
  findCandidates(tenantId: string, accountId: string, keys: readonly string[], prefixKey: string | null): Promise<OpenPaymentCandidate[]>;
}

export interface StoredTransaction {
  readonly transaction: BankTransaction;
  /** Events committed with the transaction and not yet confirmed published (transactional outbox). */
  readonly outbox: readonly DomainEvent[];
}

export interface BookedSummary {
  readonly bankTransactionId: string;
  readonly creditDebitIndicator: 'credit' | 'debit';
  readonly amount: number;
  readonly currency: string;
  readonly bookingDateTime: string;
  readonly importId: string | null;
}

export type RecordResult = 'recorded' | 'duplicate' | 'payment_changed';

export interface TransactionFilter {
  readonly from?: string | undefined;
  readonly to?: string | undefined;
  readonly status?: TransactionStatus | undefined;
  readonly reconciliation?: ReconciliationStatus | undefined;
  readonly direction?: 'credit' | 'debit' | undefined;
  /** Reference or description contains this, ignoring case. */
  readonly q?: string | undefined;
  /** Pending transactions a booked one replaced are hidden unless this is true. */
  readonly includeSuperseded?: boolean | undefined;
}

export interface TransactionStore {
  get(tenantId: string, accountId: string, bankTransactionId: string): Promise<StoredTransaction | undefined>;
  /** The still-pending transaction with this end-to-end id, which a booked one may replace. */
  findPendingByEndToEndId(tenantId: string, accountId: string, endToEndId: string): Promise<BankTransaction | undefined>;
  /** The booked transaction with this end-to-end id: a pending one reported after it is already replaced. */
  findBookedByEndToEndId(tenantId: string, accountId: string, endToEndId: string): Promise<BankTransaction | undefined>;
  /**
   * What the end-to-end index says of the booked transaction with this end-to-end id, from one read (no read of the
   * transaction itself): enough to recognise the same booking reported by the other kind of source.
   */
  findBookedSummaryByEndToEndId(tenantId: string, accountId: string, endToEndId: string): Promise<BookedSummary | undefined>;
  /**
   * Takes the stored transaction `twinBankTransactionId` as the one `claimantBankTransactionId` (reported by the other
   * kind of source) stands for: true if it was free or already taken by this claimant, false if another report took
   * it (then the claimant is a booking of its own). One claim per stored transaction, whatever redelivers it.
   */
  claimTwin(tenantId: string, accountId: string, twinBankTransactionId: string, claimantBankTransactionId: string): Promise<boolean>;
  /**
   * One atomic write: the transaction (only if its bank id is new on the account), the changes it makes to the
   * payments it matched (each only if still at the version read, moving in the reference index as it closes or
   * reopens), the exception it opens, the pending twin it supersedes, and the outbox. 'duplicate': already stored;
   * 'payment_changed': a payment moved on meanwhile (or a concurrent write to it collided), decide again.
   */
  record(entry: {
    readonly transaction: BankTransaction;
    /** Each payment as read and as it becomes. */
    readonly paymentChanges: readonly { readonly from: Payment; readonly to: Payment }[];
    readonly exception: ReconciliationException | undefined;
    readonly supersedes: BankTransaction | undefined;
    readonly outbox: readonly DomainEvent[];
    /** A statement import's transaction: counted as stored for the import in the same write, once. */
    readonly countFor?: { readonly importId: string } | undefined;
  }): Promise<RecordResult>;
  /** Drops the outbox once `published` (exactly what it held) went out. */
  clearOutbox(transaction: BankTransaction, published: readonly DomainEvent[]): Promise<void>;
  /** Keeps a transaction for a bank account nobody connected, so it is never dropped. */
  keepAside(report: ReportedTransaction, receivedAt: string): Promise<void>;
  list(tenantId: string, accountId: string, filter: TransactionFilter, page: PageRequest): Promise<Page<BankTransaction>>;
}

/** A provider's report on a payment it was asked to make. */
export interface PaymentStatusReport {
  readonly provider: Provider;
  readonly bankPaymentId: string;
  readonly status: 'authorised' | 'executed' | 'rejected';
  readonly at: string;
  readonly reason: string | null;
}
