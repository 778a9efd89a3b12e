import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningRuntime, startRuntime } from '../../infra/local/spawn-runtime';
import { connectAccount, eventually, idle, onboardTenant, paymentWithStatus, positionOf, type Tenant, validatedFetch } from './scenario';

/**
 * Variable recurring payments over HTTP on the local runtime: a mandate authorised once on the sandbox bank's page,
 * payments taken with no page within exact limits, settled through the same loop as every payment, and revoked.
 */
describe('mandates (VRP)', () => {
  let runtime: RunningRuntime;
  let tenant: Tenant;

  beforeAll(async () => {
    runtime = await startRuntime();
    tenant = await onboardTenant(runtime);
  });
  afterAll(async () => {
    await runtime?.stop();
  });

  /** What the sandbox bank itself took under the mandate: the count its page shows. */
  const takenAtBank = async (authorisationUrl: string) => {
    const page = await validatedFetch(authorisationUrl);
    expect(page.status).toBe(200);
    const match = /data-payments-taken="(\d+)"/.exec(await page.text());
    if (match === null) throw new Error('the mandate page shows no count of payments taken');
    return Number(match[1]);
  };
  const eventsOfType = async (type: string) => (await tenant.get(`/v1/events?type=${type}&limit=100`)).body.data as Record<string, any>[];

  const authorisedMandate = async (accountId: string, limits: Record<string, unknown>) => {
    const created = await tenant.post('/v1/mandates', { accountId, type: 'sweeping', currency: 'GBP', reference: 'SWEEP', limits });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ id: expect.stringMatching(/^man_/), status: 'authorisation_required', authorisationUrl: expect.stringContaining('/sandbox/authorisations/sbm_') });
    const notYet = await tenant.post(`/v1/mandates/${String(created.body.id)}/payments`, { amount: '1.00' });
    expect(notYet.status).toBe(409);
    expect(notYet.body.error.code).toBe('mandate_not_active');
    const approved = await validatedFetch(String(created.body.authorisationUrl), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ outcome: 'approve' }),
    });
    expect(approved.status).toBe(200);
    const active = await tenant.get(`/v1/mandates/${String(created.body.id)}`);
    expect(active.body).toMatchObject({ status: 'active', activatedAt: expect.any(String) });
    return { id: String(created.body.id), authorisationUrl: String(created.body.authorisationUrl) };
  };

  it('takes two payments with no page, refuses the third over the monthly limit without telling the bank, and settles the two', async () => {
    // Prepare
    const account = await connectAccount(tenant, 'exact', '1000.00');
    const mandate = await authorisedMandate(account.id, { maxPerPayment: '100.00', periods: [{ period: 'month', maxAmount: '250.00', alignment: 'calendar' }] });

    // Act
    const first = await tenant.post(`/v1/mandates/${mandate.id}/payments`, { amount: '100.00', invoiceId: 'INV-1' });
    const second = await tenant.post(`/v1/mandates/${mandate.id}/payments`, { amount: '100.00', invoiceId: 'INV-2' });
    const third = await tenant.post(`/v1/mandates/${mandate.id}/payments`, { amount: '60.00', invoiceId: 'INV-3' });

    // Assess
    expect(first.status).toBe(201);
    expect(second.status).toBe(201);
    expect(first.body).toMatchObject({ mandateId: mandate.id, direction: 'inbound', status: 'authorised', amount: '100.00' });
    expect(third.status).toBe(422);
    expect(third.body.error.code).toBe('mandate_limit_exceeded');
    expect(third.body.error.message).toContain('month limit of 250.00');
    expect(third.body.error.details).toEqual([{ path: 'limits.periods[0]', message: expect.stringContaining('remaining 50.00') }]);
    // Nothing of the third reached the bank: it took two payments, no more.
    expect(await takenAtBank(mandate.authorisationUrl)).toBe(2);
    const overMaxPerPayment = await tenant.post(`/v1/mandates/${mandate.id}/payments`, { amount: '100.01' });
    expect(overMaxPerPayment.status).toBe(422);
    expect(overMaxPerPayment.body.error.details).toEqual([{ path: 'limits.maxPerPayment', message: expect.stringContaining('maxPerPayment 100.00') }]);
    await paymentWithStatus(tenant, String(first.body.id), 'settled');
    await paymentWithStatus(tenant, String(second.body.id), 'settled');
    await idle(runtime);
    expect(await positionOf(tenant, account.id)).toMatchObject({ settledBalance: '1200.00', pendingInbound: '0.00' });
    expect((await tenant.get(`/v1/payments?invoiceId=INV-3`)).body.data).toEqual([]);
    const read = await tenant.get(`/v1/mandates/${mandate.id}`);
    expect(read.body.usage).toEqual([expect.objectContaining({ period: 'month', maxAmount: '250.00', used: '200.00', remaining: '50.00' })]);
    const settledEvents = await eventsOfType('payment.settled');
    expect(settledEvents.map((event) => event.data.id)).toEqual(expect.arrayContaining([first.body.id, second.body.id]));
    expect((await eventsOfType('mandate.activated')).map((event) => event.data.id)).toContain(mandate.id);
  });

  it('lets exactly the allowed concurrent payments through, and none after a revocation', async () => {
    // Prepare: a daily limit of 5 × 30.00 against 12 concurrent payments of 30.00
    const account = await connectAccount(tenant, 'exact', '0.00');
    const mandate = await authorisedMandate(account.id, {
      maxPerPayment: '30.00',
      periods: [
        { period: 'day', maxAmount: '150.00', alignment: 'calendar' },
        { period: 'fortnight', maxAmount: '500.00', alignment: 'consent' },
      ],
    });

    // Act
    const answers = await Promise.all(Array.from({ length: 12 }, () => tenant.post(`/v1/mandates/${mandate.id}/payments`, { amount: '30.00' })));

    // Assess
    const statuses = answers.map((answer) => answer.status).sort();
    expect(statuses).toEqual([...Array<number>(5).fill(201), ...Array<number>(7).fill(422)]);
    expect(answers.filter((answer) => answer.status === 422).every((answer) => answer.body.error.code === 'mandate_limit_exceeded')).toBe(true);
    expect(await takenAtBank(mandate.authorisationUrl)).toBe(5);
    for (const answer of answers.filter((candidate) => candidate.status === 201)) await paymentWithStatus(tenant, String(answer.body.id), 'settled');
    await idle(runtime);
    expect(await positionOf(tenant, account.id)).toMatchObject({ settledBalance: '150.00' });
    const read = await tenant.get(`/v1/mandates/${mandate.id}`);
    expect(read.body.usage).toEqual([
      expect.objectContaining({ period: 'day', used: '150.00', remaining: '0.00' }),
      expect.objectContaining({ period: 'fortnight', used: '150.00', remaining: '350.00' }),
    ]);

    // Act: revoke
    const revoked = await tenant.post(`/v1/mandates/${mandate.id}/revoke`, {});
    expect(revoked.status).toBe(200);
    expect(revoked.body).toMatchObject({ status: 'revoked', revokedAt: expect.any(String) });
    const after = await tenant.post(`/v1/mandates/${mandate.id}/payments`, { amount: '1.00' });
    expect(after.status).toBe(409);
    expect(after.body.error.code).toBe('mandate_not_active');
    expect(await takenAtBank(mandate.authorisationUrl)).toBe(5);
    await eventually(async () => ((await eventsOfType('mandate.revoked')).some((event) => event.data.id === mandate.id) ? true : undefined), 10_000, 'mandate.revoked');
    const listed = await tenant.get('/v1/mandates');
    expect(listed.body.data.map((entry: { id: string }) => entry.id)).toContain(mandate.id);
  });

  it('refuses a calendar fortnight, and a payment outside the validity window', async () => {
    const account = await connectAccount(tenant, 'exact', '0.00');
    const fortnight = await tenant.post('/v1/mandates', {
      accountId: account.id,
      type: 'commercial',
      currency: 'GBP',
      limits: { maxPerPayment: '10.00', periods: [{ period: 'fortnight', maxAmount: '20.00', alignment: 'calendar' }] },
    });
    expect(fortnight.status).toBe(400);
    expect(fortnight.body.error.details).toEqual([{ path: 'limits.periods[0].alignment', message: expect.stringContaining('fortnight') }]);

    const future = new Date(Date.now() + 7 * 86_400_000).toISOString();
    const created = await tenant.post('/v1/mandates', { accountId: account.id, type: 'commercial', currency: 'GBP', validFrom: future, limits: { maxPerPayment: '10.00', periods: [] } });
    expect(created.status).toBe(201);
    await validatedFetch(String(created.body.authorisationUrl), { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"outcome":"approve"}' });
    const early = await tenant.post(`/v1/mandates/${String(created.body.id)}/payments`, { amount: '5.00' });
    expect(early.status).toBe(409);
    expect(early.body.error.code).toBe('mandate_not_active');
    expect(early.body.error.message).toContain('valid from');
  });
});
