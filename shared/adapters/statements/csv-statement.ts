import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { parse as parseCsv } from 'csv-parse';
import { isValid, parse as parseDate } from 'date-fns';
import { ValidationError, type ErrorDetail } from '../../domain/errors';
import type { StatementMapping } from '../../schemas/statement-mapping';
import { parseStatementAmount, type StatementAmount } from './statement-amount';

/**
 * CSV statement exports read with a saved column mapping (API.md, Accounts, Statements). The file is streamed: rows
 * are produced as the CSV is read, so a 50 MB export never sits in memory as records.
 *
 * Primary course: find the header row (the mapping's `headerRow`, or the first line naming every mapped column, so
 * preamble lines are skipped); then each later line is either an entry or a rejection with its line number and
 * reason (a trailer, a blank line, an amount or date that cannot be read). Only a file that cannot be read as a
 * whole — no header, a mapped column missing, broken CSV quoting, more than 200,000 rows — is an error.
 */

/** The most data rows (entries and rejections) one file may hold (API.md: 200,000 entries a file). */
export const MAX_CSV_STATEMENT_ROWS = 200_000;
/** How many lines may precede the header when the mapping does not give `headerRow`. */
export const MAX_PREAMBLE_LINES = 100;

/** One transaction read from a CSV export, before it becomes a `ReportedTransaction`. */
export interface CsvStatementRow {
  /** The file line the row starts on (1-based), for error reports. */
  readonly lineNumber: number;
  /** `pending` when the date cell reads "pending". */
  readonly status: 'booked' | 'pending';
  readonly creditDebitIndicator: 'credit' | 'debit';
  /** Minor units, always positive; the direction is `creditDebitIndicator`. */
  readonly amount: number;
  /** The account's currency (CSV exports do not carry one per row). */
  readonly currency: string;
  /**
   * `YYYY-MM-DD` when the date format has no time; a UTC timestamp (`…Z`) when it has one (wall-clock times without
   * an offset token are read as UTC). Null for a pending row, whose date cell reads "pending".
   */
  readonly bookingDate: string | null;
  readonly reference: string | null;
  readonly description: string | null;
  readonly counterpartyName: string | null;
  /** The running balance after the row in signed minor units (negative = overdrawn), or null when not mapped/empty. */
  readonly balance: number | null;
  /** Stable identity of the row across re-imports (`csv_` + SHA-256 hex); see `entryKeyOf` for what it covers. */
  readonly entryKey: string;
}

/** A line after the header that was not imported, and why. */
export interface CsvStatementRejection {
  readonly lineNumber: number;
  readonly message: string;
}

/** What the streaming reader yields, in file order. */
export type CsvStatementItem =
  | { readonly kind: 'entry'; readonly entry: CsvStatementRow }
  | { readonly kind: 'rejected'; readonly rejection: CsvStatementRejection };

/** A whole file read: its entries and the lines that were reported, not imported. */
export interface CsvStatement {
  readonly entries: CsvStatementRow[];
  readonly rejected: CsvStatementRejection[];
}

export interface CsvStatementOptions {
  readonly mapping: StatementMapping;
  /** The account's ISO 4217 currency. */
  readonly currency: string;
  /** The account the file is imported into; part of every entry key. */
  readonly accountId: string;
  /** Field delimiter; sniffed from the header line (',', ';' or tab) when not given. */
  readonly delimiter?: CsvDelimiter;
  /** The text encoding (a WHATWG encoding label, e.g. `windows-1252`); UTF-8 by default. */
  readonly encoding?: string;
  /** Lower in tests; never above MAX_CSV_STATEMENT_ROWS. */
  readonly maxRows?: number;
}

export type CsvDelimiter = ',' | ';' | '\t';
export type CsvStatementSource = string | Uint8Array | AsyncIterable<string | Uint8Array> | Iterable<string | Uint8Array>;

/** A CSV file that cannot be imported at all (400, nothing stored). */
export class CsvStatementError extends ValidationError {
  constructor(code: string, message: string, options: { details?: readonly ErrorDetail[]; cause?: unknown } = {}) {
    super(message, { ...options, code });
  }
}

/** No line holds every mapped header name (or the `headerRow` line is past the end of the file). */
export class CsvHeaderNotFoundError extends CsvStatementError {
  constructor(
    message: string,
    readonly columns: readonly string[],
  ) {
    super('statement_header_not_found', message, { details: columns.map((column) => ({ path: 'header', message: `no column "${column}"` })) });
  }
}

