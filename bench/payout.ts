/**
 * `npm run bench:payout` (part of `npm run bench`): a 10,000-item bulk payout accepted on the local runtime —
 * validated, stored, authorised once and handed to the sandbox bank in chunks — against Lambda's 29 s API timeout
 * and the payouts-api function's configured memory.
 *
 * 1. Starts the local runtime in memory with the sandbox's settlement delay at 900 s (its longest), so the bank's
 *    debits stay queued and nothing but the payout's own work runs while it is measured; a tenant, an `exact`
 *    sandbox account.
 * 2. POST /v1/payouts with BENCH_PAYOUT_ITEMS (default 10,000) items (every item a distinct payee, half with the
 *    tenant's reference, half generated, an externalId each): the POST's wall time, the body's size.
 * 3. The tenant approves the batch on the sandbox bank's page: time until every chunk is on the payouts queue
 *    (authorised, chunks enqueued: handed to the bank's queue) and until the chunk worker has handed every chunk to
 *    the bank (the bank accepted it, its items' webhooks planned).
 * 4. Peak memory of the process that ran the handlers: the local runtime's RSS (it hosts every function, so this is
 *    an upper bound on payouts-api's own), sampled every 10 ms from /proc during the POST and compared with its RSS
 *    before, and VmHWM (the kernel's high-water mark).
 *
 * Writes bench/results/payout.json. Exits 1 if the POST failed or took 29 s or more, or the chunks were not all handed.
 */
import { randomUUID } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { api, startRuntime } from '../infra/local/spawn-runtime';
import { functions } from '../infra/topology';
import { DEFAULT_SANDBOX_BULK_LIMIT } from '../shared/adapters/sandbox-bank/bulk';
import { phases, round, sleep } from './support';

const ITEMS = Number(process.env.BENCH_PAYOUT_ITEMS ?? 10_000);
const API_TIMEOUT_MS = 29_000;
const { phase } = phases();

/** A process's resident set and high-water mark, in MiB, from /proc (Linux). */
const memoryOf = (pid: number): { rss: number; hwm: number } => {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kib = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? Number.NaN);
  return { rss: kib('VmRSS') / 1024, hwm: kib('VmHWM') / 1024 };
};

