import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCallbackReceiver } from './callback-receiver';
import { type RunningRuntime, startRuntime } from '../../infra/local/spawn-runtime';
import { connectAccount, eventually, idle, onboardTenant, paymentWithStatus, positionOf, type Tenant, validatedFetch } from './scenario';

/**
 * The product's reason to exist, over HTTP on the local runtime: payment → sandbox bank → bank webhooks →
 * reconciliation → settled, confirmed cash, signed callback.
 */
describe('the connected loop', () => {
  let runtime: RunningRuntime;
  let receiver: Awaited<ReturnType<typeof startCallbackReceiver>>;
  let tenant: Tenant;
  let endpointSecret: string;

  beforeAll(async () => {
    // Retries 5x sooner than on AWS, so a retried callback arrives in about a second.
    [runtime, receiver] = await Promise.all([startRuntime({ env: { SETTLED_CALLBACK_RETRY_SCALE: '0.2' } }), startCallbackReceiver()]);
    tenant = await onboardTenant(runtime);
    const endpoint = await tenant.post('/v1/webhook-endpoints', { url: receiver.url });
    expect(endpoint.status).toBe(201);
    expect(endpoint.body.secret).toMatch(/^whsec_/);
    endpointSecret = String(endpoint.body.secret);
  });

  afterAll(async () => {
    await runtime?.stop();
    await receiver?.close();
  });

  const callbackFor = (paymentId: string, type: string) =>
    eventually(async () => receiver.received.find((callback) => callback.json.type === type && callback.json.data.id === paymentId), 20_000, `${type} callback`);

  it('settles an inbound payment from the booked credit and says so with a signed callback (exact profile)', async () => {
    // Prepare
    const account = await connectAccount(tenant, 'exact', '1000.00');
    const created = await tenant.post('/v1/payments', { accountId: account.id, direction: 'inbound', amount: '125.00', currency: 'GBP', invoiceId: 'INV-2024-0042' });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ status: 'authorisation_required', amount: '125.00', reference: expect.stringMatching(/^ST[0-9A-Z]{9}$/), settlement: null });
    const page = await validatedFetch(String(created.body.authorisationUrl));
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('Approve');

    // Act
    const approved = await validatedFetch(String(created.body.authorisationUrl), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ outcome: 'approve' }),
    });
    expect(approved.status).toBe(200);

    // Assess
    const settled = await paymentWithStatus(tenant, String(created.body.id), 'settled');
    expect(settled.settlement).toMatchObject({ amountSettled: '125.00', overpaidBy: '0.00', matchedBy: 'reference', transactionIds: [expect.stringMatching(/^txn_/)] });
    await idle(runtime);
    expect(await positionOf(tenant, account.id)).toMatchObject({ settledBalance: '1125.00', pendingInbound: '0.00', pendingOutbound: '0.00', projectedBalance: '1125.00' });
    const transactions = await tenant.get(`/v1/accounts/${account.id}/transactions`);
    expect(transactions.body.data).toEqual([
      expect.objectContaining({
        status: 'booked',
        creditDebitIndicator: 'credit',
        amount: '125.00',
        reconciliation: expect.objectContaining({ status: 'matched', paymentIds: [created.body.id] }),
      }),
    ]);
    const callback = await callbackFor(String(created.body.id), 'payment.settled');
    expect(callback.json.data).toMatchObject({ id: created.body.id, status: 'settled', settlement: { amountSettled: '125.00' } });
    expect(callback.headers['webhook-id']).toBe(callback.json.id);
    expect(() => new Webhook(endpointSecret).verify(callback.body, callback.headers)).not.toThrow();
    expect(() => new Webhook(`whsec_${Buffer.from('another secret!!').toString('base64')}`).verify(callback.body, callback.headers)).toThrow();
    // Reading transactions wrote the consent's access log.
    const accountBody = (await tenant.get(`/v1/accounts/${account.id}`)).body;
    const accessLog = await tenant.get(`/v1/consents/${String(accountBody.consent.id)}/access-log`);
    expect(accessLog.body.data).toEqual([expect.objectContaining({ scope: 'transactions', count: 1, requestId: expect.any(String) })]);
    // The event log replays from a known event, and refuses one it does not know.
    const all = (await tenant.get('/v1/events?limit=500')).body.data as { id: string }[];
    const afterFirst = await tenant.get(`/v1/events?limit=500&after=${all[0]?.id ?? ''}`);
    expect(afterFirst.body.data.map((event: { id: string }) => event.id)).toEqual(all.slice(1).map((event) => event.id));
    expect((await tenant.get('/v1/events?after=evt_00000000000000000000000000')).status).toBe(400);
    // A time window in another offset selects the same transaction.
    const booked = String(transactions.body.data[0].bookingDateTime);
    const windowStart = new Date(Date.parse(booked) - 60_000).toISOString().replace('Z', '+00:00');
    const inWindow = await tenant.get(`/v1/accounts/${account.id}/transactions?from=${encodeURIComponent(windowStart)}`);
    expect(inWindow.body.data).toHaveLength(1);
  });

  it('settles an outbound payment from the booked debit', async () => {
    const account = await connectAccount(tenant, 'exact', '500.00');
    const created = await tenant.post('/v1/payments', {
      accountId: account.id,
      direction: 'outbound',
      amount: '40.10',
      currency: 'GBP',
      reference: 'PAYROLL NOV 26',
      counterparty: { name: 'J Smith', sortCode: '200000', accountNumber: '55779911' },
    });
    expect(created.status).toBe(201);

    await validatedFetch(String(created.body.authorisationUrl), { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"outcome":"approve"}' });

    const settled = await paymentWithStatus(tenant, String(created.body.id), 'settled');
    expect(settled.settlement).toMatchObject({ amountSettled: '40.10' });
    await idle(runtime);
    expect(await positionOf(tenant, account.id)).toMatchObject({ settledBalance: '459.90', pendingOutbound: '0.00' });
    const transactions = await tenant.get(`/v1/accounts/${account.id}/transactions?reconciliation=matched`);
    expect(transactions.body.data).toEqual([expect.objectContaining({ creditDebitIndicator: 'debit', amount: '40.10', reference: 'PAYROLL NOV 26' })]);
    const callback = await callbackFor(String(created.body.id), 'payment.settled');
    expect(() => new Webhook(endpointSecret).verify(callback.body, callback.headers)).not.toThrow();
  });

  it('settles through uk-realistic banking: FPID as reference, mangled reference in the narrative, pending then booked', async () => {
    const account = await connectAccount(tenant, 'uk-realistic', '0.00');
    const created = await tenant.post('/v1/payments', { accountId: account.id, direction: 'inbound', amount: '99.99', currency: 'GBP', reference: 'inv-2024/0042' });
    expect(created.status).toBe(201);

    await validatedFetch(String(created.body.authorisationUrl), {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'outcome=approve',
    });

    const settled = await paymentWithStatus(tenant, String(created.body.id), 'settled');
    expect(settled.settlement).toMatchObject({ amountSettled: '99.99', transactionIds: [expect.any(String)] });
    await idle(runtime);
    const position = await positionOf(tenant, account.id);
    expect(position).toMatchObject({ settledBalance: '99.99', pendingInbound: '0.00' });
    // The pending row its booked twin replaced shows only when asked for (it would count the money twice).
    const shown = (await tenant.get(`/v1/accounts/${account.id}/transactions`)).body.data as Record<string, any>[];
    expect(shown.map((transaction) => transaction.status)).toEqual(['booked']);
    const transactions = (await tenant.get(`/v1/accounts/${account.id}/transactions?includeSuperseded=true`)).body.data as Record<string, any>[];
    const booked = transactions.find((transaction) => transaction.status === 'booked');
    const pending = transactions.find((transaction) => transaction.status === 'pending');
    expect(booked).toMatchObject({ reference: expect.stringMatching(/^FP/), description: expect.stringContaining('INV-2024-0042'), reconciliation: { status: 'matched' } });
    expect(pending).toMatchObject({ supersededBy: booked?.id });
    expect(booked?.bankTransactionId).not.toBe(pending?.bankTransactionId);
    expect(booked?.supersedes).toBe(pending?.id);
  });

  it('fails a payment the payer rejects, and never settles it', async () => {
    const account = await connectAccount(tenant, 'exact');
    const created = await tenant.post('/v1/payments', { accountId: account.id, direction: 'inbound', amount: '10.00', currency: 'GBP' });
    await validatedFetch(String(created.body.authorisationUrl), { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"outcome":"reject"}' });
    const failed = await paymentWithStatus(tenant, String(created.body.id), 'failed');
    expect(failed).toMatchObject({ failureReason: 'rejected_by_payer', settlement: null });
    await idle(runtime);
    expect(await positionOf(tenant, account.id)).toMatchObject({ settledBalance: '1000.00', pendingInbound: '0.00' });
  });

  it('retries a callback the endpoint refused, with the same webhook-id, until it is accepted', async () => {
    // Prepare: the endpoint fails for now
    receiver.answerWith(500);
    const before = receiver.received.length;
    const account = await connectAccount(tenant, 'exact');
    const created = await tenant.post('/v1/payments', { accountId: account.id, direction: 'inbound', amount: '3.00', currency: 'GBP' });
    const settledCallbacks = () =>
      receiver.received.slice(before).filter((callback) => callback.json.type === 'payment.settled' && callback.json.data.id === created.body.id);
    // Act
    await validatedFetch(String(created.body.authorisationUrl), { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"outcome":"approve"}' });
    const refused = await eventually(async () => settledCallbacks()[0], 20_000, 'the first, refused, callback');
    receiver.answerWith(200);
    const retried = await eventually(async () => settledCallbacks()[1], 20_000, 'the retried callback');
    // Assess
    expect(retried.headers['webhook-id']).toBe(refused.headers['webhook-id']);
    expect(retried.json.id).toBe(refused.json.id);
    expect(() => new Webhook(endpointSecret).verify(retried.body, retried.headers)).not.toThrow();
    // Accepted once: no further copy comes (other events refused twice are still on their longer schedule, so the
    // runtime is not idle; waiting past this delivery's next retry time is enough).
    await new Promise((resolveWait) => setTimeout(resolveWait, 2_000));
    expect(settledCallbacks()).toHaveLength(2);
  });
});
