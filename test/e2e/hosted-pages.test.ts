import { existsSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { resolve } from 'node:path';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningRuntime, startRuntime } from '../../infra/local/spawn-runtime';
import { connectAccount, mockBanks, onboardTenant, type Tenant, validatedFetch } from './scenario';
import { screenshotFolder } from './screenshots';
import { seriousViolations } from './accessibility';

/** The merchant's own page a payer returns to (a loopback redirectUrl). */
const startMerchantSite = async () => {
  const server: Server = createServer((_request, response) => {
    response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end('<!doctype html><title>Acme Ltd</title><h1>Acme Ltd: thank you</h1>');
  });
  await new Promise<void>((resolveListen) => server.listen(0, '127.0.0.1', resolveListen));
  const address = server.address();
  const port = typeof address === 'object' && address !== null ? address.port : 0;
  return { url: `http://127.0.0.1:${port}/return`, close: () => new Promise<void>((resolveClose) => server.close(() => resolveClose())) };
};

const SCREENSHOTS = `${screenshotFolder()}/`;
const DESKTOP = { width: 1280, height: 800 };
const PHONE = { width: 390, height: 844 };

/**
 * The hosted pages a payer sees, in headless Chromium with JavaScript DISABLED (plain forms must do): a payment link
 * paid through Settled's bank choice and the sandbox bank's page back to the merchant; each error a page with a
 * heading and the right status; axe-core finds no serious or critical violation on any of them. Screenshots go to
 * docs/screenshots/hosted-*.png (docs/hosted-pages.md).
 */
