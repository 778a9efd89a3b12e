import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningRuntime, startRuntime } from '../../infra/local/spawn-runtime';
import { connectAccount, idle, onboardTenant, positionOf, postBankWebhook, queueStats, type Tenant, validatedFetch } from './scenario';

interface QueuedMessage {
  readonly messageId: string;
  readonly body: string;
  readonly receiveCount: number;
}

/** Settlements: a poison message is dead-lettered alone, with its body intact, and a redrive replays it once. */
describe('dead letters on the settlements queue', () => {
  let runtime: RunningRuntime;
  let tenant: Tenant;

  beforeAll(async () => {
    // A short visibility timeout, so a failing message reaches its 5 receives in about a second.
    // WARN logging, so the consumer's "Message failed" lines (messageId, receive count) show in the runtime output.
    runtime = await startRuntime({ env: { SETTLED_LOCAL_VISIBILITY_TIMEOUT_MS: '200', POWERTOOLS_LOG_LEVEL: 'WARN' } });
    tenant = await onboardTenant(runtime);
  });
  afterAll(async () => {
    await runtime?.stop();
  });

  /** Enqueues a raw body, as SQS SendMessage would (local-only test injection). */
  const inject = async (queue: string, body: string) => {
    const response = await validatedFetch(`${runtime.url}/_local/queues/${queue}/messages`, { method: 'POST', body });
    expect(response.status).toBe(200);
    return String(((await response.json()) as Record<string, unknown>).messageId);
  };
  /** The receive counts at which the consumer reported this message failed, from its JSON log lines. */
  const failedReceives = (messageId: string) =>
    runtime
      .output()
      .split('\n')
      .filter((line) => line.startsWith('{') && line.includes(messageId))
      .map((line) => JSON.parse(line) as Record<string, unknown>)
      .filter((line) => line.message === 'Message failed; it will be retried')
      .map((line) => Number(line.receiveCount));
  const redrive = async (queue: string) => {
    const response = await validatedFetch(`${runtime.url}/_local/queues/${queue}/redrive`, { method: 'POST' });
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  };
  const deadLetters = async () => (await queueStats(runtime, 'settlements-dlq')).messages as QueuedMessage[];

  const openPayment = async (account: { id: string }, amount: string) => {
    const payment = await tenant.post('/v1/payments', { accountId: account.id, direction: 'inbound', amount, currency: 'GBP' });
    expect(payment.status).toBe(201);
    return { paymentId: String(payment.body.id), reference: String(payment.body.reference) };
  };
  const settledEventsFor = async (paymentId: string) => {
    const events = await tenant.get('/v1/events?type=payment.settled&limit=500');
    return (events.body.data as { data: { id: string } }[]).filter((event) => event.data.id === paymentId);
  };

  // Valid JSON, but not a settlement message: the consumer can never process it.
  const poison = JSON.stringify({ kind: 'transaction', transaction: { provider: 'sandbox', bankTransactionId: 'poison-1', amount: '12.00' } });

  it('dead-letters a poison message alone, body intact, while the valid credits around it settle', async () => {
    // Prepare
    const account = await connectAccount(tenant, 'exact', '0.00');
    const payment = await openPayment(account, '125.00');
    const credit = {
      type: 'transactions',
      account: { sortCode: account.sortCode, accountNumber: account.accountNumber },
      transactions: [
        {
          transactionId: `bank-${payment.paymentId}`,
          status: 'booked',
          creditDebitIndicator: 'credit',
          amount: '125.00',
          currency: 'GBP',
          bookingDateTime: new Date().toISOString(),
          reference: payment.reference,
          description: `J SMITH ${payment.reference}`,
          counterparty: { name: 'J Smith' },
        },
      ],
    };
    // Act
    const poisonId = await inject('settlements', poison);
    expect(await postBankWebhook(runtime, credit)).toEqual({ status: 202, body: { received: 1 } });
    await idle(runtime);
    // Assess
    const dead = await deadLetters();
    expect(dead).toHaveLength(1);
    expect(dead[0]?.body).toBe(poison);
    // Dead-lettered only once its receive count reached the queue's maxReceiveCount (5), not before.
    expect(failedReceives(poisonId)).toEqual([1, 2, 3, 4, 5]);
    const settlements = await queueStats(runtime, 'settlements');
    expect(settlements.messages).toEqual([]);
    expect(settlements.deadLettered).toBe(1);
    // Every message received is either processed (deleted) or dead-lettered: none is lost, none is kept.
    expect(settlements.sent).toBe(settlements.deleted + settlements.deadLettered);
    const settled = (await tenant.get(`/v1/payments/${payment.paymentId}`)).body;
    expect(settled).toMatchObject({ status: 'settled', settlement: { amountSettled: '125.00' } });
    expect(await positionOf(tenant, account.id)).toMatchObject({ settledBalance: '125.00' });
  });

  it('a redriven poison message fails its receives again and returns to the DLQ exactly once', async () => {
    // Prepare
    expect(await deadLetters()).toHaveLength(1);
    const before = await queueStats(runtime, 'settlements');
    // Act
    const redriven = await redrive('settlements-dlq');
    await idle(runtime);
    // Assess
    expect(redriven).toEqual({ status: 200, body: { moved: 1 } });
    const dead = await deadLetters();
    expect(dead.map((message) => message.body)).toEqual([poison]);
    const after = await queueStats(runtime, 'settlements');
    expect(after.sent - before.sent).toBe(1);
    expect(after.deadLettered - before.deadLettered).toBe(1);
    expect(after.deleted).toBe(before.deleted);
  });

  it('a valid transaction redriven from the DLQ settles its payment once and moves cash once', async () => {
    // Prepare: a valid message placed in the DLQ beside the poison one, as if it had failed while a dependency was down.
    const account = await connectAccount(tenant, 'exact', '0.00');
    const payment = await openPayment(account, '40.00');
    const message = JSON.stringify({
      kind: 'transaction',
      transaction: {
        provider: 'sandbox',
        sortCode: account.sortCode,
        accountNumber: account.accountNumber,
        bankTransactionId: `bank-${payment.paymentId}`,
        status: 'booked',
        creditDebitIndicator: 'credit',
        amount: 4_000,
        currency: 'GBP',
        bookingDateTime: new Date().toISOString(),
        valueDateTime: null,
        reference: payment.reference,
        description: null,
        endToEndId: null,
        counterparty: { name: 'J Smith' },
        merchant: null,
        category: null,
      },
    });
    await inject('settlements-dlq', message);
    expect((await deadLetters()).map((queued) => queued.body)).toEqual([poison, message]);
    const before = await queueStats(runtime, 'settlements');
    // Act
    const redriven = await redrive('settlements-dlq');
    await idle(runtime);
    // Assess
    expect(redriven).toEqual({ status: 200, body: { moved: 2 } });
    // The poison message is back in the DLQ, alone; the valid one was processed (deleted) once.
    expect((await deadLetters()).map((queued) => queued.body)).toEqual([poison]);
    const after = await queueStats(runtime, 'settlements');
    expect(after.deleted - before.deleted).toBe(1);
    expect(after.sent).toBe(after.deleted + after.deadLettered);
    const settled = (await tenant.get(`/v1/payments/${payment.paymentId}`)).body;
    expect(settled).toMatchObject({ status: 'settled', settlement: { amountSettled: '40.00', overpaidBy: '0.00' } });
    expect(settled.settlement.transactionIds).toHaveLength(1);
    expect(await positionOf(tenant, account.id)).toMatchObject({ settledBalance: '40.00' });
    expect((await tenant.get(`/v1/accounts/${account.id}/transactions`)).body.data).toHaveLength(1);
    expect(await settledEventsFor(payment.paymentId)).toHaveLength(1);
  });

  it('answers 404 to a redrive of a queue that does not exist or is not a DLQ', async () => {
    expect((await redrive('nothing-dlq')).status).toBe(404);
    expect((await redrive('settlements')).status).toBe(404);
    expect((await validatedFetch(`${runtime.url}/_local/queues/nothing/messages`, { method: 'POST', body: '{}' })).status).toBe(404);
  });
});
