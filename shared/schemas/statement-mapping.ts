import { format, isValid, parse } from 'date-fns';
import * as v from 'valibot';

/** A header name as it appears in the export (matched trimmed and case-insensitively by the parser). */
const HeaderName = v.pipe(
  v.string('a column is the header name of a CSV column, as a string'),
  v.trim(),
  v.minLength(1, 'a column header name must not be empty'),
  v.maxLength(200, 'a column header name must be at most 200 characters'),
);

/**
 * A sample instant with every field distinct from the reference date the parser fills missing fields from, so a
 * format that drops the day, month or year cannot round-trip it.
 */
const SAMPLE_BOOKING = new Date(2024, 10, 23, 13, 45, 36);
const REFERENCE = new Date(2001, 1, 2, 3, 4, 5);
/** Quoted literal text of a Unicode pattern (`'T'`, `''` for a quote), which holds no tokens. */
const QUOTED_TEXT = /'(?:[^']|'')*'?/g;
/** Day-of-year and week-year tokens: almost always a typo for `dd` / `yyyy`, and they would not read bank dates. */
const PROTECTED_TOKEN = /[DY]/;

/**
 * True when `dateFormat` is a date-fns/Unicode pattern that can print and read back a whole booking date: tokens
 * date-fns does not know, unescaped letters or tokens that cannot go together make it throw; a pattern without day, month or year reads back
 * a different date. Week-year (`YYYY`) and day-of-year (`D`) tokens are refused: they are the classic typos of
 * `yyyy` and `dd`.
 */
export const isUsableDateFormat = (dateFormat: string): boolean => {
  // Refused before date-fns sees them: it would console.warn about D/Y tokens on every validation.
  if (PROTECTED_TOKEN.test(dateFormat.replace(QUOTED_TEXT, ''))) {
    return false;
  }
  let read: Date;
  try {
    // date-fns throws a RangeError for unknown tokens, unescaped letters and incompatible tokens (`dd` with `Q`).
    read = parse(format(SAMPLE_BOOKING, dateFormat), dateFormat, REFERENCE);
  } catch {
    return false;
  }
  return (
    isValid(read) &&
    read.getFullYear() === SAMPLE_BOOKING.getFullYear() &&
    read.getMonth() === SAMPLE_BOOKING.getMonth() &&
    read.getDate() === SAMPLE_BOOKING.getDate()
  );
};

const ColumnsSchema = v.pipe(
  v.strictObject(
    {
      bookingDate: HeaderName,
      amount: v.optional(HeaderName),
      credit: v.optional(HeaderName),
      debit: v.optional(HeaderName),
      reference: v.optional(HeaderName),
      description: v.optional(HeaderName),
      counterpartyName: v.optional(HeaderName),
      balance: v.optional(HeaderName),
    },
    (issue) => `unknown column key ${String(issue.input === undefined ? issue.expected : issue.received)}: columns are bookingDate, amount or credit + debit, reference, description, counterpartyName, balance`,
  ),
  v.check(
    (columns) =>
      columns.amount !== undefined ? columns.credit === undefined && columns.debit === undefined : columns.credit !== undefined && columns.debit !== undefined,
    'columns must name either "amount" (one signed column) or both "credit" and "debit", not both kinds',
  ),
  v.check(
    (columns) => columns.credit === undefined || columns.credit.toLowerCase() !== columns.debit?.toLowerCase(),
    'columns "credit" and "debit" must be different headers',
  ),
);

/** `POST /v1/statement-mappings`: how to read one bank's CSV export (docs: API.md, Accounts, Statements). */
export const StatementMappingSchema = v.strictObject(
  {
    name: v.pipe(v.string('name must be a string'), v.trim(), v.minLength(1, 'name must not be empty'), v.maxLength(100, 'name must be at most 100 characters')),
    columns: ColumnsSchema,
    dateFormat: v.pipe(
      v.string('dateFormat must be a string such as "dd/MM/yyyy"'),
      v.minLength(1, 'dateFormat must not be empty'),
      v.maxLength(64, 'dateFormat must be at most 64 characters'),
      v.check(
        isUsableDateFormat,
        (issue) =>
          `dateFormat ${JSON.stringify(issue.input)} is not a Unicode date pattern holding day, month and year (such as "dd/MM/yyyy" or "dd MMM yyyy"; letters that are not tokens go in single quotes)`,
      ),
    ),
    decimalSeparator: v.picklist(['.', ','], 'decimalSeparator must be "." or ","'),
    amountSign: v.optional(v.picklist(['credit_positive', 'debit_positive'], 'amountSign must be "credit_positive" or "debit_positive"'), 'credit_positive'),
    headerRow: v.optional(
      v.pipe(
        v.number('headerRow must be a line number'),
        v.safeInteger('headerRow must be a whole line number'),
        v.minValue(1, 'headerRow counts lines from 1'),
        v.maxValue(1000, 'headerRow must be at most 1000'),
      ),
    ),
  },
  (issue) => `unknown field ${String(issue.received)}: a mapping has name, columns, dateFormat, decimalSeparator, amountSign, headerRow`,
);

/** A validated mapping; `amountSign` defaulted to `credit_positive`. */
export type StatementMapping = v.InferOutput<typeof StatementMappingSchema>;
export type StatementMappingInput = v.InferInput<typeof StatementMappingSchema>;
