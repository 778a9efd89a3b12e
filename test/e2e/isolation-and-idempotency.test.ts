import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { httpRoutes } from '../../infra/topology';
import { type RunningRuntime, startRuntime } from '../../infra/local/spawn-runtime';
import { startCallbackReceiver } from './callback-receiver';
import { singleStatement } from '../support/camt-documents';
import { connectAccount, idle, importStatement, onboardTenant, postBankWebhook, type Tenant, validatedFetch } from './scenario';

/** Issue 5: no one let in (tenant isolation on every GET route), nothing doubled (concurrent idempotent POSTs). */
describe('tenant isolation and idempotency under concurrency', () => {
  let runtime: RunningRuntime;
  let owner: Tenant;
  let intruder: Tenant;
  let receiver: Awaited<ReturnType<typeof startCallbackReceiver>>;
  /** The owner's real id for each path parameter name the tenant API uses. */
  const ownerIds = new Map<string, string>();

  beforeAll(async () => {
    runtime = await startRuntime();
    [owner, intruder] = await Promise.all([onboardTenant(runtime, 'Owner'), onboardTenant(runtime, 'Intruder')]);
    const account = await connectAccount(owner, 'exact');
    const accountBody = (await owner.get(`/v1/accounts/${account.id}`)).body;
    const payment = (await owner.post('/v1/payments', { accountId: account.id, direction: 'inbound', amount: '1.00', currency: 'GBP' })).body;
    receiver = await startCallbackReceiver();
    const endpoint = (await owner.post('/v1/webhook-endpoints', { url: receiver.url })).body;
    await postBankWebhook(runtime, {
      type: 'transactions',
      account: { sortCode: account.sortCode, accountNumber: account.accountNumber },
      transactions: [{ transactionId: 'iso-1', status: 'booked', creditDebitIndicator: 'credit', amount: '2.00', currency: 'GBP', bookingDateTime: new Date().toISOString(), reference: 'NOBODY KNOWS' }],
    });
    await idle(runtime);
    const exception = (await owner.get('/v1/reconciliation/exceptions')).body.data[0];
    ownerIds.set('accountId', account.id);
    ownerIds.set('consentId', String(accountBody.consent.id));
    ownerIds.set('paymentId', String(payment.id));
    const payout = await owner.post('/v1/payouts', { accountId: account.id, currency: 'GBP', items: [{ amount: '1.00', counterparty: { name: 'Alex Doe', sortCode: '200000', accountNumber: '55771234' } }] });
    ownerIds.set('payoutId', String(payout.body.id));
    ownerIds.set('endpointId', String(endpoint.id));
    ownerIds.set('exceptionId', String(exception.id));
    const mandate = (
      await owner.post('/v1/mandates', { accountId: account.id, type: 'sweeping', currency: 'GBP', limits: { maxPerPayment: '1.00', periods: [] } })
    ).body;
    ownerIds.set('mandateId', String(mandate.id));
    const mapping = (
      await owner.post('/v1/statement-mappings', { name: 'Owner CSV', columns: { bookingDate: 'Date', amount: 'Amount' }, dateFormat: 'yyyy-MM-dd', decimalSeparator: '.' })
    ).body;
    ownerIds.set('mappingId', String(mapping.id));
    const statement = singleStatement('camt.053', 8, [{ amount: '3.00', currency: 'GBP', acctSvcrRef: 'iso-statement-1' }], {
      otherId: { id: `${account.sortCode}${account.accountNumber}` },
    });
    ownerIds.set('importId', String((await importStatement(owner, account.id, statement)).id));
    ownerIds.set('linkId', String((await owner.post('/v1/payment-links', { accountId: account.id, amount: '1.00', currency: 'GBP' })).body.id));
  });
  afterAll(async () => {
    await runtime?.stop();
    await receiver?.close();
  });

  /** Every tenant GET route with ids in its path, from the same route table the API is built from. */
  const tenantGetRoutes = httpRoutes.filter((route) => route.method === 'GET' && route.path.startsWith('/v1/') && !route.path.startsWith('/v1/admin/') && route.path.includes('{'));
  const fill = (path: string, id: (name: string) => string) => path.replace(/\{(\w+)\}/g, (_, name: string) => encodeURIComponent(id(name)));

  it('covers every tenant GET route that takes an id', () => {
    expect(tenantGetRoutes.length).toBeGreaterThanOrEqual(6);
    for (const route of tenantGetRoutes) {
      for (const [, name] of route.path.matchAll(/\{(\w+)\}/g)) expect(ownerIds.has(name ?? ''), `no owner id for {${name}} in ${route.path}`).toBe(true);
    }
  });

  it.each(tenantGetRoutes.map((route) => route.path))("answers another tenant's real ids on GET %s with 404, and the owner with 200", async (path) => {
    const url = fill(path, (name) => ownerIds.get(name) ?? '');
    expect((await owner.get(url)).status).toBe(200);
    const response = await intruder.get(url);
    expect(response.status).toBe(404);
    expect(Object.keys(response.body)).toEqual(['error']);
  });

  it('never answers random ids with data or a server error, on any route (property)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...tenantGetRoutes.map((route) => route.path)),
        fc.oneof(fc.string({ minLength: 1, maxLength: 40 }), fc.stringMatching(/^(acc|pay|con|whe|exc|imp|map)_[0-9A-Z]{26}$/)),
        async (path, id) => {
          const response = await intruder.get(fill(path, () => id));
          expect([400, 404]).toContain(response.status);
          expect(Object.keys(response.body ?? {})).toEqual(['error']);
        },
      ),
      { numRuns: 60, seed: 20261124 },
    );
  });

  it("answers 404 to a redelivery of another tenant's event or to another tenant's endpoint, and sends nothing", async () => {
    // Prepare
    const ownersEvent = String((await owner.get('/v1/events?limit=1')).body.data[0].id);
    const intrudersEndpoint = (await intruder.post('/v1/webhook-endpoints', { url: receiver.url })).body;
    const before = receiver.received.length;
    // Act
    const toOwnersEndpoint = await intruder.post(`/v1/webhook-endpoints/${ownerIds.get('endpointId') ?? ''}/redeliveries`, { eventId: ownersEvent });
    const ofOwnersEvent = await intruder.post(`/v1/webhook-endpoints/${String(intrudersEndpoint.id)}/redeliveries`, { eventId: ownersEvent });
    await intruder.delete(`/v1/webhook-endpoints/${String(intrudersEndpoint.id)}`);
    await idle(runtime);
    // Assess
    expect(toOwnersEndpoint).toMatchObject({ status: 404, body: { error: { code: 'webhook_endpoint_not_found' } } });
    expect(ofOwnersEvent).toMatchObject({ status: 404, body: { error: { code: 'event_not_found' } } });
    expect(receiver.received.length).toBe(before);
  });

  it('creates one payment when the same idempotent POST arrives ten times at once', async () => {
    // Prepare
    const accountId = ownerIds.get('accountId') ?? '';
    const body = { accountId, direction: 'inbound', amount: '42.00', currency: 'GBP', invoiceId: 'INV-CONCURRENT-1' };
    // Act
    const responses = await Promise.all(Array.from({ length: 10 }, () => owner.post('/v1/payments', body, 'same-key-concurrent')));
    // Assess: one effect; every other attempt is the first answer again, or told to retry (409 in progress)
    const created = responses.filter((response) => response.status === 201);
    expect(created.length).toBeGreaterThanOrEqual(1);
    expect(new Set(created.map((response) => String(response.body.id))).size).toBe(1);
    for (const response of responses.filter((r) => r.status !== 201)) {
      expect(response).toMatchObject({ status: 409, body: { error: { code: 'idempotency_key_in_use' } } });
    }
    expect((await owner.get('/v1/payments?invoiceId=INV-CONCURRENT-1')).body.data).toHaveLength(1);
  });

  // Runs last: it leaves a tenant endpoint failing, so deliveries keep retrying until the runtime stops.
  it('reports deliveries still retrying instead of hanging, and still stops promptly', async () => {
    // Prepare: an endpoint nothing listens on, and an event for it
    const tenant = await onboardTenant(runtime, 'Unreachable');
    await tenant.post('/v1/webhook-endpoints', { url: 'http://127.0.0.1:9/nobody-home' });
    const account = await connectAccount(tenant, 'exact');
    await tenant.post('/v1/payments', { accountId: account.id, direction: 'inbound', amount: '1.00', currency: 'GBP', reference: 'UNREACHABLE-1' });
    await postBankWebhook(runtime, {
      type: 'transactions',
      account: { sortCode: account.sortCode, accountNumber: account.accountNumber },
      transactions: [{ transactionId: 'unreachable-1', status: 'booked', creditDebitIndicator: 'credit', amount: '1.00', currency: 'GBP', bookingDateTime: new Date().toISOString(), reference: 'UNREACHABLE-1' }],
    });
    // Act
    const waited = await validatedFetch(`${runtime.url}/_local/idle?timeoutMs=1500`, { method: 'POST' });
    const started = Date.now();
    const exitCode = await runtime.stop();
    // Assess
    expect(waited.status).toBe(504);
    expect(await waited.json()).toMatchObject({ idle: false, pendingDeliveries: expect.any(Number) });
    expect(exitCode).toBe(0);
    expect(Date.now() - started).toBeLessThan(20_000);
  });
});
