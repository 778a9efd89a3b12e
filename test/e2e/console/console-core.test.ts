import { existsSync } from 'node:fs';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningRuntime, startRuntime } from '../../../infra/local/spawn-runtime';
import { seriousViolations } from '../accessibility';
import { connectAccount, idle, onboardTenant, paymentWithStatus, postBankWebhook, type Tenant, validatedFetch } from '../scenario';
import { screenshotFolder } from '../screenshots';

/**
 * The operations console (docs/console.md) in headless Chromium over the local runtime: sign-in, cash moving from
 * pending to confirmed while the page is open, a settled payment's timeline and why it matched, resolving an
 * exception from the queue; axe-core finds no serious or critical violation on any of these pages, and the
 * screenshots in docs/screenshots/ are taken from these runs.
 */
const SCREENSHOTS = `${screenshotFolder()}/`;
/** The sandbox bank books an approved payment this long after the approval: long enough to see it pending. */
const SETTLEMENT_DELAY_SECONDS = 12;
/** The console refreshes every 10 s; a change shows within one refresh and a request or two. */
const PAGE_UPDATE_MS = 30_000;

describe('the operations console', () => {
  let runtime: RunningRuntime;
  let tenant: Tenant;
  let browser: Browser | undefined;
  let context: BrowserContext;
  let settledPaymentId = '';
  const problems: string[] = [];

  beforeAll(async () => {
    const executablePath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
    if (!existsSync(executablePath)) {
      throw new Error(`The console is tested in a real browser: install Chromium (Debian: apt-get install chromium) or set CHROMIUM_PATH; ${executablePath} does not exist.`);
    }
    runtime = await startRuntime({ env: { SETTLED_SANDBOX_SETTLEMENT_DELAY_SECONDS: String(SETTLEMENT_DELAY_SECONDS) } });
    tenant = await onboardTenant(runtime);
    browser = await chromium.launch({ executablePath });
    context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await runtime?.stop();
  });

  const openPage = async (): Promise<Page> => {
    const page = await context.newPage();
    page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
    page.on('console', (message) => {
      // A wrong key's 401 is logged by the browser as a failed resource; anything else is a problem.
      if (message.type() === 'error' && !message.text().includes('401')) problems.push(`console error: ${message.text()}`);
    });
    return page;
  };

  const signIn = async (page: Page, apiKey: string) => {
    await page.goto(`${runtime.url}/console`);
    await page.getByLabel('API key').fill(apiKey);
    await page.getByRole('button', { name: 'Sign in' }).click();
  };

  const figure = (page: Page, accountId: string, name: string) => page.locator(`section[aria-labelledby="account-${accountId}"] [data-figure="${name}"]`);

  it('refuses a wrong API key with a message, and opens the cash page with the right one', async () => {
    // Prepare
    const page = await openPage();

    // Act: a wrong key
    await signIn(page, 'sk_ten_not_a_real_key');

    // Assess
    await expect.poll(() => page.getByRole('alert').textContent()).toContain('not accepted');
    expect(await page.evaluate('sessionStorage.length')).toBe(0);
    await page.getByLabel('API key').fill('');
    await page.getByRole('heading', { level: 1 }).click();
    expect(await seriousViolations(page)).toEqual([]);
    await page.screenshot({ path: `${SCREENSHOTS}console-sign-in.png` });

    // Act: the right key
    await page.getByLabel('API key').fill(tenant.apiKey);
    await page.getByRole('button', { name: 'Sign in' }).click();

    // Assess
    await page.getByRole('heading', { name: 'Cash', level: 1 }).waitFor();
    expect(await page.title()).toBe('Cash · Settled console');
    expect(await page.getByRole('link', { name: 'Cash' }).getAttribute('aria-current')).toBe('page');
    // Signing out forgets the key.
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByLabel('API key').waitFor();
    expect(await page.evaluate('sessionStorage.length')).toBe(0);
    await page.close();
  });

  it('is usable from the keyboard alone: sign in, move between sections, with the focus always visible', async () => {
    // Prepare
    const page = await openPage();
    await page.goto(`${runtime.url}/console`);
    // A string the page evaluates (the tests' TypeScript has no DOM types): the focused element and its outline.
    const focused = async (): Promise<{ label: string; outline: string }> => {
      const found: unknown = await page.evaluate(`(() => {
        const element = document.activeElement;
        if (element === null || element === document.body) return { label: '', outline: 'none' };
        return { label: element.tagName + ':' + (element.getAttribute('aria-label') ?? element.textContent.trim()), outline: getComputedStyle(element).outlineStyle };
      })()`);
      if (typeof found !== 'object' || found === null || !('label' in found) || !('outline' in found)) throw new Error(`focus read as ${JSON.stringify(found)}`);
      return { label: String(found.label), outline: String(found.outline) };
    };
    /** Presses Tab until the focused element's description matches, at most `limit` times. */
    const tabTo = async (pattern: RegExp, limit = 25) => {
      for (let presses = 0; presses < limit; presses += 1) {
        await page.keyboard.press('Tab');
        const now = await focused();
        if (pattern.test(now.label)) return now;
      }
      throw new Error(`Tab never reached ${pattern} (last: ${(await focused()).label})`);
    };

    // Act: the key typed into the field Tab reaches, Enter to sign in
    await tabTo(/^INPUT:/);
    await page.keyboard.type(tenant.apiKey);
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'Cash', level: 1 }).waitFor();
    // then Tab to the Exceptions section and Enter
    const onLink = await tabTo(/^A:Exceptions/);
    await page.keyboard.press('Enter');

    // Assess
    await page.getByRole('heading', { name: 'Exceptions', level: 1 }).waitFor();
    expect(onLink.outline).not.toBe('none');
    expect(await page.getByRole('link', { name: 'Exceptions' }).getAttribute('aria-current')).toBe('page');
    await page.close();
  });

  it('shows cash move from pending to confirmed after a sandbox payment, without a reload', async () => {
    // Prepare
    const account = await connectAccount(tenant, 'exact', '1000.00');
    const page = await openPage();
    await signIn(page, tenant.apiKey);
    await expect.poll(() => figure(page, account.id, 'settled').textContent()).toBe('£1,000.00');
    expect(await figure(page, account.id, 'pending-inbound').textContent()).toBe('£0.00');

    // Act: a payment approved at the sandbox bank, booked SETTLEMENT_DELAY_SECONDS later
    const created = await tenant.post('/v1/payments', { accountId: account.id, direction: 'inbound', amount: '250.00', currency: 'GBP', invoiceId: 'INV-CONSOLE-1' });
    expect(created.status).toBe(201);
    settledPaymentId = String(created.body.id);
    const approved = await validatedFetch(String(created.body.authorisationUrl), { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ outcome: 'approve' }) });
    expect(approved.status).toBe(200);

    // Assess: pending first, then confirmed, as the page refreshes itself
    await expect.poll(() => figure(page, account.id, 'pending-inbound').textContent(), { timeout: PAGE_UPDATE_MS }).toBe('£250.00');
    expect(await figure(page, account.id, 'settled').textContent()).toBe('£1,000.00');
    expect(await figure(page, account.id, 'projected').textContent()).toBe('£1,250.00');
    await expect.poll(() => figure(page, account.id, 'settled').textContent(), { timeout: PAGE_UPDATE_MS + SETTLEMENT_DELAY_SECONDS * 1000 }).toBe('£1,250.00');
    expect(await figure(page, account.id, 'pending-inbound').textContent()).toBe('£0.00');
    await paymentWithStatus(tenant, settledPaymentId, 'settled');
    await idle(runtime);
    // The history chart, with its text alternative, once there are two changes or more.
    await expect.poll(() => page.locator(`section[aria-labelledby="account-${account.id}"] figure.chart`).count(), { timeout: PAGE_UPDATE_MS }).toBe(1);
    expect(await page.locator(`section[aria-labelledby="account-${account.id}"] figure.chart table.visually-hidden`).textContent()).toContain('£1,250.00');
    expect(await seriousViolations(page)).toEqual([]);
    await page.screenshot({ path: `${SCREENSHOTS}console-cash.png` });
    await page.setViewportSize({ width: 390, height: 844 });
    await page.screenshot({ path: `${SCREENSHOTS}console-cash-phone.png` });
    await page.close();
  }, 90_000);

  it("shows a settled payment's timeline, the bank transaction that settled it and why it matched", async () => {
    // Prepare
    const payment = (await tenant.get(`/v1/payments/${settledPaymentId}`)).body;
    expect(payment.status).toBe('settled');
    // Two more: one awaiting its payer, one the payer refused at the bank.
    const waiting = await tenant.post('/v1/payments', { accountId: payment.accountId, direction: 'inbound', amount: '40.00', currency: 'GBP', invoiceId: 'INV-CONSOLE-3' });
    const refused = await tenant.post('/v1/payments', { accountId: payment.accountId, direction: 'inbound', amount: '15.50', currency: 'GBP', invoiceId: 'INV-CONSOLE-4' });
    expect([waiting.status, refused.status]).toEqual([201, 201]);
    const rejected = await validatedFetch(String(refused.body.authorisationUrl), { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ outcome: 'reject' }) });
    expect(rejected.status).toBe(200);
    await paymentWithStatus(tenant, String(refused.body.id), 'failed');
    const page = await openPage();
    await signIn(page, tenant.apiKey);
    await page.getByRole('heading', { name: 'Cash', level: 1 }).waitFor();

    // Act: the list, then the payment
    await page.getByRole('link', { name: 'Payments' }).click();
    await page.getByRole('heading', { name: 'Payments', level: 1 }).waitFor();
    await page.getByRole('link', { name: String(refused.body.id) }).waitFor();
    const rows = page.getByRole('table', { name: 'Payments, newest first' }).locator('tbody tr');
    expect(await rows.count()).toBe(3);
    expect(await rows.first().textContent()).toContain('£15.50');
    expect(await seriousViolations(page)).toEqual([]);
    await page.screenshot({ path: `${SCREENSHOTS}console-payments.png` });
    // The status filter is the API's: only the settled payment is left, and the filter is in the address.
    await page.getByLabel('Status').selectOption('settled');
    await page.getByRole('button', { name: 'Filter' }).click();
    await expect.poll(() => rows.count()).toBe(1);
    expect(page.url()).toContain('#/payments?status=settled');
    await page.getByRole('link', { name: settledPaymentId }).click();

    // Assess
    await page.getByRole('heading', { level: 1 }).filter({ hasText: settledPaymentId }).waitFor();
    const step = (label: string) => page.locator(`.timeline li[data-step="${label}"]`);
    for (const [label, at] of [
      ['Initiated', payment.createdAt],
      ['Executed', payment.executedAt],
      ['Settled', payment.settlement.settledAt],
    ] as const) {
      expect(await step(label).getAttribute('class')).toBe('done');
      expect(await step(label).locator('time').getAttribute('datetime')).toBe(at);
    }
    expect(await step('Authorised').getAttribute('class')).toBe('done');
    // authorisedAt is optional in the contract: its time when the API gives it, else "passed" without one.
    if (typeof payment.authorisedAt === 'string') expect(await step('Authorised').locator('time').getAttribute('datetime')).toBe(payment.authorisedAt);
    else expect(await step('Authorised').textContent()).toContain('passed (time not recorded)');
    const [transactionId] = payment.settlement.transactionIds as string[];
    const transactions = page.getByRole('table', { name: 'Bank transactions that settled it' });
    await transactions.getByText(String(transactionId)).waitFor();
    expect(await transactions.textContent()).toContain('£250.00');
    expect(await page.getByTestId('match-reason').textContent()).toContain(`The booked transaction carried the payment reference ${String(payment.reference)} (in its reference or narrative`);
    expect(await seriousViolations(page)).toEqual([]);
    await page.screenshot({ path: `${SCREENSHOTS}console-payment.png`, fullPage: true });

    // Act: part of it refunded; the page refreshes itself
    const refund = await tenant.post(`/v1/payments/${settledPaymentId}/refunds`, { amount: '50.00' });
    expect(refund.status).toBe(201);
    const refundId = String(refund.body.id);

    // Assess: the refund is listed and links to its own page, which links back
    await page.getByRole('link', { name: refundId }).waitFor({ timeout: PAGE_UPDATE_MS });
    expect(await page.locator('section[aria-labelledby="details-heading"]').textContent()).toContain('Refunded£50.00');
    await page.getByRole('link', { name: refundId }).click();
    await page.getByRole('heading', { level: 1 }).filter({ hasText: refundId }).waitFor();
    expect(await page.getByRole('link', { name: settledPaymentId }).getAttribute('href')).toBe(`#/payments/${settledPaymentId}`);
    await page.close();
  }, 90_000);

  it('resolves an unmatched exception by matching it to an open payment: the queue shrinks and the payment settles', async () => {
    // Prepare: two unexplained credits, and the open payment one of them is for
    const account = await connectAccount(tenant, 'exact', '0.00');
    const invoice = await tenant.post('/v1/payments', { accountId: account.id, direction: 'inbound', amount: '80.00', currency: 'GBP', invoiceId: 'INV-CONSOLE-2' });
    expect(invoice.status).toBe(201);
    const invoiceId = String(invoice.body.id);
    for (const [bankId, amount, reference] of [
      ['console-bank-1', '80.00', 'PAYMENT THANKS'],
      ['console-bank-2', '12.34', 'UNKNOWN SENDER'],
    ] as const) {
      const posted = await postBankWebhook(runtime, {
        type: 'transactions',
        account: { sortCode: account.sortCode, accountNumber: account.accountNumber },
        transactions: [{ transactionId: bankId, status: 'booked', currency: 'GBP', bookingDateTime: new Date().toISOString(), creditDebitIndicator: 'credit', amount, reference }],
      });
      expect(posted.status).toBe(202);
    }
    await idle(runtime);
    const open = (await tenant.get(`/v1/reconciliation/exceptions?status=open&accountId=${account.id}`)).body.data as { id: string; amount: string; type: string }[];
    const exception = open.find((entry) => entry.amount === '80.00');
    expect(exception?.type).toBe('unmatched');
    const page = await openPage();
    await signIn(page, tenant.apiKey);
    await page.getByRole('heading', { name: 'Cash', level: 1 }).waitFor();
    await page.getByRole('link', { name: 'Exceptions' }).click();
    const card = page.locator(`li[data-exception="${String(exception?.id)}"]`);
    await card.waitFor();
    const before = Number(await page.getByTestId('open-count').textContent());
    expect(before).toBeGreaterThanOrEqual(2);
    expect(await card.textContent()).toContain('£80.00');
    expect(await seriousViolations(page)).toEqual([]);
    await page.screenshot({ path: `${SCREENSHOTS}console-exceptions.png` });

    // Act
    await card.getByLabel('Match to a payment').check();
    await card.getByLabel('Payment id').fill(invoiceId);
    await card.getByRole('button', { name: 'Match' }).click();

    // Assess: the row leaves and the count drops, without a reload
    await card.waitFor({ state: 'detached' });
    expect(Number(await page.getByTestId('open-count').textContent())).toBe(before - 1);
    expect(await page.getByRole('status').filter({ hasText: 'matched to' }).textContent()).toContain(invoiceId);
    const settled = await paymentWithStatus(tenant, invoiceId, 'settled');
    expect(settled.settlement).toMatchObject({ matchedBy: 'manual', amountSettled: '80.00' });
    await page.goto(`${runtime.url}/console#/payments/${invoiceId}`);
    await expect.poll(() => page.getByTestId('match-reason').textContent(), { timeout: 15_000 }).toContain('Matched by hand from the exceptions queue.');
    // After a refresh the queue still holds one fewer.
    await page.goto(`${runtime.url}/console#/exceptions`);
    await expect.poll(async () => Number(await page.getByTestId('open-count').textContent()), { timeout: 15_000 }).toBe(before - 1);

    // Act: the other one dismissed with a note (a note is required)
    const other = open.find((entry) => entry.amount === '12.34');
    const otherCard = page.locator(`li[data-exception="${String(other?.id)}"]`);
    await otherCard.getByLabel('Dismiss with a note').check();
    await otherCard.getByRole('button', { name: 'Dismiss' }).click();
    await otherCard.getByRole('alert').filter({ hasText: 'Say why' }).waitFor();
    await otherCard.getByLabel('Note', { exact: true }).fill('Test deposit from the bank');
    await otherCard.getByRole('button', { name: 'Dismiss' }).click();

    // Assess
    await otherCard.waitFor({ state: 'detached' });
    expect(Number(await page.getByTestId('open-count').textContent())).toBe(before - 2);
    const dismissed = (await tenant.get(`/v1/reconciliation/exceptions/${String(other?.id)}`)).body;
    expect(dismissed).toMatchObject({ status: 'resolved', resolution: { action: 'dismiss', note: 'Test deposit from the bank' } });
    await page.close();
  }, 90_000);

  it('logged no page error and no unexpected console error', () => {
    expect(problems).toEqual([]);
  });
});
