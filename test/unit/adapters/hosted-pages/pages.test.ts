import { describe, expect, it } from 'vitest';
import { bankChoicePage, type ChoicePageModel, displayAmount, hostedProblemPage } from '../../../../shared/adapters/hosted-pages/pages';

describe('displayAmount', () => {
  it.each([
    [0, 'GBP', '£0.00'],
    [5, 'GBP', '£0.05'],
    [99, 'GBP', '£0.99'],
    [100000, 'GBP', '£1,000.00'],
    [123456, 'GBP', '£1,234.56'],
    [123456789, 'GBP', '£1,234,567.89'],
    // Beyond what a float prints exactly: string arithmetic keeps every digit.
    [Number.MAX_SAFE_INTEGER, 'GBP', '£90,071,992,547,409.91'],
    [-5, 'GBP', '-£0.05'],
    [-123456, 'GBP', '-£1,234.56'],
    [123456, 'EUR', '€1,234.56'],
    [123456, 'USD', '$1,234.56'],
    [1234567, 'JPY', '1,234,567 JPY'],
    [100, 'JPY', '100 JPY'],
    [1234567, 'KWD', '1,234.567 KWD'],
    [-1234567, 'CHF', '-12,345.67 CHF'],
  ])('shows %s minor units of %s as %s', (minor, currency, shown) => {
    expect(displayAmount(minor, currency)).toBe(shown);
  });

  it('refuses a fractional amount and an unknown currency rather than guessing', () => {
    expect(() => displayAmount(1.5, 'GBP')).toThrow(RangeError);
    expect(() => displayAmount(100, 'XXY')).toThrow(RangeError);
  });
});

const model = (overrides: Partial<ChoicePageModel> = {}): ChoicePageModel => ({
  amount: 123456,
  currency: 'GBP',
  payee: 'Acme Ltd',
  reference: 'INV-42',
  banks: [
    { id: 'mock-v4', name: 'Mock Bank (v4.0)' },
    { id: 'mock-v31', name: 'Mock Bank (v3.1.11)' },
  ],
  redirectUrl: 'https://shop.example/cart',
  ...overrides,
});

describe('bankChoicePage', () => {
  it('shows the amount, the payee, the reference and one button per bank, in a form that posts the bank id', () => {
    const page = bankChoicePage(model());
    expect(page).toContain('<h1>Pay Acme Ltd</h1>');
    expect(page).toContain('<p class="amount">£1,234.56</p>');
    expect(page).toContain('<dd>INV-42</dd>');
    expect(page).toContain('<form method="post">');
    expect(page.match(/<button name="aspspId" value="[^"]*">/g)).toEqual(['<button name="aspspId" value="mock-v4">', '<button name="aspspId" value="mock-v31">']);
    expect(page).toContain('>Mock Bank (v4.0)</button>');
    expect(page).toContain('<a href="https://shop.example/cart">Cancel and return to Acme Ltd</a>');
  });

  it('offers no way back when the merchant gave no redirect URL', () => {
    expect(bankChoicePage(model({ redirectUrl: null }))).not.toContain('Cancel and return');
  });

  it('escapes the payee, reference, bank names and ids, and the redirect URL', () => {
    const page = bankChoicePage(
      model({
        payee: `<script>alert("payee")</script> & Sons`,
        reference: `R'1<b>`,
        banks: [{ id: `x"><img src=x onerror=alert(1)>`, name: `<b>Bank</b> & "Co"` }],
        redirectUrl: `https://shop.example/?a=1&b="><script>`,
      }),
    );
    expect(page).not.toContain('<script>');
    expect(page).not.toContain('<img');
    expect(page).not.toContain('<b>');
    expect(page).toContain('Pay &lt;script&gt;alert(&quot;payee&quot;)&lt;/script&gt; &amp; Sons');
    expect(page).toContain('<dd>R&#39;1&lt;b&gt;</dd>');
    expect(page).toContain('<button name="aspspId" value="x&quot;&gt;&lt;img src=x onerror=alert(1)&gt;">&lt;b&gt;Bank&lt;/b&gt; &amp; &quot;Co&quot;</button>');
    expect(page).toContain('href="https://shop.example/?a=1&amp;b=&quot;&gt;&lt;script&gt;"');
  });
});

describe('hostedProblemPage', () => {
  it('escapes the message and details and words the heading by status', () => {
    const page = hostedProblemPage(422, 'No bank <x>', [{ message: 'aspspId "<y>" is unknown' }]);
    expect(page).toContain('<h1>This cannot be done</h1>');
    expect(page).toContain('<p>No bank &lt;x&gt;</p>');
    expect(page).toContain('<li>aspspId &quot;&lt;y&gt;&quot; is unknown</li>');
    expect(hostedProblemPage(404, 'gone')).toContain('<h1>Not found</h1>');
    expect(hostedProblemPage(502, 'down')).toContain('Please try again in a moment.');
  });
});

describe('bankChoicePage: what happens next and the way back', () => {
  it('says what happens after the payer approves, with the amount and the payee', () => {
    expect(bankChoicePage(model({ amount: 1_250 }))).toContain('After you approve, your bank sends £12.50 to Acme Ltd. Acme Ltd is told as soon as the payment arrives.');
  });

  it('says the window can be closed when there is no way back', () => {
    const page = bankChoicePage(model({ redirectUrl: null }));
    expect(page).toContain('To cancel, close this window.');
    expect(page).not.toContain('<a href');
  });
});

describe('hostedProblemPage: which problem, for whom, and the way back', () => {
  it.each([
    ['payment_link_not_found', 404, 'Payment link not found'],
    ['payment_link_expired', 410, 'This payment link has expired'],
    ['payment_link_completed', 410, 'This payment link has already been paid'],
    ['payment_link_in_use', 409, 'This payment link is already being paid'],
    ['payment_not_awaiting_authorisation', 409, 'This payment was already decided'],
    ['invalid_state', 400, 'This authorisation link cannot be used'],
  ])('heads %s (%i) "%s"', (code, status, heading) => {
    expect(hostedProblemPage(status, 'x', [], { code })).toContain(`<h1>${heading}</h1>`);
  });

  it('names the payee and links back to them when the page knew them, else says the window can be closed', () => {
    const page = hostedProblemPage(410, 'Expired.', [], { code: 'payment_link_expired', context: { payee: 'Acme & Co', returnUrl: 'https://shop.example/?a=1&b=2' } });
    expect(page).toContain('<dd>Acme &amp; Co</dd>');
    expect(page).toContain('<a href="https://shop.example/?a=1&amp;b=2">Return to Acme &amp; Co</a>');
    expect(hostedProblemPage(410, 'Expired.', [], { context: { payee: 'Acme', returnUrl: null } })).toContain('You can close this window.');
    expect(hostedProblemPage(410, 'Expired.')).not.toContain('<a href');
  });
});
