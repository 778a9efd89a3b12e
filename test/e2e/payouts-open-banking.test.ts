import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningRuntime, startRuntime, tempDataDir } from '../../infra/local/spawn-runtime';
import { startCallbackReceiver } from './callback-receiver';
import { eventually, idle, mockBanks, onboardTenant, positionOf, type Tenant, validatedFetch } from './scenario';

/**
 * Bulk payouts from accounts at Open Banking banks, over HTTP on the local runtime: the payout goes as the bank's
 * file payments, cut into files of the bank's own limit (mock-north 50, mock-south 100, from the registry); the payer
 * authorises each file on the bank's page, walked there and back by Settled's payout authorisation page; each file is
 * submitted once authorised, its report followed, rejected items failed with the bank's reason, executed ones settled
 * by their booked debits through the normal loop; a file the bank rejects whole fails every item in it.
 */
describe('bulk payouts from Open Banking accounts (file payments)', () => {
  let runtime: RunningRuntime;
  let receiver: Awaited<ReturnType<typeof startCallbackReceiver>>;
  let tenant: Tenant;
  let banks: Awaited<ReturnType<typeof mockBanks>>;

  beforeAll(async () => {
    [runtime, receiver] = await Promise.all([
      startRuntime({ dataDir: tempDataDir(), env: { SETTLED_MOCK_BANK_BOOKING_DELAY_MS: '200', SETTLED_BANK_SYNC_INTERVAL_SECONDS: '2', SETTLED_CALLBACK_RETRY_SCALE: '0.2' } }),
      startCallbackReceiver(),
    ]);
    tenant = await onboardTenant(runtime);
    expect((await tenant.post('/v1/webhook-endpoints', { url: receiver.url, events: ['payout.completed'] })).status).toBe(201);
    banks = await mockBanks(runtime);
  }, 120_000);

  afterAll(async () => {
    await runtime?.stop();
    await receiver?.close();
  });

  const asBrowser = (url: string) => validatedFetch(url, { redirect: 'manual', headers: { accept: 'text/html' } });

  const connectedAccount = async (aspspId: string) => {
    const created = await tenant.post('/v1/accounts', { provider: 'obie', aspspId, name: 'Acme Payroll Ltd', currency: 'GBP' });
    expect(created.status).toBe(201);
    expect((await asBrowser(await banks.decide(String(created.body.consent.authorisationUrl)))).status).toBe(200);
    const account = await tenant.get(`/v1/accounts/${String(created.body.id)}`);
    expect(account.body).toMatchObject({ status: 'active' });
    return { id: String(created.body.id), opening: Math.round(Number(account.body.openingBalance) * 100) };
  };

  /**
   * The payer's way through a payout's authorisation: Settled's page sends them to the bank for each file, the bank
   * back to Settled's callback, which sends them on to the next file; the bank pages seen, and the last page.
   */
  const authorise = async (authorisationUrl: string, decision: 'approve' | 'reject' = 'approve') => {
    const bankPages: string[] = [];
    let next = authorisationUrl;
    for (let step = 0; step < 20; step += 1) {
      const settled = await asBrowser(next);
      if (settled.status !== 303) return { bankPages, page: settled };
      const bankPage = settled.headers.get('location') ?? '';
      bankPages.push(bankPage);
      const back = await asBrowser(await banks.decide(bankPage, decision));
      if (back.status !== 303) return { bankPages, page: back };
      next = back.headers.get('location') ?? '';
    }
    throw new Error('the authorisation journey did not end');
  };

  const item = (index: number, amount: string, payee: { name: string; sortCode: string; accountNumber: string } = { name: `Worker ${index}`, sortCode: '200000', accountNumber: String(60_000_000 + index) }) => ({
    amount,
    externalId: `worker-${index}`,
    counterparty: payee,
  });

  const completedCallback = (payoutId: string) =>
    eventually(async () => receiver.received.find((callback) => callback.json.type === 'payout.completed' && callback.json.data.id === payoutId), 90_000, `payout.completed of ${payoutId}`);

  it('pays 120 items from a v4.0 bank as two files authorised in one journey: a missing payee account fails alone, a name mismatch never leaves, the rest settle', async () => {
    // Prepare
    const account = await connectedAccount('mock-south');
    const items = Array.from({ length: 120 }, (_, index) => item(index, '5.00'));
    items[7] = item(7, '5.00', { name: 'Nobody Here', sortCode: '040101', accountNumber: '11112222' });
    items[111] = item(111, '5.00', { name: 'Sam Smith', sortCode: '200000', accountNumber: '55779999' });

    // Act
    const created = await tenant.post('/v1/payouts', { accountId: account.id, currency: 'GBP', items });

    // Assess: stored, to be authorised on Settled's page
    expect(created.status).toBe(201);
    const payoutId = String(created.body.id);
    expect(created.body).toMatchObject({ status: 'authorisation_required' });
    expect(String(created.body.authorisationUrl)).toMatch(/\/payout-authorisations\/obb_[0-9A-Z]{26}$/);

    // Act: the payer authorises each file at the bank
    const journey = await authorise(String(created.body.authorisationUrl));

    // Assess: two files (100 + 19 sendable items), each on the bank's own page, then one page saying it is done
    expect(journey.bankPages).toHaveLength(2);
    expect(journey.bankPages.every((page) => page.startsWith(banks.bank('mock-south').authorizationEndpoint))).toBe(true);
    expect(journey.page.status).toBe(200);
    expect(await journey.page.text()).toContain('Payouts authorised');

    // Assess: payout.completed with counts that add up; the failures listed with the bank's reasons
    const completed = await completedCallback(payoutId);
    expect(completed.json.data).toMatchObject({ status: 'completed_with_failures', counts: { total: 120, settled: 118, failed: 2 } });
    const failed = await tenant.get(`/v1/payouts/${payoutId}/payments?status=failed`);
    const reasons = Object.fromEntries(failed.body.data.map((payment: { metadata: { externalId: string }; failureReason: string }) => [payment.metadata.externalId, payment.failureReason]));
    expect(reasons).toEqual({ 'worker-7': expect.stringMatching(/AC01/), 'worker-111': 'payee_name_mismatch' });
    const payout = await tenant.get(`/v1/payouts/${payoutId}`);
    expect(payout.body).toMatchObject({ totals: { amount: '600.00', settled: '590.00', failed: '10.00' } });
    await idle(runtime);
    expect(await positionOf(tenant, account.id)).toMatchObject({ settledBalance: ((account.opening - 59_000) / 100).toFixed(2) });
    // Again: the journey's page shows the decided payout and sends nobody to the bank
    const again = await asBrowser(String(created.body.authorisationUrl));
    expect(again.status).toBe(200);
    expect(await banks.violations()).toEqual([]);
  }, 180_000);

  it('fails every item of a file the v3.1.11 bank rejects whole (more than the account holds) and settles the other file', async () => {
    // Prepare: file 0 is 50 × 210.00 = 10,500.00, more than the new account's 10,000.00; file 1 is 10 × 5.00
    const account = await connectedAccount('mock-north');
    const items = [...Array.from({ length: 50 }, (_, index) => item(index, '210.00')), ...Array.from({ length: 10 }, (_, index) => item(50 + index, '5.00'))];

    // Act
    const created = await tenant.post('/v1/payouts', { accountId: account.id, currency: 'GBP', items });
    expect(created.status).toBe(201);
    const payoutId = String(created.body.id);
    const journey = await authorise(String(created.body.authorisationUrl));

    // Assess
    expect(journey.bankPages).toHaveLength(2);
    const completed = await completedCallback(payoutId);
    expect(completed.json.data).toMatchObject({ status: 'completed_with_failures', counts: { total: 60, settled: 10, failed: 50 } });
    const failed = await tenant.get(`/v1/payouts/${payoutId}/payments?status=failed&limit=100`);
    expect(failed.body.data).toHaveLength(50);
    const reasons = new Set(failed.body.data.map((payment: { failureReason: string }) => payment.failureReason));
    expect(reasons.size).toBe(1);
    expect(failed.body.data.map((payment: { metadata: { externalId: string } }) => payment.metadata.externalId).sort()).toEqual(
      Array.from({ length: 50 }, (_, index) => `worker-${index}`).sort(),
    );
    await idle(runtime);
    expect(await positionOf(tenant, account.id)).toMatchObject({ settledBalance: ((account.opening - 5_000) / 100).toFixed(2) });
    expect(await banks.violations()).toEqual([]);
  }, 180_000);

  it('rejects the whole payout when the payer refuses a file at the bank: nothing is paid', async () => {
    // Prepare
    const account = await connectedAccount('mock-south');
    const created = await tenant.post('/v1/payouts', { accountId: account.id, currency: 'GBP', items: [item(1, '1.00'), item(2, '2.00'), item(3, '3.00')] });
    expect(created.status).toBe(201);
    const payoutId = String(created.body.id);

    // Act
    const journey = await authorise(String(created.body.authorisationUrl), 'reject');

    // Assess
    expect(journey.bankPages).toHaveLength(1);
    expect(await journey.page.text()).toContain('not authorised');
    await eventually(async () => {
      const failed = await tenant.get(`/v1/payouts/${payoutId}/payments?status=failed`);
      return failed.body.data.length === 3 ? failed : undefined;
    }, 20_000, 'every item failed');
    const payout = await tenant.get(`/v1/payouts/${payoutId}`);
    expect(payout.body).toMatchObject({ status: 'rejected', counts: { total: 3, failed: 3 } });
    const failed = await tenant.get(`/v1/payouts/${payoutId}/payments?status=failed`);
    expect(new Set(failed.body.data.map((payment: { failureReason: string }) => payment.failureReason))).toEqual(new Set(['rejected_by_payer']));
    await idle(runtime);
    expect(await positionOf(tenant, account.id)).toMatchObject({ settledBalance: (account.opening / 100).toFixed(2) });
    expect(await banks.violations()).toEqual([]);
  });
});
