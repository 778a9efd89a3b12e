import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as v from 'valibot';
import { type RunningRuntime, startRuntime } from '../../infra/local/spawn-runtime';
import { startCallbackReceiver } from './callback-receiver';
import { COLD_CACHE_READS, ENDPOINT_CACHE_READS, PAYMENT_CREATE_REQUEST_BUDGET, SETTLEMENT_REQUEST_BUDGET } from './request-budget';
import { connectAccount, eventually, idle, onboardTenant, postBankWebhook, type Tenant, validatedFetch } from './scenario';

const SETTLEMENTS = 5;
/** What a booked credit for an executed payment must tell the tenant. */
const EXPECTED_CALLBACKS = ['transaction.received', 'payment.settled', 'cash_position.updated'];

const StatsSchema = v.object({ dynamodb: v.object({ total: v.number(), byFunction: v.record(v.string(), v.number()) }) });

/**
 * Issue 11's request budgets, counted by the local runtime's DynamoDB request counter (GET /_local/stats), never by
 * a timer: one executed payment settled by one booked credit, one endpoint subscribed to every event; and creating a
 * payment. Budgets: test/e2e/request-budget.ts.
 */
describe('request budget', () => {
  let runtime: RunningRuntime;
  let tenant: Tenant;
  let receiver: Awaited<ReturnType<typeof startCallbackReceiver>>;
  let account: Awaited<ReturnType<typeof connectAccount>>;

  const stats = async () => v.parse(StatsSchema, await (await validatedFetch(`${runtime.url}/_local/stats`)).json());
  /** Requests made between two readings, and those made by one function. */
  const spent = (before: v.InferOutput<typeof StatsSchema>, after: v.InferOutput<typeof StatsSchema>, fn?: string) =>
    fn === undefined
      ? after.dynamodb.total - before.dynamodb.total
      : Object.entries(after.dynamodb.byFunction)
          .filter(([key]) => key.startsWith(`${fn}.`))
          .reduce((sum, [key, count]) => sum + count - (before.dynamodb.byFunction[key] ?? 0), 0);

  beforeAll(async () => {
    // The periodic bank sync would read the table in the middle of a measurement: off.
    [runtime, receiver] = await Promise.all([startRuntime({ env: { SETTLED_BANK_SYNC_INTERVAL_SECONDS: '0' } }), startCallbackReceiver()]);
    tenant = await onboardTenant(runtime);
    expect((await tenant.post('/v1/webhook-endpoints', { url: receiver.url })).status).toBe(201); // every event
    account = await connectAccount(tenant, 'exact', '0.00');
  });
  afterAll(async () => {
    await receiver?.close();
    await runtime?.stop();
  });

  it(`creates a payment with at most ${PAYMENT_CREATE_REQUEST_BUDGET} DynamoDB requests`, async () => {
    await idle(runtime);
    const counts: number[] = [];
    for (let i = 0; i < SETTLEMENTS; i += 1) {
      const before = await stats();
      const created = await tenant.post('/v1/payments', { accountId: account.id, direction: 'inbound', amount: `${20 + i}.00`, currency: 'GBP' });
      expect(created.status).toBe(201);
      counts.push(spent(before, await stats(), 'payments-api'));
    }
    // The first call of a function instance on an account reads what it then keeps for a few seconds (the account).
    const [cold = Number.POSITIVE_INFINITY, ...warm] = counts;
    expect(Math.max(...warm), `requests per POST /v1/payments: ${counts.join(', ')}`).toBeLessThanOrEqual(PAYMENT_CREATE_REQUEST_BUDGET);
    expect(cold, `requests per POST /v1/payments: ${counts.join(', ')}`).toBeLessThanOrEqual(PAYMENT_CREATE_REQUEST_BUDGET + COLD_CACHE_READS);
  });

  it(`settles an executed payment with at most ${SETTLEMENT_REQUEST_BUDGET} DynamoDB requests, every callback delivered`, async () => {
    // Prepare: executed payments (a signed sandbox payment status webhook; the sandbox bank books no credit itself).
    const payments: { id: string; reference: string; amount: string }[] = [];
    for (let i = 0; i < SETTLEMENTS; i += 1) {
      const amount = `${40 + i}.25`;
      const created = await tenant.post('/v1/payments', { accountId: account.id, direction: 'inbound', amount, currency: 'GBP' });
      expect(created.status).toBe(201);
      const bankPaymentId = String(created.body.authorisationUrl).split('/').at(-1);
      const executed = await postBankWebhook(runtime, { type: 'payment_status', bankPaymentId, status: 'executed', at: new Date().toISOString() });
      expect(executed.status).toBe(202);
      payments.push({ id: String(created.body.id), reference: String(created.body.reference), amount });
    }
    await idle(runtime);
    for (const payment of payments) expect((await tenant.get(`/v1/payments/${payment.id}`)).body.status).toBe('executed');

    // Act: one credit at a time, each measured from the webhook in to its callbacks delivered.
    const counts: number[] = [];
    for (const payment of payments) {
      const from = receiver.received.length;
      const before = await stats();
      const credit = await postBankWebhook(runtime, {
        type: 'transactions',
        account: { sortCode: account.sortCode, accountNumber: account.accountNumber },
        transactions: [
          {
            transactionId: `budget-${payment.id}`,
            status: 'booked',
            creditDebitIndicator: 'credit',
            amount: payment.amount,
            currency: 'GBP',
            bookingDateTime: new Date().toISOString(),
            reference: payment.reference,
          },
        ],
      });
      expect(credit.status).toBe(202);
      await idle(runtime);
      const types = await eventually(
        async () => {
          const arrived = receiver.received.slice(from).map((callback) => callback.json.type);
          return EXPECTED_CALLBACKS.every((type) => arrived.includes(type)) ? arrived : undefined;
        },
        20_000,
        `the callbacks of ${payment.id}'s settlement`,
      );
      await idle(runtime);
      counts.push(spent(before, await stats()));
      // Assess: each expected callback, the settled one for this payment.
      for (const type of EXPECTED_CALLBACKS) expect(types, `callbacks for ${payment.id}`).toContain(type);
      expect(receiver.received.slice(from).some((callback) => callback.json.type === 'payment.settled' && callback.json.data.id === payment.id)).toBe(true);
    }
    // The first settlement on an account reads which connected accounts it is; the next ones find it remembered. The
    // tenant's endpoints are remembered for 5 s by tenant-callbacks and callback-deliverer each: a settlement that
    // comes after a slow one may read them again (one Query each), so the typical settlement is held to the budget.
    const [cold = Number.POSITIVE_INFINITY, ...warm] = counts;
    const typical = [...warm].sort((a, b) => a - b)[Math.floor((warm.length - 1) / 2)] ?? Number.POSITIVE_INFINITY;
    expect(typical, `requests per settlement: ${counts.join(', ')}`).toBeLessThanOrEqual(SETTLEMENT_REQUEST_BUDGET);
    expect(Math.max(...warm), `requests per settlement: ${counts.join(', ')}`).toBeLessThanOrEqual(SETTLEMENT_REQUEST_BUDGET + ENDPOINT_CACHE_READS);
    expect(cold, `requests per settlement: ${counts.join(', ')}`).toBeLessThanOrEqual(SETTLEMENT_REQUEST_BUDGET + COLD_CACHE_READS + ENDPOINT_CACHE_READS);
  }, 120_000);
});
