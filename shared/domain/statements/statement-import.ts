import type { StatementMapping } from '../../schemas/statement-mapping';
import type { Account } from '../accounts/account';
import { parseIban } from '../accounts/iban';
import type { DomainEvent } from '../events/domain-event';
import type { ReportedTransaction } from '../settlement/bank-transaction';
import type { StatementAccount } from './statement-entry';

/** The formats `POST /v1/accounts/{id}/statements` takes. */
export type StatementFormat = 'camt' | 'csv';

/** At most this many per-entry errors are kept on an import (the counts stay exact). */
export const MAX_IMPORT_ERRORS = 100;

export interface StatementImportError {
  /** Where in the file: `entry 12` (camt, 1-based `Ntry` of its statement) or `line 40` (CSV). */
  readonly entry: string;
  readonly message: string;
}

export interface StatementImportCounts {
  /** Everything the file holds that looked like a transaction: stored + duplicates + rejected once completed. */
  readonly entries: number;
  readonly stored: number;
  readonly duplicates: number;
  readonly rejected: number;
}

/**
 * One statement file taken for an account. Accepted only once the whole file parsed and named the account; its
 * transactions then go through the settlements queue one by one, and the import completes when every one of them
 * has been stored or found already stored (`expected` of them).
 */
export interface StatementImport {
  readonly id: string;
  readonly tenantId: string;
  readonly accountId: string;
  readonly format: StatementFormat;
  readonly mappingId: string | null;
  /** The text encoding of a CSV file (its media type's `charset`); null: UTF-8. camt is always UTF-8. */
  readonly encoding?: string | null;
  readonly status: 'processing' | 'completed' | 'failed';
  /** The transactions sent to reconciliation; the import completes when stored + duplicates reach it. */
  readonly expected: number;
  readonly entries: number;
  readonly rejected: number;
  readonly errors: readonly StatementImportError[];
  readonly sizeBytes: number;
  readonly createdAt: string;
  readonly completedAt: string | null;
}

/** The import with its live counters (kept apart from the import item: they grow while it runs). */
export interface StatementImportProgress {
  readonly statementImport: StatementImport;
  readonly stored: number;
  readonly duplicates: number;
  readonly outbox: readonly DomainEvent[];
}

export const statementImportView = (progress: StatementImportProgress) => {
  const { statementImport: imported, stored, duplicates } = progress;
  return {
    id: imported.id,
    accountId: imported.accountId,
    format: imported.format,
    mappingId: imported.mappingId,
    status: imported.status,
    counts: { entries: imported.entries, stored, duplicates, rejected: imported.rejected } satisfies StatementImportCounts,
    errors: imported.errors,
    createdAt: imported.createdAt,
    completedAt: imported.completedAt,
  };
};

export type StatementImportView = ReturnType<typeof statementImportView>;

/** What reading a statement file yields, in file order, once it is tied to the account it is imported into. */
export type StatementItem =
  | { readonly kind: 'transaction'; readonly entry: string; readonly transaction: ReportedTransaction }
  | { readonly kind: 'rejected'; readonly entry: string; readonly message: string };

/** Reads a stored statement file of the account; throws a ValidationError (400) or StatementAccountMismatchError (422). */
export type StatementReader = (
  file: AsyncIterable<Uint8Array> | Iterable<Uint8Array>,
  request: {
    readonly format: StatementFormat;
    readonly account: Account;
    readonly mapping: SavedStatementMapping | null;
    /** The text encoding of a CSV file; null: UTF-8. */
    readonly encoding: string | null;
    /** When the file was accepted: the booking time of a pending CSV row, which has no date. */
    readonly importedAt: string;
  },
) => AsyncIterable<StatementItem>;

/** A saved CSV column mapping (`POST /v1/statement-mappings`), as validated by shared/schemas/statement-mapping.ts. */
export interface SavedStatementMapping {
  readonly id: string;
  readonly tenantId: string;
  readonly createdAt: string;
  readonly mapping: StatementMapping;
}

/**
 * Whether a statement's account (as the file names it) is this account: the same IBAN; a GB IBAN, or an `Othr/Id` of
 * 14 digits (sort code + account number, separators ignored), naming the account's sort code and account number; an
 * `Othr/Id` holding a written IBAN is read as one. A stated account currency must be the account's.
 */
export const statementNamesAccount = (named: StatementAccount, account: Pick<Account, 'iban' | 'sortCode' | 'accountNumber' | 'currency'>): boolean => {
  if (named.currency !== null && named.currency !== account.currency) return false;
  const ibanText = named.iban ?? named.other?.id ?? null;
  const parsed = ibanText === null ? undefined : parseIban(ibanText);
  if (parsed?.ok === true) {
    if (account.iban !== null && parsed.value.iban === account.iban) return true;
    return parsed.value.sortCode !== null && parsed.value.sortCode === account.sortCode && parsed.value.accountNumber === account.accountNumber;
  }
  if (named.iban === null && named.other !== null && account.sortCode !== null && account.accountNumber !== null) {
    return named.other.id.replace(/[\s-]/g, '') === `${account.sortCode}${account.accountNumber}`;
  }
  return false;
};
