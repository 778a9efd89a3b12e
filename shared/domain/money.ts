import { ValidationError } from './errors';

/**
 * Money (docs/architecture.md §5): integer minor units inside, decimal strings in major units at the
 * edges. Everything here works on digit strings and integers, never on floating point values, so "0.1" + "0.2" is
 * never a question. The only conversion to `number` is of a whole digit string already known to be a safe integer.
 */

/** ISO 4217 minor-unit exponents of the currencies Settled accepts (upper-case alphabetic codes only). */
const CURRENCY_EXPONENTS: ReadonlyMap<string, number> = new Map([
  ...['GBP', 'EUR', 'USD', 'CHF', 'SEK', 'NOK', 'DKK', 'PLN', 'CZK', 'HUF', 'RON', 'BGN'].map((c) => [c, 2] as const),
  ...['AUD', 'CAD', 'NZD', 'HKD', 'SGD', 'ZAR'].map((c) => [c, 2] as const),
  ...['JPY', 'ISK', 'KRW', 'CLP'].map((c) => [c, 0] as const),
  ...['KWD', 'BHD', 'OMR', 'JOD', 'TND'].map((c) => [c, 3] as const),
]);

/** API amounts: digits, an optional fraction; no sign, exponent, spaces or leading zeros. */
const API_AMOUNT_PATTERN = /^(0|[1-9][0-9]*)(?:\.([0-9]+))?$/;

/** Open Banking `ActiveOrHistoricCurrencyAndAmount.Amount`: 1–13 integer digits, 1–5 fraction digits. */
const BANK_AMOUNT_PATTERN = /^([0-9]{1,13})(?:\.([0-9]{1,5}))?$/;

/** Digits of Number.MAX_SAFE_INTEGER; a longer digit string cannot be a safe integer. */
const MAX_SAFE_DIGITS = String(Number.MAX_SAFE_INTEGER).length;
const MAX_SAFE_BIGINT = BigInt(Number.MAX_SAFE_INTEGER);

/** The ISO 4217 minor-unit exponent of `currency` (2 for GBP, 0 for JPY, 3 for KWD), or undefined if unsupported. */
export const currencyExponent = (currency: string): number | undefined => CURRENCY_EXPONENTS.get(currency);

/**
 * Parses an amount received through the API (`"125.00"`, `"100.5"`) into minor units of `currency`.
 * Rejects JSON numbers, signs, exponents, spaces, leading zeros, more fraction digits than the currency has,
 * zero (unless `allowZero`) and amounts beyond a safe integer of minor units, with a ValidationError whose
 * single detail is on `options.path` (default `amount`), or on `currency` when the currency is not supported.
 */
export const parseAmount = (
  input: unknown,
  currency: string,
  options: { path?: string; allowZero?: boolean } = {},
): number => {
  const path = options.path ?? 'amount';
  const exponent = requireExponent(currency);
  if (typeof input === 'number') {
    throw invalid(path, 'amount must be a decimal string such as "125.00", not a number');
  }
  if (typeof input !== 'string') {
    throw invalid(path, 'amount must be a decimal string such as "125.00"');
  }
  const match = API_AMOUNT_PATTERN.exec(input);
  if (match === null) {
    throw invalid(path, describeMalformed(input));
  }
  const whole = match[1] ?? '0';
  const fraction = match[2] ?? '';
  if (fraction.length > exponent) {
    throw invalid(path, `amount has ${places(fraction.length)} but ${currency} ${decimalsPhrase(exponent)}`);
  }
  const minor = toMinorUnits(whole, fraction, exponent);
  if (minor === undefined) {
    throw invalid(path, `amount is too large (at most ${formatAmount(Number.MAX_SAFE_INTEGER, currency)} ${currency})`);
  }
  if (minor === 0 && options.allowZero !== true) {
    throw invalid(path, 'amount must be greater than zero');
  }
  return minor;
};

/**
 * Parses an amount reported by a bank into minor units of `currency`. Open Banking sends 1–13 integer digits and up
 * to 5 fraction digits (`"10.00000"`, leading zeros allowed); fraction digits beyond the currency's exponent are
 * accepted only when they are zeros, because anything else would have to be rounded. Never negative (banks give the
 * direction separately, as the credit/debit indicator); zero is allowed.
 */
