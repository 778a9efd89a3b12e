import { existsSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { type Browser, chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningRuntime, startRuntime } from '../../infra/local/spawn-runtime';
import { startCallbackReceiver } from './callback-receiver';
import { connectAccount, eventually, idle, mockBanks, onboardTenant, paymentWithStatus, type Tenant, validatedFetch } from './scenario';

/** The merchant's own "thank you" page a payer is sent back to (a loopback redirectUrl). */
const startMerchantSite = async () => {
  const server: Server = createServer((request, response) => {
    response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end('<!doctype html><title>Thanks</title><h1>Thank you for your payment</h1>');
  });
  await new Promise<void>((resolveListen) => server.listen(0, '127.0.0.1', resolveListen));
  const address = server.address();
  const port = typeof address === 'object' && address !== null ? address.port : 0;
  return { url: `http://127.0.0.1:${port}/thanks`, close: () => new Promise<void>((resolveClose) => server.close(() => resolveClose())) };
};

const form = (body: string) => ({ method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body, redirect: 'manual' as const });

/**
 * Payment links over HTTP on the local runtime (docs/payment-links.md): a payer drives the hosted page in headless
 * Chromium from the link to the merchant's page, the booked credit settles the payment and completes the link; an
 * expired link and a used single-use link take no payment; a multi-use link's payments each settle their own.
 */
describe('payment links', () => {
  let runtime: RunningRuntime;
  let tenant: Tenant;
  let account: { id: string; sortCode: string; accountNumber: string };
  let receiver: Awaited<ReturnType<typeof startCallbackReceiver>>;
  let merchant: Awaited<ReturnType<typeof startMerchantSite>>;
  let browser: Browser | undefined;

  beforeAll(async () => {
    [runtime, receiver, merchant] = await Promise.all([
      startRuntime({ env: { SETTLED_SANDBOX_SETTLEMENT_DELAY_SECONDS: '1' } }),
      startCallbackReceiver(),
      startMerchantSite(),
    ]);
    tenant = await onboardTenant(runtime);
    expect((await tenant.post('/v1/webhook-endpoints', { url: receiver.url, events: ['payment_link.completed', 'payment.settled'] })).status).toBe(201);
    account = await connectAccount(tenant, 'exact', '0.00');
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await Promise.all([runtime?.stop(), receiver?.close(), merchant?.close()]);
  });

  it('takes a payer from the link page through the sandbox bank to the merchant, settles the payment and completes the link once', async () => {
    // Prepare
    const created = await tenant.post('/v1/payment-links', {
      accountId: account.id,
      amount: '1234.56',
      currency: 'GBP',
      reference: 'INV-LINK-0001',
      invoiceId: 'INV-LINK-0001',
      redirectUrl: merchant.url,
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ status: 'active', singleUse: true, reference: 'INV-LINK-0001', amount: '1234.56', payments: [], expiresAt: null });
    const linkId = String(created.body.id);
    expect(String(created.body.url)).toBe(`${runtime.url}/links/${linkId}`);

    // Act: the payer's browser
    const executablePath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
    if (!existsSync(executablePath)) {
      throw new Error(`The payment-link page is tested in a real browser: install Chromium (Debian: apt-get install chromium) or set CHROMIUM_PATH; ${executablePath} does not exist.`);
    }
    browser = await chromium.launch({ executablePath });
    const page = await browser.newPage();
    const opened = await page.goto(String(created.body.url));
    expect(opened?.status()).toBe(200);
    expect(opened?.headers()['content-security-policy']).toMatch(/^default-src 'none'; style-src 'sha256-[A-Za-z0-9+/=]+'; base-uri 'none'; frame-ancestors 'none'$/);
    expect(await page.locator('.amount').textContent()).toBe('£1,234.56');
    expect(await page.locator('h1').textContent()).toBe('Pay Acme Ltd');
    expect(await page.locator('dd').first().textContent()).toBe('INV-LINK-0001');
    await page.getByRole('button', { name: 'Settled Sandbox Bank' }).click();
    await page.waitForURL(/\/sandbox\/authorisations\/sbp_/);
    expect(await page.locator('body').textContent()).toContain('INV-LINK-0001');
    await page.getByRole('button', { name: 'Approve' }).click();
    await page.waitForURL((url) => url.toString().startsWith(merchant.url));
    expect(await page.locator('h1').textContent()).toBe('Thank you for your payment');
    const landedOn = new URL(page.url());
    await page.close();

    // Assess: one payment, through the link, settled by the booked credit with the link's reference
    const paymentId = landedOn.searchParams.get('paymentId') ?? '';
    expect(landedOn.searchParams.get('status')).toBe('authorised');
    const settled = await paymentWithStatus(tenant, paymentId, 'settled');
    expect(settled).toMatchObject({ linkId, reference: 'INV-LINK-0001', invoiceId: 'INV-LINK-0001', amount: '1234.56', redirectUrl: merchant.url });
    expect(settled.settlement).toMatchObject({ amountSettled: '1234.56', matchedBy: 'reference' });
    const completed = await eventually(async () => {
      const read = await tenant.get(`/v1/payment-links/${linkId}`);
      return read.body.status === 'completed' ? read.body : undefined;
    });
    expect(completed.payments).toEqual([paymentId]);
    await idle(runtime);
    const callbacks = receiver.received.filter((callback) => callback.json.type === 'payment_link.completed');
    expect(callbacks).toHaveLength(1);
    expect(callbacks[0]?.json.data).toMatchObject({ id: linkId, status: 'completed', payments: [paymentId] });
    const logged = await tenant.get('/v1/events?type=payment_link.completed');
    expect(logged.body.data.map((event: { data: { id: string } }) => event.data.id)).toEqual([linkId]);
    // A paid link's page says so and takes nothing more.
    const again = await validatedFetch(String(created.body.url));
    expect(again.status).toBe(410);
    expect(await again.text()).toContain('This payment link has been paid.');
  });

  it('refuses a payment through an expired link, on the page and on the form, and shows it expired', async () => {
    const created = await tenant.post('/v1/payment-links', { accountId: account.id, amount: '5.00', currency: 'GBP', expiresAt: new Date(Date.now() + 1500).toISOString() });
    expect(created.status).toBe(201);
    await new Promise((resolveWait) => setTimeout(resolveWait, 1600));
    const shown = await validatedFetch(String(created.body.url));
    expect(shown.status).toBe(410);
    expect(shown.headers.get('content-type')).toMatch(/^text\/html/);
    expect(await shown.text()).toContain('This payment link has expired.');
    const submitted = await validatedFetch(String(created.body.url), form('aspspId=sandbox'));
    expect(submitted.status).toBe(410);
    const read = await tenant.get(`/v1/payment-links/${String(created.body.id)}`);
    expect(read.body).toMatchObject({ status: 'expired', payments: [] });
  });

  it('lets exactly one of many simultaneous payers use a single-use link; later visitors see it in use', async () => {
    const created = await tenant.post('/v1/payment-links', { accountId: account.id, amount: '20.00', currency: 'GBP' });
    expect(created.status).toBe(201);
    // No open redirect: a return address in the request is refused, and uses nothing up.
    expect((await validatedFetch(String(created.body.url), form('aspspId=sandbox&redirectUrl=https%3A%2F%2Fevil.example%2F'))).status).toBe(400);
    const answers = await Promise.all(Array.from({ length: 6 }, () => validatedFetch(String(created.body.url), form('aspspId=sandbox'))));
    expect(answers.map((answer) => answer.status).sort()).toEqual([303, 409, 409, 409, 409, 409]);
    const read = await tenant.get(`/v1/payment-links/${String(created.body.id)}`);
    expect(read.body.payments).toHaveLength(1);
    const withLink = (await tenant.get(`/v1/payments?reference=${String(created.body.reference)}`)).body.data;
    expect(withLink.map((payment: { id: string }) => payment.id)).toEqual(read.body.payments);
    const later = await validatedFetch(String(created.body.url));
    expect(later.status).toBe(409);
    expect(await later.text()).toContain('already being paid');
  });

  it('settles each payment of a multi-use link against itself, never as an ambiguity', async () => {
    const created = await tenant.post('/v1/payment-links', { accountId: account.id, amount: '15.00', currency: 'GBP', reference: 'CLUB-FEES', singleUse: false });
    expect(created.status).toBe(201);
    const chosen = await Promise.all([0, 1].map(() => validatedFetch(String(created.body.url), form('aspspId=sandbox'))));
    expect(chosen.map((answer) => answer.status)).toEqual([303, 303]);
    for (const answer of chosen) {
      const approved = await validatedFetch(answer.headers.get('location') ?? '', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"outcome":"approve"}' });
      expect(approved.status).toBe(200);
    }
    const read = await tenant.get(`/v1/payment-links/${String(created.body.id)}`);
    expect(read.body.payments).toHaveLength(2);
    const settled = await Promise.all((read.body.payments as string[]).map((paymentId) => paymentWithStatus(tenant, paymentId, 'settled')));
    for (const payment of settled) expect(payment.reference).toMatch(/^CLUB-FEES-[23456789ABCDEFGHJKMNPQRSTUVWXYZ]{4}$/);
    expect(settled[0]?.reference).not.toBe(settled[1]?.reference);
    expect(settled[0]?.settlement.transactionIds).not.toEqual(settled[1]?.settlement.transactionIds);
    await idle(runtime);
    expect((await tenant.get(`/v1/reconciliation/exceptions?accountId=${account.id}`)).body.data).toEqual([]);
    // A multi-use link never completes by itself.
    expect((await tenant.get(`/v1/payment-links/${String(created.body.id)}`)).body.status).toBe('active');
    // Deactivated, it reads expired and takes no more; what was paid stays settled.
    const ended = await tenant.post(`/v1/payment-links/${String(created.body.id)}/deactivate`, {});
    expect(ended.status).toBe(200);
    expect(ended.body).toMatchObject({ status: 'expired', payments: read.body.payments });
    expect((await validatedFetch(String(created.body.url), form('aspspId=sandbox'))).status).toBe(410);
  });

  it("pays a link on an Open Banking account from the payer's own bank, and completes it", async () => {
    // Prepare: an account at the v4.0 mock bank, connected
    const banks = await mockBanks(runtime);
    const obie = await tenant.post('/v1/accounts', { provider: 'obie', aspspId: 'mock-south', name: 'Acme Ltd', currency: 'GBP' });
    expect(obie.status).toBe(201);
    expect((await validatedFetch(await banks.decide(String(obie.body.consent.authorisationUrl)), { redirect: 'manual', headers: { accept: 'text/html' } })).status).toBe(200);
    const created = await tenant.post('/v1/payment-links', { accountId: String(obie.body.id), amount: '42.00', currency: 'GBP', reference: 'INV-OB-LINK', redirectUrl: merchant.url });
    expect(created.status).toBe(201);

    // Act: the page lists the configured banks; the payer picks one, approves there and comes back
    const page = await validatedFetch(String(created.body.url));
    expect(page.status).toBe(200);
    const html = await page.text();
    for (const text of ['£42.00', 'INV-OB-LINK', 'Mock North Bank', 'Mock South Bank']) expect(html).toContain(text);
    expect(html).not.toContain('Settled Sandbox Bank');
    expect((await validatedFetch(String(created.body.url), form('aspspId=sandbox'))).status).toBe(400);
    const chosen = await validatedFetch(String(created.body.url), form('aspspId=mock-north'));
    expect(chosen.status).toBe(303);
    const bankPage = chosen.headers.get('location') ?? '';
    expect(bankPage.startsWith(banks.bank('mock-north').authorizationEndpoint)).toBe(true);
    const landed = await validatedFetch(await banks.decide(bankPage), { redirect: 'manual', headers: { accept: 'text/html' } });

    // Assess
    const read = await tenant.get(`/v1/payment-links/${String(created.body.id)}`);
    expect(read.body.payments).toHaveLength(1);
    const paymentId = String(read.body.payments[0]);
    expect(landed.status).toBe(303);
    expect(landed.headers.get('location')).toBe(`${merchant.url}?paymentId=${paymentId}&status=authorised`);
    const settled = await paymentWithStatus(tenant, paymentId, 'settled');
    expect(settled).toMatchObject({ linkId: String(created.body.id), reference: 'INV-OB-LINK' });
    await eventually(async () => ((await tenant.get(`/v1/payment-links/${String(created.body.id)}`)).body.status === 'completed' ? true : undefined));
  });

  it('answers a retried create with the first link, and costs a settlement without a link no request', async () => {
    // Idempotency-Key: the same link again, nothing created twice.
    const body = { accountId: account.id, amount: '9.00', currency: 'GBP', reference: 'INV-RETRY-1' };
    const first = await tenant.post('/v1/payment-links', body, 'link-retry-1');
    const again = await tenant.post('/v1/payment-links', body, 'link-retry-1');
    expect(again.status).toBe(201);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(again.body).toEqual(first.body);
    expect((await tenant.post('/v1/payment-links', { ...body, amount: '9.01' }, 'link-retry-1')).status).toBe(422);

    // The completion function reads nothing for a plain payment's settlement (the budget of issue 11 holds).
    await idle(runtime);
    const completionRequests = async () => {
      const stats = (await (await validatedFetch(`${runtime.url}/_local/stats`)).json()) as { dynamodb: { byFunction: Record<string, number> } };
      return Object.entries(stats.dynamodb.byFunction)
        .filter(([key]) => key.startsWith('payment-link-completion.'))
        .reduce((sum, [, count]) => sum + count, 0);
    };
    const before = await completionRequests();
    // The links completed above were read and written by it: it is counted.
    expect(before).toBeGreaterThan(0);
    const plain = await tenant.post('/v1/payments', { accountId: account.id, direction: 'inbound', amount: '3.00', currency: 'GBP' });
    const approved = await validatedFetch(String(plain.body.authorisationUrl), { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"outcome":"approve"}' });
    expect(approved.status).toBe(200);
    await paymentWithStatus(tenant, String(plain.body.id), 'settled');
    await idle(runtime);
    expect(await completionRequests()).toBe(before);
  });

  it.each([
    [{ amount: 12.5 }, 'amount'],
    [{ amount: '1.001' }, 'amount'],
    [{ reference: 'BAD_REF' }, 'reference'],
    [{ reference: 'FOURTEEN-CHARS', singleUse: false }, 'reference'],
    [{ expiresAt: '2020-01-01T00:00:00.000Z' }, 'expiresAt'],
    [{ redirectUrl: 'http://shop.example.com/thanks' }, 'redirectUrl'],
    [{ redirectUrl: 'javascript:alert(1)' }, 'redirectUrl'],
  ])('refuses %j with 400 naming %s', async (override, path) => {
    const refused = await tenant.post('/v1/payment-links', { accountId: account.id, amount: '1.00', currency: 'GBP', ...override });
    expect(refused.status).toBe(400);
    expect(refused.body.error.code).toBe('validation_failed');
    expect(refused.body.error.details.map((detail: { path: string }) => detail.path)).toContain(path);
  });
});
