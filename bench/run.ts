/**
 * `npm run bench`: the connected loop's latency and cost on the local runtime.
 *
 * Starts the runtime (in memory, or with BENCH_STORAGE=durable on a data directory, or both one after the other with
 * BENCH_STORAGE=both; the sandbox bank's settlement delay set to 0 so the figures are Settled's own pipeline, not the
 * simulated bank's wait), then runs two phases on an `exact` account: BENCH_PAYMENTS approvals
 * sent open-loop at BENCH_RATE per second (latency at a load the machine sustains), then BENCH_BURST approvals at
 * once (throughput while a backlog drains). For each payment it measures:
 *   approve→settled   from sending the approval to the payment's settlement.settledAt (same machine clock),
 *   approve→callback  from sending the approval to the payment.settled callback arriving at the tenant endpoint;
 * and the DynamoDB requests made per settled payment (everything from the approval on: sandbox bank, webhooks,
 * reconciliation, cash position, event log, callbacks), from the runtime's request counter.
 */
import { randomUUID } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { startCallbackReceiver } from '../test/e2e/callback-receiver';
import { api, startRuntime, tempDataDir } from '../infra/local/spawn-runtime';
import { percentile, sleep } from './support';

const PAYMENTS = Number(process.env.BENCH_PAYMENTS ?? 200);
const RATE = Number(process.env.BENCH_RATE ?? 5);
const BURST = Number(process.env.BENCH_BURST ?? 200);

const summary = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  return { n: sorted.length, median: percentile(sorted, 50), p90: percentile(sorted, 90), p99: percentile(sorted, 99), max: sorted.at(-1) ?? Number.NaN };
};

type Runtime = Awaited<ReturnType<typeof startRuntime>>;
type Receiver = Awaited<ReturnType<typeof startCallbackReceiver>>;
type Client = ReturnType<typeof api>;

const dynamoDbStats = async (url: string) =>
  ((await (await fetch(`${url}/_local/stats`)).json()) as { dynamodb: { total: number; byCommand: Record<string, number> } }).dynamodb;

/** Creates `count` open inbound payments on the account, ten requests at a time. */
const createPayments = async (client: Client, accountId: string, count: number) => {
  const payments: { id: string; url: string; approvedAt: number }[] = [];
  const queue = Array.from({ length: count }, (_, i) => i);
  await Promise.all(
    Array.from({ length: 10 }, async () => {
      for (let i = queue.shift(); i !== undefined; i = queue.shift()) {
        const created = await client.post(
          '/v1/payments',
          { accountId, direction: 'inbound', amount: `${10 + (i % 90)}.${String(i % 100).padStart(2, '0')}`, currency: 'GBP' },
          { 'idempotency-key': randomUUID() },
        );
        if (created.status !== 201) throw new Error(`payment creation failed: ${created.status} ${JSON.stringify(created.body)}`);
        payments.push({ id: String(created.body.id), url: String(created.body.authorisationUrl), approvedAt: 0 });
      }
    }),
  );
  return payments;
};

const approve = async (payment: { url: string; approvedAt: number }) => {
  payment.approvedAt = Date.now();
  const approved = await fetch(payment.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"outcome":"approve"}' });
  if (approved.status !== 200) throw new Error(`approval failed: ${approved.status}`);
};

/**
 * One phase: approvals sent open-loop at `ratePerSecond` (latency at a sustainable load), or all at once when
 * `ratePerSecond` is Infinity (throughput of a backlog). Waits for every payment.settled callback.
 */
