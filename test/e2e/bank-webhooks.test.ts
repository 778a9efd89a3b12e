import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningRuntime, startRuntime } from '../../infra/local/spawn-runtime';
import { connectAccount, idle, onboardTenant, positionOf, postBankWebhook, queueStats, type Tenant } from './scenario';

/** Bank webhook ingress: redelivery changes nothing, a rejected webhook stores nothing. */
describe('bank webhooks', () => {
  let runtime: RunningRuntime;
  let tenant: Tenant;

  beforeAll(async () => {
    runtime = await startRuntime();
    tenant = await onboardTenant(runtime);
  });
  afterAll(async () => {
    await runtime?.stop();
  });

  /** An open inbound payment and the booked credit its payer's bank would report. */
  const openPaymentWithCredit = async (amount: string) => {
    const account = await connectAccount(tenant, 'exact', '0.00');
    const payment = await tenant.post('/v1/payments', { accountId: account.id, direction: 'inbound', amount, currency: 'GBP' });
    expect(payment.status).toBe(201);
    const credit = {
      type: 'transactions',
      account: { sortCode: account.sortCode, accountNumber: account.accountNumber },
      transactions: [
        {
          transactionId: `bank-${String(payment.body.id)}`,
          status: 'booked',
          creditDebitIndicator: 'credit',
          amount,
          currency: 'GBP',
          bookingDateTime: new Date().toISOString(),
          reference: String(payment.body.reference),
          description: `J SMITH ${String(payment.body.reference)}`,
          counterparty: { name: 'J Smith' },
        },
      ],
    };
    return { account, paymentId: String(payment.body.id), credit };
  };

  const settledEventsFor = async (paymentId: string) => {
    const events = await tenant.get('/v1/events?type=payment.settled&limit=500');
    return (events.body.data as { data: { id: string } }[]).filter((event) => event.data.id === paymentId);
  };

  it('redelivered sequentially, the same transaction settles the payment once and moves cash once', async () => {
    // Prepare
    const { account, paymentId, credit } = await openPaymentWithCredit('250.00');
    // Act
    for (let delivery = 0; delivery < 3; delivery += 1) {
      const response = await postBankWebhook(runtime, credit);
      expect(response).toEqual({ status: 202, body: { received: 1 } });
      await idle(runtime);
    }
    // Assess
    const payment = (await tenant.get(`/v1/payments/${paymentId}`)).body;
    expect(payment).toMatchObject({ status: 'settled', settlement: { amountSettled: '250.00', overpaidBy: '0.00' } });
    expect(payment.settlement.transactionIds).toHaveLength(1);
    expect(await positionOf(tenant, account.id)).toMatchObject({ settledBalance: '250.00' });
    expect((await tenant.get(`/v1/accounts/${account.id}/transactions`)).body.data).toHaveLength(1);
    expect(await settledEventsFor(paymentId)).toHaveLength(1);
  });

  it('redelivered concurrently, the same transaction settles the payment once and moves cash once', async () => {
    const { account, paymentId, credit } = await openPaymentWithCredit('75.50');
    const responses = await Promise.all(Array.from({ length: 8 }, () => postBankWebhook(runtime, credit)));
    expect(responses.map((response) => response.status)).toEqual(Array(8).fill(202));
    await idle(runtime);

    const payment = (await tenant.get(`/v1/payments/${paymentId}`)).body;
    expect(payment).toMatchObject({ status: 'settled', settlement: { amountSettled: '75.50', overpaidBy: '0.00' } });
    expect(await positionOf(tenant, account.id)).toMatchObject({ settledBalance: '75.50' });
    expect((await tenant.get(`/v1/accounts/${account.id}/transactions`)).body.data).toHaveLength(1);
    expect(await settledEventsFor(paymentId)).toHaveLength(1);
  });

  it.each([
    ['a wrong secret', { secret: 'whsec_dGhpcyBpcyBub3QgdGhlIHNlY3JldCBhdCBhbGw=' }],
    ['a body changed after signing', { tamper: (body: string) => body.replace('"amount":"12.34"', '"amount":"99.99"') }],
    ['a timestamp 6 minutes old', { at: new Date(Date.now() - 6 * 60 * 1000) }],
    ['a timestamp 6 minutes ahead', { at: new Date(Date.now() + 6 * 60 * 1000) }],
  ])('refuses %s with 401 and stores and queues nothing', async (_, options) => {
    // Prepare
    const { account, paymentId, credit } = await openPaymentWithCredit('12.34');
    const queuedBefore = (await queueStats(runtime, 'settlements')).sent;
    // Act
    const response = await postBankWebhook(runtime, credit, options);
    await idle(runtime);
    // Assess
    expect(response).toMatchObject({ status: 401, body: { error: { code: 'unauthorized' } } });
    expect((await queueStats(runtime, 'settlements')).sent).toBe(queuedBefore);
    expect((await tenant.get(`/v1/accounts/${account.id}/transactions`)).body.data).toEqual([]);
    expect((await tenant.get(`/v1/payments/${paymentId}`)).body.status).toBe('authorisation_required');
    expect(await positionOf(tenant, account.id)).toMatchObject({ settledBalance: '0.00' });
  });

  it('answers a malformed webhook with 400 naming the field, and queues nothing', async () => {
    const { credit } = await openPaymentWithCredit('5.00');
    const queuedBefore = (await queueStats(runtime, 'settlements')).sent;
    const withNumberAmount = { ...credit, transactions: [{ ...credit.transactions[0], amount: 5 }] };
    const response = await postBankWebhook(runtime, withNumberAmount);
    expect(response).toMatchObject({ status: 400, body: { error: { code: 'validation_failed', details: [expect.objectContaining({ path: 'transactions.0.amount' })] } } });
    expect((await queueStats(runtime, 'settlements')).sent).toBe(queuedBefore);
  });
});
