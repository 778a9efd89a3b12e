import { formatAmount } from '../../domain/money';

/**
 * Settled's own hosted pages for payers and account holders: the bank choice, and where the bank's pages send
 * them back to when the merchant gave no redirect URL. Plain HTML forms: they work without JavaScript.
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
  const number = `${negative ? '-' : ''}${grouped}${fraction === undefined ? '' : `.${fraction}`}`;
  const symbol = SYMBOLS[currency];
  return symbol === undefined ? `${number} ${currency}` : `${negative ? '-' : ''}${symbol}${number.replace(/^-/, '')}`;
};

/** The pages' only style, inline; its SHA-256 is what the Content-Security-Policy allows (content-security.ts). */
export const PAGE_STYLE = `body{font:16px/1.5 system-ui,sans-serif;max-width:34rem;margin:3rem auto;padding:0 1rem;color:#1b1f24}
.card{border:1px solid #d0d7de;border-radius:12px;padding:1.5rem}dt{color:#57606a;font-size:.85rem}dd{margin:0 0 .75rem;font-weight:600}
.amount{font-size:2rem;font-weight:700;margin:.25rem 0 1rem}ul.banks{list-style:none;padding:0}ul.banks li{margin:.5rem 0}
button{font:inherit;width:100%;text-align:left;padding:.8rem 1rem;border-radius:8px;border:1px solid #d0d7de;background:#f6f8fa;cursor:pointer}
button:hover{border-color:#0969da}.note{color:#57606a;font-size:.85rem}a{color:#0969da}`;

export const layout = (title: string, body: string): string => `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)} · Settled</title>
<style>${PAGE_STYLE}</style>
</head><body><div class="card">${body}</div><p class="note">Payments by Settled over Open Banking: you approve the payment in your own bank; Settled never sees your bank login.</p></body></html>`;

export interface BankChoice {
  readonly id: string;
  readonly name: string;
}

export interface ChoicePageModel {
  readonly amount: number;
  readonly currency: string;
  readonly payee: string;
  readonly reference: string;
  readonly banks: readonly BankChoice[];
  readonly redirectUrl: string | null;
}

/** The payer's bank choice: what they pay, to whom, and one button per bank this deployment talks to. */
export const bankChoicePage = (model: ChoicePageModel): string =>
  layout(
    'Choose your bank',
    `<h1>Pay ${escapeHtml(model.payee)}</h1>
<p class="amount">${escapeHtml(displayAmount(model.amount, model.currency))}</p>
<dl><dt>Reference</dt><dd>${escapeHtml(model.reference)}</dd></dl>
<h2>Choose your bank</h2>
<form method="post"><ul class="banks">${model.banks
      .map((bank) => `<li><button name="aspspId" value="${escapeHtml(bank.id)}">${escapeHtml(bank.name)}</button></li>`)
      .join('')}</ul></form>
${model.redirectUrl === null ? '' : `<p><a href="${escapeHtml(model.redirectUrl)}">Cancel and go back to ${escapeHtml(model.payee)}</a></p>`}`,
  );

/** After the bank's pages, when the merchant gave no redirect URL. */
export const donePage = (heading: string, message: string): string => layout(heading, `<h1>${escapeHtml(heading)}</h1><p>${escapeHtml(message)}</p>`);

/** What a browser gets when a hosted page cannot be used: a page, never the API's JSON. */
export const hostedProblemPage = (statusCode: number, message: string, details: readonly { readonly message: string }[] = []): string => {
  const heading = statusCode === 404 ? 'Not found' : statusCode < 500 ? 'This cannot be done' : 'Something went wrong';
  const advice = statusCode >= 500 ? 'Please try again in a moment.' : 'You can close this window and go back to the merchant.';
  const list = details.length === 0 ? '' : `<ul>${details.map((detail) => `<li>${escapeHtml(detail.message)}</li>`).join('')}</ul>`;
  return layout(heading, `<h1>${escapeHtml(heading)}</h1><p>${escapeHtml(message)}</p>${list}<p class="note">${escapeHtml(advice)}</p>`);
};
