// Statement files (camt.053/054, CSV exports) read into the one transaction schema, tied to the account they are
// imported into. The format parsers (camt.ts, csv-statement.ts) say what the file holds; this says what each entry is
// as a bank transaction, and which identity it is stored under.
//
// Identity (`bankTransactionId`) of a statement entry, so that a re-import, an overlapping file, and the same
// transaction reported by a bank feed are one transaction:
//  - a booked camt entry that is not a reversal, carrying the bank's own reference for it (`TxDtls/Refs/AcctSvcrRef`,
//    else `Ntry/AcctSvcrRef` when the entry is not split into several transactions): that reference, as a bank feed
//    reports the transaction under the bank's id. A reference met again later in the same file gets `#2`, `#3`… (past any
//    id the file already gave, should a bank reference itself read `X#2`), so
//    a bank that repeats references loses nothing.
//  - every other entry (pending, reversals, no reference, every CSV row): the parser's `entryKey`, a SHA-256 of what
//    the entry says (account, status, direction, amount, currency, booking date, references, and an ordinal among
//    identical entries), the same on every import of the same data.
// A booked entry stored under a different id from the feed's is still recognised by its end-to-end id (reconcile:
// same end-to-end id, amount, direction and booking date on the account, from the other kind of source).
import { parseIban } from '../../domain/accounts/iban';
import { UnprocessableError } from '../../domain/errors';
import type { ReportedTransaction } from '../../domain/settlement/bank-transaction';
import type { StatementEntry } from '../../domain/statements/statement-entry';
import { type StatementItem, type StatementReader, statementNamesAccount } from '../../domain/statements/statement-import';
import { parseCamt } from './camt';
import { type CsvStatementRow, readCsvStatement } from './csv-statement';

/** The file names an account other than the one in the path (422, nothing stored). */
export class StatementAccountMismatchError extends UnprocessableError {
  constructor(named: string, accountId: string) {
    super('statement_account_mismatch', `The statement is for account ${named}, not for ${accountId}.`, {
      details: [{ path: 'statement.account', message: `names ${named}` }],
    });
  }
}

type Account = Parameters<StatementReader>[1]['account'];

export const readStatement: StatementReader = (file, request) =>
  request.format === 'camt' ? readCamt(file, request.account) : readCsv(file, request.account, request.mapping?.mapping, request.encoding, request.importedAt);

async function* readCamt(file: Parameters<StatementReader>[0], account: Account): AsyncGenerator<StatementItem> {
  const seenReferences: ReferenceIds = { taken: new Set(), next: new Map() };
  for await (const event of parseCamt(file)) {
    if (event.type === 'statement') {
      if (!statementNamesAccount(event.statement.account, account)) {
        const named = event.statement.account.iban ?? event.statement.account.other?.id ?? 'no account';
        throw new StatementAccountMismatchError(`${named}${event.statement.account.currency === null ? '' : ` (${event.statement.account.currency})`}`, account.id);
      }
      continue;
    }
    if (event.type === 'skipped') {
      yield { kind: 'rejected', entry: `statement ${event.statementId} entry ${event.entryIndex + 1}`, message: event.reason };
      continue;
    }
    const { entry } = event;
    const place = `statement ${entry.statementId} entry ${entry.entryIndex + 1}${entry.transactionIndex === null ? '' : ` transaction ${entry.transactionIndex + 1}`}`;
    if (entry.currency !== account.currency) {
      yield { kind: 'rejected', entry: place, message: `the amount is in ${entry.currency}, not in the account's currency ${account.currency}` };
      continue;
    }
    yield { kind: 'transaction', entry: place, transaction: fromCamtEntry(entry, account, identityOf(entry, seenReferences)) };
  }
}

/** The ids given to bank references so far in one file, and the next number to try for each repeated reference. */
interface ReferenceIds {
  readonly taken: Set<string>;
  readonly next: Map<string, number>;
}