/** The `headerRow` line lacks some mapped columns; `missingColumns` are their header names. */
export class CsvColumnMissingError extends CsvStatementError {
  constructor(
    message: string,
    readonly missingColumns: readonly string[],
  ) {
    super('statement_column_missing', message, {
      details: missingColumns.map((column) => ({ path: 'header', message: `column "${column}" is missing` })),
    });
  }
}

/** More data rows than one import may hold. */
export class CsvStatementTooLargeError extends CsvStatementError {
  constructor(maxRows: number) {
    super('statement_too_large', `The statement has more than ${maxRows} rows; split it into several files.`);
  }
}

/** The bytes are not CSV (broken quoting) or not UTF-8. */
export class CsvStatementMalformedError extends CsvStatementError {
  constructor(message: string, cause: unknown) {
    super('statement_malformed', message, { cause });
  }
}

/** Reads a whole CSV export into entries and rejections; see `readCsvStatement` for the streaming form. */
export const parseCsvStatement = async (source: CsvStatementSource, options: CsvStatementOptions): Promise<CsvStatement> => {
  const entries: CsvStatementRow[] = [];
  const rejected: CsvStatementRejection[] = [];
  for await (const item of readCsvStatement(source, options)) {
    if (item.kind === 'entry') {
      entries.push(item.entry);
    } else {
      rejected.push(item.rejection);
    }
  }
  return { entries, rejected };
};

type ColumnKey = keyof StatementMapping['columns'];

/** Streams a CSV export: one item per line after the header, in file order. Throws a CsvStatementError subclass. */
export async function* readCsvStatement(source: CsvStatementSource, options: CsvStatementOptions): AsyncGenerator<CsvStatementItem> {
  const { mapping } = options;
  const maxRows = Math.min(options.maxRows ?? MAX_CSV_STATEMENT_ROWS, MAX_CSV_STATEMENT_ROWS);
  const mapped = mappedColumns(mapping);
  const wanted = mapped.map(([, header]) => normaliseHeader(header));

  const text = decodeText(source, options.encoding);
  const { prefix, rest } = await readPrefix(text, mapping.headerRow);
  const delimiter = options.delimiter ?? sniffDelimiter(prefix, wanted, mapping.headerRow);
  const parser = parseCsv({ delimiter, bom: true, info: true, relax_column_count: true, skip_empty_lines: false });
  const feeding = pipeline(Readable.from(concat(prefix, rest)), parser).catch((error: unknown) => {
    parser.destroy(error instanceof Error ? error : new Error(String(error)));
  });

  let header: Map<ColumnKey, number> | undefined;
  let previousLine = 0;
  let rows = 0;
  const identities = new Map<string, number>();
  const dates = new Map<string, BookingDate>();
  try {
    for await (const output of parser) {
      const parsed = csvRecord(output);
      const lineNumber = previousLine + 1;
      previousLine = parsed.endLine;
      if (header === undefined) {
        header = findHeader(parsed.record, lineNumber, mapped, mapping.headerRow);
        continue;
      }
      rows += 1;
      if (rows > maxRows) {
        throw new CsvStatementTooLargeError(maxRows);
      }
      const result = readRow(parsed.record, header, options, dates);
      if (typeof result === 'string') {
        yield { kind: 'rejected', rejection: { lineNumber, message: result } };
        continue;
      }
      const identity = identityOf(options.accountId, result);
      const ordinal = identities.get(identity) ?? 0;
      identities.set(identity, ordinal + 1);
      yield { kind: 'entry', entry: { ...result, lineNumber, entryKey: entryKeyOf(identity, ordinal) } };
    }
  } catch (error) {
    if (error instanceof CsvStatementError) {
      throw error;
    }
    throw new CsvStatementMalformedError(`The statement is not readable CSV: ${error instanceof Error ? error.message : String(error)}`, error);
  } finally {
    parser.destroy();
    await feeding;
  }
  if (header === undefined) {
    const names = mapped.map(([, name]) => name);
    throw new CsvHeaderNotFoundError(
      mapping.headerRow === undefined
        ? `No header row found: no line names every mapped column (${names.map((name) => `"${name}"`).join(', ')}).`
        : `No header row found: the file ends before line ${mapping.headerRow}.`,
      names,
    );
  }
}

