import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningRuntime, startRuntime } from '../../infra/local/spawn-runtime';
import { startCallbackReceiver } from './callback-receiver';
import { connectAccount, eventually, idle, onboardTenant, positionOf, type Tenant, validatedFetch } from './scenario';

/** Pence from a decimal string ("12.34" → 1234), so sums are exact. */
const pence = (amount: string): number => {
  const [whole = '0', fraction = ''] = amount.split('.');
  return Number(whole) * 100 + Number(fraction.padEnd(2, '0'));
};

const ITEMS = 1_000;
/**
 * About 2,100 settlement messages (a booked debit and its chaotic duplicate per item, the rejections) through the
 * local runtime: 60–90 s on a quiet 2-core machine, several minutes when other test runs share it.
 */
const COMPLETION_WAIT_MS = 300_000;

/**
 * Bulk payouts over HTTP on the local runtime: one request, one authorisation, the items handed to the sandbox bank
 * in chunks, every item ending settled or failed on a chaotic account, the failures listed per item, and
 * payout.completed once with counts that add up.
 */
describe('bulk payouts', () => {
  let runtime: RunningRuntime;
  let receiver: Awaited<ReturnType<typeof startCallbackReceiver>>;
  let tenant: Tenant;

  beforeAll(async () => {
    // Chunks of 100 (ten for 1,000 items) so a chaotic bank's whole-chunk rejection has ten chances to happen.
    [runtime, receiver] = await Promise.all([
      startRuntime({ env: { SETTLED_SANDBOX_SETTLEMENT_DELAY_SECONDS: '1', SETTLED_SANDBOX_BULK_LIMIT: '100' } }),
      startCallbackReceiver(),
    ]);
    tenant = await onboardTenant(runtime);
    expect((await tenant.post('/v1/webhook-endpoints', { url: receiver.url, events: ['payout.completed'] })).status).toBe(201);
  }, 120_000);
  afterAll(async () => {
    await Promise.all([runtime?.stop(), receiver?.close()]);
  });

  it('refuses a half-valid batch whole, naming every bad item by index', async () => {
    // Prepare
    const account = await connectAccount(tenant, 'exact');
    const good = (index: number) => ({ amount: '10.00', externalId: `emp-${index}`, counterparty: { name: `Worker ${index}`, sortCode: '200000', accountNumber: '55779911' } });
    const items: unknown[] = Array.from({ length: 12 }, (_, index) => good(index));
    items[2] = { ...good(2), amount: '12.345' };
    items[5] = { ...good(5), counterparty: { name: 'Worker 5', sortCode: '12', accountNumber: '55779911' } };
    items[7] = { ...good(7), externalId: 'emp-1' };
    items[11] = { ...good(11), reference: 'bad£reference' };

    // Act
    const response = await tenant.post('/v1/payouts', { accountId: account.id, currency: 'GBP', items });

    // Assess
    expect(response.status).toBe(400);
    expect(response.body.error.code).toBe('validation_failed');
    const paths = (response.body.error.details as { path: string }[]).map((detail) => detail.path);
    expect(paths).toEqual(['items[2].amount', 'items[5].counterparty.sortCode', 'items[7].externalId', 'items[11].reference']);
    expect((await tenant.get('/v1/payouts')).body.data).toEqual([]);
    expect((await tenant.get('/v1/payments')).body.data).toEqual([]);
  });

  it('pays 1,000 items on a chaotic bank with one authorisation, lists the failures, and completes once', async () => {
    // Prepare: item 0's payee name does not match its account (ending 9999 belongs to "Jordan Example")
    const account = await connectAccount(tenant, 'chaotic', '1000000.00');
    const items = Array.from({ length: ITEMS }, (_, index) => ({
      amount: `${(index % 50) + 1}.${String(index % 100).padStart(2, '0')}`,
      externalId: `payroll-${index}`,
      counterparty:
        index === 0
          ? { name: 'Sam Smith', sortCode: '200000', accountNumber: '12349999' }
          : { name: `Worker ${index}`, sortCode: '200000', accountNumber: String(20_000_000 + index) },
    }));
    const key = randomUUID();
    const body = { accountId: account.id, currency: 'GBP', items };

    // Act: one request, one authorisation
    const created = await tenant.post('/v1/payouts', body, key);
    expect(created.status).toBe(201);
    const payoutId = String(created.body.id);
    expect(created.body.status).toBe('authorisation_required');
    expect(created.body.payments).toHaveLength(ITEMS);
    expect(created.body.payments[0]).toMatchObject({ externalId: 'payroll-0', status: 'failed', failureReason: 'payee_name_mismatch' });
    expect(new Set((created.body.payments as { reference: string }[]).map((payment) => payment.reference)).size).toBe(ITEMS);
    expect(created.body.counts).toMatchObject({ total: ITEMS, pending: ITEMS - 1, failed: 1 });
    const replayed = await tenant.post('/v1/payouts', body, key);
    expect(replayed.status).toBe(201);
    expect(replayed.headers.get('idempotent-replayed')).toBe('true');
    expect(replayed.body.id).toBe(payoutId);
    expect(replayed.body.payments).toEqual(created.body.payments);

    const page = await validatedFetch(String(created.body.authorisationUrl));
    expect(page.status).toBe(200);
    expect(await page.text()).toContain(`${ITEMS} payees`);
    const decision = await validatedFetch(String(created.body.authorisationUrl), { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"outcome":"approve"}' });
    expect(decision.status).toBe(200);

    // Assess: payout.completed reaches the endpoint, with counts that add up
    const completed = await eventually(
      async () => receiver.received.find((callback) => callback.json.type === 'payout.completed' && callback.json.data.id === payoutId),
      COMPLETION_WAIT_MS,
      'payout.completed',
    );
    const counts = completed.json.data.counts;
    const totals = completed.json.data.totals;
    expect(counts.total).toBe(ITEMS);
    expect(counts.settled + counts.failed).toBe(ITEMS);
    expect(counts.failed).toBeGreaterThanOrEqual(1);
    expect(pence(totals.settled) + pence(totals.failed)).toBe(pence(totals.amount));
    expect(pence(totals.amount)).toBe(items.reduce((sum, item) => sum + pence(item.amount), 0));
    expect(completed.json.data.status).toBe('completed_with_failures');

    // The failures, each with its reason, page by page
    const failures: Record<string, any>[] = [];
    let cursor: string | null = null;
    do {
      const listed = await tenant.get(`/v1/payouts/${payoutId}/payments?status=failed&limit=50${cursor === null ? '' : `&cursor=${cursor}`}`);
      expect(listed.status).toBe(200);
      failures.push(...listed.body.data);
      cursor = listed.body.nextCursor;
    } while (cursor !== null);
    expect(failures).toHaveLength(counts.failed);
    for (const failure of failures) {
      expect(failure.status).toBe('failed');
      expect(failure.payoutId).toBe(payoutId);
      expect(['insufficient_funds', 'chunk_rejected_by_bank', 'payee_name_mismatch']).toContain(failure.failureReason);
    }
    expect(pence(totals.failed)).toBe(failures.reduce((sum, failure) => sum + pence(String(failure.amount)), 0));
    const mismatch = failures.find((failure) => failure.metadata.externalId === 'payroll-0');
    expect(mismatch).toMatchObject({ failureReason: 'payee_name_mismatch', executedAt: null, settlement: null, counterparty: { verification: { result: 'no_match' } } });

    // Everything the bank planned has arrived: the counts stand, the event came once, and only settled items left
    await idle(runtime);
    const read = await tenant.get(`/v1/payouts/${payoutId}`);
    expect(read.body.counts).toEqual(counts);
    expect(read.body.totals).toEqual(totals);
    expect(read.body.status).toBe('completed_with_failures');
    expect(receiver.received.filter((callback) => callback.json.type === 'payout.completed' && callback.json.data.id === payoutId)).toHaveLength(1);
    const position = await positionOf(tenant, account.id);
    // The mismatched item and every failed one never debited the account: only the settled ones did.
    expect(pence(String(position?.settledBalance))).toBe(pence('1000000.00') - pence(totals.settled));
    expect((await tenant.get('/v1/payouts')).body.data.map((payout: { id: string }) => payout.id)).toContain(payoutId);
  }, COMPLETION_WAIT_MS + 60_000);
});