export const parseBankAmount = (input: string, currency: string): number => {
  const exponent = requireExponent(currency);
  const match = BANK_AMOUNT_PATTERN.exec(input);
  if (match === null) {
    throw invalid('amount', `bank amount ${JSON.stringify(input)} is not an unsigned decimal with at most 13 digits before the point and 5 after`);
  }
  const whole = match[1] ?? '0';
  const fraction = match[2] ?? '';
  if (/[1-9]/.test(fraction.slice(exponent))) {
    throw invalid('amount', `bank amount ${JSON.stringify(input)} has non-zero digits beyond the ${exponent} decimal places of ${currency}`);
  }
  const minor = toMinorUnits(whole, fraction.slice(0, exponent), exponent);
  if (minor === undefined) {
    throw invalid('amount', `bank amount ${JSON.stringify(input)} is too large`);
  }
  return minor;
};

/**
 * Formats minor units as the decimal string the API returns: exactly the currency's number of decimals
 * (`"125.50"`, `"0.05"`, JPY `"1250"`), a leading `-` when negative. Throws a RangeError (a defect, not a client
 * error) for a value that is not a safe integer or a currency that is not supported.
 */
export const formatAmount = (minor: number, currency: string): string => {
  if (!Number.isSafeInteger(minor)) {
    throw new RangeError(`minor-unit amount must be a safe integer, got ${String(minor)}`);
  }
  const exponent = currencyExponent(currency);
  if (exponent === undefined) {
    throw new RangeError(`unsupported currency ${JSON.stringify(currency)}`);
  }
  // String() of a safe integer is plain digits (no exponent form); -0 prints as "0".
  const text = String(minor);
  const negative = text.startsWith('-');
  const digits = (negative ? text.slice(1) : text).padStart(exponent + 1, '0');
  const whole = digits.slice(0, digits.length - exponent);
  const fraction = digits.slice(digits.length - exponent);
  return `${negative ? '-' : ''}${whole}${exponent > 0 ? `.${fraction}` : ''}`;
};

const requireExponent = (currency: string): number => {
  const exponent = currencyExponent(currency);
  if (exponent === undefined) {
    throw invalid('currency', `currency ${JSON.stringify(currency)} is not a supported ISO 4217 code`);
  }
  return exponent;
};

/** Minor units from the digits either side of the point, or undefined when beyond Number.MAX_SAFE_INTEGER. */
const toMinorUnits = (whole: string, fraction: string, exponent: number): number | undefined => {
  const digits = `${whole}${fraction.padEnd(exponent, '0')}`.replace(/^0+(?=[0-9])/, '');
  if (digits.length > MAX_SAFE_DIGITS) {
    return undefined;
  }
  const value = BigInt(digits);
  return value > MAX_SAFE_BIGINT ? undefined : Number(value);
};

const places = (count: number): string => `${count} decimal place${count === 1 ? '' : 's'}`;

const decimalsPhrase = (exponent: number): string =>
  exponent === 0 ? 'has no decimal places' : `allows at most ${places(exponent)}`;

/** The most useful explanation of why `input` is not an API amount. */
const describeMalformed = (input: string): string => {
  const example = 'such as "125.00"';
  if (input.trim() === '') {
    return `amount must be a decimal string ${example}, not empty`;
  }
  if (/^[+-]/.test(input)) {
    return `amount must be a positive decimal string ${example}, without a sign`;
  }
  if (/\s/.test(input)) {
    return `amount must be a decimal string ${example}, without spaces`;
  }
  if (/[eE]/.test(input)) {
    return `amount must be a decimal string ${example}, without an exponent`;
  }
  if (/^0[0-9]/.test(input)) {
    return `amount must be a decimal string ${example}, without leading zeros`;
  }
  return `amount must be a decimal string ${example}: digits, optionally a point and more digits`;
};

const invalid = (path: string, message: string): ValidationError =>
  new ValidationError(`The ${path} is invalid.`, { details: [{ path, message }] });
