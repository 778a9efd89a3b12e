import type { Page, PageRequest } from '../accounts/account';
import type { DomainEvent } from '../events/domain-event';
import { formatAmount } from '../money';
import type { Payment } from '../payments/payment';
import type { BankTransaction, CreditDebit } from '../settlement/bank-transaction';

export const EXCEPTION_TYPES = ['unmatched', 'ambiguous', 'amount_mismatch', 'duplicate_payment', 'returned'] as const;
export type ExceptionType = (typeof EXCEPTION_TYPES)[number];

export interface ExceptionResolution {
  readonly action: 'match' | 'dismiss';
  readonly paymentIds: readonly string[];
  readonly note: string | null;
  readonly resolvedAt: string;
}

/**
 * A transaction that needs a person: nothing automatic was safe (no reference match, several, a settled invoice
 * paid again) or something happened that must not pass silently (an over-payment, a return).
 */
export interface ReconciliationException {
  readonly id: string;
  readonly tenantId: string;
  readonly accountId: string;
  readonly type: ExceptionType;
  /** Why, in words a finance team reads. */
  readonly reason: string;
  readonly transactionId: string;
  readonly bankTransactionId: string;
  readonly creditDebitIndicator: CreditDebit;
  /** Minor units. */
  readonly amount: number;
  readonly currency: string;
  readonly candidatePaymentIds: readonly string[];
  readonly status: 'open' | 'resolved';
  readonly resolution: ExceptionResolution | null;
  readonly createdAt: string;
}

export const exceptionView = (exception: ReconciliationException) => ({
  id: exception.id,
  type: exception.type,
  status: exception.status,
  reason: exception.reason,
  accountId: exception.accountId,
  transactionId: exception.transactionId,
  bankTransactionId: exception.bankTransactionId,
  creditDebitIndicator: exception.creditDebitIndicator,
  amount: formatAmount(exception.amount, exception.currency),
  currency: exception.currency,
  candidatePaymentIds: exception.candidatePaymentIds,
  resolution: exception.resolution,
  createdAt: exception.createdAt,
});

export interface ExceptionFilter {
  readonly status?: 'open' | 'resolved' | undefined;
  readonly type?: ExceptionType | undefined;
  readonly accountId?: string | undefined;
  /** Only exceptions opened at or after this instant (the reconciliation report reads none opened before its period). */
  readonly createdFrom?: string | undefined;
}

export interface ExceptionStore {
  get(tenantId: string, exceptionId: string): Promise<{ exception: ReconciliationException; outbox: readonly DomainEvent[] } | undefined>;
  list(tenantId: string, filter: ExceptionFilter, page: PageRequest): Promise<Page<ReconciliationException>>;
  /**
   * One atomic write: the exception resolved (only if still open), the transaction's reconciliation updated, and
   * each payment changed (only if still at the version read). false when any of them changed meanwhile.
   */
  resolve(entry: {
    readonly exception: ReconciliationException;
    readonly transaction: BankTransaction;
    readonly paymentChanges: readonly { readonly from: Payment; readonly to: Payment }[];
    readonly outbox: readonly DomainEvent[];
  }): Promise<boolean>;
  clearOutbox(tenantId: string, exceptionId: string, published: readonly DomainEvent[]): Promise<void>;
}
