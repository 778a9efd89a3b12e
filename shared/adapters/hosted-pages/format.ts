import { formatAmount } from '../../domain/money';

/**
 * How every page a payer sees (Settled's, the sandbox bank's, the local mock banks') writes money, sort codes and
 * account numbers, and escapes what tenants wrote. One place, so the bank-choice page and the bank's page agree.
 */

export const escapeHtml = (text: string): string =>
  text.replace(/[&<>"']/g, (character) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[character] ?? character);

const SYMBOLS: Readonly<Record<string, string>> = { GBP: '£', EUR: '€', USD: '$' };

/** `£1,234.56` from minor units, exactly (string arithmetic, no floating point); other currencies as `1,234.56 CHF`. */
export const displayAmount = (minor: number, currency: string): string => {
  const [whole = '0', fraction] = formatAmount(minor, currency).split('.');
  const negative = whole.startsWith('-');
  const digits = negative ? whole.slice(1) : whole;
  const grouped = digits.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  const number = `${grouped}${fraction === undefined ? '' : `.${fraction}`}`;
  const symbol = SYMBOLS[currency];
  return symbol === undefined ? `${negative ? '-' : ''}${number} ${currency}` : `${negative ? '-' : ''}${symbol}${number}`;
};

/** `04-00-04` from the six digits a sort code is stored as (already-dashed input is accepted); anything else as given. */
export const displaySortCode = (sortCode: string): string => {
  const digits = sortCode.replace(/[-\s]/g, '');
  return /^\d{6}$/.test(digits) ? `${digits.slice(0, 2)}-${digits.slice(2, 4)}-${digits.slice(4)}` : sortCode;
};

/** An account number as stored: eight digits, no grouping (how UK banks print it). Spaces dropped. */
export const displayAccountNumber = (accountNumber: string): string => accountNumber.replace(/\s/g, '');

/** `Acme Ltd, 04-00-04 12345678`: whose account, and where. */
export const displayAccount = (account: { readonly name: string; readonly sortCode?: string | undefined; readonly accountNumber?: string | undefined }): string =>
  account.sortCode === undefined || account.accountNumber === undefined
    ? account.name
    : `${account.name}, sort code ${displaySortCode(account.sortCode)}, account ${displayAccountNumber(account.accountNumber)}`;
