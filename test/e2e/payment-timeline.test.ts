import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningRuntime, startRuntime } from '../../infra/local/spawn-runtime';
import { connectAccount, idle, onboardTenant, paymentWithStatus, postBankWebhook, type Tenant } from './scenario';

/**
 * The timeline the operations console draws from a payment: initiated → authorised → executed → settled. The sandbox
 * bank's signed webhooks are posted here one after the other (its own page would send the authorised and executed
 * statuses at the same instant, in either order, and a payment executed before any authorised status keeps no
 * authorisedAt).
 */
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

  /** A sandbox payment told authorised, then executed, then paid by a booked credit, each once the last is applied. */
  const settledStepByStep = async (account: Awaited<ReturnType<typeof connectAccount>>, amount: string) => {
    const created = await tenant.post('/v1/payments', { accountId: account.id, direction: 'inbound', amount, currency: 'GBP' });
    expect(created.status).toBe(201);
    const id = String(created.body.id);
    const bankPaymentId = String(created.body.authorisationUrl).split('/').at(-1);
    for (const status of ['authorised', 'executed'] as const) {
      expect((await postBankWebhook(runtime, { type: 'payment_status', bankPaymentId, status, at: new Date().toISOString() })).status).toBe(202);
      await paymentWithStatus(tenant, id, status);
    }
    const credit = await postBankWebhook(runtime, {
      type: 'transactions',
      account: { sortCode: account.sortCode, accountNumber: account.accountNumber },
      transactions: [
        {
          transactionId: `timeline-${id}`,
          status: 'booked',
          creditDebitIndicator: 'credit',
          amount,
          currency: 'GBP',
          bookingDateTime: new Date().toISOString(),
          reference: String(created.body.reference),
        },
      ],
    });
    expect(credit.status).toBe(202);
    await paymentWithStatus(tenant, id, 'settled');
    await idle(runtime);
    return { created: created.body, view: (await tenant.get(`/v1/payments/${id}`)).body };
  };

  it('shows a sandbox payment authorised, executed and settled in that order, from its creation', async () => {
    // Prepare
    const account = await connectAccount(tenant, 'exact');
    // Act
    const { created, view } = await settledStepByStep(account, '12.34');
    // Assess
    expect(Object.keys(created)).not.toContain('authorisedAt');
    const times = [view.createdAt, view.authorisedAt, view.executedAt, view.settlement?.settledAt];
    for (const time of times) expect(time).toEqual(expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/));
    const instants = times.map((time) => Date.parse(String(time)));
    expect(instants).toEqual([...instants].sort((a, b) => a - b));
    // The payment.authorised event carries it too.
    const events = (await tenant.get('/v1/events?type=payment.authorised&limit=500')).body.data as { data: { id: string; authorisedAt?: string } }[];
    expect(events.find((event) => event.data.id === created.id)?.data.authorisedAt).toBe(view.authorisedAt);
  });

  it('counts the settlement in the report’s latency histogram, in the JSON and the CSV, per account and overall', async () => {
    // Prepare: a second account, so the overall histogram is not just one account's
    const account = await connectAccount(tenant, 'exact');
    const { view } = await settledStepByStep(account, '5.00');
    const query = `from=${encodeURIComponent(new Date(Date.now() - 3_600_000).toISOString())}&to=${encodeURIComponent(new Date(Date.now() + 60_000).toISOString())}`;
    // Act
    const report = (await tenant.get(`/v1/reconciliation/report?${query}`)).body;
    const csv = String((await tenant.get(`/v1/reconciliation/report?${query}&format=csv`)).body);
    // Assess
    const latency = Math.max(0, Date.parse(String(view.settlement?.settledAt)) - Date.parse(String(view.executedAt)));
    const bounds = [1_000, 5_000, 30_000, 60_000, 300_000, 900_000, 3_600_000, 14_400_000, 86_400_000, null];
    const expectedBucket = bounds.find((bound) => bound === null || latency <= bound);
    const group = report.accounts.find((candidate: { accountId: string }) => candidate.accountId === account.id);
    expect(group.settlementLatency.histogram).toEqual(bounds.map((upToMs) => ({ upToMs, count: upToMs === expectedBucket ? 1 : 0 })));
    expect(report.settlementLatency.count).toBe(2);
    expect(report.settlementLatency.histogram.map((bucket: { upToMs: number | null }) => bucket.upToMs)).toEqual(bounds);
    expect(report.settlementLatency.histogram.reduce((sum: number, bucket: { count: number }) => sum + bucket.count, 0)).toBe(2);
    const histogramRows = csv
      .trimEnd()
      .split('\r\n')
      .map((line) => line.split(','))
      .filter((row) => row[0] === account.id && row[3] === 'settlement_latency_histogram');
    expect(histogramRows.map((row) => [row[5], row[6]])).toEqual(bounds.map((bound) => [bound === null ? 'gt_86400000' : `le_${bound}`, bound === expectedBucket ? '1' : '0']));
  });
});
