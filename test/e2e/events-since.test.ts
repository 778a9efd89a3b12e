import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningRuntime, startRuntime } from '../../infra/local/spawn-runtime';
import { connectAccount, idle, onboardTenant, paymentWithStatus, postBankWebhook, type Tenant } from './scenario';

type ListedEvent = { id: string; type: string; createdAt: string };

/** GET /v1/events?since=: the log from an instant on, for the console's history charts. */
describe('the event log since an instant', () => {
  let runtime: RunningRuntime;
  let tenant: Tenant;
  let all: ListedEvent[];

  beforeAll(async () => {
    runtime = await startRuntime();
    tenant = await onboardTenant(runtime);
    // Two payments a little apart, each executed by the sandbox bank's status: events at distinct instants.
    const account = await connectAccount(tenant, 'exact');
    for (const amount of ['1.00', '2.00']) {
      const created = await tenant.post('/v1/payments', { accountId: account.id, direction: 'inbound', amount, currency: 'GBP' });
      const bankPaymentId = String(created.body.authorisationUrl).split('/').at(-1);
      await postBankWebhook(runtime, { type: 'payment_status', bankPaymentId, status: 'executed', at: new Date().toISOString() });
      await paymentWithStatus(tenant, String(created.body.id), 'executed');
      await new Promise((resolveWait) => setTimeout(resolveWait, 20));
    }
    await idle(runtime);
    all = (await tenant.get('/v1/events?limit=500')).body.data;
    expect(all.length).toBeGreaterThanOrEqual(4);
  });

  afterAll(async () => {
    await runtime?.stop();
  });

  it('answers the events created at or after since, oldest first, whatever the instant’s notation', async () => {
    // Prepare: an instant equal to a middle event's createdAt (inclusive), and the same instant in +01:00
    const middle = all[Math.floor(all.length / 2)];
    if (middle === undefined) throw new Error('no events');
    const since = middle.createdAt;
    const sinceWithOffset = new Date(Date.parse(since) + 3_600_000).toISOString().replace('Z', '+01:00');
    const expected = all.filter((event) => event.createdAt >= since).map((event) => event.id);
    // Act
    const utc = await tenant.get(`/v1/events?limit=500&since=${encodeURIComponent(since)}`);
    const offset = await tenant.get(`/v1/events?limit=500&since=${encodeURIComponent(sinceWithOffset)}`);
    // Assess
    expect(utc.status).toBe(200);
    expect(utc.body.data.map((event: ListedEvent) => event.id)).toEqual(expected);
    expect(expected.length).toBeLessThan(all.length);
    expect(expected).toContain(middle.id);
    expect(offset.body.data.map((event: ListedEvent) => event.id)).toEqual(expected);
  });

  it('combines with type and pages with the cursor, and answers nothing for an instant after the last event', async () => {
    // Prepare
    const first = all[0];
    if (first === undefined) throw new Error('no events');
    const since = encodeURIComponent(first.createdAt);
    const executed = all.filter((event) => event.type === 'payment.executed').map((event) => event.id);
    // Act
    const typed = await tenant.get(`/v1/events?limit=500&since=${since}&type=payment.executed`);
    const page1 = await tenant.get(`/v1/events?limit=1&since=${since}&type=payment.executed`);
    const page2 = await tenant.get(`/v1/events?limit=1&since=${since}&type=payment.executed&cursor=${encodeURIComponent(String(page1.body.nextCursor))}`);
    const future = await tenant.get(`/v1/events?since=${encodeURIComponent(new Date(Date.now() + 60_000).toISOString())}`);
    // Assess
    expect(executed).toHaveLength(2);
    expect(typed.body.data.map((event: ListedEvent) => event.id)).toEqual(executed);
    expect([...page1.body.data, ...page2.body.data].map((event: ListedEvent) => event.id)).toEqual(executed);
    expect(future.body).toEqual({ data: [], nextCursor: null });
  });

  it.each(['yesterday', '2026-02-30T00:00:00Z', '2026-11-24', ''])('answers 400 naming since for %j', async (value) => {
    const response = await tenant.get(`/v1/events?since=${encodeURIComponent(value)}`);
    expect(response.status).toBe(400);
    expect(response.body.error).toMatchObject({ code: 'validation_failed', details: [expect.objectContaining({ path: 'since' })] });
    expect(response.body.error.details).toHaveLength(1);
  });
});