describe('hosted pages', () => {
  let runtime: RunningRuntime;
  let tenant: Tenant;
  let account: { id: string; sortCode: string; accountNumber: string };
  let merchant: Awaited<ReturnType<typeof startMerchantSite>>;
  let browser: Browser | undefined;
  let payer: BrowserContext;
  let auditor: BrowserContext;

  /**
   * axe-core over what the payer's page shows (its HTML rendered again where a script may run: the pages themselves
   * have none and forbid any by CSP). Also: nothing wider than the viewport (readable on a phone).
   */
  const audit = async (page: Page): Promise<void> => {
    const viewport = page.viewportSize() ?? DESKTOP;
    const copy = await auditor.newPage();
    await copy.setViewportSize(viewport);
    await copy.setContent(await page.content());
    const serious = await seriousViolations(copy);
    const scrollWidth: unknown = await copy.evaluate('document.documentElement.scrollWidth');
    await copy.close();
    expect(serious, page.url()).toEqual([]);
    expect(scrollWidth, page.url()).toBeLessThanOrEqual(viewport.width);
  };

  const shoot = (page: Page, name: string) => page.screenshot({ path: resolve(SCREENSHOTS, `hosted-${name}.png`), fullPage: false });

  /** The one h1 of a page, and that there is exactly one. */
  const heading = async (page: Page): Promise<string> => {
    expect(await page.locator('h1').count()).toBe(1);
    return (await page.locator('h1').textContent()) ?? '';
  };

  const link = async (body: Record<string, unknown>): Promise<{ id: string; url: string }> => {
    const created = await tenant.post('/v1/payment-links', { accountId: account.id, currency: 'GBP', ...body });
    expect(created.status).toBe(201);
    return { id: String(created.body.id), url: String(created.body.url) };
  };

  beforeAll(async () => {
    [runtime, merchant] = await Promise.all([startRuntime({ env: { SETTLED_SANDBOX_SETTLEMENT_DELAY_SECONDS: '1' } }), startMerchantSite()]);
    tenant = await onboardTenant(runtime);
    account = await connectAccount(tenant, 'exact', '0.00');
    const executablePath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
    if (!existsSync(executablePath)) {
      throw new Error(`The hosted pages are tested in a real browser: install Chromium (Debian: apt-get install chromium) or set CHROMIUM_PATH; ${executablePath} does not exist.`);
    }
    browser = await chromium.launch({ executablePath });
    payer = await browser.newContext({ javaScriptEnabled: false, viewport: DESKTOP });
    auditor = await browser.newContext({ javaScriptEnabled: true });
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await Promise.all([runtime?.stop(), merchant?.close()]);
  });

  it('takes a payer without JavaScript from the link page through the bank choice and the sandbox bank back to the merchant', async () => {
    // Prepare
    const { url } = await link({ amount: '1234.56', reference: 'INV-HOSTED-1', redirectUrl: merchant.url });
    const page = await payer.newPage();

    // Act + Assess: the link page is Settled's bank choice
    const opened = await page.goto(url);
    expect(opened?.status()).toBe(200);
    expect(await heading(page)).toBe('Pay Acme Ltd');
    expect(await page.locator('.amount').textContent()).toBe('£1,234.56');
    const choice = (await page.locator('main').textContent()) ?? '';
    for (const text of ['INV-HOSTED-1', 'Settled Sandbox Bank', 'What happens next', 'your bank sends £1,234.56 to Acme Ltd. Acme Ltd is told as soon as the payment arrives.']) expect(choice).toContain(text);
    expect(await page.getByRole('link', { name: 'Cancel and return to Acme Ltd' }).getAttribute('href')).toBe(merchant.url);
    await audit(page);
    await shoot(page, 'link');

    // The sandbox bank's page: its own brand, the amount, payee, reference, bank and sort code as a payer reads them
    await page.getByRole('button', { name: 'Settled Sandbox Bank' }).click();
    await page.waitForURL(/\/sandbox\/authorisations\/sbp_/);
    expect(await heading(page)).toBe('Authorise this payment');
    const bank = (await page.locator('body').textContent()) ?? '';
    for (const text of [
      'Settled Sandbox Bank — simulated',
      '£1,234.56',
      'INV-HOSTED-1',
      `Acme Ltd, sort code 04-00-04, account ${account.accountNumber}`,
      'After you approve, Settled Sandbox Bank sends £1,234.56 to Acme Ltd. Acme Ltd is told as soon as the payment arrives.',
    ]) {
      expect(bank).toContain(text);
    }
    expect(bank).not.toContain('GBP');
    expect(await page.getByRole('link', { name: 'Cancel and return to Acme Ltd' }).getAttribute('href')).toBe(merchant.url);
    await audit(page);
    await shoot(page, 'sandbox-bank');
    await page.setViewportSize(PHONE);
    await audit(page);
    await shoot(page, 'sandbox-bank-phone');
    await page.setViewportSize(DESKTOP);

    // Approve: the bank sends the payer back to the merchant's page, with the outcome
    await page.getByRole('button', { name: 'Approve' }).click();
    await page.waitForURL((landed) => landed.toString().startsWith(merchant.url));
    expect(new URL(page.url()).searchParams.get('status')).toBe('authorised');
    expect(await heading(page)).toBe('Acme Ltd: thank you');
    await page.close();
  });

  it('ends on the bank\'s own page, saying the window can be closed, when the merchant gave no redirect URL', async () => {
    const { url } = await link({ amount: '12.50', reference: 'INV-HOSTED-2' });
    const page = await payer.newPage();
    await page.goto(url);
    expect(await page.locator('main').textContent()).toContain('To cancel, close this window.');
    expect(await page.getByRole('link', { name: /Cancel and return/ }).count()).toBe(0);
    await page.getByRole('button', { name: 'Settled Sandbox Bank' }).click();
    await page.waitForURL(/\/sandbox\/authorisations\/sbp_/);
    await page.getByRole('button', { name: 'Approve' }).click();
    await page.waitForLoadState();
    expect(await heading(page)).toBe('Payment approved');
    const done = (await page.locator('main').textContent()) ?? '';
    for (const text of ['£12.50', 'INV-HOSTED-2', 'You can close this window']) expect(done).toContain(text);
    await audit(page);
    await shoot(page, 'done');
    await page.close();
  });

  it('answers each problem with a page that says which, its status, the payee and the way back when known', async () => {
    const page = await payer.newPage();

    // Unknown link: 404
    const unknown = await page.goto(`${runtime.url}/links/lnk_doesnotexist0000000000`);
    expect(unknown?.status()).toBe(404);
    expect(await heading(page)).toBe('Payment link not found');
    await audit(page);

    // Expired link: 410, with the payee and the way back to them
    const expiring = await link({ amount: '5.00', redirectUrl: merchant.url, expiresAt: new Date(Date.now() + 1500).toISOString() });
    await new Promise((resolveWait) => setTimeout(resolveWait, 1600));
    const expired = await page.goto(expiring.url);
    expect(expired?.status()).toBe(410);
    expect(await heading(page)).toBe('This payment link has expired');
    expect(await page.locator('main').textContent()).toContain('Acme Ltd');
    expect(await page.getByRole('link', { name: 'Return to Acme Ltd' }).getAttribute('href')).toBe(merchant.url);
    await audit(page);
    await shoot(page, 'error');

    // Deactivated link: 410
    const ended = await link({ amount: '6.00' });
    expect((await tenant.post(`/v1/payment-links/${ended.id}/deactivate`, {})).status).toBe(200);
    const deactivated = await page.goto(ended.url);
    expect(deactivated?.status()).toBe(410);
    expect(await heading(page)).toBe('This payment link has expired');
    expect(await page.locator('main').textContent()).toContain('You can close this window');

    // A single-use link somebody is already paying: 409
    const used = await link({ amount: '7.00', redirectUrl: merchant.url });
    const first = await validatedFetch(used.url, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'aspspId=sandbox', redirect: 'manual' });
    expect(first.status).toBe(303);
    const inUse = await page.goto(used.url);
    expect(inUse?.status()).toBe(409);
    expect(await heading(page)).toBe('This payment link is already being paid');
    expect(await page.getByRole('link', { name: 'Return to Acme Ltd' }).count()).toBe(1);
    await audit(page);

    // A sandbox payment decided in another window: the second decision is a 409 page naming the payee
    const bankPage = first.headers.get('location') ?? '';
    const other = await payer.newPage();
    await other.goto(bankPage);
    await page.goto(bankPage);
    await page.getByRole('button', { name: 'Approve' }).click();
    await page.waitForURL((landed) => landed.toString().startsWith(merchant.url));
    const refused = other.waitForResponse((response) => response.request().method() === 'POST');
    await other.getByRole('button', { name: 'Reject' }).click();
    expect((await refused).status()).toBe(409);
    await other.waitForLoadState();
    expect(await heading(other)).toBe('This payment was already decided');
    expect(await other.locator('main').textContent()).toContain('Acme Ltd');
    expect(await other.getByRole('link', { name: 'Return to Acme Ltd' }).getAttribute('href')).toBe(merchant.url);
    await audit(other);
    // Opening the decided payment's page again shows the decision, and no buttons.
    await other.goto(bankPage);
    expect(await heading(other)).toBe('This payment was already approved');
    expect(await other.getByRole('button').count()).toBe(0);
    await other.close();
    await page.close();

    // A program still gets the API's JSON error, unchanged.
    const program = await validatedFetch(bankPage, { method: 'POST', headers: { 'content-type': 'application/json', accept: 'application/json' }, body: JSON.stringify({ outcome: 'reject' }) });
    expect(program.status).toBe(409);
    expect(program.headers.get('content-type')).toMatch(/^application\/json/);
    expect(await program.json()).toMatchObject({ error: { code: 'already_decided', message: 'This payment was already approved.' } });
  });
  it("answers a browser on every hosted route with a page and the status, and a program with the API's JSON", async () => {
    const page = await payer.newPage();
    const routes: [string, number, string][] = [
      [`${runtime.url}/links/lnk_doesnotexist0000000000`, 404, 'Payment link not found'],
      [`${runtime.url}/checkout/obp_doesnotexist0000000000`, 404, 'Not found'],
      [`${runtime.url}/sandbox/authorisations/sbp_000000000000000000000000`, 404, 'Payment not found'],
      [`${runtime.url}/payout-authorisations/bbt_doesnotexist0000000000`, 404, 'Not found'],
      [`${runtime.url}/v1/consents/callback?state=never-issued&code=x`, 400, 'This authorisation link cannot be used'],
    ];
    for (const [url, status, title] of routes) {
      const answer = await page.goto(url);
      expect(answer?.status(), url).toBe(status);
      expect(answer?.headers()['content-type'], url).toMatch(/^text\/html/);
      expect(await heading(page), url).toBe(title);
    }
    await audit(page);
    await page.close();
    // The consent return is the one GET that also serves programs: they still get the API's JSON error.
    const program = await validatedFetch(`${runtime.url}/v1/consents/callback?state=never-issued&code=x`, { headers: { accept: 'application/json' } });
    expect(program.status).toBe(400);
    expect(await program.json()).toMatchObject({ error: { code: 'invalid_state' } });
  });

  it("names each bank on the choice of an Open Banking account's link, and the chosen bank's page says which bank, in pounds", async () => {
    // Prepare: an account at a mock Open Banking bank, connected
    const banks = await mockBanks(runtime);
    const obie = await tenant.post('/v1/accounts', { provider: 'obie', aspspId: 'mock-south', name: 'Acme Ltd', currency: 'GBP' });
    expect(obie.status).toBe(201);
    expect((await validatedFetch(await banks.decide(String(obie.body.consent.authorisationUrl)), { redirect: 'manual', headers: { accept: 'text/html' } })).status).toBe(200);
    const { url } = await link({ accountId: String(obie.body.id), amount: '1042.00', reference: 'INV-HOSTED-OB', redirectUrl: merchant.url });
    const page = await payer.newPage();

    // Act + Assess: one button per bank, by name
    expect((await page.goto(url))?.status()).toBe(200);
    for (const name of ['Mock North Bank', 'Mock South Bank']) expect(await page.getByRole('button', { name }).count()).toBe(1);
    expect(await page.locator('.amount').textContent()).toBe('£1,042.00');
    await audit(page);
    await shoot(page, 'bank-choice');
    await page.getByRole('button', { name: 'Mock North Bank' }).click();
    await page.waitForURL((at) => at.toString().startsWith(banks.bank('mock-north').authorizationEndpoint));
    const bankPage = (await page.locator('body').textContent()) ?? '';
    expect(bankPage).toContain('Mock North Bank');
    expect(bankPage).toContain('Pay £1,042.00');
    expect(bankPage).toContain('Acme Ltd');
    expect(bankPage).toMatch(/Payee account\d{2}-\d{2}-\d{2} \d{8}/);
    await page.close();
  });
});