/**
 * The entry key: SHA-256 (hex, prefixed `csv_`) of the row's identity and its ordinal among rows of the same file with
 * the same identity. A CSV row has no bank id, so its identity is what the bank printed: account, booking date (or
 * "pending"), direction, amount, currency, reference, description and counterparty name (trimmed, inner whitespace
 * collapsed). The running balance and the line number are left out on purpose: the line moves when an export covers
 * another date range, and the balance column is not in every mapping. Two genuinely identical rows on one day (two
 * £2.50 coffees) are told apart by the ordinal, which is stable as long as exports cover whole days — which bank
 * exports do — so a re-import or an overlapping export yields the same keys.
 */
const entryKeyOf = (identity: string, ordinal: number): string => `csv_${sha256(`${identity}:${ordinal}`)}`;

type RowFields = Omit<CsvStatementRow, 'lineNumber' | 'entryKey'>;

const identityOf = (accountId: string, row: RowFields): string =>
  sha256(
    JSON.stringify([
      'csv-statement-entry/v1',
      accountId,
      row.bookingDate ?? 'pending',
      row.creditDebitIndicator,
      row.amount,
      row.currency,
      collapse(row.reference),
      collapse(row.description),
      collapse(row.counterpartyName),
    ]),
  );

const sha256 = (text: string): string => createHash('sha256').update(text, 'utf8').digest('hex');
const collapse = (text: string | null): string | null => (text === null ? null : text.replace(/\s+/g, ' '));

const COLUMN_KEYS = ['bookingDate', 'amount', 'credit', 'debit', 'reference', 'description', 'counterpartyName', 'balance'] as const satisfies readonly ColumnKey[];

/** The mapped columns as [key, header name] pairs, in a fixed order. */
const mappedColumns = (mapping: StatementMapping): [ColumnKey, string][] =>
  COLUMN_KEYS.flatMap((key): [ColumnKey, string][] => {
    const header = mapping.columns[key];
    return header === undefined ? [] : [[key, header]];
  });

const normaliseHeader = (cell: string): string => cell.trim().toLowerCase();

const findHeader = (
  record: readonly string[],
  lineNumber: number,
  mapped: readonly [ColumnKey, string][],
  headerRow: number | undefined,
): Map<ColumnKey, number> | undefined => {
  if (headerRow !== undefined && lineNumber < headerRow) {
    return undefined;
  }
  const cells = record.map(normaliseHeader);
  const positions = new Map<ColumnKey, number>();
  const missing: string[] = [];
  for (const [key, name] of mapped) {
    const index = cells.indexOf(normaliseHeader(name));
    if (index === -1) {
      missing.push(name);
    } else {
      positions.set(key, index);
    }
  }
  if (missing.length === 0) {
    return positions;
  }
  if (headerRow !== undefined) {
    throw new CsvColumnMissingError(
      `The header row (line ${headerRow}) has no column ${missing.map((name) => `"${name}"`).join(', ')}.`,
      missing,
    );
  }
  if (lineNumber >= MAX_PREAMBLE_LINES) {
    throw new CsvHeaderNotFoundError(
      `No header row found in the first ${MAX_PREAMBLE_LINES} lines: none names every mapped column (${mapped.map(([, name]) => `"${name}"`).join(', ')}).`,
      mapped.map(([, name]) => name),
    );
  }
  return undefined;
};

/** The row's fields, or the reason it is not a transaction. */
const readRow = (
  record: readonly string[],
  header: Map<ColumnKey, number>,
  options: CsvStatementOptions,
  dates: Map<string, BookingDate>,
): RowFields | string => {
  const { mapping, currency } = options;
  if (record.every((cell) => cell.trim() === '')) {
    return 'blank line, not a transaction';
  }
  const cell = (key: ColumnKey): string => {
    const index = header.get(key);
    return index === undefined ? '' : (record[index] ?? '').trim();
  };
  const text = (key: ColumnKey): string | null => {
    const value = cell(key);
    return value === '' ? null : value;
  };

  const date = cachedBookingDate(cell('bookingDate'), mapping.dateFormat, dates);
  if (typeof date === 'string') {
    return date;
  }
  const movement = mapping.columns.amount !== undefined ? readSignedAmount(cell('amount'), mapping, currency) : readCreditDebit(cell('credit'), cell('debit'), mapping, currency);
  if (typeof movement === 'string') {
    return movement;
  }
  const balanceText = cell('balance');
  let balance: number | null = null;
  if (balanceText !== '') {
    const read = parseStatementAmount(balanceText, mapping.decimalSeparator, currency);
    if (!read.ok) {
      return `balance: ${read.message}`;
    }
    balance = read.amount.negative || read.amount.marker === 'DR' ? -read.amount.minor : read.amount.minor;
  }
  return {
    status: date.pending ? 'pending' : 'booked',
    creditDebitIndicator: movement.direction,
    amount: movement.minor,
    currency,
    bookingDate: date.pending ? null : date.value,
    reference: text('reference'),
    description: text('description'),
    counterpartyName: text('counterpartyName'),
    balance,
  };
};

