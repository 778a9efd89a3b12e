import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { HOSTED_PAGE_HEADERS } from '../../../../shared/adapters/hosted-pages/content-security';
import { bankChoicePage, hostedProblemPage } from '../../../../shared/adapters/hosted-pages/pages';

const page = bankChoicePage({ amount: 123_456, currency: 'GBP', payee: 'Acme <Ltd>', reference: 'INV-1', banks: [{ id: 'sandbox', name: 'Settled Sandbox Bank' }], redirectUrl: 'https://shop.example/thanks' });

describe('the hosted pages and their Content-Security-Policy', () => {
  it.each([
    ['the bank choice', page],
    ['a problem page', hostedProblemPage(410, 'This payment link has expired.')],
  ])('allows exactly the one style block of %s by its hash, and no script', (_name, html) => {
    // Prepare
    const styles = [...html.matchAll(/<style>([\s\S]*?)<\/style>/g)].map((match) => match[1] ?? '');
    const policy = HOSTED_PAGE_HEADERS['content-security-policy'] ?? '';

    // Assess
    expect(styles).toHaveLength(1);
    expect(policy).toContain(`style-src 'sha256-${createHash('sha256').update(styles[0] ?? '', 'utf8').digest('base64')}'`);
    expect(policy).toMatch(/^default-src 'none';/);
    expect(policy).toContain("frame-ancestors 'none'");
    expect(policy).not.toContain('unsafe-inline');
    expect(html).not.toMatch(/<script|\son[a-z]+=/i);
  });

  it('escapes what the tenant wrote and offers no form target but the page itself', () => {
    expect(page).toContain('Pay Acme &lt;Ltd&gt;');
    expect(page).toContain('£1,234.56');
    expect(page).toMatch(/<form method="post">/);
    expect(page).not.toMatch(/<form[^>]*action=/);
  });
});
