/**
 * `npm run bench:settlement` (first in `npm run bench`): what one settlement costs and how many the local runtime
 * does a second — one booked credit settling one open, executed payment, from the bank webhook in to the callbacks
 * delivered, with one endpoint subscribed to every event (issue 11).
 *
 * One in-memory runtime (sandbox settlement delay 0, the tenant rate limit lifted, the scheduled bank sync off), one
 * tenant, one `exact` sandbox account, one callback receiver. Payments are prepared before each phase: created, then
 * moved to executed by a signed sandbox `payment_status` webhook (the sandbox bank books no credit of its own), then
 * the runtime is let go idle. Every credit is a signed sandbox `transactions` webhook, as a bank posts it. Phases:
 *   a. per settlement   BENCH_SETTLEMENT_SEQUENTIAL (20) credits one at a time: DynamoDB requests by command and by
 *                       function, items, SQS sends, EventBridge entries, Lambda invocations and callbacks by type.
 *   b. burst            BENCH_SETTLEMENT_BURST (1000) credits, 25 requests in flight: settlements/s from the first
 *                       post to the last payment.settled callback; every payment settled once, the balance exact.
 *   c. closed loop      BENCH_CLOSED_CLIENTS (25) clients each sending a credit and waiting for its payment.settled
 *                       callback, for BENCH_CLOSED_SECONDS (30): webhook→callback p50/p99.
 *   d. POST /v1/payments open loop, one every 1000/BENCH_PAYMENTS_RATE (50) ms for BENCH_PAYMENTS_SECONDS (20),
 *                       each timed from when it was due: p50/p99, non-201s, DynamoDB requests per call.
 *   e. cost per million settlements at AWS list prices (bench/cost.ts), from phase a's counts (and the burst's).
 * Prints a table on stderr and the JSON on stdout, writes bench/results/settlement.json; exits 1 if a payment is not
 * settled exactly once, a callback is missing or the settled balance is not the opening balance plus the credits.
 */
import { randomUUID } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { Webhook } from 'standardwebhooks';
import * as v from 'valibot';
import { startCallbackReceiver } from '../test/e2e/callback-receiver';
import { api, startRuntime } from '../infra/local/spawn-runtime';
import { type FunctionName, functions, queues } from '../infra/topology';
import { costOf, DEFAULT_ASSUMPTIONS, LONDON_LIST_PRICES, type RequestCounts } from './cost';
import { openLoop, percentile, phases, round, sleep } from './support';

const SEQUENTIAL = Number(process.env.BENCH_SETTLEMENT_SEQUENTIAL ?? 20);
const BURST = Number(process.env.BENCH_SETTLEMENT_BURST ?? 1000);
const BURST_IN_FLIGHT = Number(process.env.BENCH_SETTLEMENT_IN_FLIGHT ?? 25);
const CLOSED_CLIENTS = Number(process.env.BENCH_CLOSED_CLIENTS ?? 25);
const CLOSED_SECONDS = Number(process.env.BENCH_CLOSED_SECONDS ?? 30);
const PAYMENTS_RATE = Number(process.env.BENCH_PAYMENTS_RATE ?? 50);
const PAYMENTS_SECONDS = Number(process.env.BENCH_PAYMENTS_SECONDS ?? 20);
const OPENING_MINOR = 100_000;
const SORT_CODE = '040004';
const ACCOUNT_NUMBER = '87654321';
/** The callbacks a credit for an executed payment must produce, one each. */
const EXPECTED_CALLBACKS = ['transaction.received', 'payment.settled', 'cash_position.updated'];