/** Fields date-fns fills from this date when the format lacks them; `yy` years land in 1950–2049. */
const DATE_REFERENCE = new Date(2000, 0, 1);
const QUOTED_TEXT = /'(?:[^']|'')*'?/g;

type BookingDate = { pending: true } | { pending: false; value: string } | string;

/** How many distinct date cells are remembered: a 7-year statement has about 2,600 days. */
const DATE_CACHE_SIZE = 10_000;

/**
 * date-fns `parse` costs about as much as the CSV parsing of a row, and a statement repeats each date on many rows,
 * so each distinct date cell is parsed once (per file, so the cache dies with the import).
 */
const cachedBookingDate = (value: string, dateFormat: string, dates: Map<string, BookingDate>): BookingDate => {
  const known = dates.get(value);
  if (known !== undefined) {
    return known;
  }
  const read = readBookingDate(value, dateFormat);
  if (dates.size < DATE_CACHE_SIZE) {
    dates.set(value, read);
  }
  return read;
};

const readBookingDate = (value: string, dateFormat: string): BookingDate => {
  if (value.toLowerCase() === 'pending') {
    return { pending: true };
  }
  if (value === '') {
    return 'no booking date, not a transaction';
  }
  let read: Date;
  try {
    read = parseDate(value, dateFormat, DATE_REFERENCE);
  } catch {
    // Only a format the mapping schema would have refused makes date-fns throw; still a row error, not a crash.
    return `booking date ${JSON.stringify(value)} cannot be read with the format ${dateFormat}`;
  }
  if (!isValid(read)) {
    return `booking date ${JSON.stringify(value)} does not match the format ${dateFormat}`;
  }
  const tokens = dateFormat.replace(QUOTED_TEXT, '');
  if (/[XxO]/.test(tokens)) {
    return { pending: false, value: read.toISOString() };
  }
  const day = `${String(read.getFullYear()).padStart(4, '0')}-${pad(read.getMonth() + 1)}-${pad(read.getDate())}`;
  if (!/[HhKkms]/.test(tokens)) {
    return { pending: false, value: day };
  }
  return { pending: false, value: `${day}T${pad(read.getHours())}:${pad(read.getMinutes())}:${pad(read.getSeconds())}.000Z` };
};

const pad = (value: number): string => String(value).padStart(2, '0');

type Movement = { direction: 'credit' | 'debit'; minor: number };

const readSignedAmount = (value: string, mapping: StatementMapping, currency: string): Movement | string => {
  if (value === '') {
    return 'no amount, not a transaction';
  }
  const read = parseStatementAmount(value, mapping.decimalSeparator, currency);
  if (!read.ok) {
    return read.message;
  }
  if (read.amount.minor === 0) {
    return `amount ${JSON.stringify(value)} is zero, not a movement of money`;
  }
  return { direction: directionOf(read.amount, mapping.amountSign), minor: read.amount.minor };
};

/** CR/DR wins; otherwise the sign, read the way the mapping says positive amounts go. */
const directionOf = (amount: StatementAmount, amountSign: StatementMapping['amountSign']): 'credit' | 'debit' => {
  if (amount.marker !== null) {
    return amount.marker === 'CR' ? 'credit' : 'debit';
  }
  const positiveIsCredit = amountSign === 'credit_positive';
  return amount.negative !== positiveIsCredit ? 'credit' : 'debit';
};

const readCreditDebit = (creditText: string, debitText: string, mapping: StatementMapping, currency: string): Movement | string => {
  const credit = readColumnAmount(creditText, 'credit', mapping, currency);
  if (typeof credit === 'string') {
    return credit;
  }
  const debit = readColumnAmount(debitText, 'debit', mapping, currency);
  if (typeof debit === 'string') {
    return debit;
  }
  if (credit > 0 && debit > 0) {
    return `both "${mapping.columns.credit ?? 'credit'}" and "${mapping.columns.debit ?? 'debit'}" hold an amount`;
  }
  if (credit > 0) {
    return { direction: 'credit', minor: credit };
  }
  if (debit > 0) {
    return { direction: 'debit', minor: debit };
  }
  return `no amount in "${mapping.columns.credit ?? 'credit'}" or "${mapping.columns.debit ?? 'debit'}", not a transaction`;
};

