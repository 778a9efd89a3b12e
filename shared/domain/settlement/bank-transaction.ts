import type { Provider } from '../accounts/account';

export type TransactionStatus = 'booked' | 'pending';
export type CreditDebit = 'credit' | 'debit';

/** A transaction as a bank reports it, normalised from any provider's format, before it is tied to an account. */
export interface ReportedTransaction {
  readonly provider: Provider;
  readonly sortCode: string;
  readonly accountNumber: string;
  readonly bankTransactionId: string;
  readonly status: TransactionStatus;
  readonly creditDebitIndicator: CreditDebit;
  /** Minor units, positive; the indicator carries the sign. */
  readonly amount: number;
  readonly currency: string;
  readonly bookingDateTime: string;
  readonly valueDateTime: string | null;
  readonly reference: string | null;
  readonly description: string | null;
  readonly endToEndId: string | null;
  readonly counterparty: { readonly name?: string; readonly sortCode?: string; readonly accountNumber?: string } | null;
  readonly merchant: { readonly name?: string; readonly categoryCode?: string } | null;
  readonly category: string | null;
}

/** pending: not yet booked, so it settles nothing; needs_review: a reference matched more than one open payment. */
export type ReconciliationStatus = 'matched' | 'unmatched' | 'needs_review' | 'pending';

export interface Reconciliation {
  readonly status: ReconciliationStatus;
  readonly paymentIds: readonly string[];
  readonly exceptionId: string | null;
  /** Why: the keys looked up and the open payments they found. */
  readonly matchedBy: 'reference' | 'manual' | null;
  readonly keys: readonly string[];
  readonly candidatePaymentIds: readonly string[];
}

/** A transaction stored once on one connected account, keyed by (account, bank transaction id). */
export interface BankTransaction extends Omit<ReportedTransaction, 'provider' | 'sortCode' | 'accountNumber'> {
  readonly id: string;
  readonly tenantId: string;
  readonly accountId: string;
  readonly receivedAt: string;
  readonly reconciliation: Reconciliation;
  /** The pending transaction this booked one replaces (same end-to-end id, new bank transaction id). */
  readonly supersedes: string | null;
  readonly supersededBy: string | null;
}