const identityOf = (entry: StatementEntry, ids: ReferenceIds): string => {
  const reference = entry.accountServicerReference ?? (entry.transactionIndex === null ? entry.entryAccountServicerReference : null);
  if (entry.status !== 'booked' || entry.reversal || reference === null) return entry.entryKey;
  // Numbered past any id already given: a bank reference that itself reads `X#2` must not share an id with a repeated `X`.
  let id = reference;
  let count = ids.next.get(reference) ?? 2;
  while (ids.taken.has(id)) {
    id = `${reference}#${count}`;
    count += 1;
  }
  ids.next.set(reference, count);
  ids.taken.add(id);
  return id;
};

/** How the transaction names its account: the import's account, as it is connected. */
const reportedAccountOf = (account: Account) => ({
  provider: account.provider,
  sortCode: account.sortCode ?? '',
  accountNumber: account.accountNumber ?? '',
  ...(account.iban === null ? {} : { iban: account.iban }),
});

const fromCamtEntry = (entry: StatementEntry, account: Account, bankTransactionId: string): ReportedTransaction => {
  const counterpartyIban = entry.counterparty?.iban === null || entry.counterparty?.iban === undefined ? undefined : parseIban(entry.counterparty.iban);
  const uk = counterpartyIban?.ok === true && counterpartyIban.value.sortCode !== null ? counterpartyIban.value : null;
  const name = entry.counterparty?.name ?? null;
  const narrative = entry.narrative ?? (entry.remittanceInformation !== entry.reference ? entry.remittanceInformation : null);
  return {
    ...reportedAccountOf(account),
    bankTransactionId,
    status: entry.status,
    creditDebitIndicator: entry.creditDebitIndicator,
    amount: entry.amount,
    currency: entry.currency,
    bookingDateTime: entry.bookingDateTime,
    valueDateTime: entry.valueDateTime,
    reference: entry.reference,
    description: entry.reversal ? `Reversal${narrative === null ? '' : `: ${narrative}`}` : narrative,
    endToEndId: entry.endToEndId,
    counterparty:
      name === null && uk === null
        ? null
        : { ...(name === null ? {} : { name }), ...(uk === null ? {} : { sortCode: uk.sortCode ?? '', accountNumber: uk.accountNumber ?? '' }) },
    merchant: null,
    category: null,
    bankTransactionCode: entry.bankTransactionCode,
  };
};

async function* readCsv(
  file: Parameters<StatementReader>[0],
  account: Account,
  mapping: NonNullable<Parameters<StatementReader>[1]['mapping']>['mapping'] | undefined,
  encoding: string | null,
  importedAt: string,
): AsyncGenerator<StatementItem> {
  if (mapping === undefined) throw new Error('A CSV statement is read with a mapping');
  for await (const item of readCsvStatement(file, { mapping, currency: account.currency, accountId: account.id, ...(encoding === null ? {} : { encoding }) })) {
    if (item.kind === 'rejected') {
      yield { kind: 'rejected', entry: `line ${item.rejection.lineNumber}`, message: item.rejection.message };
      continue;
    }
    yield { kind: 'transaction', entry: `line ${item.entry.lineNumber}`, transaction: fromCsvRow(item.entry, account, importedAt) };
  }
}

const fromCsvRow = (row: CsvStatementRow, account: Account, importedAt: string): ReportedTransaction => ({
  ...reportedAccountOf(account),
  bankTransactionId: row.entryKey,
  status: row.status,
  creditDebitIndicator: row.creditDebitIndicator,
  amount: row.amount,
  currency: row.currency,
  // A date without a time is that calendar day at midnight UTC; a pending row has no date: when it was imported.
  bookingDateTime: row.bookingDate === null ? importedAt : row.bookingDate.length === 10 ? `${row.bookingDate}T00:00:00.000Z` : row.bookingDate,
  valueDateTime: null,
  reference: row.reference,
  description: row.description,
  endToEndId: null,
  counterparty: row.counterpartyName === null ? null : { name: row.counterpartyName },
  merchant: null,
  category: null,
});
