import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { SANDBOX_PAGE_HEADERS } from '../../../../shared/adapters/hosted-pages/content-security';
import { authorisationPage, decisionPage, problemPage } from '../../../../shared/adapters/sandbox-bank/pages';
import type { SandboxPayment } from '../../../../shared/adapters/sandbox-bank/sandbox-payment';

const aPayment = (overrides: Partial<SandboxPayment> = {}): SandboxPayment => ({
  bankPaymentId: 'sbp_1',
  status: 'awaiting_authorisation',
  direction: 'inbound',
  amount: 1_250,
  currency: 'GBP',
  reference: 'INV-42',
  profile: 'exact',
  account: { sortCode: '040004', accountNumber: '12345678', name: 'Acme Ltd' },
  counterparty: null,
  returnTo: { redirectUrl: 'https://shop.example/return', paymentId: 'pay_1' },
  createdAt: '2026-11-24T10:00:00.000Z',
  decidedAt: null,
  ...overrides,
});

describe("the sandbox bank's authorisation page", () => {
  it('shows the amount in pounds, the payee with a formatted sort code, the reference, the bank, and what happens next', () => {
    const page = authorisationPage(aPayment());
    expect(page).toContain('Settled Sandbox Bank — simulated');
    expect(page).toContain('<h1>Authorise this payment</h1>');
    expect(page).toContain('<p class="amount">£12.50</p>');
    expect(page).toContain('<dd>Acme Ltd, sort code 04-00-04, account 12345678</dd>');
    expect(page).toContain('<dd>INV-42</dd>');
    expect(page).toContain('<dt>Bank</dt><dd>Settled Sandbox Bank</dd>');
    expect(page).toContain('After you approve, Settled Sandbox Bank sends £12.50 to Acme Ltd. Acme Ltd is told as soon as the payment arrives.');
    expect(page).not.toContain('GBP');
    expect(page).toContain('<form method="post" class="decide">');
  });

  it('offers the way back to the merchant if and only if the payment has a redirect URL', () => {
    expect(authorisationPage(aPayment())).toContain('<a href="https://shop.example/return">Cancel and return to Acme Ltd</a>');
    const without = authorisationPage(aPayment({ returnTo: null }));
    expect(without).not.toContain('<a href');
    expect(without).toContain('close this window');
  });

  it('escapes the payee, the reference and the redirect URL', () => {
    const page = authorisationPage(
      aPayment({ reference: `R'1<b>`, account: { sortCode: '040004', accountNumber: '12345678', name: '<script>x</script> & Co' }, returnTo: { redirectUrl: 'https://shop.example/?a=1&b="><i>', paymentId: 'pay_1' } }),
    );
    expect(page).not.toContain('<script>');
    expect(page).not.toContain('<b>');
    expect(page).not.toContain('<i>');
    expect(page).toContain('&lt;script&gt;x&lt;/script&gt; &amp; Co');
    expect(page).toContain('<dd>R&#39;1&lt;b&gt;</dd>');
    expect(page).toContain('href="https://shop.example/?a=1&amp;b=&quot;&gt;&lt;i&gt;"');
  });

  it('names an outbound payment from the account to the counterparty, and a bulk payout by its payees', () => {
    const outbound = authorisationPage(aPayment({ direction: 'outbound', counterparty: { name: 'Bob', sortCode: '200000', accountNumber: '55779911' } }));
    expect(outbound).toContain('<dt>Pay from</dt><dd>Acme Ltd, sort code 04-00-04, account 12345678</dd>');
    expect(outbound).toContain('<dt>Pay to</dt><dd>Bob, sort code 20-00-00, account 55779911</dd>');
    expect(authorisationPage(aPayment({ direction: 'outbound', bulk: { itemCount: 60 } }))).toContain('60 payees (bulk payout)');
  });

  it('shows a decided payment as already decided, with no buttons, and the way back carrying the outcome', () => {
    const page = authorisationPage(aPayment({ status: 'approved', decidedAt: '2026-11-24T10:01:00.000Z' }));
    expect(page).toContain('<h1>This payment was already approved</h1>');
    expect(page).not.toContain('<button');
    expect(page).toContain('<a href="https://shop.example/return?paymentId=pay_1&amp;status=authorised">Return to Acme Ltd</a>');
    expect(decisionPage(aPayment({ status: 'rejected', returnTo: null }))).toContain('You can close this window');
  });

  it('heads an already-decided refusal so, with the payee and the way back when known', () => {
    const page = problemPage(409, 'This payment was already approved.', [], { code: 'already_decided', context: { payee: 'Acme <Ltd>', returnUrl: 'https://shop.example/return' } });
    expect(page).toContain('<h1>This payment was already decided</h1>');
    expect(page).toContain('<dd>Acme &lt;Ltd&gt;</dd>');
    expect(page).toContain('<a href="https://shop.example/return">Return to Acme &lt;Ltd&gt;</a>');
    expect(problemPage(409, 'x', [], { code: 'already_decided', context: { payee: 'Acme', returnUrl: null } })).not.toContain('<a href');
  });

  it("is allowed exactly its own stylesheet by the sandbox bank's Content-Security-Policy, which is not Settled's", () => {
    const styles = [...authorisationPage(aPayment()).matchAll(/<style>([\s\S]*?)<\/style>/g)].map((match) => match[1] ?? '');
    expect(styles).toHaveLength(1);
    expect(SANDBOX_PAGE_HEADERS['content-security-policy']).toBe(
      `default-src 'none'; style-src 'sha256-${createHash('sha256').update(styles[0] ?? '', 'utf8').digest('base64')}'; base-uri 'none'; frame-ancestors 'none'`,
    );
    expect(authorisationPage(aPayment())).not.toMatch(/<script|\son[a-z]+=/i);
  });
});