const Counts = v.record(v.string(), v.number());
const StatsSchema = v.object({
  dynamodb: v.object({ total: v.number(), byCommand: Counts, byFunction: Counts, items: Counts, consistentReads: Counts }),
  sqs: v.object({ sendMessage: v.number(), sendMessageBatch: v.number(), sendMessageBatchEntries: v.number() }),
  eventBridge: v.object({ putEventsCalls: v.number(), entries: v.number() }),
  lambda: v.object({ invocations: v.record(v.string(), v.object({ count: v.number(), ms: v.number() })) }),
});
type Stats = v.InferOutput<typeof StatsSchema>;
const Summary = v.object({ n: v.number(), p50: v.number(), p99: v.number(), max: v.number() });
/** POST /_local/latency: event-loop delay and queue / event-bus hop waits since the previous read. */
const LatencySchema = v.object({
  eventLoopDelayMs: v.object({ ...Summary.entries, mean: v.number() }),
  hopsMs: v.record(v.string(), Summary),
});
type Latency = v.InferOutput<typeof LatencySchema>;
const PaymentSchema = v.object({
  status: v.string(),
  settlement: v.nullish(v.object({ transactionIds: v.array(v.string()), amountSettled: v.string() })),
});
const CashPositionSchema = v.object({ positions: v.array(v.object({ accountId: v.string(), settledBalance: v.string() })) });

/** `after − before` for every key, zeros dropped. */
const delta = (before: Record<string, number>, after: Record<string, number>): Record<string, number> =>
  Object.fromEntries(
    Object.entries(after)
      .map(([key, value]): [string, number] => [key, value - (before[key] ?? 0)])
      .filter(([, value]) => value !== 0)
      .sort(([a], [b]) => a.localeCompare(b)),
  );
const scaled = (counts: Record<string, number>, divisor: number) => Object.fromEntries(Object.entries(counts).map(([key, value]) => [key, round(value / divisor, 2)]));
const sum = (counts: Record<string, number>) => Object.values(counts).reduce((total, value) => total + value, 0);

/** What happened between two stats readings. */
const statsDelta = (before: Stats, after: Stats) => ({
  dynamodb: {
    total: after.dynamodb.total - before.dynamodb.total,
    byCommand: delta(
      Object.fromEntries(Object.entries(before.dynamodb.byCommand).map(([key, value]) => [key.replace(/Command$/, ''), value])),
      Object.fromEntries(Object.entries(after.dynamodb.byCommand).map(([key, value]) => [key.replace(/Command$/, ''), value])),
    ),
    byFunction: delta(before.dynamodb.byFunction, after.dynamodb.byFunction),
    items: delta(before.dynamodb.items, after.dynamodb.items),
    consistentReads: delta(before.dynamodb.consistentReads, after.dynamodb.consistentReads),
  },
  sqs: delta(before.sqs, after.sqs),
  eventBridge: delta(before.eventBridge, after.eventBridge),
  lambdaInvocations: delta(
    Object.fromEntries(Object.entries(before.lambda.invocations).map(([key, value]) => [key, value.count])),
    Object.fromEntries(Object.entries(after.lambda.invocations).map(([key, value]) => [key, value.count])),
  ),
  lambdaMs: delta(
    Object.fromEntries(Object.entries(before.lambda.invocations).map(([key, value]) => [key, value.ms])),
    Object.fromEntries(Object.entries(after.lambda.invocations).map(([key, value]) => [key, value.ms])),
  ),
});
type StatsDelta = ReturnType<typeof statsDelta>;

const isFunctionName = (name: string): name is FunctionName => Object.hasOwn(functions, name);
const consumers = new Set<string>(Object.values(queues).map((queue) => queue.consumer));

/** The counts bench/cost.ts prices, for `settlements` settlements' worth of `d`, per settlement. */
const requestCountsOf = (d: StatsDelta, settlements: number): RequestCounts => {
  const byCommand = new Map<string, { requests: number; items: number; consistentReads: number }>();
  for (const [key, requests] of Object.entries(d.dynamodb.byFunction)) {
    const command = key.slice(key.lastIndexOf('.') + 1);
    const entry = byCommand.get(command) ?? { requests: 0, items: 0, consistentReads: 0 };
    byCommand.set(command, {
      requests: entry.requests + requests,
      items: entry.items + (d.dynamodb.items[key] ?? requests),
      consistentReads: entry.consistentReads + (d.dynamodb.consistentReads[key] ?? 0),
    });
  }
  return {
    dynamodb: [...byCommand].map(([command, count]) => ({
      command,
      requests: count.requests / settlements,
      items: count.items / settlements,
      consistentReads: count.consistentReads / settlements,
    })),
    lambda: Object.entries(d.lambdaInvocations).map(([name, invocations]) => {
      if (!isFunctionName(name)) throw new Error(`Unknown function ${name} in the runtime's stats`);
      return { function: name, invocations: invocations / settlements, memoryMb: functions[name].memoryMb };
    }),
    sqsSendRequests: ((d.sqs.sendMessage ?? 0) + (d.sqs.sendMessageBatch ?? 0)) / settlements,
    sqsConsumedBatches: Object.entries(d.lambdaInvocations).reduce((total, [name, count]) => total + (consumers.has(name) ? count : 0), 0) / settlements,
    eventBridgeEntries: (d.eventBridge.entries ?? 0) / settlements,
  };
};

