import type { BankTransactionCode, CreditDebit, TransactionStatus } from '../settlement/bank-transaction';

export type { BankTransactionCode } from '../settlement/bank-transaction';

/**
 * The account a statement file reports on, as the file names it. ISO 20022 names it by IBAN or by another
 * identifier with an optional scheme (`Othr/Id` + `SchmeNm`); UK CSV exports by sort code and account number.
 */
export interface StatementAccount {
  readonly iban: string | null;
  readonly other: { readonly id: string; readonly scheme: string | null } | null;
  /** The account currency when the file states it (camt `Acct/Ccy`), else null. */
  readonly currency: string | null;
}

/** The other side of an entry: the payer of a credit, the payee of a debit (of the original, for a reversal). */
export interface StatementCounterparty {
  readonly name: string | null;
  readonly iban: string | null;
  readonly accountId: string | null;
}

/**
 * One transaction read from a bank statement file, normalised whatever the format, before it is tied to a connected
 * account (mapped to a ReportedTransaction by the import). Amounts are positive minor units; the indicator carries
 * the direction, exactly as the bank stated it (a reversal of a credit is a debit with `reversal: true`).
 */
export interface StatementEntry {
  /**
   * Stable identity of the entry, the same on every import of the same file or of an overlapping file; how it is
   * derived is the parser's to document (camt: see shared/adapters/statements/camt.ts).
   */
  readonly entryKey: string;
  readonly account: StatementAccount;
  /** The statement / notification this entry came from (`Stmt/Id`, `Ntfctn/Id`). */
  readonly statementId: string;
  /** 0-based position of the entry (`Ntry`) in its statement, and of the transaction (`TxDtls`) in a split entry. */
  readonly entryIndex: number;
  readonly transactionIndex: number | null;
  readonly status: TransactionStatus;
  readonly creditDebitIndicator: CreditDebit;
  readonly reversal: boolean;
  /** Minor units, never negative. */
  readonly amount: number;
  readonly currency: string;
  /** The booking calendar date as the bank stated it (YYYY-MM-DD, the bank's local date), and the instant in UTC. */
  readonly bookingDate: string;
  readonly bookingDateTime: string;
  readonly valueDate: string | null;
  readonly valueDateTime: string | null;
  /** The payment reference: the structured creditor reference when there is one, else the unstructured remittance. */
  readonly reference: string | null;
  /** The unstructured remittance information, kept even when the structured reference became `reference`. */
  readonly remittanceInformation: string | null;
  /** The bank's free-text narrative (`AddtlTxInf`, else `AddtlNtryInf`). */
  readonly narrative: string | null;
  readonly endToEndId: string | null;
  /** The bank's own reference for the transaction (`TxDtls/Refs/AcctSvcrRef`) and for the entry (`Ntry/AcctSvcrRef`). */
  readonly accountServicerReference: string | null;
  readonly entryAccountServicerReference: string | null;
  readonly entryReference: string | null;
  readonly bankTransactionCode: BankTransactionCode | null;
  readonly counterparty: StatementCounterparty | null;
  /** Set when one booked entry stands for a batch that could not be split into its transactions. */
  readonly batch: { readonly transactionCount: number | null } | null;
}