const runPhase = async (runtime: Runtime, receiver: Receiver, client: Client, accountId: string, count: number, ratePerSecond: number) => {
  const payments = await createPayments(client, accountId, count);
  await fetch(`${runtime.url}/_local/idle`, { method: 'POST' });
  const before = await dynamoDbStats(runtime.url);
  const started = Date.now();
  const approvals = payments.map(async (payment, index) => {
    if (Number.isFinite(ratePerSecond)) await sleep(Math.max(0, started + (index * 1000) / ratePerSecond - Date.now()));
    await approve(payment);
  });
  const callbackAt = new Map<string, number>();
  const wanted = new Set(payments.map((payment) => payment.id));
  const deadline = Date.now() + 180_000;
  let seen = 0;
  while (callbackAt.size < payments.length && Date.now() < deadline) {
    for (; seen < receiver.received.length; seen += 1) {
      const id = String(receiver.received[seen]?.json.data.id);
      if (wanted.has(id) && !callbackAt.has(id)) callbackAt.set(id, Date.now());
    }
    await sleep(1);
  }
  await Promise.all(approvals);
  const elapsedMs = Math.max(...callbackAt.values()) - started;
  await fetch(`${runtime.url}/_local/idle`, { method: 'POST' });
  const after = await dynamoDbStats(runtime.url);

  const settledLatency: number[] = [];
  const callbackLatency: number[] = [];
  let notSettled = 0;
  for (const payment of payments) {
    const current = await client.get(`/v1/payments/${payment.id}`);
    if (current.body.status !== 'settled') {
      notSettled += 1;
      continue;
    }
    settledLatency.push(Date.parse(String(current.body.settlement.settledAt)) - payment.approvedAt);
    const arrived = callbackAt.get(payment.id);
    if (arrived !== undefined) callbackLatency.push(arrived - payment.approvedAt);
  }
  const perPayment = (value: number) => +(value / Math.max(1, settledLatency.length)).toFixed(2);
  return {
    payments: count,
    approvalsPerSecond: Number.isFinite(ratePerSecond) ? ratePerSecond : 'all at once',
    notSettled,
    callbacksMissing: payments.length - callbackAt.size,
    settledPerSecond: +(settledLatency.length / (elapsedMs / 1000)).toFixed(1),
    approveToSettledMs: summary(settledLatency),
    approveToCallbackMs: summary(callbackLatency),
    dynamoDbRequestsPerSettledPayment: {
      total: perPayment(after.total - before.total),
      byCommand: Object.fromEntries(
        Object.entries(after.byCommand).map(([command, total]) => [command.replace(/Command$/, ''), perPayment(total - (before.byCommand[command] ?? 0))]),
      ),
    },
  };
};

/** One runtime, both phases: in memory, or durable (a data directory: DynamoDB Local on disk, the queue journal). */
const measure = async (storage: 'memory' | 'durable') => {
  // The pipeline is measured, not the per-tenant rate limit (its own tests cover it): lift it for the run.
  const runtime = await startRuntime({
    env: { SETTLED_SANDBOX_SETTLEMENT_DELAY_SECONDS: '0', POWERTOOLS_LOG_LEVEL: 'ERROR', SETTLED_TENANT_RATE_LIMIT_PER_SECOND: '100000' },
    ...(storage === 'durable' ? { dataDir: tempDataDir() } : {}),
  });
  const receiver = await startCallbackReceiver();
  try {
    const tenant = await api(runtime.url, runtime.adminToken).post('/v1/admin/tenants', { name: 'Bench' });
    const client = api(runtime.url, String(tenant.body.apiKey));
    const post = (path: string, body: unknown) => client.post(path, body, { 'idempotency-key': randomUUID() });
    await post('/v1/webhook-endpoints', { url: receiver.url, events: ['payment.settled'] });
    const account = await post('/v1/accounts', {
      provider: 'sandbox', name: 'Bench Ltd', sortCode: '040004', accountNumber: '87654321', currency: 'GBP', sandboxProfile: 'exact', openingBalance: '0.00',
    });
    const accountId = String(account.body.id);
    const paced = await runPhase(runtime, receiver, client, accountId, PAYMENTS, RATE);
    const burst = await runPhase(runtime, receiver, client, accountId, BURST, Number.POSITIVE_INFINITY);
    return { storage, paced, burst };
  } finally {
    await receiver.close();
    await runtime.stop();
  }
};

const main = async () => {
  const storage = process.env.BENCH_STORAGE ?? 'memory';
  const choices: Record<string, readonly ('memory' | 'durable')[]> = { memory: ['memory'], durable: ['durable'], both: ['memory', 'durable'] };
  const storages = choices[storage];
  if (storages === undefined) throw new Error(`BENCH_STORAGE must be memory, durable or both, not ${storage}`);
  const runs = [];
  for (const each of storages) runs.push(await measure(each));
  const result = {
    date: new Date().toISOString(),
    machine: `${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}`,
    command: `BENCH_PAYMENTS=${PAYMENTS} BENCH_RATE=${RATE} BENCH_BURST=${BURST} BENCH_STORAGE=${storage} npm run bench`,
    note: 'local runtime, DynamoDB Local, sandbox settlement delay 0 s, one exact-profile account, one callback endpoint',
    runs,
  };
  console.log(JSON.stringify(result, null, 2));
  mkdirSync('bench/results', { recursive: true });
  writeFileSync('bench/results/latest.json', `${JSON.stringify(result, null, 2)}\n`);
  const missing = runs.reduce((sum, run) => sum + run.paced.notSettled + run.burst.notSettled + run.paced.callbacksMissing + run.burst.callbacksMissing, 0);
  if (missing > 0) process.exitCode = 1;
};

await main();