const main = async () => {
  phase('starting the local runtime');
  const runtime = await startRuntime({ env: { SETTLED_SANDBOX_SETTLEMENT_DELAY_SECONDS: '900' } });
  try {
    const pid = runtime.process.pid ?? 0;
    const created = await api(runtime.url, runtime.adminToken).post('/v1/admin/tenants', { name: 'Bench payouts' });
    const client = api(runtime.url, String(created.body.apiKey));
    const account = await client.post(
      '/v1/accounts',
      { provider: 'sandbox', name: 'Bench Ltd', sortCode: '040004', accountNumber: '31926819', currency: 'GBP', sandboxProfile: 'exact', openingBalance: '10000000.00' },
      { 'idempotency-key': randomUUID() },
    );
    const items = Array.from({ length: ITEMS }, (_, index) => ({
      amount: `${(index % 900) + 100}.${String(index % 100).padStart(2, '0')}`,
      externalId: `payroll-2026-11-${String(index).padStart(5, '0')}`,
      ...(index % 2 === 0 ? { reference: `WAGES NOV ${index}` } : {}),
      counterparty: { name: `Worker ${index}`, sortCode: '200000', accountNumber: String(20_000_000 + index) },
    }));
    const body = JSON.stringify({ accountId: String(account.body.id), currency: 'GBP', items });

    // Warm the payouts-api function (its module load is a cold start, not the request's work).
    await client.get('/v1/payouts');
    const before = memoryOf(pid);
    let peak = before.rss;
    const sampler = setInterval(() => (peak = Math.max(peak, memoryOf(pid).rss)), 10);
    phase(`POST /v1/payouts with ${ITEMS} items (${(Buffer.byteLength(body) / 1024 / 1024).toFixed(2)} MB)`);
    const postStarted = performance.now();
    const response = await fetch(`${runtime.url}/v1/payouts`, {
      method: 'POST',
      headers: { authorization: `Bearer ${String(created.body.apiKey)}`, 'content-type': 'application/json', 'idempotency-key': randomUUID() },
      body,
    });
    const answer = (await response.json()) as { id: string; authorisationUrl: string; payments: unknown[] };
    const postMs = performance.now() - postStarted;
    clearInterval(sampler);
    const after = memoryOf(pid);
    if (response.status !== 201 || answer.payments.length !== ITEMS) throw new Error(`POST /v1/payouts answered ${response.status}: ${JSON.stringify(answer).slice(0, 500)}`);
    phase(`stored in ${round(postMs / 1000, 2)} s; approving`);

    const chunks = Math.ceil(ITEMS / DEFAULT_SANDBOX_BULK_LIMIT);
    const approved = performance.now();
    const decision = await fetch(answer.authorisationUrl, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"outcome":"approve"}' });
    if (decision.status !== 200) throw new Error(`approval answered ${decision.status}`);
    let enqueuedMs = Number.NaN;
    let handedMs = Number.NaN;
    const deadline = Date.now() + 600_000;
    while (Date.now() < deadline && Number.isNaN(handedMs)) {
      const stats = (await (await fetch(`${runtime.url}/_local/queues/payouts`)).json()) as { sent: number; deleted: number };
      if (Number.isNaN(enqueuedMs) && stats.sent >= chunks) enqueuedMs = performance.now() - approved;
      if (stats.deleted >= chunks) handedMs = performance.now() - approved;
      else await sleep(50);
    }
    if (Number.isNaN(handedMs)) throw new Error('the chunks were not all handed to the bank within 10 minutes');
    const read = await client.get(`/v1/payouts/${answer.id}`);
    phase(`authorised; ${chunks} chunks enqueued after ${round(enqueuedMs / 1000, 2)} s, all handed to the bank after ${round(handedMs / 1000, 2)} s (${String(read.body.status)})`);

    const memoryMb = functions['payouts-api'].memoryMb;
    const result = {
      date: new Date().toISOString(),
      machine: { cpus: cpus().length, model: cpus()[0]?.model ?? 'unknown', memoryGiB: round(totalmem() / 1024 ** 3, 1), node: process.version },
      items: ITEMS,
      bodyMiB: round(Buffer.byteLength(body) / 1024 / 1024, 2),
      postSeconds: round(postMs / 1000, 2),
      apiTimeoutSeconds: API_TIMEOUT_MS / 1000,
      authorisedToChunksEnqueuedSeconds: round(enqueuedMs / 1000, 2),
      authorisedToAllChunksHandedSeconds: round(handedMs / 1000, 2),
      chunks,
      chunkSize: DEFAULT_SANDBOX_BULK_LIMIT,
      runtimeRssBeforeMiB: round(before.rss, 1),
      runtimeRssPeakDuringPostMiB: round(peak, 1),
      runtimeRssGrowthDuringPostMiB: round(peak - before.rss, 1),
      runtimeRssHighWaterMiB: round(after.hwm, 1),
      functionMemoryMb: memoryMb,
      payoutStatus: read.body.status,
    };
    console.table({
      'POST /v1/payouts (s)': `${result.postSeconds} of ${result.apiTimeoutSeconds}`,
      'approve → chunks enqueued (s)': result.authorisedToChunksEnqueuedSeconds,
      'approve → all chunks handed (s)': result.authorisedToAllChunksHandedSeconds,
      'runtime RSS before / peak (MiB)': `${result.runtimeRssBeforeMiB} / ${result.runtimeRssPeakDuringPostMiB}`,
      'growth during POST (MiB)': `${result.runtimeRssGrowthDuringPostMiB} of the function's ${memoryMb} MB`,
    });
    console.log(JSON.stringify(result, null, 2));
    const directory = join(fileURLToPath(new URL('.', import.meta.url)), 'results');
    mkdirSync(directory, { recursive: true });
    writeFileSync(join(directory, 'payout.json'), `${JSON.stringify(result, null, 2)}\n`);
    if (postMs >= API_TIMEOUT_MS) {
      console.error(`FAIL: the POST took ${result.postSeconds} s, not under Lambda's ${API_TIMEOUT_MS / 1000} s API timeout`);
      process.exitCode = 1;
    }
  } finally {
    await runtime.stop();
  }
};

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
