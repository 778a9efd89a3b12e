import { ValidationError } from '../../domain/errors';
import { parseBankAmount } from '../../domain/money';

/** An amount cell of a bank's CSV export, read without floating point. */
export interface StatementAmount {
  /** Minor units of the currency, never negative. */
  readonly minor: number;
  /** A leading or trailing minus sign, or parentheses around the amount. */
  readonly negative: boolean;
  /** A trailing `CR` / `DR` marker (CR = credit), or null when the cell has none. */
  readonly marker: 'CR' | 'DR' | null;
}

/** The result of reading one amount cell: the amount, or why the text is not one. */
export type StatementAmountResult = { readonly ok: true; readonly amount: StatementAmount } | { readonly ok: false; readonly message: string };

const CURRENCY_SYMBOLS = /[£€$]/g;
/** Unicode spaces banks use as padding or as thousands separators (NBSP, narrow NBSP, thin space). */
const SPACES = /[\s\u00a0\u2007\u2009\u202f]+/g;
const MINUS = /[-\u2212]/;
const MARKER = /\s*(CR|DR)\.?$/i;

/**
 * Reads the text of an amount cell (`£1,234.56`, `-8.99`, `(12.50)`, `1.234,56 €`, `2,000.00 CR`) into minor units
 * of `currency`. Accepted around the digits: whitespace, one currency symbol (£ € $) or the account's ISO code, one
 * sign (leading or trailing `-`, `+`) or parentheses meaning negative, and a trailing CR/DR. Thousands separators are
 * the other one of '.' and ',' (or a space or apostrophe), and must group digits by three; the decimal separator is
 * the mapping's. The digits then go through `parseBankAmount`, so the limits of bank amounts apply and no more
 * fraction digits than the currency has are kept (trailing zeros only).
 */
export const parseStatementAmount = (text: string, decimalSeparator: '.' | ',', currency: string): StatementAmountResult => {
  const original = text;
  let rest = text.trim();
  if (rest === '') {
    return { ok: false, message: 'amount is empty' };
  }
  let marker: StatementAmount['marker'] = null;
  const markerMatch = MARKER.exec(rest);
  if (markerMatch !== null) {
    marker = markerMatch[1]?.toUpperCase() === 'CR' ? 'CR' : 'DR';
    rest = rest.slice(0, markerMatch.index).trim();
  }
  let negations = 0;
  if (rest.startsWith('(') && rest.endsWith(')')) {
    negations += 1;
    rest = rest.slice(1, -1);
  }
  const symbols = (rest.match(CURRENCY_SYMBOLS) ?? []).length;
  // Replaced by a space, not removed: a symbol between digits must not join them into one number.
  rest = rest.replace(CURRENCY_SYMBOLS, ' ');
  const codeAt = rest.toUpperCase().indexOf(currency);
  if (codeAt !== -1) {
    rest = `${rest.slice(0, codeAt)} ${rest.slice(codeAt + currency.length)}`;
  }
  rest = rest.trim();
  if (rest.startsWith('+')) {
    rest = rest.slice(1).trim();
  } else if (MINUS.test(rest.charAt(0))) {
    negations += 1;
    rest = rest.slice(1).trim();
  } else if (MINUS.test(rest.charAt(rest.length - 1))) {
    negations += 1;
    rest = rest.slice(0, -1).trim();
  }
  if (symbols > 1) {
    return { ok: false, message: `amount ${JSON.stringify(original)} has more than one currency symbol` };
  }
  if (negations > 1) {
    return { ok: false, message: `amount ${JSON.stringify(original)} has more than one sign` };
  }
  if (marker !== null && negations > 0) {
    return { ok: false, message: `amount ${JSON.stringify(original)} has both a sign and ${marker}, so its direction is ambiguous` };
  }
  const decimal = toDecimal(rest, decimalSeparator);
  if (decimal === undefined) {
    return {
      ok: false,
      message: `amount ${JSON.stringify(original)} is not a number with "${decimalSeparator}" as the decimal separator`,
    };
  }
  try {
    return { ok: true, amount: { minor: parseBankAmount(decimal, currency), negative: negations === 1, marker } };
  } catch (error) {
    if (error instanceof ValidationError) {
      return { ok: false, message: error.details[0]?.message ?? error.message };
    }
    throw error;
  }
};

/**
 * The digits of `text` as `123.45` (point as decimal separator, no grouping), or undefined when the text is not a
 * number written with `decimalSeparator` and optional thousands grouping.
 */
const toDecimal = (text: string, decimalSeparator: '.' | ','): string | undefined => {
  const grouping = decimalSeparator === '.' ? ',' : '.';
  const lastDecimal = text.lastIndexOf(decimalSeparator);
  const whole = lastDecimal === -1 ? text : text.slice(0, lastDecimal);
  const fraction = lastDecimal === -1 ? '' : text.slice(lastDecimal + 1);
  if (!/^[0-9]*$/.test(fraction) || (lastDecimal !== -1 && fraction === '')) {
    return undefined;
  }
  const plainWhole = whole.replace(SPACES, grouping).replace(/'/g, grouping);
  const escaped = grouping === '.' ? '\\.' : ',';
  const grouped = new RegExp(`^[0-9]{1,3}(?:${escaped}[0-9]{3})+$`);
  let digits: string;
  if (/^[0-9]*$/.test(plainWhole)) {
    digits = plainWhole;
  } else if (grouped.test(plainWhole)) {
    digits = plainWhole.split(grouping).join('');
  } else {
    return undefined;
  }
  if (digits === '' && fraction === '') {
    return undefined;
  }
  return fraction === '' ? digits || '0' : `${digits || '0'}.${fraction}`;
};
