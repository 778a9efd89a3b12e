import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningRuntime, startRuntime } from '../../infra/local/spawn-runtime';
import { api, connectAccount, onboardTenant, type Tenant } from './scenario';

/** The tenant API's contract at its edges: idempotency, isolation between tenants, money and reference rules. */
describe('the tenant API', () => {
  let runtime: RunningRuntime;
  let acme: Tenant;
  let globex: Tenant;
  let accountId: string;

  beforeAll(async () => {
    runtime = await startRuntime();
    [acme, globex] = await Promise.all([onboardTenant(runtime, 'Acme'), onboardTenant(runtime, 'Globex')]);
    accountId = (await connectAccount(acme, 'exact')).id;
  });
  afterAll(async () => {
    await runtime?.stop();
  });

  const payment = (overrides: Record<string, unknown> = {}) => ({ accountId, direction: 'inbound', amount: '10.00', currency: 'GBP', ...overrides });

  it('answers a retried POST with the first response, and refuses the key with another body', async () => {
    const first = await acme.post('/v1/payments', payment({ invoiceId: 'INV-7' }), 'retry-key-1');
    const again = await acme.post('/v1/payments', { invoiceId: 'INV-7', currency: 'GBP', amount: '10.00', direction: 'inbound', accountId }, 'retry-key-1');
    const other = await acme.post('/v1/payments', payment({ invoiceId: 'INV-8' }), 'retry-key-1');

    expect(first.status).toBe(201);
    expect(again.status).toBe(201);
    expect(again.body).toEqual(first.body);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(other).toMatchObject({ status: 422, body: { error: { code: 'idempotency_key_reused' } } });
    const listed = await acme.get('/v1/payments?invoiceId=INV-7');
    expect(listed.body.data).toHaveLength(1);
  });

  it('requires an Idempotency-Key on money-moving POSTs', async () => {
    const response = await api(runtime.url, acme.apiKey).post('/v1/payments', payment());
    expect(response).toMatchObject({ status: 400, body: { error: { code: 'idempotency_key_required' } } });
  });

  it("answers another tenant's ids with 404, never their data", async () => {
    const created = await acme.post('/v1/payments', payment());
    const account = (await acme.get(`/v1/accounts/${accountId}`)).body;
    for (const path of [
      `/v1/payments/${String(created.body.id)}`,
      `/v1/accounts/${accountId}`,
      `/v1/accounts/${accountId}/transactions`,
      `/v1/consents/${String(account.consent.id)}/access-log`,
    ]) {
      const response = await globex.get(path);
      expect(response.status, path).toBe(404);
      // Only the error (which may repeat the id the caller sent): none of the owner's data.
      expect(Object.keys(response.body), path).toEqual(['error']);
      expect(JSON.stringify(response.body), path).not.toMatch(new RegExp(`Acme Ltd|${String(account.accountNumber)}|${String(created.body.reference)}`));
    }
    const paying = await globex.post('/v1/payments', payment());
    expect(paying.status).toBe(404);
    expect((await globex.get('/v1/payments')).body.data).toEqual([]);
  });

  it('refuses unauthenticated and forged keys alike', async () => {
    const forged = `sk_${acme.tenantId}_${'A'.repeat(43)}`;
    expect((await api(runtime.url).get('/v1/payments')).status).toBe(401);
    expect((await api(runtime.url, forged).get('/v1/payments')).status).toBe(401);
    expect((await api(runtime.url, 'sk_nonsense').get('/v1/payments')).status).toBe(401);
  });

  it.each([
    ['a JSON number', { amount: 10 }, 'amount'],
    ['too many decimals', { amount: '10.001' }, 'amount'],
    ['zero', { amount: '0.00' }, 'amount'],
    ['a negative amount', { amount: '-5.00' }, 'amount'],
    ['a reference over 18 characters', { reference: 'A'.repeat(19) }, 'reference'],
    ['a character banks reject', { reference: 'INV_42' }, 'reference'],
    ['an unknown field', { isSettled: true }, 'isSettled'],
    ['another currency than the account', { currency: 'EUR' }, 'currency'],
    ['an outbound payment without a counterparty', { direction: 'outbound' }, 'counterparty'],
  ])('answers %s with 400 naming the field', async (_, overrides, path) => {
    const response = await acme.post('/v1/payments', payment(overrides));
    expect(response.status).toBe(400);
    expect(response.body.error.details).toEqual([expect.objectContaining({ path })]);
  });

  it('keeps a valid tenant reference as given and answers amounts with the currency decimals', async () => {
    const response = await acme.post('/v1/payments', payment({ reference: "Inv 42/B (Nov) +1", amount: '7.5' }));
    expect(response.status).toBe(201);
    expect(response.body).toMatchObject({ reference: 'Inv 42/B (Nov) +1', amount: '7.50' });
  });
});
