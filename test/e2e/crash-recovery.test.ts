import { readFileSync } from 'node:fs';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { waitFor } from '../../infra/local/net';
import { isAlive, type RunningRuntime, startRuntime, tempDataDir } from '../../infra/local/spawn-runtime';
import { startCallbackReceiver } from './callback-receiver';
import { api, connectAccount, idle, onboardTenant, postBankWebhook, type Tenant, validatedFetch } from './scenario';

/**
 * DESIGN.md §10: what the local runtime accepted survives a crash (every process SIGKILLed at once) and a clean
 * stop mid-flight. Payments are in flight both ways: approved at the sandbox bank, whose booked credit waits as a
 * delayed message on its queue, and booked credits posted as signed bank webhooks, answered 202.
 */
const ENV = {
  SETTLED_CALLBACK_RETRY_SCALE: '0.2',
  SETTLED_TENANT_RATE_LIMIT_PER_SECOND: '100000',
  // The consumers' "Message failed" lines show in the output: a refused sandbox sender would log one.
  POWERTOOLS_LOG_LEVEL: 'WARN',
  // Longer than a handler takes on a busy machine, so nothing is received again (and dead-lettered) for slowness.
  SETTLED_LOCAL_VISIBILITY_TIMEOUT_MS: '5000',
};
/** Each test starts the runtime twice (DynamoDB Local's JVM included): slow on a busy machine. */
const TWO_STARTS_MS = 240_000;

const receiverPromise = startCallbackReceiver();
const started: RunningRuntime[] = [];
afterEach(async () => {
  for (const runtime of started.splice(0)) await runtime.stop();
});
afterAll(async () => {
  await (await receiverPromise).close();
});

const start = async (dataDir: string, settlementDelaySeconds: number) => {
  const runtime = await startRuntime({ dataDir, env: { ...ENV, SETTLED_SANDBOX_SETTLEMENT_DELAY_SECONDS: String(settlementDelaySeconds) } });
  started.push(runtime);
  return runtime;
};

/** Runs `work` over `items`, `concurrency` at a time, in order of the items. */
const inParallel = async <T, R>(items: readonly T[], concurrency: number, work: (item: T) => Promise<R>): Promise<R[]> => {
  const results: R[] = [];
  for (let from = 0; from < items.length; from += concurrency) results.push(...(await Promise.all(items.slice(from, from + concurrency).map(work))));
  return results;
};

/** A booked credit as the payer's bank reports it, naming the payment's reference. */
const bookedCredit = (account: { sortCode: string; accountNumber: string }, payment: { id: string; reference: string; amount: string }) => ({
  type: 'transactions',
  account: { sortCode: account.sortCode, accountNumber: account.accountNumber },
  transactions: [
    {
      transactionId: `bank-${payment.id}`,
      status: 'booked',
      creditDebitIndicator: 'credit',
      amount: payment.amount,
      currency: 'GBP',
      bookingDateTime: new Date().toISOString(),
      reference: payment.reference,
      description: `J SMITH ${payment.reference}`,
      counterparty: { name: 'J Smith' },
    },
  ],
});

/**
 * A tenant with a webhook endpoint, two empty accounts and `perKind` inbound payments of each kind in flight:
 * approved at the sandbox bank (account `approved`) and credited by a bank webhook answered 202 (account `credited`).
 */
const putPaymentsInFlight = async (runtime: RunningRuntime, perKind: number) => {
  const receiver = await receiverPromise;
  const tenant = await onboardTenant(runtime, `Crash ${perKind}`);
  expect((await tenant.post('/v1/webhook-endpoints', { url: receiver.url, events: ['payment.settled'] })).status).toBe(201);
  const approved = await connectAccount(tenant, 'exact', '0.00');
  const credited = await connectAccount(tenant, 'exact', '0.00');
  const amounts = Array.from({ length: perKind }, (_, index) => `${10 + index}.${String(index % 100).padStart(2, '0')}`);
  const create = (accountId: string) => async (amount: string) => {
    const created = await tenant.post('/v1/payments', { accountId, direction: 'inbound', amount, currency: 'GBP' });
    expect(created.status).toBe(201);
    return { id: String(created.body.id), reference: String(created.body.reference), amount, authorisationUrl: String(created.body.authorisationUrl) };
  };
  const toApprove = await inParallel(amounts, 8, create(approved.id));
  const toCredit = await inParallel(amounts, 8, create(credited.id));

  // Both kinds side by side, so both are in flight at the end.
  await inParallel([...amounts.keys()], 4, async (index) => {
    const [toApprovePayment, toCreditPayment] = [toApprove[index], toCredit[index]];
    if (toApprovePayment === undefined || toCreditPayment === undefined) throw new Error('payments missing');
    const [decision, webhook] = await Promise.all([
      validatedFetch(toApprovePayment.authorisationUrl, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"outcome":"approve"}' }),
      postBankWebhook(runtime, bookedCredit(credited, toCreditPayment)),
    ]);
    expect(decision.status, `${await decision.text()}\n${runtime.output().split('\n').filter((line) => line.includes('ERROR')).slice(-5).join('\n')}`).toBe(200);
    expect(webhook).toEqual({ status: 202, body: { received: 1 } });
  });
  const total = amounts.reduce((sum, amount) => sum + Math.round(Number(amount) * 100), 0);
  return { tenant, approved, credited, payments: [...toApprove, ...toCredit], balancePerAccount: (total / 100).toFixed(2) };
};

