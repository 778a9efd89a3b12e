import { formatAmount } from '../../domain/money';
import type { SandboxPayment } from './sandbox-payment';

const escape = (text: string): string =>
  text.replace(/[&<>"']/g, (character) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[character] ?? character);

export const layout = (title: string, body: string): string => `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escape(title)} · Settled Sandbox Bank</title>
<style>body{font:16px/1.5 system-ui,sans-serif;max-width:32rem;margin:3rem auto;padding:0 1rem;color:#1b1f24}
.card{border:1px solid #d0d7de;border-radius:12px;padding:1.5rem}dt{color:#57606a;font-size:.85rem}dd{margin:0 0 .75rem;font-weight:600}
button{font:inherit;padding:.6rem 1.4rem;border-radius:8px;border:1px solid #1f883d;margin-right:.5rem;cursor:pointer}
.approve{background:#1f883d;color:#fff}.reject{background:#fff;color:#cf222e;border-color:#cf222e}.note{color:#57606a;font-size:.85rem}</style>
</head><body><p class="note">Settled Sandbox Bank — simulated, no real money moves.</p><div class="card">${body}</div></body></html>`;

/** The hosted authorisation page: what is being paid, and Approve / Reject. */
export const authorisationPage = (payment: SandboxPayment): string => {
  const amount = `${formatAmount(payment.amount, payment.currency)} ${payment.currency}`;
  const details = `<dl><dt>Amount</dt><dd>${escape(amount)}</dd><dt>Reference</dt><dd>${escape(payment.reference)}</dd>
<dt>${payment.direction === 'inbound' ? 'Pay to' : 'Pay from'}</dt><dd>${escape(payment.account.name)} (${escape(payment.account.sortCode)} ${escape(payment.account.accountNumber)})</dd>
${payment.direction === 'outbound' && payment.counterparty !== null ? `<dt>Pay to</dt><dd>${escape(payment.counterparty.name)}</dd>` : ''}${payment.bulk === undefined ? '' : `<dt>Pay to</dt><dd>${payment.bulk.itemCount} payees (bulk payout)</dd>`}</dl>`;
  if (payment.status !== 'awaiting_authorisation') {
    return layout('Payment', `<h1>Payment ${payment.status}</h1>${details}`);
  }
  return layout(
    'Authorise payment',
    `<h1>Authorise this payment</h1>${details}
<form method="post"><button class="approve" name="outcome" value="approve">Approve</button><button class="reject" name="outcome" value="reject">Reject</button></form>
<p class="note">Profile: ${escape(payment.profile)}</p>`,
  );
};

export const decisionPage = (payment: SandboxPayment): string =>
  layout('Payment', `<h1>Payment ${escape(payment.status)}</h1><p>You can close this window; the bank will report the payment to Settled.</p>`);

/** What a payer's browser gets when the link cannot be used: a page, never the API's JSON. */
export const problemPage = (statusCode: number, message: string, details: readonly { readonly message: string }[] = []): string => {
  const heading =
    statusCode === 404 ? 'Payment not found' : statusCode === 410 ? 'This link has expired' : statusCode < 500 ? 'This cannot be done' : 'Something went wrong';
  const advice = statusCode >= 500 ? 'Please try again in a moment.' : 'You can close this window and go back to the merchant.';
  const list = details.length === 0 ? '' : `<ul>${details.map((detail) => `<li>${escape(detail.message)}</li>`).join('')}</ul>`;
  return layout(heading, `<h1>${escape(heading)}</h1><p>${escape(message)}</p>${list}<p class="note">${escape(advice)}</p>`);
};