/**
 * One of the credit/debit columns, in minor units (0 when empty). The column gives the direction: a debit column
 * may show its amounts negative (common), but a negative credit or a CR/DR marker that contradicts the column is
 * refused rather than guessed at.
 */
const readColumnAmount = (value: string, column: 'credit' | 'debit', mapping: StatementMapping, currency: string): number | string => {
  if (value === '') {
    return 0;
  }
  const read = parseStatementAmount(value, mapping.decimalSeparator, currency);
  if (!read.ok) {
    return `${column}: ${read.message}`;
  }
  const { marker, negative, minor } = read.amount;
  if ((column === 'credit' && (negative || marker === 'DR')) || (column === 'debit' && marker === 'CR')) {
    return `${column} amount ${JSON.stringify(value)} contradicts its column`;
  }
  return minor;
};

/** csv-parse with `info: true` yields `{ record, info: { lines } }`; checked rather than cast. */
const csvRecord = (output: unknown): { record: string[]; endLine: number } => {
  if (typeof output === 'object' && output !== null && 'record' in output && 'info' in output) {
    const { record, info } = output;
    if (
      Array.isArray(record) &&
      record.every((cell): cell is string => typeof cell === 'string') &&
      typeof info === 'object' &&
      info !== null &&
      'lines' in info &&
      typeof info.lines === 'number'
    ) {
      return { record, endLine: info.lines };
    }
  }
  throw new TypeError('csv-parse produced an unexpected record shape');
};

/** The source as text chunks, in `encoding` (UTF-8 by default; a BOM is dropped by the parser). */
async function* decodeText(source: CsvStatementSource, encoding = 'utf-8'): AsyncGenerator<string> {
  if (typeof source === 'string') {
    yield source;
    return;
  }
  const decoder = new TextDecoder(encoding, { fatal: true });
  try {
    if (source instanceof Uint8Array) {
      yield decoder.decode(source);
      return;
    }
    for await (const chunk of source) {
      yield typeof chunk === 'string' ? chunk : decoder.decode(chunk, { stream: true });
    }
    const tail = decoder.decode();
    if (tail !== '') {
      yield tail;
    }
  } catch (error) {
    if (error instanceof TypeError) {
      throw new CsvStatementMalformedError(
        encoding === 'utf-8'
          ? 'The statement is not UTF-8 text; for another encoding say so in the media type (text/csv; charset=windows-1252).'
          : `The statement is not ${encoding} text.`,
        error,
      );
    }
    throw error;
  }
}

/** How much text is read before the delimiter is chosen: enough for any preamble and header. */
const SNIFF_CHARACTERS = 64 * 1024;

/** Reads text up to the header (or SNIFF_CHARACTERS) so the delimiter can be chosen before parsing starts. */
const readPrefix = async (text: AsyncGenerator<string>, headerRow: number | undefined): Promise<{ prefix: string; rest: AsyncGenerator<string> }> => {
  const lineBudget = (headerRow ?? MAX_PREAMBLE_LINES) + 1;
  let prefix = '';
  while (prefix.length < SNIFF_CHARACTERS && countLines(prefix) < lineBudget) {
    const next = await text.next();
    if (next.done === true) {
      break;
    }
    prefix += next.value;
  }
  return { prefix, rest: text };
};

const countLines = (text: string): number => {
  let lines = 0;
  for (let at = text.indexOf('\n'); at !== -1; at = text.indexOf('\n', at + 1)) {
    lines += 1;
  }
  return lines;
};

async function* concat(prefix: string, rest: AsyncGenerator<string>): AsyncGenerator<string> {
  if (prefix !== '') {
    yield prefix;
  }
  yield* rest;
}

const DELIMITERS: readonly CsvDelimiter[] = [',', ';', '\t'];

/**
 * The delimiter that splits the header line into cells naming every mapped column (European exports with a decimal
 * comma use ';'); ',' when none does, and the header error then comes from the parser.
 */
const sniffDelimiter = (prefix: string, wanted: readonly string[], headerRow: number | undefined): CsvDelimiter => {
  const lines = prefix.replace(/^\uFEFF/, '').split(/\r?\n/);
  const candidates = headerRow === undefined ? lines.slice(0, MAX_PREAMBLE_LINES) : lines.slice(headerRow - 1, headerRow);
  for (const line of candidates) {
    for (const delimiter of DELIMITERS) {
      const cells = line.split(delimiter).map((cell) => normaliseHeader(cell.replace(/^\s*"|"\s*$/g, '')));
      if (wanted.every((name) => cells.includes(name))) {
        return delimiter;
      }
    }
  }
  return ',';
};
