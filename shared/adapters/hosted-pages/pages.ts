import type { PageContext, ProblemExtras } from '../../runtime/http/hosted-page';
import { displayAmount, escapeHtml } from './format';

export { displayAmount, escapeHtml } from './format';

/**
 * Settled's own hosted pages for payers and account holders: the bank choice (a payment's or a payment link's),
 * where the bank's pages send them back to when the merchant gave no redirect URL, and the problem pages. Plain HTML
 * forms: they work without JavaScript. The sandbox bank's pages are another party's and look it (sandbox-bank/pages.ts).
 */

/**
 * The pages' only style, inline; its SHA-256 is what the Content-Security-Policy allows (content-security.ts).
 * Contrast AA on every text colour (#57606a on white 6.1:1, #0550ae 7.6:1), a visible focus ring, readable at 390 px.
 */
export const PAGE_STYLE = `body{font:16px/1.5 system-ui,sans-serif;max-width:34rem;margin:2rem auto;padding:0 1rem;color:#1b1f24;background:#fff}
header.brand{font-weight:700;color:#0550ae;margin-bottom:1rem}.card{border:1px solid #d0d7de;border-radius:12px;padding:1.5rem}
h1{font-size:1.5rem;margin:0 0 .5rem}h2{font-size:1.1rem;margin:1.5rem 0 .5rem}dt{color:#57606a;font-size:.85rem}dd{margin:0 0 .75rem;font-weight:600;overflow-wrap:anywhere}
.amount{font-size:2rem;font-weight:700;margin:.25rem 0 1rem}ul.banks{list-style:none;padding:0}ul.banks li{margin:.5rem 0}
button{font:inherit;color:#1b1f24;width:100%;text-align:left;padding:.8rem 1rem;border-radius:8px;border:1px solid #8c959f;background:#f6f8fa;cursor:pointer}
button:hover{border-color:#0550ae}a{color:#0550ae}:focus-visible{outline:3px solid #0550ae;outline-offset:2px}
.next{background:#f6f8fa;border-radius:8px;padding:.75rem 1rem}.note{color:#57606a;font-size:.85rem}.back{margin-top:1.5rem}
@media (max-width:480px){body{margin:1rem auto}.card{padding:1rem}.amount{font-size:1.6rem}}`;

export const layout = (title: string, body: string): string => `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)} · Settled</title>
<style>${PAGE_STYLE}</style>
</head><body><header class="brand">Settled</header><main class="card">${body}</main><footer><p class="note">Payments by Settled over Open Banking: you approve the payment in your own bank; Settled never sees your bank login.</p></footer></body></html>`;

/** The way back to the merchant: a link when there is one, else that the window can be closed. */
export const wayBack = (context: PageContext | undefined, before: boolean): string => {
  if (context === undefined || context.returnUrl === null) return `<p class="note back">${before ? 'To cancel, close this window.' : 'You can close this window.'}</p>`;
  return `<p class="back"><a href="${escapeHtml(context.returnUrl)}">${before ? 'Cancel and return to' : 'Return to'} ${escapeHtml(context.payee)}</a></p>`;
};

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

/** The payer's bank choice: what they pay, to whom, one button per bank this deployment talks to, what happens next. */
export const bankChoicePage = (model: ChoicePageModel): string => {
  const amount = escapeHtml(displayAmount(model.amount, model.currency));
  const payee = escapeHtml(model.payee);
  return layout(
    'Choose your bank',
    `<h1>Pay ${payee}</h1>
<p class="amount">${amount}</p>
<dl><dt>Reference</dt><dd>${escapeHtml(model.reference)}</dd><dt>Pay to</dt><dd>${payee}</dd></dl>
<h2>Choose your bank</h2>
<form method="post"><ul class="banks">${model.banks
      .map((bank) => `<li><button name="aspspId" value="${escapeHtml(bank.id)}">${escapeHtml(bank.name)}</button></li>`)
      .join('')}</ul></form>
<h2>What happens next</h2>
<p class="next">Your bank shows you this payment to approve. After you approve, your bank sends ${amount} to ${payee}. ${payee} is told as soon as the payment arrives.</p>
${wayBack({ payee: model.payee, returnUrl: model.redirectUrl }, true)}`,
  );
};

/** After the bank's pages, when the merchant gave no redirect URL. */
export const donePage = (heading: string, message: string): string => layout(heading, `<h1>${escapeHtml(heading)}</h1><p>${escapeHtml(message)}</p>`);

/** The heading of a problem page: which problem it is, by the error's code, else by status. */
const problemHeading = (statusCode: number, code: string | undefined): string => {
  switch (code) {
    case 'payment_link_not_found':
      return 'Payment link not found';
    case 'payment_link_expired':
      return 'This payment link has expired';
    case 'payment_link_completed':
      return 'This payment link has already been paid';
    case 'payment_link_in_use':
      return 'This payment link is already being paid';
    case 'payment_link_exhausted':
      return 'This payment link has taken all its payments';
    case 'payment_not_awaiting_authorisation':
      return 'This payment was already decided';
    case 'invalid_state':
      return 'This authorisation link cannot be used';
    case 'authorisation_superseded':
      return 'This authorisation was replaced';
  }
  if (statusCode === 404) return 'Not found';
  if (statusCode === 410) return 'This link has expired';
  if (statusCode === 409) return 'This was already done';
  return statusCode < 500 ? 'This cannot be done' : 'Something went wrong';
};

/** What a browser gets when a hosted page cannot be used: a page, never the API's JSON; the payee and a way back when known. */
export const hostedProblemPage = (statusCode: number, message: string, details: readonly { readonly message: string }[] = [], extras: ProblemExtras = {}): string => {
  const heading = problemHeading(statusCode, extras.code);
  const list = details.length === 0 ? '' : `<ul>${details.map((detail) => `<li>${escapeHtml(detail.message)}</li>`).join('')}</ul>`;
  const payee = extras.context === undefined ? '' : `<dl><dt>Payee</dt><dd>${escapeHtml(extras.context.payee)}</dd></dl>`;
  const advice =
    statusCode >= 500
      ? '<p class="note">Please try again in a moment.</p>'
      : extras.context === undefined
        ? '<p class="note">You can close this window and go back to the merchant.</p>'
        : wayBack(extras.context, false);
  return layout(heading, `<h1>${escapeHtml(heading)}</h1><p>${escapeHtml(message)}</p>${list}${payee}${advice}`);
};
