/**
 * `npm run bench:matching` (and the second half of `npm run bench`): the cost of matching one bank transaction to
 * its open payment, with 1,000 and with 100,000 open payments on the account, side by side.
 *
 * docs/architecture.md §5: matching is an indexed lookup (normalised reference → open payments), never a scan, so its cost must
 * not grow with the number of open payments. This bench checks exactly that on DynamoDB Local (in memory):
 *
 * 1. For each size N, a fresh tenant and account (so the sizes share no partition) are seeded with N open inbound
 *    GBP payments (status `executed`, generated references), each written as the adapters store it: its payment item
 *    and its reference-index item. N/10 closed (settled) payments are added too, half under the key of an open
 *    payment (a reused reference: the item holds one open and one closed entry), half under keys of their own.
 * 2. Then, interleaving the sizes, BENCH_MATCH_SAMPLES (default 500) transactions per size and per bank format are
 *    matched, each carrying the reference of a random seeded open payment: as the uk-realistic sandbox bank sends
 *    them (the Faster Payments id in the reference field, the payer's reference mangled inside the narrative) and as
 *    the exact one does (the reference unchanged). For each, what reconcile does to decide is timed and its DynamoDB
 *    requests counted: candidateKeys, findCandidates (one BatchGet of the keys + one prefix Query), decideMatch, the
 *    reads of the payments the keys reached (one, or two when a closed payment shares the key: one round in ten
 *    picks such a payment at both sizes) and planReconciliation. Every sample must settle its own payment alone.
 *
 * Writes bench/results/matching.json. Exits 1 if a sample did not settle its own payment, if the requests per
 * transaction differ between the sizes (in any round), or if the median time with 100,000 open payments is more
 * than 1.2 times the median with 1,000.
 */
import { randomInt } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { DescribeTableCommand } from '@aws-sdk/client-dynamodb';
import { BatchWriteCommand } from '@aws-sdk/lib-dynamodb';
import { DynamoDbPaymentRepository } from '../shared/adapters/dynamodb/payment-repository';
import { paymentItem, referenceIndexItem } from '../shared/adapters/dynamodb/payment-items';
import { mangleReference } from '../shared/adapters/sandbox-bank/behaviour';
import { ulidIds } from '../shared/adapters/system';
import type { Payment } from '../shared/domain/payments/payment';
import { generateReference, matchingKey } from '../shared/domain/references';
import { planReconciliation } from '../shared/domain/reconciliation/plan-reconciliation';
import { lookUpPayments } from '../shared/domain/settlement/reconcile-transaction';
import { ensureTable, startDynamoDbLocal } from '../infra/local/dynamodb-local';
import { localDocumentClient, percentile, phases, round, shuffle, sleep } from './support';

const SIZES = [1_000, 100_000] as const;
const SAMPLES = Number(process.env.BENCH_MATCH_SAMPLES ?? 500);
const WARMUP = 50;
const SEED_CONCURRENCY = Number(process.env.BENCH_SEED_CONCURRENCY ?? 8);
const MAX_MEDIAN_RATIO = 1.2;
const TABLE = 'settled-bench-matching';
const FORMATS = ['uk-realistic', 'exact'] as const;
type Format = (typeof FORMATS)[number];

const summary = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  return { n: sorted.length, median: round(percentile(sorted, 50)), p90: round(percentile(sorted, 90)), p99: round(percentile(sorted, 99)), max: round(sorted.at(-1) ?? Number.NaN) };
};

/** DynamoDB requests by command (as the runtime counts them) and SDK attempts (more than requests means retries). */
const requests = new Map<string, number>();
let attempts = 0;
const totalRequests = () => [...requests.values()].reduce((sum, count) => sum + count, 0);

const PAYERS = ['J SMITH', 'ACME TRADING LTD', 'M PATEL', 'O BRIEN & SONS', 'K NOWAK', 'NORTHWIND PLC'];

