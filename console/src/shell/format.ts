/**
 * Formatting for the console. Money is formatted from the API's decimal strings with string operations only (no
 * parseFloat, no Number): a float would round large or many-digit amounts, and the console must show exactly what
 * Settled's ledger holds.
 */

const DECIMAL = /^(-?)(\d+)(?:\.(\d+))?$/;

/** Digits grouped in threes from the right: `1234567` → `1,234,567`. */
const grouped = (digits: string): string => {
  const trimmed = digits.replace(/^0+(?=\d)/, '');
  let out = '';
  for (let index = 0; index < trimmed.length; index += 1) {
    const fromRight = trimmed.length - index;
    out += trimmed[index];
    if (fromRight > 1 && fromRight % 3 === 1) out += ',';
  }
  return out;
};

/**
 * `money('1234.56', 'GBP')` → `£1,234.56`; other currencies carry their code after the number
 * (`money('1234.56', 'CHF')` → `1,234.56 CHF`); a negative amount is `-£12.00`. The fraction's digits are kept as
 * the API gave them. A string that is not a decimal number is shown as it came, with its currency.
 */
export const money = (amount: string, currency: string): string => {
  const match = DECIMAL.exec(amount.trim());
  if (match === null) return `${amount} ${currency}`;
  const [, sign = '', whole = '0', fraction] = match;
  const number = `${grouped(whole)}${fraction === undefined ? '' : `.${fraction}`}`;
  const negative = sign === '-' && /[1-9]/.test(`${whole}${fraction ?? ''}`) ? '-' : '';
  if (currency === 'GBP') return `${negative}£${number}`;
  return `${negative}${number} ${currency}`;
};

/**
 * A decimal string as an approximate number, for a chart's y axis only (never for a shown or compared amount).
 * Undefined when it is not a decimal string.
 */
export const chartValue = (amount: string): number | undefined => (DECIMAL.test(amount.trim()) ? Number(amount) : undefined);

const two = (value: number): string => String(value).padStart(2, '0');

/** `2026-12-01T03:04:05.678Z` → `2026-12-01 03:04:05 UTC` (always UTC, so every operator reads the same time). */
export const dateTime = (iso: string): string => {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return `${date.getUTCFullYear()}-${two(date.getUTCMonth() + 1)}-${two(date.getUTCDate())} ${two(date.getUTCHours())}:${two(date.getUTCMinutes())}:${two(date.getUTCSeconds())} UTC`;
};

/** A length of time for people: `850 ms`, `12.3 s`, `4 min 5 s`, `2 h 3 min`, `3 d 4 h`. */
export const duration = (ms: number): string => {
  if (!Number.isFinite(ms)) return '—';
  const sign = ms < 0 ? '-' : '';
  const abs = Math.abs(ms);
  if (abs < 1000) return `${sign}${Math.round(abs)} ms`;
  if (abs < 60_000) return `${sign}${(Math.floor(abs / 100) / 10).toFixed(1)} s`;
  // Two units, the smaller left out when it is zero ("5 min", "1 h", not "5 min 0 s").
  const twoUnits = (large: number, largeUnit: string, small: number, smallUnit: string) => `${sign}${large} ${largeUnit}${small === 0 ? '' : ` ${small} ${smallUnit}`}`;
  const seconds = Math.floor(abs / 1000);
  if (seconds < 3600) return twoUnits(Math.floor(seconds / 60), 'min', seconds % 60, 's');
  const minutes = Math.floor(seconds / 60);
  if (minutes < 1440) return twoUnits(Math.floor(minutes / 60), 'h', minutes % 60, 'min');
  const hours = Math.floor(minutes / 60);
  return twoUnits(Math.floor(hours / 24), 'd', hours % 24, 'h');
};
