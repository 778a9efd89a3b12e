import { withOutcome } from '../../domain/open-banking/consent-callback';
import type { PageContext, ProblemExtras } from '../../runtime/http/hosted-page';
import { displayAccount, displayAmount, escapeHtml as escape } from '../hosted-pages/format';
import type { SandboxPayment } from './sandbox-payment';

/** The bank this page belongs to: named on every page, as a real bank's page names itself. */
export const SANDBOX_BANK_NAME = 'Settled Sandbox Bank';

/**
 * The sandbox bank's only style, inline; its SHA-256 is what its Content-Security-Policy allows
 * (hosted-pages/content-security.ts). Deliberately unlike Settled's pages (another party: a bank), and branded as
 * simulated. Contrast AA throughout (white on #1a7f37 5.1:1, #82071e on #fff8c5 9:1), visible focus, readable at 390 px.
 */
export const SANDBOX_PAGE_STYLE = `body{font:16px/1.5 Georgia,'Times New Roman',serif;margin:0;color:#1b1f24;background:#f3f0e8}
.bank{background:#102a43;color:#fff;padding:.75rem 1rem;font:700 1.1rem/1.3 system-ui,sans-serif}.bank small{display:block;font-weight:400;font-size:.85rem}
.simulated{background:#fff8c5;color:#82071e;border-bottom:2px solid #d4a72c;padding:.5rem 1rem;font:600 .9rem/1.4 system-ui,sans-serif;margin:0}
main{max-width:32rem;margin:1.5rem auto;padding:1.25rem;background:#fff;border:1px solid #bcc4cc}
h1{font-size:1.4rem;margin:0 0 .75rem}dt{color:#4a5561;font-size:.85rem}dd{margin:0 0 .75rem;font-weight:700;overflow-wrap:anywhere}
.amount{font-size:1.9rem;font-weight:700;margin:.25rem 0 1rem}
.decide{display:flex;gap:.75rem;flex-wrap:wrap}button{font:600 1rem/1.2 system-ui,sans-serif;padding:.75rem 1.4rem;border-radius:4px;border:2px solid #1a7f37;cursor:pointer;flex:1 1 8rem}
.approve{background:#1a7f37;color:#fff}.reject{background:#fff;color:#a40e26;border-color:#a40e26}
a{color:#0a4f9e}:focus-visible{outline:3px solid #bf8700;outline-offset:2px}.note{color:#4a5561;font-size:.85rem}.next{border-left:4px solid #102a43;padding-left:.75rem}
@media (max-width:480px){main{margin:0;border:0}}`;

export const layout = (title: string, body: string): string => `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escape(title)} · ${SANDBOX_BANK_NAME}</title>
<style>${SANDBOX_PAGE_STYLE}</style>
</head><body><header><div class="bank">${SANDBOX_BANK_NAME}<small>Online banking</small></div>
<p class="simulated">${SANDBOX_BANK_NAME} — simulated. No real money moves.</p></header><main>${body}</main></body></html>`;

/** Whom the payer is paying (inbound: the tenant's account; outbound: the counterparty or the bulk's payees). */
const payeeOf = (payment: SandboxPayment): string =>
  payment.direction === 'inbound' ? payment.account.name : payment.bulk !== undefined ? `${payment.bulk.itemCount} payees` : (payment.counterparty?.name ?? 'the payee');

/** The merchant's page to go back to, if the payment has one. */
export const contextOf = (payment: SandboxPayment): PageContext => ({ payee: payeeOf(payment), returnUrl: payment.returnTo?.redirectUrl ?? null });

const details = (payment: SandboxPayment): string => {
  const rows: [string, string][] = [['Reference', payment.reference]];
  if (payment.direction === 'inbound') {
    rows.push(['Pay to', displayAccount(payment.account)]);
  } else {
    rows.push(['Pay from', displayAccount(payment.account)]);
    if (payment.bulk !== undefined) rows.push(['Pay to', `${payment.bulk.itemCount} payees (bulk payout)`]);
    else if (payment.counterparty !== null) rows.push(['Pay to', displayAccount(payment.counterparty)]);
  }
  rows.push(['Bank', SANDBOX_BANK_NAME]);
  return `<p class="amount">${escape(displayAmount(payment.amount, payment.currency))}</p><dl>${rows.map(([term, value]) => `<dt>${term}</dt><dd>${escape(value)}</dd>`).join('')}</dl>`;
};

