import { existsSync, readFileSync } from 'node:fs';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { idempotencyKey } from '../../../clients/typescript/src/client';
import { dateTime, duration, money } from '../../../console/src/shell/format';
import { type RunningRuntime, startRuntime } from '../../../infra/local/spawn-runtime';
import { seriousViolations } from '../accessibility';
import { startCallbackReceiver } from '../callback-receiver';
import { connectAccount, eventually, idle, onboardTenant, paymentWithStatus, type Tenant, validatedFetch } from '../scenario';
import { screenshotFolder } from '../screenshots';

const SCREENSHOTS = `${screenshotFolder()}/`;

/**
 * The operations console's payouts, payment links, mandates, report and events pages over the local runtime, in
 * headless Chromium: each shows what the API holds (a payout's failed item with its reason, a link, a mandate's
 * usage, the report's numbers, payment.settled in the log), the report's CSV download is byte for byte the API's
 * CSV, links and mandates are ended only after a confirmation, and no page has a serious accessibility violation.
 */
describe('the operations console: payouts, links, mandates, report, events', () => {
  let runtime: RunningRuntime;
  let receiver: Awaited<ReturnType<typeof startCallbackReceiver>>;
  let tenant: Tenant;
  let browser: Browser | undefined;
  let page: Page;
  let endpointId: string;
  let accountId: string;
  let payoutId: string;
  let linkId: string;
  let mandateId: string;
  let settledPaymentId: string;
  let period: { from: string; to: string };

  const show = async (hash: string, heading: string | RegExp) => {
    await page.goto(`${runtime.url}/console${hash}`);
    await page.getByRole('heading', { level: 1, name: heading }).waitFor();
  };

  beforeAll(async () => {
    [runtime, receiver] = await Promise.all([startRuntime({ env: { SETTLED_SANDBOX_SETTLEMENT_DELAY_SECONDS: '1' } }), startCallbackReceiver()]);
    tenant = await onboardTenant(runtime);
    const endpoint = await tenant.client.POST('/v1/webhook-endpoints', { params: { header: idempotencyKey() }, body: { url: receiver.url, events: ['payment.settled'] } });
    expect(endpoint.response.status).toBe(201);
    endpointId = endpoint.data?.id ?? '';
    const account = await connectAccount(tenant, 'exact', '1000.00');
    accountId = account.id;
    const from = new Date(Date.now() - 60_000).toISOString();

    // A payout of two items, the first to a payee whose name does not match its account (it fails at once)
    const payout = await tenant.client.POST('/v1/payouts', {
      params: { header: idempotencyKey() },
      body: {
        accountId,
        currency: 'GBP',
        items: [
          { amount: '12.34', externalId: 'payroll-mismatch', counterparty: { name: 'Sam Smith', sortCode: '200000', accountNumber: '12349999' } },
          { amount: '20.00', externalId: 'payroll-ok', counterparty: { name: 'Worker One', sortCode: '200000', accountNumber: '20000001' } },
        ],
      },
    });
    expect(payout.response.status).toBe(201);
    payoutId = payout.data?.id ?? '';
    const authorised = await validatedFetch(payout.data?.authorisationUrl ?? '', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"outcome":"approve"}' });
    expect(authorised.status).toBe(200);

    // A payment link
    const link = await tenant.client.POST('/v1/payment-links', {
      params: { header: idempotencyKey() },
      body: { accountId, amount: '1234.56', currency: 'GBP', reference: 'INV-CONSOLE-1', singleUse: false },
    });
    expect(link.response.status).toBe(201);
    linkId = link.data?.id ?? '';

    // A sandbox mandate, authorised, with one payment taken under it
    const mandate = await tenant.client.POST('/v1/mandates', {
      params: { header: idempotencyKey() },
      body: { accountId, type: 'sweeping', currency: 'GBP', reference: 'SWEEP', limits: { maxPerPayment: '100.00', periods: [{ period: 'month', maxAmount: '250.00', alignment: 'calendar' }] } },
    });
    expect(mandate.response.status).toBe(201);
    mandateId = mandate.data?.id ?? '';
    const approvedMandate = await validatedFetch(mandate.data?.authorisationUrl ?? '', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"outcome":"approve"}' });
    expect(approvedMandate.status).toBe(200);
    const taken = await tenant.client.POST('/v1/mandates/{mandateId}/payments', { params: { path: { mandateId }, header: idempotencyKey() }, body: { amount: '40.00' } });
    expect(taken.response.status).toBe(201);

    // An inbound payment that settles
    const payment = await tenant.client.POST('/v1/payments', {
      params: { header: idempotencyKey() },
      body: { accountId, direction: 'inbound', amount: '125.00', currency: 'GBP', invoiceId: 'INV-CONSOLE-2' },
    });
    expect(payment.response.status).toBe(201);
    settledPaymentId = payment.data?.id ?? '';
    const approvedPayment = await validatedFetch(payment.data?.authorisationUrl ?? '', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"outcome":"approve"}' });
    expect(approvedPayment.status).toBe(200);
    await paymentWithStatus(tenant, settledPaymentId, 'settled');
    await eventually(
      async () => {
        const read = await tenant.client.GET('/v1/payouts/{payoutId}', { params: { path: { payoutId } } });
        return read.data?.status === 'completed_with_failures' ? read.data : undefined;
      },
      60_000,
      'the payout to complete with its one failure',
    );
    await idle(runtime);
    period = { from, to: new Date(Math.ceil((Date.now() + 1000) / 1000) * 1000).toISOString() };

    const executablePath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
    if (!existsSync(executablePath)) {
      throw new Error(`The console is tested in a real browser: install Chromium (Debian: apt-get install chromium) or set CHROMIUM_PATH; ${executablePath} does not exist.`);
    }
    browser = await chromium.launch({ executablePath });
    page = await browser.newPage({ viewport: { width: 1280, height: 800 }, acceptDownloads: true });
    await page.goto(`${runtime.url}/console#/payouts`);
    await page.getByLabel('API key').fill(tenant.apiKey);
    await page.getByRole('button', { name: /sign in/i }).click();
    await page.getByRole('heading', { level: 1, name: 'Payouts' }).waitFor();
  }, 180_000);
  afterAll(async () => {
    await browser?.close();
    await Promise.all([runtime?.stop(), receiver?.close()]);
  });

  it('lists the payout and shows its counts, totals and the failed item with its reason and external id', async () => {
    // Act
    await show('#/payouts', 'Payouts');
    await page.getByRole('link', { name: payoutId }).waitFor();
    const listViolations = await seriousViolations(page);
    await page.screenshot({ path: `${SCREENSHOTS}console-payouts.png` });
    await page.getByRole('link', { name: payoutId }).click();
    await page.getByRole('heading', { level: 1, name: `Payout ${payoutId}` }).waitFor();
    const failure = page.locator('code.failure-reason');
    await failure.first().waitFor();

    // Assess
    expect(listViolations).toEqual([]);
    expect(await page.title()).toBe(`Payout ${payoutId} · Settled console`);
    expect(await page.locator('[data-figure="total"]').textContent()).toBe('2');
    expect(await page.locator('[data-figure="settled"]').textContent()).toBe('1');
    expect(await page.locator('[data-figure="failed"]').textContent()).toBe('1');
    expect(await page.locator('[data-figure="pending"]').textContent()).toBe('0');
    expect(await page.locator('[data-figure="amount"]').textContent()).toBe('£32.34');
    expect(await page.locator('[data-figure="failed-amount"]').textContent()).toBe('£12.34');
    expect(await failure.allTextContents()).toEqual(['payee_name_mismatch']);
    const row = page.locator('tr', { has: failure });
    expect(await row.textContent()).toContain('payroll-mismatch');
    expect(await row.textContent()).toContain('£12.34');
    const failed = await tenant.client.GET('/v1/payouts/{payoutId}/payments', { params: { path: { payoutId }, query: { status: 'failed' } } });
    const failedId = failed.data?.data[0]?.id ?? 'none';
    expect(await row.getByRole('link', { name: failedId }).getAttribute('href')).toBe(`#/payments/${failedId}`);
    expect(await seriousViolations(page)).toEqual([]);
    await page.screenshot({ path: `${SCREENSHOTS}console-payout.png` });
  });

  it('lists the payment link with its amount, use and hosted page, and deactivates it only after a confirmation', async () => {
    // Prepare
    await show('#/links', 'Payment links');
    const row = page.locator('tr', { hasText: 'INV-CONSOLE-1' });
    await row.waitFor();
    expect(await row.textContent()).toContain('£1,234.56');
    expect(await row.textContent()).toContain('Reusable');
    expect(await row.getByRole('link', { name: /Open/ }).getAttribute('href')).toBe(`${runtime.url}/links/${linkId}`);
    expect(await seriousViolations(page)).toEqual([]);
    await page.screenshot({ path: `${SCREENSHOTS}console-links.png` });

    // Act: the first click only asks
    await row.getByRole('button', { name: 'Deactivate' }).click();
    const asked = await tenant.client.GET('/v1/payment-links/{linkId}', { params: { path: { linkId } } });
    await row.getByRole('button', { name: 'Yes, deactivate' }).click();

    // Assess
    expect(asked.data?.status).toBe('active');
    await page.locator('tr', { hasText: 'INV-CONSOLE-1' }).locator('.badge', { hasText: 'expired' }).waitFor();
    const after = await tenant.client.GET('/v1/payment-links/{linkId}', { params: { path: { linkId } } });
    expect(after.data?.status).toBe('expired');

    // A payment's page links to #/links?id=…: that link alone
    await show(`#/links?id=${linkId}`, 'Payment links');
    await page.getByRole('link', { name: 'All payment links' }).waitFor();
    expect(await page.locator('tbody tr').count()).toBe(1);
    expect(await page.locator('tbody tr').textContent()).toContain(linkId);
  });

  it('shows the mandate with its limits and the usage the API reports, and revokes it only after a confirmation', async () => {
    // Prepare
    await show('#/mandates', 'Mandates');
    await page.getByRole('link', { name: mandateId }).waitFor();
    expect(await page.locator('tr', { hasText: mandateId }).textContent()).toContain('£40.00 of £250.00 (month)');
    expect(await seriousViolations(page)).toEqual([]);
    await page.screenshot({ path: `${SCREENSHOTS}console-mandates.png` });
    await page.getByRole('link', { name: mandateId }).click();
    await page.getByRole('heading', { level: 1, name: `Mandate ${mandateId}` }).waitFor();
    // The heading is drawn from the address at once; the usage table once GET /v1/mandates/{id} answers.
    await page.locator('[data-figure="used"]').first().waitFor();
    const api = await tenant.client.GET('/v1/mandates/{mandateId}', { params: { path: { mandateId } } });
    const usage = api.data?.usage[0];
    expect(usage?.used).toBe('40.00');
    expect(await page.locator('[data-figure="used"]').allTextContents()).toEqual([money(usage?.used ?? '', 'GBP')]);
    expect(await page.locator('[data-figure="max-per-payment"]').textContent()).toBe('£100.00');
    expect(await seriousViolations(page)).toEqual([]);

    // Act
    await page.getByRole('button', { name: 'Revoke mandate' }).click();
    const asked = await tenant.client.GET('/v1/mandates/{mandateId}', { params: { path: { mandateId } } });
    await page.getByRole('button', { name: 'Yes, revoke' }).click();

    // Assess
    expect(asked.data?.status).toBe('active');
    await page.locator('.badge', { hasText: 'revoked' }).waitFor();
    const after = await tenant.client.GET('/v1/mandates/{mandateId}', { params: { path: { mandateId } } });
    expect(after.data?.status).toBe('revoked');
  });

  it("shows the report's numbers as the JSON report has them, and downloads the API's CSV byte for byte", async () => {
    // Prepare
    const json = await tenant.client.GET('/v1/reconciliation/report', { params: { query: { from: period.from, to: period.to, accountId } } });
    expect(json.response.status).toBe(200);
    const report = json.data;
    if (report === undefined || typeof report === 'string') throw new Error('no JSON report');
    const account = report.accounts[0];
    if (account === undefined) throw new Error('the report has no account');
    const csv = await validatedFetch(`${runtime.url}/v1/reconciliation/report?${new URLSearchParams({ from: period.from, to: period.to, accountId, format: 'csv' }).toString()}`, {
      headers: { authorization: `Bearer ${tenant.apiKey}` },
    });
    expect(csv.status).toBe(200);
    const expectedBytes = Buffer.from(await csv.arrayBuffer());

    // Act
    await show(`#/report?${new URLSearchParams({ ...period, accountId }).toString()}`, 'Reconciliation report');
    await page.locator(`[data-report="${accountId}:net"]`).waitFor();
    const figure = (id: string) => page.locator(`[data-report="${accountId}:${id}"]`).textContent();

    // Assess: every table figure is the JSON report's
    expect(account.moneyIn.matched.count).toBeGreaterThanOrEqual(1);
    for (const status of ['matched', 'unmatched', 'needsReview', 'returned', 'pending', 'totalBooked'] as const) {
      expect(await figure(`in:${status}:count`)).toBe(String(account.moneyIn[status].count));
      expect(await figure(`in:${status}:amount`)).toBe(money(account.moneyIn[status].amount, 'GBP'));
      expect(await figure(`out:${status}:count`)).toBe(String(account.moneyOut[status].count));
      expect(await figure(`out:${status}:amount`)).toBe(money(account.moneyOut[status].amount, 'GBP'));
    }
    expect(await figure('net')).toBe(money(account.net, 'GBP'));
    expect(await figure('payments:settled:in:count')).toBe(String(account.payments.settledInPeriod.inbound.count));
    expect(await figure('payments:settled:in:amount')).toBe(money(account.payments.settledInPeriod.inbound.amount, 'GBP'));
    expect(await figure('payments:settled:out:amount')).toBe(money(account.payments.settledInPeriod.outbound.amount, 'GBP'));
    expect(await figure('payments:open:in:count')).toBe(String(account.payments.open.inbound.count));
    expect(await figure('payments:open:out:amount')).toBe(money(account.payments.open.outbound.amount, 'GBP'));
    for (const type of ['unmatched', 'ambiguous', 'amount_mismatch', 'duplicate_payment', 'returned']) {
      expect(await figure(`type:${type}:open`)).toBe(String(account.exceptions.byType[type]?.open));
      expect(await figure(`type:${type}:resolved`)).toBe(String(account.exceptions.byType[type]?.resolved));
      expect(await figure(`type:${type}:backlog`)).toBe(String(account.openExceptions.byType[type]));
    }
    for (const age of ['under1Day', 'days1To7', 'days7To30', 'over30Days']) {
      expect(await figure(`age:${age}:open`)).toBe(String(account.exceptions.byAge[age]?.open));
      expect(await figure(`age:${age}:backlog`)).toBe(String(account.openExceptions.byAge[age]));
    }
    expect(await figure('latency:count')).toBe(String(account.settlementLatency.count));
    const p50 = report.settlementLatency.p50Ms;
    expect(await page.locator('[data-report="all:latency:p50"]').textContent()).toBe(p50 === null ? '—' : duration(p50));
    expect(await page.getByText(`Period: ${dateTime(period.from)} to ${dateTime(period.to)}`).count()).toBe(1);
    // The latency chart, or the sentence saying nothing settled
    expect(report.settlementLatency.count === 0 ? await page.getByText('Nothing settled in this period').count() : await page.locator('figure.chart canvas').count()).toBe(1);
    expect(await seriousViolations(page)).toEqual([]);
    await page.screenshot({ path: `${SCREENSHOTS}console-report.png`, fullPage: false });

    // Act: the download
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Download CSV' }).click()]);
    const saved = await download.path();

    // Assess
    expect(download.suggestedFilename()).toBe(`settled-report-${period.from.slice(0, 10)}-${period.to.slice(0, 10)}.csv`);
    expect(download.url()).toMatch(/^blob:/);
    expect(download.url()).not.toContain(tenant.apiKey);
    expect(readFileSync(saved).equals(expectedBytes)).toBe(true);
  });

  it('opens the report on this month so far by default', async () => {
    // Act
    await show('#/report', 'Reconciliation report');

    // Assess
    const now = new Date();
    const firstOfMonth = `${now.getUTCFullYear()}-${String(now.getUTCMonth() + 1).padStart(2, '0')}-01`;
    expect(await page.getByLabel('From (UTC day)').inputValue()).toBe(firstOfMonth);
    expect(await page.getByLabel('Through (UTC day)').inputValue()).toBe(now.toISOString().slice(0, 10));
    await page.locator(`[data-report="${accountId}:net"]`).waitFor();

    // Act: a period of whole days chosen in the form
    await page.getByLabel('From (UTC day)').fill(firstOfMonth);
    await page.getByLabel('Through (UTC day)').fill(firstOfMonth);
    await page.getByRole('button', { name: 'Show report' }).click();

    // Assess: the period is in the hash (bookmarkable) and the report is read for it
    const from = `${firstOfMonth}T00:00:00.000Z`;
    const endOfDay = new Date(Date.parse(from) + 86_400_000);
    const to = new Date(Math.min(endOfDay.getTime(), Math.floor(Date.now() / 1000) * 1000)).toISOString();
    await page.waitForURL((url) => new URLSearchParams(url.hash.split('?')[1] ?? '').get('from') === from);
    const query = new URLSearchParams(new URL(page.url()).hash.split('?')[1] ?? '');
    expect(query.get('to')?.slice(0, 10)).toBe(to.slice(0, 10));
    await page.getByText(`Period: ${dateTime(from)} to`).waitFor();
  });

  it('filters the event log by type', async () => {
    // Act
    await show('#/events', 'Events');
    await page.getByLabel('Type').selectOption('payment.settled');
    await page.waitForURL(/#\/events\?type=payment\.settled$/);
    await page.locator('li[data-event-id]').first().waitFor();

    // Assess
    const types = await page.locator('li[data-event-id] .event-type').allTextContents();
    const listed = await tenant.client.GET('/v1/events', { params: { query: { type: 'payment.settled', limit: 100 } } });
    expect(types.length).toBe(listed.data?.data.length);
    expect(new Set(types)).toEqual(new Set(['payment.settled']));
  });

  // Hashes and headings built when the test runs: the ids exist only after beforeAll.
  const phonePages: readonly { readonly page: string; readonly hash: () => string; readonly heading: () => string }[] = [
    { page: 'payouts', hash: () => '#/payouts', heading: () => 'Payouts' },
    { page: 'payout', hash: () => `#/payouts/${payoutId}`, heading: () => `Payout ${payoutId}` },
    { page: 'links', hash: () => '#/links', heading: () => 'Payment links' },
    { page: 'mandates', hash: () => '#/mandates', heading: () => 'Mandates' },
    { page: 'mandate', hash: () => `#/mandates/${mandateId}`, heading: () => `Mandate ${mandateId}` },
    { page: 'report', hash: () => `#/report?${new URLSearchParams(period).toString()}`, heading: () => 'Reconciliation report' },
    { page: 'events', hash: () => '#/events', heading: () => 'Events' },
  ];

  it.each(phonePages)('fits the $page page into a phone-wide window (390 px): wide tables scroll in their own box, the page does not', async ({ hash, heading }) => {
    // Prepare
    await page.setViewportSize({ width: 390, height: 844 });
    try {
      // Act
      await show(hash(), heading());
      await page.locator('table, li[data-event-id]').first().waitFor();
      const width: unknown = await page.evaluate('document.documentElement.scrollWidth');
      // What sticks out, named in a failure
      const wider: unknown = await page.evaluate(
        `[...document.querySelectorAll('body *')].filter((e) => e.getBoundingClientRect().right > 391).slice(0, 5).map((e) => e.tagName + '.' + e.className).join(', ')`,
      );

      // Assess
      expect(Number(width), `wider than the window: ${String(wider)}`).toBeLessThanOrEqual(390);
    } finally {
      await page.setViewportSize({ width: 1280, height: 800 });
    }
  });

  it('lists payment.settled in the event log, shows its JSON, and redelivers it to the chosen endpoint', async () => {
    // Prepare
    await show('#/events', 'Events');
    const settledEvents = await tenant.client.GET('/v1/events', { params: { query: { type: 'payment.settled', limit: 100 } } });
    const event = settledEvents.data?.data.find((entry) => 'id' in entry.data && entry.data.id === settledPaymentId);
    if (event === undefined) throw new Error('payment.settled is not in the log');
    const item = page.locator(`li[data-event-id="${event.id}"]`);
    await item.waitFor();
    expect(await item.locator('.event-type').textContent()).toBe('payment.settled');
    expect(await seriousViolations(page)).toEqual([]);
    await page.screenshot({ path: `${SCREENSHOTS}console-events.png` });
    await item.locator('summary').click();
    expect(await item.locator('pre').textContent()).toContain(`"id": "${settledPaymentId}"`);
    expect(await seriousViolations(page)).toEqual([]);
    await idle(runtime);
    const deliveredBefore = receiver.received.filter((callback) => callback.json.id === event.id).length;

    // Act
    await item.getByLabel('Endpoint').selectOption(endpointId);
    const [answer] = await Promise.all([
      page.waitForResponse((response) => response.url().endsWith(`/v1/webhook-endpoints/${endpointId}/redeliveries`) && response.request().method() === 'POST'),
      item.getByRole('button', { name: 'Redeliver' }).click(),
    ]);

    // Assess
    expect(answer.status()).toBe(202);
    await item.getByText(/^Queued/).waitFor();
    await eventually(
      async () => (receiver.received.filter((callback) => callback.json.id === event.id).length > deliveredBefore ? true : undefined),
      30_000,
      'the redelivered payment.settled',
    );
    const again = receiver.received.filter((callback) => callback.json.id === event.id).at(-1);
    expect(again?.headers['webhook-id']).toBe(event.id);
    expect(again?.json.type).toBe('payment.settled');
  });
});