interface Seeded {
  readonly tenantId: string;
  readonly accountId: string;
  readonly open: Payment[];
  readonly closed: number;
  /** open[0 … sharedKeys) share their key with a closed payment. */
  readonly sharedKeys: number;
  readonly seedSeconds: number;
  readonly seedRequests: number;
}

const { started: benchStarted, phase } = phases();

const main = async () => {
  phase('starting DynamoDB Local');
  const dynamodb = await startDynamoDbLocal({ dataDir: undefined });
  const client = localDocumentClient(dynamodb.endpoint);
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const command = (context.commandName ?? 'unknown').replace(/Command$/, '');
      requests.set(command, (requests.get(command) ?? 0) + 1);
      const result = await next(args);
      attempts += (result.output as { $metadata?: { attempts?: number } }).$metadata?.attempts ?? 1;
      return result;
    },
    { step: 'initialize', name: 'benchRequestCounter' },
  );
  try {
    await ensureTable(dynamodb.endpoint, TABLE);
    const repository = new DynamoDbPaymentRepository(client, TABLE);

    /** BatchWriteItem, 25 items a request, SEED_CONCURRENCY requests in flight, unprocessed items retried with backoff. */
    const writeAll = async (items: Record<string, unknown>[]) => {
      const batches: Record<string, unknown>[][] = [];
      for (let i = 0; i < items.length; i += 25) batches.push(items.slice(i, i + 25));
      let nextBatch = 0;
      await Promise.all(
        Array.from({ length: SEED_CONCURRENCY }, async () => {
          for (let batch = batches[nextBatch++]; batch !== undefined; batch = batches[nextBatch++]) {
            let pending = batch.map((Item) => ({ PutRequest: { Item } }));
            for (let attempt = 0; pending.length > 0; attempt += 1) {
              if (attempt > 0) await sleep(Math.min(1_000, 10 * 2 ** attempt) * (0.5 + Math.random()));
              if (attempt > 12) throw new Error(`BatchWriteItem: ${pending.length} items still unprocessed after ${attempt} attempts`);
              const result = await client.send(new BatchWriteCommand({ RequestItems: { [TABLE]: pending } }));
              pending = (result.UnprocessedItems?.[TABLE] ?? []) as typeof pending;
            }
          }
        }),
      );
    };

    let itemsWritten = 0;
    const seed = async (size: number): Promise<Seeded> => {
      const tenantId = ulidIds.next('ten');
      const accountId = ulidIds.next('acc');
      const started = process.hrtime.bigint();
      const requestsBefore = totalRequests();
      const references = new Set<string>();
      const newPayment = (status: 'executed' | 'settled', reference?: string): Payment => {
        let chosen = reference;
        // Generated references are unique per tenant among open payments (claimReference); here a set does it.
        while (chosen === undefined || (reference === undefined && references.has(chosen))) chosen = generateReference(randomInt);
        if (reference === undefined) references.add(chosen);
        const id = ulidIds.next('pay');
        const amount = 1_000 + randomInt(100_000);
        const at = new Date().toISOString();
        return {
          id,
          tenantId,
          accountId,
          direction: 'inbound',
          amount,
          currency: 'GBP',
          reference: chosen,
          matchingKey: matchingKey(chosen),
          invoiceId: null,
          counterparty: { name: PAYERS[randomInt(PAYERS.length)] ?? 'J SMITH' },
          metadata: {},
          status,
          failureReason: null,
          authorisationUrl: `http://127.0.0.1/sandbox-bank/authorise/sbp_${id}`,
          provider: 'sandbox',
          bankPaymentId: `sbp_${id}`,
          redirectUrl: null,
          createdAt: at,
          updatedAt: at,
          executedAt: at,
          settlement: status === 'settled' ? { amountSettled: amount, overpaidBy: 0, settledAt: at, transactionIds: [ulidIds.next('txn')], matchedBy: 'reference' } : null,
          version: status === 'settled' ? 2 : 1,
        };
      };
      const open = Array.from({ length: size }, () => newPayment('executed'));
      const closedCount = Math.floor(size / 10);
      // Half the closed payments reuse the reference of an open one (one index item, one open and one closed entry).
      const closedSharing = open.slice(0, Math.floor(closedCount / 2)).map((payment) => ({ open: payment, closed: newPayment('settled', payment.reference) }));
      const closedAlone = Array.from({ length: closedCount - closedSharing.length }, () => newPayment('settled'));
      const sharing = new Map(closedSharing.map(({ open: payment, closed }) => [payment.id, closed]));
      const items: Record<string, unknown>[] = [];
      for (const payment of open) {
        const closed = sharing.get(payment.id);
        items.push(paymentItem(payment), referenceIndexItem(tenantId, accountId, payment.matchingKey, { open: [payment], closed: closed === undefined ? [] : [closed] }));
        if (closed !== undefined) items.push(paymentItem(closed));
      }
      for (const payment of closedAlone) items.push(paymentItem(payment), referenceIndexItem(tenantId, accountId, payment.matchingKey, { open: [], closed: [payment] }));
      await writeAll(shuffle(items));
      const seedSeconds = Number(process.hrtime.bigint() - started) / 1e9;
      const seedRequests = totalRequests() - requestsBefore;
      // Sanity check (not timed): DynamoDB Local keeps the table's ItemCount exact, so it must be every item written.
      itemsWritten += items.length;
      const { Table } = await client.send(new DescribeTableCommand({ TableName: TABLE }));
      if (Table?.ItemCount !== itemsWritten) throw new Error(`wrote ${itemsWritten} items in all, the table holds ${Table?.ItemCount}`);
      phase(`seeded N=${size}: ${size} open + ${closedCount} closed payments, ${items.length} items, ${seedRequests} requests, ${seedSeconds.toFixed(1)} s`);
      return { tenantId, accountId, open, closed: closedCount, sharedKeys: closedSharing.length, seedSeconds, seedRequests };
    };

    /** The transaction a bank sends for `payment`, in the given format (as the sandbox bank's profiles do). */
    const transactionFor = (payment: Payment, format: Format): { reference: string | null; description: string | null } => {
      const payer = payment.counterparty?.name ?? 'SANDBOX PAYER';
      if (format === 'exact') return { reference: payment.reference, description: `${payer} ${payment.reference}` };
      const at = new Date();
      const yymmdd = at.toISOString().slice(2, 10).replace(/-/g, '');
      const fpid = `FP${yymmdd}${String(randomInt(10_000_000_000)).padStart(10, '0')}`;
      const dd = String(at.getUTCDate()).padStart(2, '0');
      const mm = String(at.getUTCMonth() + 1).padStart(2, '0');
      const yy = String(at.getUTCFullYear()).slice(2);
      const hhmm = `${String(at.getUTCHours()).padStart(2, '0')}${String(at.getUTCMinutes()).padStart(2, '0')}`;
      return { reference: fpid, description: `${payer.toUpperCase().slice(0, 12)} ${mangleReference(payment.reference)} FP ${dd}/${mm}/${yy} ${hhmm}` };
    };

    /**
     * Exactly what reconcile does (reconcile-transaction.ts) to decide what a booked transaction does, timed and
     * counted: its keys, the index lookup, the match decision, the read of every payment the keys reached (open or
     * closed, at most MAX_REACHED, in parallel) and the plan.
     */
    const matchOne = async (seeded: Seeded, payment: Payment, format: Format) => {
      const report = { ...transactionFor(payment, format), status: 'booked' as const, creditDebitIndicator: 'credit' as const, currency: 'GBP', amount: payment.amount, bookingDateTime: new Date().toISOString() };
      const requestsBefore = totalRequests();
      const byCommandBefore = new Map(requests);
      const started = process.hrtime.bigint();
      // Exactly reconcile's reads (lookUpPayments), then its pure decision.
      const { keys, decision, reached } = await lookUpPayments(report, { tenantId: seeded.tenantId, id: seeded.accountId }, { referenceIndex: repository, payments: repository });
      const plan = planReconciliation(report, 'txn_bench', decision, reached, report.bookingDateTime);
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      const byCommand = Object.fromEntries(
        [...requests].map(([command, count]): [string, number] => [command, count - (byCommandBefore.get(command) ?? 0)]).filter(([, count]) => count !== 0),
      );
      const ok = plan.status === 'matched' && plan.paymentIds.length === 1 && plan.paymentIds[0] === payment.id && plan.exception === undefined;
      return { ms, requests: totalRequests() - requestsBefore, byCommand, ok, keys: keys.length, reached: reached.length, outcome: `${decision.outcome}/${plan.status}` };
    };

    const seeded: Seeded[] = [];
    for (const size of SIZES) seeded.push(await seed(size));

    type Sample = Awaited<ReturnType<typeof matchOne>>;
    const results = new Map<string, Sample[]>(seeded.flatMap((s) => FORMATS.map((format) => [`${s.open.length}|${format}`, [] as Sample[]])));
    const failures: string[] = [];
    // Each round matches one payment per size and format, the sizes in random order, so both see the same machine.
    // Every SHARED_EVERY-th round picks, at both sizes, a payment whose key also holds a closed payment (reconcile
    // then reads both), the others a payment alone under its key: so every round makes the same requests at both sizes.
    const SHARED_EVERY = 10;
    const isShared = (round: number) => round % SHARED_EVERY === SHARED_EVERY - 1;
    const picks = seeded.map((s) => {
      const sharedCount = s.sharedKeys;
      return {
        shared: shuffle(Array.from({ length: sharedCount }, (_, i) => i)),
        alone: shuffle(Array.from({ length: s.open.length - sharedCount }, (_, i) => sharedCount + i)),
      };
    });
    const pick = (index: number, round: number): Payment => {
      const s = seeded[index] as Seeded;
      const { shared, alone } = picks[index] as { shared: number[]; alone: number[] };
      const list = isShared(round) ? shared : alone;
      const position = isShared(round) ? Math.floor(round / SHARED_EVERY) : round - Math.floor(round / SHARED_EVERY);
      return s.open[list[position % list.length] as number] as Payment;
    };
    let roundsWithDifferentRequests = 0;
    phase('matching');
    const attemptsBefore = attempts;
    const requestsBeforeRuns = totalRequests();
    for (let round = 0; round < WARMUP + SAMPLES; round += 1) {
      for (const format of FORMATS) {
        const counts = new Set<number>();
        for (const index of shuffle(seeded.map((_, i) => i))) {
          const s = seeded[index] as Seeded;
          const payment = pick(index, round);
          const sample = await matchOne(s, payment, format);
          if (!sample.ok) failures.push(`N=${s.open.length} ${format}: ${payment.reference} → ${sample.outcome}, not ${payment.id} alone`);
          counts.add(sample.requests);
          if (round >= WARMUP) results.get(`${s.open.length}|${format}`)?.push(sample);
        }
        if (counts.size > 1) roundsWithDifferentRequests += 1;
      }
    }
    phase('matched');
    const retried = attempts - attemptsBefore - (totalRequests() - requestsBeforeRuns);

    const perSize = (size: number, format: Format) => {
      const samples = results.get(`${size}|${format}`) ?? [];
      const distribution: Record<string, number> = {};
      for (const sample of samples) distribution[sample.requests] = (distribution[sample.requests] ?? 0) + 1;
      const byCommand: Record<string, number> = {};
      for (const sample of samples) for (const [command, count] of Object.entries(sample.byCommand)) byCommand[command] = (byCommand[command] ?? 0) + count;
      return {
        openPayments: size,
        samples: samples.length,
        ms: summary(samples.map((sample) => sample.ms)),
        requestsPerTransaction: round(samples.reduce((sum, sample) => sum + sample.requests, 0) / Math.max(1, samples.length), 3),
        transactionsByRequestCount: distribution,
        requestsByCommand: Object.fromEntries(Object.entries(byCommand).map(([command, count]) => [command, round(count / Math.max(1, samples.length), 2)])),
        candidateKeysPerTransaction: summary(samples.map((sample) => sample.keys)).median,
      };
    };
    const comparisons = FORMATS.map((format) => {
      const [small, large] = SIZES.map((size) => perSize(size, format)) as [ReturnType<typeof perSize>, ReturnType<typeof perSize>];
      const requestRatio = large.requestsPerTransaction / small.requestsPerTransaction;
      return {
        format,
        sizes: [small, large],
        ratio100kTo1k: { medianMs: round(large.ms.median / small.ms.median, 2), p99Ms: round(large.ms.p99 / small.ms.p99, 2), requests: requestRatio },
      };
    });

    const result = {
      date: new Date().toISOString(),
      machine: `${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}`,
      command: `BENCH_MATCH_SAMPLES=${SAMPLES} npm run bench:matching`,
      note:
        'DynamoDB Local in memory; per transaction what reconcile does to decide (lookUpPayments: candidateKeys + findCandidates, a BatchGet plus a prefix Query for references of 8-17 key characters + decideMatch + ' +
        'get of each payment the keys reached (1, or 2 in one round in ten: a closed payment under the same key) + planReconciliation; sizes interleaved',
      warmupRounds: WARMUP,
      seed: seeded.map((s) => ({ openPayments: s.open.length, closedPayments: s.closed, seconds: round(s.seedSeconds, 1), batchWriteRequests: s.seedRequests, concurrency: SEED_CONCURRENCY })),
      sdkRetriesWhileMatching: retried,
      roundsWithDifferentRequests,
      comparisons,
      failures: failures.slice(0, 20),
      failureCount: failures.length,
    };
    console.log(JSON.stringify(result, null, 2));
    mkdirSync('bench/results', { recursive: true });
    writeFileSync('bench/results/matching.json', `${JSON.stringify(result, null, 2)}\n`);

    console.log('\nformat        open payments   median / p90 / p99 / max (ms)        requests per transaction');
    for (const comparison of comparisons) {
      for (const size of comparison.sizes) {
        console.log(
          `${comparison.format.padEnd(13)} ${String(size.openPayments).padStart(13)}   ${`${size.ms.median} / ${size.ms.p90} / ${size.ms.p99} / ${size.ms.max}`.padEnd(36)} ${size.requestsPerTransaction} ${JSON.stringify(size.requestsByCommand)} by count ${JSON.stringify(size.transactionsByRequestCount)}`,
        );
      }
      console.log(`${comparison.format.padEnd(13)}   ratio 100k/1k: median ${comparison.ratio100kTo1k.medianMs}, p99 ${comparison.ratio100kTo1k.p99Ms}, requests ${comparison.ratio100kTo1k.requests}`);
    }

    const problems = [
      ...(roundsWithDifferentRequests > 0 ? [`${roundsWithDifferentRequests} rounds made different numbers of requests at the two sizes`] : []),
      ...(failures.length > 0 ? [`${failures.length} samples did not match their own payment (first: ${failures[0]})`] : []),
      ...comparisons.flatMap((comparison) => [
        ...(comparison.ratio100kTo1k.requests !== 1 ? [`${comparison.format}: requests per transaction differ between the sizes (${comparison.sizes.map((size) => size.requestsPerTransaction).join(' vs ')})`] : []),
        ...(!(comparison.ratio100kTo1k.medianMs <= MAX_MEDIAN_RATIO) ? [`${comparison.format}: median time ratio 100k/1k is ${comparison.ratio100kTo1k.medianMs}, above ${MAX_MEDIAN_RATIO}`] : []),
      ]),
    ];
    if (problems.length > 0) {
      console.error(`\nFAILED: matching cost grows with the number of open payments, or matching is wrong:\n- ${problems.join('\n- ')}`);
      process.exitCode = 1;
    } else {
      console.log(`\nOK: the same requests per transaction at both sizes, median time ratio within ${MAX_MEDIAN_RATIO}.`);
    }
  } finally {
    client.destroy();
    await dynamodb.stop();
    phase('DynamoDB Local stopped');
  }
};

await main();
