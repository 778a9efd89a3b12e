import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningRuntime, startRuntime } from '../../infra/local/spawn-runtime';
import { connectAccount, idle, onboardTenant, paymentWithStatus, type Tenant, validatedFetch } from './scenario';

/** The timeline the operations console draws from a payment: initiated → authorised → executed → settled. */
describe('a payment’s timeline', () => {
  let runtime: RunningRuntime;
  let tenant: Tenant;

  beforeAll(async () => {
    runtime = await startRuntime();
    tenant = await onboardTenant(runtime);
  });

  afterAll(async () => {
    await runtime?.stop();
  });

  it('shows a sandbox payment authorised, executed and settled in that order, from its creation', async () => {
    // Prepare
    const account = await connectAccount(tenant, 'exact');
    const created = await tenant.post('/v1/payments', { accountId: account.id, direction: 'inbound', amount: '12.34', currency: 'GBP' });
    expect(created.status).toBe(201);
    expect(Object.keys(created.body)).not.toContain('authorisedAt');
    // Act
    await validatedFetch(String(created.body.authorisationUrl), { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"outcome":"approve"}' });
    await paymentWithStatus(tenant, String(created.body.id), 'settled');
    await idle(runtime);
    const view = (await tenant.get(`/v1/payments/${String(created.body.id)}`)).body;
    // Assess
    const times = [view.createdAt, view.authorisedAt, view.executedAt, view.settlement?.settledAt];
    for (const time of times) expect(time).toEqual(expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/));
    const instants = times.map((time) => Date.parse(String(time)));
    expect(instants).toEqual([...instants].sort((a, b) => a - b));
    // The payment.authorised event carries it too.
    const events = (await tenant.get('/v1/events?type=payment.authorised&limit=500')).body.data as { data: { id: string; authorisedAt?: string } }[];
    expect(events.find((event) => event.data.id === created.body.id)?.data.authorisedAt).toBe(view.authorisedAt);
  });
});