const money = (minor: number) => `${Math.floor(minor / 100)}.${String(minor % 100).padStart(2, '0')}`;
const latency = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  return { n: sorted.length, p50: percentile(sorted, 50), p99: percentile(sorted, 99), max: sorted.at(-1) ?? Number.NaN };
};

/** Runs `work` over `items` with `inFlight` at a time. */
const inParallel = async <T>(items: readonly T[], inFlight: number, work: (item: T, index: number) => Promise<void>) => {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(inFlight, items.length) }, async () => {
      for (let index = next++; index < items.length; index = next++) await work(items[index] as T, index);
    }),
  );
};

interface Prepared {
  readonly id: string;
  readonly reference: string;
  readonly amountMinor: number;
}

const main = async () => {
  const { phase, started } = phases();
  // Other work on the machine moves every figure here: the load average before and after says how much there was.
  const loadAtStart = loadavg().map((value) => round(value, 2));
  const failures: string[] = [];
  const runtime = await startRuntime({
    env: {
      SETTLED_SANDBOX_SETTLEMENT_DELAY_SECONDS: '0',
      POWERTOOLS_LOG_LEVEL: 'ERROR',
      // The pipeline is measured, not the per-tenant rate limit (its own tests cover it), nor the periodic bank sync.
      SETTLED_TENANT_RATE_LIMIT_PER_SECOND: '100000',
      SETTLED_BANK_SYNC_INTERVAL_SECONDS: '0',
    },
  });
  const receiver = await startCallbackReceiver();
  const webhook = new Webhook(runtime.sandboxWebhookSecret);

  // Every callback as it arrives: payment.settled ones by payment id (with the time), others only counted.
  const settledAt = new Map<string, number>();
  const settledCount = new Map<string, number>();
  const waiting = new Map<string, () => void>();
  let seen = 0;
  const watcher = setInterval(() => {
    for (; seen < receiver.received.length; seen += 1) {
      const callback = receiver.received[seen];
      if (callback?.json.type !== 'payment.settled') continue;
      const id = String(callback.json.data.id);
      settledCount.set(id, (settledCount.get(id) ?? 0) + 1);
      if (!settledAt.has(id)) settledAt.set(id, Date.now());
      waiting.get(id)?.();
    }
  }, 2);
  const settledCallback = (id: string, timeoutMs = 60_000) =>
    new Promise<number>((resolveWait, reject) => {
      const at = settledAt.get(id);
      if (at !== undefined) return resolveWait(at);
      const timer = setTimeout(() => {
        waiting.delete(id);
        reject(new Error(`no payment.settled callback for ${id} within ${timeoutMs} ms`));
      }, timeoutMs);
      waiting.set(id, () => {
        clearTimeout(timer);
        waiting.delete(id);
        resolveWait(settledAt.get(id) ?? Date.now());
      });
    });

  const stats = async (): Promise<Stats> => v.parse(StatsSchema, await (await fetch(`${runtime.url}/_local/stats`)).json());
  /** Where the runtime's wall time went since the previous call: read at the start and the end of each timed phase. */
  const latencySince = async (): Promise<Latency> => v.parse(LatencySchema, await (await fetch(`${runtime.url}/_local/latency`, { method: 'POST' })).json());
  const idle = async () => {
    for (let attempt = 0; attempt < 10; attempt += 1) {
      if ((await fetch(`${runtime.url}/_local/idle`, { method: 'POST' })).status === 200) return;
    }
    throw new Error('the runtime never went idle');
  };
  const postSandboxWebhook = async (payload: unknown): Promise<number> => {
    const body = JSON.stringify(payload);
    const id = `msg_${randomUUID()}`;
    const now = new Date();
    const response = await fetch(`${runtime.url}/v1/bank-webhooks/sandbox`, {
      method: 'POST',
      body,
      headers: {
        'content-type': 'application/json',
        'webhook-id': id,
        'webhook-timestamp': String(Math.floor(now.getTime() / 1000)),
        'webhook-signature': webhook.sign(id, now, body),
      },
    });
    await response.arrayBuffer();
    return response.status;
  };
  let credited = 0;
  const creditedMinor = { total: 0 };
  const postCredit = async (payment: Prepared) => {
    credited += 1;
    const status = await postSandboxWebhook({
      type: 'transactions',
      account: { sortCode: SORT_CODE, accountNumber: ACCOUNT_NUMBER },
      transactions: [
        {
          transactionId: `bench-${payment.id}`,
          status: 'booked',
          creditDebitIndicator: 'credit',
          amount: money(payment.amountMinor),
          currency: 'GBP',
          bookingDateTime: new Date().toISOString(),
          reference: payment.reference,
        },
      ],
    });
    if (status !== 202) throw new Error(`credit for ${payment.id}: ${status}`);
    creditedMinor.total += payment.amountMinor;
  };

  try {
    const created = await api(runtime.url, runtime.adminToken).post('/v1/admin/tenants', { name: 'Bench' });
    const apiKey = String(created.body.apiKey);
    const client = api(runtime.url, apiKey);
    const post = (path: string, body: unknown) => client.post(path, body, { 'idempotency-key': randomUUID() });
    const endpoint = await post('/v1/webhook-endpoints', { url: receiver.url }); // no `events`: every event
    if (endpoint.status !== 201) throw new Error(`webhook endpoint: ${endpoint.status} ${JSON.stringify(endpoint.body)}`);
    const account = await post('/v1/accounts', {
      provider: 'sandbox', name: 'Bench Ltd', sortCode: SORT_CODE, accountNumber: ACCOUNT_NUMBER, currency: 'GBP', sandboxProfile: 'exact', openingBalance: money(OPENING_MINOR),
    });
    if (account.status !== 201) throw new Error(`account: ${account.status} ${JSON.stringify(account.body)}`);
    const accountId = String(account.body.id);

    /** `count` open inbound payments, executed at the (sandbox) bank, the runtime idle again. */
    let prepared = 0;
    const prepare = async (count: number): Promise<Prepared[]> => {
      const payments: Prepared[] = [];
      await inParallel(Array.from({ length: count }, (_, i) => i), 10, async () => {
        const amountMinor = 1_000 + (prepared++ % 9_000);
        const payment = await post('/v1/payments', { accountId, direction: 'inbound', amount: money(amountMinor), currency: 'GBP' });
        if (payment.status !== 201) throw new Error(`preparing a payment: ${payment.status} ${JSON.stringify(payment.body)}`);
        // The sandbox bank's payment id is the last segment of its authorisation link.
        const bankPaymentId = String(payment.body.authorisationUrl).split('/').at(-1);
        const status = await postSandboxWebhook({ type: 'payment_status', bankPaymentId, status: 'executed', at: new Date().toISOString() });
        if (status !== 202) throw new Error(`executing ${String(payment.body.id)}: ${status}`);
        payments.push({ id: String(payment.body.id), reference: String(payment.body.reference), amountMinor });
      });
      await idle();
      return payments;
    };
    /** Every payment settled exactly once for its amount, by one transaction, with one payment.settled callback. */
    const checkSettledOnce = async (payments: readonly Prepared[], what: string) => {
      await inParallel(payments, 25, async (payment) => {
        const current = v.parse(PaymentSchema, (await client.get(`/v1/payments/${payment.id}`)).body);
        const settlement = current.settlement;
        if (current.status !== 'settled' || settlement?.transactionIds.length !== 1 || settlement.amountSettled !== money(payment.amountMinor)) {
          failures.push(`${what}: ${payment.id} is ${current.status} with ${String(settlement?.amountSettled)} from ${String(settlement?.transactionIds.length)} transactions`);
        }
        const callbacks = settledCount.get(payment.id) ?? 0;
        if (callbacks !== 1) failures.push(`${what}: ${payment.id} had ${callbacks} payment.settled callbacks`);
      });
    };
    const checkBalance = async (what: string) => {
      const { positions } = v.parse(CashPositionSchema, (await client.get('/v1/cash-position')).body);
      const position = positions.find((candidate) => candidate.accountId === accountId);
      const expected = money(OPENING_MINOR + creditedMinor.total);
      if (position?.settledBalance !== expected) failures.push(`${what}: settled balance ${String(position?.settledBalance)}, expected ${expected}`);
      return { settledBalance: position?.settledBalance ?? null, expected };
    };

    // a. One settlement at a time.
    phase(`a. preparing ${SEQUENTIAL} executed payments`);
    const sequential = await prepare(SEQUENTIAL);
    phase(`a. ${SEQUENTIAL} settlements one at a time`);
    const perSettlement: StatsDelta[] = [];
    const callbackTypes: Record<string, number> = {};
    for (const payment of sequential) {
      const before = await stats();
      const from = receiver.received.length;
      await postCredit(payment);
      await settledCallback(payment.id);
      await idle();
      perSettlement.push(statsDelta(before, await stats()));
      const types = receiver.received.slice(from).map((callback) => callback.json.type);
      for (const type of types) callbackTypes[type] = (callbackTypes[type] ?? 0) + 1;
      for (const type of EXPECTED_CALLBACKS) if (!types.includes(type)) failures.push(`a: no ${type} callback for ${payment.id}`);
    }
    const first = await stats();
    // Sum of the per-settlement deltas, as one delta.
    const total = perSettlement.reduce(
      (acc, d) => ({
        dynamodb: {
          total: acc.dynamodb.total + d.dynamodb.total,
          byCommand: addCounts(acc.dynamodb.byCommand, d.dynamodb.byCommand),
          byFunction: addCounts(acc.dynamodb.byFunction, d.dynamodb.byFunction),
          items: addCounts(acc.dynamodb.items, d.dynamodb.items),
          consistentReads: addCounts(acc.dynamodb.consistentReads, d.dynamodb.consistentReads),
        },
        sqs: addCounts(acc.sqs, d.sqs),
        eventBridge: addCounts(acc.eventBridge, d.eventBridge),
        lambdaInvocations: addCounts(acc.lambdaInvocations, d.lambdaInvocations),
        lambdaMs: addCounts(acc.lambdaMs, d.lambdaMs),
      }),
      statsDelta(first, first),
    );
    const n = Math.max(1, perSettlement.length);
    const sequentialCounts = requestCountsOf(total, n);
    await checkSettledOnce(sequential, 'a');

    // b. Burst.
    phase(`b. preparing ${BURST} executed payments`);
    const burst = await prepare(BURST);
    const burstBefore = await stats();
    await latencySince();
    phase(`b. ${BURST} credits, ${BURST_IN_FLIGHT} in flight`);
    const burstStarted = Date.now();
    await inParallel(burst, BURST_IN_FLIGHT, postCredit);
    const postedMs = Date.now() - burstStarted;
    const burstSettled = await Promise.allSettled(burst.map((payment) => settledCallback(payment.id, 300_000)));
    const lastSettled = Math.max(...burstSettled.map((outcome) => (outcome.status === 'fulfilled' ? outcome.value : 0)));
    const burstLatency = await latencySince();
    const burstMissing = burstSettled.filter((outcome) => outcome.status === 'rejected').length;
    if (burstMissing > 0) failures.push(`b: ${burstMissing} payment.settled callbacks missing`);
    await idle();
    const burstDelta = statsDelta(burstBefore, await stats());
    const burstSeconds = (lastSettled - burstStarted) / 1000;
    phase('b. checking every payment settled once and the balance');
    await checkSettledOnce(burst, 'b');
    const balanceAfterBurst = await checkBalance('b');

    // c. Closed loop: the pool sized from the burst's rate (a closed loop cannot settle faster than a backlog drains).
    const burstRate = (BURST - burstMissing) / Math.max(0.001, burstSeconds);
    const poolSize = Math.ceil(burstRate * CLOSED_SECONDS * 1.3) + CLOSED_CLIENTS * 4;
    phase(`c. preparing ${poolSize} executed payments`);
    const pool = await prepare(poolSize);
    phase(`c. ${CLOSED_CLIENTS} clients in a closed loop for ${CLOSED_SECONDS} s`);
    await latencySince();
    const closedLatency: number[] = [];
    const closedUsed: Prepared[] = [];
    let poolNext = 0;
    const closedStarted = Date.now();
    const closedEnd = closedStarted + CLOSED_SECONDS * 1000;
    await Promise.all(
      Array.from({ length: CLOSED_CLIENTS }, async () => {
        while (Date.now() < closedEnd) {
          const payment = pool[poolNext++];
          if (payment === undefined) return;
          closedUsed.push(payment);
          const sentAt = Date.now();
          await postCredit(payment);
          try {
            closedLatency.push((await settledCallback(payment.id)) - sentAt);
          } catch (error) {
            failures.push(`c: ${error instanceof Error ? error.message : String(error)}`);
          }
        }
      }),
    );
    const closedSeconds = (Date.now() - closedStarted) / 1000;
    const closedLoopLatency = await latencySince();
    const poolExhausted = poolNext >= pool.length;
    await idle();
    phase('c. checking');
    await checkSettledOnce(closedUsed, 'c');
    const balanceAfterClosed = await checkBalance('c');

    // d. POST /v1/payments, open loop, nothing else running.
    phase(`d. POST /v1/payments at ${PAYMENTS_RATE}/s for ${PAYMENTS_SECONDS} s`);
    await idle();
    const paymentsBefore = await stats();
    await latencySince();
    const paymentStatuses: Record<string, number> = {};
    // A steady 50 a second (one every 20 ms), timed from when each was due (bench/support.ts `openLoop`).
    const paymentsResult = await openLoop({
      rate: PAYMENTS_RATE,
      seconds: PAYMENTS_SECONDS,
      send: async () => {
        const response = await fetch(`${runtime.url}/v1/payments`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${apiKey}`, 'idempotency-key': randomUUID() },
          body: JSON.stringify({ accountId, direction: 'inbound', amount: '12.34', currency: 'GBP' }),
        });
        await response.arrayBuffer();
        paymentStatuses[response.status] = (paymentStatuses[response.status] ?? 0) + 1;
      },
    });
    const paymentsSent = paymentsResult.results.length;
    const paymentsLatency = await latencySince();
    await idle();
    const paymentsDelta = statsDelta(paymentsBefore, await stats());
    const answered = sum(paymentStatuses);
    // Per call the API served (the idle wait above lets every one finish).
    const served = Math.max(1, paymentsDelta.lambdaInvocations['payments-api'] ?? 0);
    const apiOnly = Object.fromEntries(
      Object.entries(paymentsDelta.dynamodb.byFunction)
        .filter(([key]) => key.startsWith('payments-api.'))
        .map(([key, value]) => [key.slice('payments-api.'.length), value]),
    );

    // e. Cost.
    const perMillion = costOf(sequentialCounts, 1e6);
    const perMillionInBurst = costOf(requestCountsOf(burstDelta, BURST), 1e6);
    const dollars = (cost: typeof perMillion) => ({
      total: round(cost.total, 2),
      lambda: round(cost.lambda, 2),
      sqs: round(cost.sqs, 2),
      eventBridge: round(cost.eventBridge, 2),
      dynamoDb: round(cost.dynamoDb, 2),
      units: Object.fromEntries(Object.entries(cost.units).map(([key, value]) => [key, Math.round(value)])),
    });

    const report = {
      date: new Date().toISOString(),
      machine: `${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}`,
      loadAverage: { atStart: loadAtStart, atEnd: loadavg().map((value) => round(value, 2)) },
      command: `BENCH_SETTLEMENT_SEQUENTIAL=${SEQUENTIAL} BENCH_SETTLEMENT_BURST=${BURST} BENCH_CLOSED_CLIENTS=${CLOSED_CLIENTS} BENCH_CLOSED_SECONDS=${CLOSED_SECONDS} BENCH_PAYMENTS_RATE=${PAYMENTS_RATE} BENCH_PAYMENTS_SECONDS=${PAYMENTS_SECONDS} npm run bench:settlement`,
      path: 'one booked credit settling one open executed payment, bank webhook in to callbacks delivered, one endpoint subscribed to every event',
      perSettlement: {
        settlements: perSettlement.length,
        dynamoDbRequests: round(total.dynamodb.total / n, 2),
        byCommand: scaled(total.dynamodb.byCommand, n),
        byFunction: scaled(total.dynamodb.byFunction, n),
        items: scaled(total.dynamodb.items, n),
        consistentReads: scaled(total.dynamodb.consistentReads, n),
        sqs: scaled(total.sqs, n),
        eventBridge: scaled(total.eventBridge, n),
        lambdaInvocations: scaled(total.lambdaInvocations, n),
        callbacks: scaled(callbackTypes, n),
        range: { min: Math.min(...perSettlement.map((d) => d.dynamodb.total)), max: Math.max(...perSettlement.map((d) => d.dynamodb.total)) },
      },
      burst: {
        payments: BURST,
        inFlight: BURST_IN_FLIGHT,
        settlementsPerSecond: round(burstRate, 1),
        seconds: round(burstSeconds, 2),
        postedSeconds: round(postedMs / 1000, 2),
        missingCallbacks: burstMissing,
        dynamoDbRequestsPerSettlement: round(burstDelta.dynamodb.total / BURST, 2),
        byCommand: scaled(burstDelta.dynamodb.byCommand, BURST),
        lambdaInvocationsPerSettlement: scaled(burstDelta.lambdaInvocations, BURST),
        runtime: burstLatency,
        balance: balanceAfterBurst,
      },
      closedLoop: {
        clients: CLOSED_CLIENTS,
        seconds: round(closedSeconds, 1),
        poolExhausted,
        settlementsPerSecond: round(closedLatency.length / closedSeconds, 1),
        webhookToSettledCallbackMs: latency(closedLatency),
        runtime: closedLoopLatency,
        balance: balanceAfterClosed,
      },
      createPayment: {
        ratePerSecond: PAYMENTS_RATE,
        seconds: PAYMENTS_SECONDS,
        sent: paymentsSent,
        answered,
        non201: answered - (paymentStatuses['201'] ?? 0),
        statuses: paymentStatuses,
        errors: paymentsResult.failed,
        senderLagMaxMs: paymentsResult.maxSendLagMs,
        latencyMs: paymentsResult.latencyMs,
        served,
        dynamoDbRequestsPerCall: round(sum(apiOnly) / served, 2),
        byCommand: scaled(apiOnly, served),
        allFunctionsPerCall: round(paymentsDelta.dynamodb.total / served, 2),
        runtime: paymentsLatency,
      },
      costPerMillionSettlementsUsd: {
        prices: 'AWS list prices, eu-west-2 (London), as of 2026 (bench/cost.ts)',
        assumptions: {
          ...DEFAULT_ASSUMPTIONS,
          lambda: 'arm64, each function at its infra/topology.ts memory, every invocation billed lambdaMsPerInvocation',
          sqs: 'each send or batch send is one request; each consumed batch one receive and one delete; empty polls left out',
          eventBridge: 'one entry per PutEvents entry ≤ 64 KB; deliveries to Lambda targets free',
          dynamoDb: 'on demand; writes ≤ 1 KB (1 WRU, 2 in a transaction), reads ≤ 4 KB (1 RRU consistent, 0.5 eventual, 2 transactional); a Query one read',
          notIncluded: 'API Gateway (the bank webhook request), CloudWatch logs and metrics, data transfer, storage',
        },
        listPricesUsd: LONDON_LIST_PRICES,
        oneAtATime: dollars(perMillion),
        inTheBurst: dollars(perMillionInBurst),
      },
      checks: { credits: credited, failures },
      seconds: round((Date.now() - started) / 1000, 1),
    };
    printTable(report);
    console.log(JSON.stringify(report, null, 2));
    mkdirSync('bench/results', { recursive: true });
    writeFileSync('bench/results/settlement.json', `${JSON.stringify(report, null, 2)}\n`);
  } finally {
    clearInterval(watcher);
    await receiver.close();
    await runtime.stop();
  }
  if (failures.length > 0) {
    console.error(`FAILED:\n${failures.slice(0, 20).join('\n')}`);
    process.exitCode = 1;
  }
};

const addCounts = (a: Record<string, number>, b: Record<string, number>): Record<string, number> => {
  const out = { ...a };
  for (const [key, value] of Object.entries(b)) out[key] = (out[key] ?? 0) + value;
  return out;
};

const printTable = (report: {
  perSettlement: { dynamoDbRequests: number; byCommand: Record<string, number>; callbacks: Record<string, number>; sqs: Record<string, number>; eventBridge: Record<string, number> };
  burst: { payments: number; settlementsPerSecond: number; runtime: Latency };
  closedLoop: { clients: number; webhookToSettledCallbackMs: { n: number; p50: number; p99: number }; runtime: Latency };
  createPayment: {
    ratePerSecond: number;
    dynamoDbRequestsPerCall: number;
    byCommand: Record<string, number>;
    latencyMs: { p50: number; p99: number };
    non201: number;
    errors: number;
    senderLagMaxMs: number;
    runtime: Latency;
  };
  costPerMillionSettlementsUsd: { oneAtATime: { total: number; lambda: number; sqs: number; eventBridge: number; dynamoDb: number } };
}) => {
  const list = (counts: Record<string, number>) => Object.entries(counts).map(([key, value]) => `${key} ${value}`).join(', ');
  const cost = report.costPerMillionSettlementsUsd.oneAtATime;
  /** Event-loop delay, then each hop's wait (p50/p99 ms) for the settlement path's queues and rules. */
  const where = ({ eventLoopDelayMs: loop, hopsMs }: Latency) =>
    [
      `event loop late p50 ${loop.p50} / p99 ${loop.p99} ms`,
      ...Object.entries(hopsMs)
        .filter(([, hop]) => hop.n > 0)
        .map(([name, hop]) => `${name} ${round(hop.p50, 1)}/${round(hop.p99, 1)}`),
    ].join('; ');
  const rows = [
    ['DynamoDB requests / settlement', `${report.perSettlement.dynamoDbRequests} (${list(report.perSettlement.byCommand)})`],
    ['SQS / EventBridge per settlement', `${list(report.perSettlement.sqs)}; ${list(report.perSettlement.eventBridge)}`],
    ['callbacks / settlement', list(report.perSettlement.callbacks)],
    [`burst of ${report.burst.payments}`, `${report.burst.settlementsPerSecond} settlements/s`],
    [`closed loop, ${report.closedLoop.clients} clients`, `p50 ${report.closedLoop.webhookToSettledCallbackMs.p50} ms, p99 ${report.closedLoop.webhookToSettledCallbackMs.p99} ms (n ${report.closedLoop.webhookToSettledCallbackMs.n})`],
    [
      `POST /v1/payments at ${report.createPayment.ratePerSecond}/s`,
      `p50 ${report.createPayment.latencyMs.p50} ms, p99 ${report.createPayment.latencyMs.p99} ms, ${report.createPayment.non201} non-201, ${report.createPayment.errors} failed, sender ${report.createPayment.senderLagMaxMs} ms late at most, ${report.createPayment.dynamoDbRequestsPerCall} requests (${list(report.createPayment.byCommand)})`,
    ],
    ['  runtime in the burst', where(report.burst.runtime)],
    ['  runtime in the closed loop', where(report.closedLoop.runtime)],
    ['  runtime in POST /v1/payments', where(report.createPayment.runtime)],
    ['cost / million settlements', `$${cost.total} (Lambda ${cost.lambda}, SQS ${cost.sqs}, EventBridge ${cost.eventBridge}, DynamoDB ${cost.dynamoDb})`],
  ];
  const width = Math.max(...rows.map(([label]) => label?.length ?? 0));
  console.error(rows.map(([label, value]) => `${(label ?? '').padEnd(width)}  ${value}`).join('\n'));
};

await main();