const whatHappensNext = (payment: SandboxPayment): string => {
  const amount = displayAmount(payment.amount, payment.currency);
  const payee = payeeOf(payment);
  const text =
    payment.direction === 'inbound'
      ? `After you approve, ${SANDBOX_BANK_NAME} sends ${amount} to ${payee}. ${payee} is told as soon as the payment arrives.`
      : `After you approve, ${SANDBOX_BANK_NAME} sends ${amount} from ${payment.account.name} to ${payee}. Settled is told as soon as the bank has made it.`;
  return `<h2>What happens next</h2><p class="next">${escape(text)}</p>`;
};

/** The way back: to the merchant (with the outcome, once decided, as the bank's redirect would), or close the window. */
const wayBack = (payment: SandboxPayment, before: boolean): string => {
  const returnTo = payment.returnTo ?? null;
  if (returnTo === null) return `<p class="note">${before ? 'To cancel, reject the payment or close this window.' : 'You can close this window; the bank reports the payment to Settled.'}</p>`;
  const payee = escape(payeeOf(payment));
  if (before) return `<p><a href="${escape(returnTo.redirectUrl)}">Cancel and return to ${payee}</a></p>`;
  const back = withOutcome(returnTo.redirectUrl, { kind: 'payment', paymentId: returnTo.paymentId, status: payment.status === 'approved' ? 'authorised' : 'failed' });
  return `<p><a href="${escape(back)}">Return to ${payee}</a></p>`;
};

/** The hosted authorisation page: what is being paid, to whom, from which bank, what happens next, Approve / Reject. */
export const authorisationPage = (payment: SandboxPayment): string => {
  if (payment.status !== 'awaiting_authorisation') {
    return layout('Payment already decided', `<h1>This payment was already ${escape(payment.status)}</h1>${details(payment)}${wayBack(payment, false)}`);
  }
  return layout(
    'Authorise payment',
    `<h1>Authorise this payment</h1>${details(payment)}${whatHappensNext(payment)}
<form method="post" class="decide"><button class="approve" name="outcome" value="approve">Approve</button><button class="reject" name="outcome" value="reject">Reject</button></form>
${wayBack(payment, true)}<p class="note">Sandbox profile: ${escape(payment.profile)}</p>`,
  );
};

/** After the decision, when the payment has no merchant page to go back to. */
export const decisionPage = (payment: SandboxPayment): string =>
  layout('Payment', `<h1>Payment ${escape(payment.status)}</h1>${details(payment)}${wayBack(payment, false)}`);

/** What a payer's browser gets when the link cannot be used: a page, never the API's JSON. */
export const problemPage = (statusCode: number, message: string, details: readonly { readonly message: string }[] = [], extras: ProblemExtras = {}): string => {
  const heading =
    statusCode === 404
      ? 'Payment not found'
      : statusCode === 410
        ? 'This link has expired'
        : extras.code === 'already_decided'
          ? 'This payment was already decided'
          : statusCode < 500
            ? 'This cannot be done'
            : 'Something went wrong';
  const list = details.length === 0 ? '' : `<ul>${details.map((detail) => `<li>${escape(detail.message)}</li>`).join('')}</ul>`;
  const context = extras.context;
  const payee = context === undefined ? '' : `<dl><dt>Payee</dt><dd>${escape(context.payee)}</dd></dl>`;
  const advice =
    statusCode >= 500
      ? '<p class="note">Please try again in a moment.</p>'
      : context === undefined || context.returnUrl === null
        ? '<p class="note">You can close this window and go back to the merchant.</p>'
        : `<p><a href="${escape(context.returnUrl)}">Return to ${escape(context.payee)}</a></p>`;
  return layout(heading, `<h1>${escape(heading)}</h1><p>${escape(message)}</p>${list}${payee}${advice}`);
};
