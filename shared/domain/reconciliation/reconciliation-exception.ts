import type { Page, PageRequest } from '../accounts/account';
import type { DomainEvent } from '../events/domain-event';
import { formatAmount } from '../money';
import type { Payment } from '../payments/payment';
import type { BankTransaction, CreditDebit } from '../settlement/bank-transaction';

export const EXCEPTION_TYPES = ['unmatched', 'ambiguous', 'amount_mismatch', 'duplicate_payment', 'returned'] as const;
export type ExceptionType = (typeof EXCEPTION_TYPES)[number];

export const RESOLUTION_ACTIONS = ['match', 'refund', 'dismiss'] as const;
export type ResolutionAction = (typeof RESOLUTION_ACTIONS)[number];

/** How a person resolved an exception, who, and when: kept with it for the audit trail. */
export interface ExceptionResolution {
  readonly action: ResolutionAction;
  /** Who resolved it: the API key that made the request (its id, never the key). */
  readonly by: string;
  readonly at: string;
  /** match: the payments the transaction was applied to, in the order given. */
  readonly paymentIds: readonly string[];
  /** dismiss: why. */
  readonly note: string | null;
  /** refund: the outbound payment that sends the money back to the payer. */
  readonly refundPaymentId: string | null;
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
  resolution: exception.resolution === null ? null : resolutionView(exception.resolution),
  createdAt: exception.createdAt,
});

const resolutionView = (resolution: ExceptionResolution) => ({
  action: resolution.action,
  by: resolution.by,
  at: resolution.at,
  // The name the first version of the API gave `at`; kept so existing clients keep reading it.
  resolvedAt: resolution.at,
  paymentIds: resolution.paymentIds,
  note: resolution.note,
  refundPaymentId: resolution.refundPaymentId,
});

export interface ExceptionFilter {
  readonly status?: 'open' | 'resolved' | undefined;
  readonly type?: ExceptionType | undefined;
  readonly accountId?: string | undefined;
  /** Only exceptions opened at or after this instant (the reconciliation report reads none opened before its period). */
  readonly createdFrom?: string | undefined;
  /** Only exceptions opened at or before this instant. */
  readonly createdTo?: string | undefined;
}

export interface ExceptionStore {
  get(tenantId: string, exceptionId: string): Promise<{ exception: ReconciliationException; outbox: readonly DomainEvent[] } | undefined>;
  list(tenantId: string, filter: ExceptionFilter, page: PageRequest): Promise<Page<ReconciliationException>>;
  /**
   * One atomic write: the exception resolved (only if still open) with its outbox, the transaction's
   * reconciliation updated, each payment changed (only if still at the version read), and the refund payment
   * created (only if new). false when any of them changed meanwhile.
   */
  resolve(entry: {
    readonly exception: ReconciliationException;
    readonly transaction: BankTransaction;
    readonly paymentChanges: readonly { readonly from: Payment; readonly to: Payment }[];
    readonly refund: Payment | undefined;
    readonly outbox: readonly DomainEvent[];
  }): Promise<boolean>;
  clearOutbox(tenantId: string, exceptionId: string, published: readonly DomainEvent[]): Promise<void>;
}
