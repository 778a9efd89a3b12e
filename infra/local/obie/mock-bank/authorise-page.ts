import { escapeHtml } from './http';

/**
 * The PSU's pages at the bank: what the TPP asks (permissions, or amount, payee and reference), and two forms that
 * work without JavaScript: Approve (optionally naming an existing account by sort code and account number) and Reject.
 */
const layout = (bankName: string, title: string, content: string): string => `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)} · ${escapeHtml(bankName)}</title>
<style>body{font-family:system-ui,sans-serif;max-width:32rem;margin:2rem auto;padding:0 1rem;color:#1b1b1b}
h1{font-size:1.4rem}dl{display:grid;grid-template-columns:auto 1fr;gap:.4rem 1rem}dt{font-weight:600}
form{margin:1rem 0}fieldset{border:1px solid #ccc;padding:.8rem}button{font-size:1rem;padding:.5rem 1.2rem}</style>
</head><body><p><strong>${escapeHtml(bankName)}</strong></p>${content}</body></html>`;

export interface AuthorisationPageInput {
  readonly bankName: string;
  /** Path and query of the authorisation request: the forms post back to it. */
  readonly action: string;
  readonly title: string;
  readonly lines: readonly (readonly [string, string])[];
}

export const authorisationPage = (input: AuthorisationPageInput): string =>
  layout(
    input.bankName,
    input.title,
    `<h1>${escapeHtml(input.title)}</h1>
<dl>${input.lines.map(([term, value]) => `<dt>${escapeHtml(term)}</dt><dd>${escapeHtml(value)}</dd>`).join('')}</dl>
<form method="post" action="${escapeHtml(input.action)}">
<fieldset><legend>Use an existing account (optional: leave empty for a new one)</legend>
<label>Sort code <input name="sortCode" inputmode="numeric" autocomplete="off"></label>
<label>Account number <input name="accountNumber" inputmode="numeric" autocomplete="off"></label></fieldset>
<input type="hidden" name="outcome" value="approve"><p><button type="submit">Approve</button></p></form>
<form method="post" action="${escapeHtml(input.action)}"><input type="hidden" name="outcome" value="reject"><button type="submit">Reject</button></form>`,
  );

export const messagePage = (bankName: string, title: string, message: string): string =>
  layout(bankName, title, `<h1>${escapeHtml(title)}</h1><p>${escapeHtml(message)}</p>`);
