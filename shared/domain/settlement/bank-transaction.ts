import type { Provider } from '../accounts/account';
import { parseIban } from '../accounts/iban';

export type TransactionStatus = 'booked' | 'pending';

/** An ISO 20022 bank transaction code: the structured domain/family/sub-family and/or the bank's proprietary code. */
export interface BankTransactionCode {
  readonly domain: { readonly code: string; readonly family: string; readonly subFamily: string } | null;
  readonly proprietary: { readonly code: string; readonly issuer: string | null } | null;
}
export type CreditDebit = 'credit' | 'debit';

/** A transaction as a bank reports it, normalised from any provider's format, before it is tied to an account. */
export interface ReportedTransaction {
  readonly provider: Provider;
  readonly sortCode: string;
  readonly accountNumber: string;
  /**
   * The account's IBAN, when the source names the account by one (camt statements, EUR accounts). A GB IBAN
   * routes by the sort code and account number inside it; another country's IBAN is the only routing key, and
   * sortCode and accountNumber are then empty strings. Optional: UK sources name sort code and account number.
   */
  readonly iban?: string;
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
  /**
   * The bank transaction code as the source states it (camt `BkTxCd`; Open Banking `BankTransactionCode`, whose
   * Code/SubCode are the ISO family and sub-family, and `ProprietaryBankTransactionCode`). Optional: not every source has one.
   */
  readonly bankTransactionCode?: BankTransactionCode | null;
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
export interface BankTransaction extends Omit<ReportedTransaction, 'provider' | 'sortCode' | 'accountNumber' | 'iban'> {
  readonly id: string;
  readonly tenantId: string;
  readonly accountId: string;
  readonly receivedAt: string;
  readonly reconciliation: Reconciliation;
  /** The pending transaction this booked one replaces (same end-to-end id, new bank transaction id). */
  readonly supersedes: string | null;
  readonly supersededBy: string | null;
  /**
   * What it added to the pending figures when stored (a pending line no payment covers), so the booked twin that
   * replaces it takes back exactly that. Absent: nothing (or stored before this was kept).
   */
  readonly countedPending?: { readonly inbound: number; readonly outbound: number };
  /** The statement import that stored it; absent or null for a transaction a bank feed (webhook, sync) reported. */
  readonly importId?: string | null;
}

/**
 * The bank account a reported transaction belongs to, as accounts are found by: a UK sort code and account number
 * (given, or read from a GB IBAN), or another country's IBAN (electronic form). An IBAN that does not parse is
 * ignored in favour of the sort code and account number given with it.
 */
export const routingOf = (
  report: Pick<ReportedTransaction, 'sortCode' | 'accountNumber' | 'iban'>,
): { readonly kind: 'uk'; readonly sortCode: string; readonly accountNumber: string } | { readonly kind: 'iban'; readonly iban: string } => {
  const parsed = report.iban === undefined ? undefined : parseIban(report.iban);
  if (parsed?.ok === true) {
    const { sortCode, accountNumber, iban } = parsed.value;
    return sortCode !== null && accountNumber !== null ? { kind: 'uk', sortCode, accountNumber } : { kind: 'iban', iban };
  }
  return { kind: 'uk', sortCode: report.sortCode, accountNumber: report.accountNumber };
};