/** After a restart: every payment settled once, every transaction stored once, exact balances, every callback sent. */
const expectEverythingSettledOnce = async (runtime: RunningRuntime, inFlight: Awaited<ReturnType<typeof putPaymentsInFlight>>) => {
  const tenant = api(runtime.url, inFlight.tenant.apiKey);
  const receiver = await receiverPromise;
  await idle(runtime);

  for (const payment of inFlight.payments) {
    const stored = (await tenant.get(`/v1/payments/${payment.id}`)).body;
    expect(stored, payment.id).toMatchObject({ status: 'settled', settlement: { amountSettled: payment.amount, overpaidBy: '0.00' } });
    expect(stored.settlement.transactionIds, payment.id).toHaveLength(1);
  }
  for (const account of [inFlight.approved, inFlight.credited]) {
    const transactions = (await tenant.get(`/v1/accounts/${account.id}/transactions?limit=500`)).body.data as unknown[];
    expect(transactions).toHaveLength(inFlight.payments.length / 2);
  }
  const positions = (await tenant.get('/v1/cash-position')).body.positions as Record<string, string>[];
  expect(positions.find((position) => position.accountId === inFlight.approved.id)).toMatchObject({ settledBalance: inFlight.balancePerAccount });
  expect(positions.find((position) => position.accountId === inFlight.credited.id)).toMatchObject({ settledBalance: inFlight.balancePerAccount });

  const settledEvents = (await tenant.get('/v1/events?type=payment.settled&limit=500')).body.data as { id: string; data: { id: string } }[];
  const ids = new Set(inFlight.payments.map((payment) => payment.id));
  const ours = settledEvents.filter((event) => ids.has(event.data.id));
  expect(ours.map((event) => event.data.id).sort()).toEqual([...ids].sort()); // each payment settled exactly once

  // At least once: a callback sent just before the crash may come again, under the same webhook-id.
  const callbacks = new Map<string, string>();
  for (const callback of receiver.received) {
    if (callback.json.type === 'payment.settled' && ids.has(String(callback.json.data.id))) callbacks.set(callback.headers['webhook-id'] ?? '', String(callback.json.data.id));
  }
  expect([...callbacks.values()].sort()).toEqual([...ids].sort());
  expect([...callbacks.keys()].sort()).toEqual(ours.map((event) => event.id).sort());
};

/** SIGKILL to the runtime and every process below it (the DynamoDB Local watchdog and its java), all at once. */
const killEverything = async (runtime: RunningRuntime) => {
  const pids = [runtime.process.pid ?? 0, ...runtime.descendants()].filter((pid) => pid > 0);
  expect(pids.length).toBeGreaterThanOrEqual(3); // node, the watchdog, java
  for (const pid of pids) process.kill(pid, 'SIGKILL');
  await waitFor(
    async () => {
      const alive = pids.filter((pid) => isAlive(pid) && !isZombie(pid));
      if (alive.length > 0) throw new Error(`still alive: ${alive.join(', ')}`);
    },
    { timeoutMs: 10_000, what: 'every runtime process to die' },
  );
};

const isZombie = (pid: number): boolean => {
  try {
    return /^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
};

describe('crash recovery of the local runtime', () => {
  it('delivers every accepted message and event after every process is SIGKILLed mid-flight', async () => {
    // Prepare
    const dataDir = tempDataDir();
    // Every approved payment's booked credit is still a delayed message when the runtime goes down.
    const first = await start(dataDir, 3);
    const inFlight = await putPaymentsInFlight(first, 15);

    // Act
    await killEverything(first);
    const second = await start(dataDir, 3);

    // Assess
    await expectEverythingSettledOnce(second, inFlight);
    expect(second.output()).toMatch(/restored [1-9]\d* queue messages and \d+ events from the last run/);
  }, TWO_STARTS_MS);

  it('on SIGINT keeps serving the sandbox bank while it drains, and keeps what is not due for the next start', async () => {
    // Prepare
    const dataDir = tempDataDir();
    // Long enough that the booked credits are still held back when the drain ends, even on a busy machine.
    const first = await start(dataDir, 15);
    const inFlight = await putPaymentsInFlight(first, 6);

    // Act
    const exited = new Promise<number | null>((resolveExit) => first.process.once('exit', (code) => resolveExit(code)));
    first.process.kill('SIGINT');
    expect(await exited).toBe(0);
    const second = await start(dataDir, 15);

    // Assess
    const kept = /stopped: (\d+) queue messages and (\d+) events kept for the next start/.exec(first.output());
    expect(kept, first.output().slice(-3000)).not.toBeNull();
    expect(Number(kept?.[1])).toBeGreaterThanOrEqual(6); // at least the booked credits the sandbox bank still holds back
    // Refused, the sender logs its failure (handlers share one logger, so its lines may carry another function's name).
    const refusedSends = first
      .output()
      .split('\n')
      .filter((line) => /queue sandbox-bank:|Bank webhook endpoint answered|ECONNREFUSED|fetch failed/.test(line));
    expect(refusedSends).toEqual([]);
    // What the log said was kept is what the next start found.
    expect(second.output()).toContain(`restored ${kept?.[1]} queue messages and ${kept?.[2]} events from the last run`);
    await expectEverythingSettledOnce(second, inFlight);
  }, TWO_STARTS_MS);
});
