/**
 * `npm run bench:history` (part of `npm run bench`): the cost of a page of an account's transactions at the start
 * and at the far end of seven years of a busy business, side by side, with and without filters that hide most rows.
 *
 * Issue 10 §4: filters must not make pages short (the list loops until the page is full, bounded), and a page at the
 * far end of the history costs what a page at the start costs. This bench checks exactly that on DynamoDB Local (in
 * memory), through the adapter itself (DynamoDbTransactionStore.list):
 *
 * 1. One account is seeded with BENCH_HISTORY_TRANSACTIONS (default 210,000) transactions booked over 7 years
 *    (≈ 82 a day), stored as the adapter stores them (transactionItem), through BatchWriteItem. The mix is spread
 *    evenly over the history, so every stretch of it holds the same density of each kind of row and the bench measures
 *    the position in the history, not luck: credits and debits (pseudo-random, ≈ 55 / 45), one row in ten
 *    unmatched, one in 97 needing review, one in 200 a pending row superseded by its booked twin (hidden by default),
 *    one in 450 a debit whose description names HMRC (the rare text searched for), a few unsuperseded pending rows in
 *    the last days.
 * 2. Every list below is walked once from its first page to its end, following nextCursor: the rows of the walk must
 *    be exactly the rows that match, newest first (nothing lost, nothing twice), and every page must be full unless
 *    the history ran out or the page made its MAX_QUERIES_PER_PAGE queries (the documented bound: a short page WITH
 *    a cursor). The walk gives the cursor of the final page and of the page before it.
 * 3. Then, interleaved in random order, BENCH_HISTORY_SAMPLES (default 50) reads of each page measured: time,
 *    DynamoDB requests (counted on the client), items DynamoDB read (ScannedCount), read capacity consumed, rows.
 *    Lists (limit 100): all (the default filter hides superseded rows), reconciliation=unmatched,
 *    direction=debit&q=hmrc; each at its first page, two pages before its final one (the far end, reading nothing of
 *    the end of the history) and its final page. And from/to one calendar month: the newest full month vs the oldest.
 *
 * The history is seeded where the adapter puts it: months before the list shard schedule's first (SETTLED_LIST_SHARDS,
 * default 2026-11:4) go to the list's base partition, later ones to month buckets and shards. To measure bucketed pages
 * over the whole history, start the schedule before it: `SETTLED_LIST_SHARDS=2019-11:4 npm run bench:history`.
 *
 * Times are DynamoDB Local's, whose ExclusiveStartKey costs more the deeper the cursor (BENCHMARKS.md); the gate is
 * on what DynamoDB charges: requests (and the items read and capacity reported beside them).
 *
 * Writes bench/results/history.json. Exits 1 if a walk's rows differ from the rows that match, if a page came back
 * short while more matching rows existed (other than at the bound), or if requests per page at the far end differ
 * from the start by more than one (plus, with list buckets, two months' shards: a page crossing month boundaries).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { DescribeTableCommand } from '@aws-sdk/client-dynamodb';
import { BatchWriteCommand } from '@aws-sdk/lib-dynamodb';
import { listShardSchedule } from '../shared/adapters/dynamodb/list-partitions';
import { MAX_QUERIES_PER_PAGE } from '../shared/adapters/dynamodb/pagination';
import { DynamoDbTransactionStore, transactionItem } from '../shared/adapters/dynamodb/transaction-store';
import { ulidIds } from '../shared/adapters/system';
import type { BankTransaction, ReconciliationStatus } from '../shared/domain/settlement/bank-transaction';
import { RETENTION_YEARS } from '../shared/domain/settlement/retention';
import type { TransactionFilter } from '../shared/domain/settlement/settlement-store';
import { ensureTable, startDynamoDbLocal } from '../infra/local/dynamodb-local';
import { localDocumentClient, percentile, phases, round, shuffle, sleep } from './support';

const TRANSACTIONS = Number(process.env.BENCH_HISTORY_TRANSACTIONS ?? 210_000);
const SAMPLES = Number(process.env.BENCH_HISTORY_SAMPLES ?? 50);
const WARMUP = 5;
const PAGE = 100;
const YEARS = RETENTION_YEARS;
const SEED_CONCURRENCY = Number(process.env.BENCH_SEED_CONCURRENCY ?? 8);
const TABLE = 'settled-bench-history';
const RARE_TEXT = 'hmrc';

const summary = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  return { n: sorted.length, median: round(percentile(sorted, 50)), p90: round(percentile(sorted, 90)), max: round(sorted.at(-1) ?? Number.NaN) };
};
/** mulberry32: a small seeded generator, so every run seeds the same history. */
const seeded = (seed: number) => () => {
  seed = (seed + 0x6d2b79f5) | 0;
  let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
  return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
};

/** Counted on the client for every command sent: requests, items DynamoDB read, read capacity consumed. */
const counters = { requests: 0, scanned: 0, capacity: 0, attempts: 0 };

const { started: benchStarted, phase } = phases();

const PAYERS = ['ACME TRADING LTD', 'NORTHWIND PLC', 'J SMITH', 'O BRIEN & SONS', 'K NOWAK', 'BLUE FIN CATERING', 'HARBOUR DENTAL LLP', 'M PATEL'];
const PAYEES = [
  { name: 'BRITISH GAS', category: 'utilities', description: 'BRITISH GAS DD' },
  { name: 'WORLDPAY', category: 'fees', description: 'WORLDPAY MERCHANT FEES' },
  { name: 'BOOKER WHOLESALE', category: 'supplies', description: 'BOOKER WHOLESALE CARD 4821' },
  { name: 'LANDLORD PROPERTIES LTD', category: 'rent', description: 'STO RENT UNIT 4' },
  { name: 'PAYROLL', category: 'payroll', description: 'BACS PAYROLL' },
  { name: 'AMAZON EU SARL', category: 'supplies', description: 'AMAZON MKTPLACE CARD 4821' },
];

/** The i-th transaction of the history (0 the oldest), its kind decided by its position (see the header). */
const historyOf = (tenantId: string, accountId: string, count: number): BankTransaction[] => {
  const random = seeded(20_261_130);
  // Up to the end of yesterday, from one day inside the retention (the table's TTL removes rows booked 7 calendar
  // years before now: a row booked just before that would vanish during the bench).
  const today = new Date();
  const end = Date.UTC(today.getUTCFullYear(), today.getUTCMonth(), today.getUTCDate()) - 1;
  const start = Date.UTC(today.getUTCFullYear() - RETENTION_YEARS, today.getUTCMonth(), today.getUTCDate() + 1);
  const span = end - start;
  const step = span / count;
  const transactions: BankTransaction[] = [];
  let pendingTwin: BankTransaction | undefined;
  for (let i = 0; i < count; i += 1) {
    // Inside its own slot of the history, to the second: booking order is index order.
    const bookingDateTime = new Date(Math.floor((start + (i + 0.1 + 0.8 * random()) * step) / 1000) * 1000).toISOString();
    const rare = i % 450 === 17;
    const supersededPending = i % 200 === 50 && i + 1 < count;
    const recentPending = i >= count - 150 && i % 3 === 0;
    const direction = rare ? 'debit' : random() < 0.55 ? 'credit' : 'debit';
    const id = ulidIds.next('txn');
    const payee = PAYEES[Math.floor(random() * PAYEES.length)] ?? PAYEES[0];
    const payer = PAYERS[Math.floor(random() * PAYERS.length)] ?? 'J SMITH';
    const invoice = `INV-${String(100_000 + i).padStart(6, '0')}`;
    const pending = supersededPending || recentPending;
    const reconciliationStatus: ReconciliationStatus = pending ? 'pending' : i % 10 === 3 ? 'unmatched' : i % 97 === 5 ? 'needs_review' : 'matched';
    const endToEndId = supersededPending || pendingTwin !== undefined ? `E2E-${i - (pendingTwin === undefined ? 0 : 1)}` : direction === 'credit' ? `E2E-${i}` : null;
    const transaction: BankTransaction = {
      id,
      tenantId,
      accountId,
      bankTransactionId: `bank-${String(i).padStart(7, '0')}${pending ? '-p' : ''}`,
      status: pending ? 'pending' : 'booked',
      creditDebitIndicator: direction,
      amount: direction === 'credit' ? 500 + Math.floor(random() * 250_000) : 100 + Math.floor(random() * 120_000),
      currency: 'GBP',
      bookingDateTime,
      valueDateTime: bookingDateTime,
      reference: rare ? `VAT ${String(900_000_000 + i)}` : direction === 'credit' ? invoice : `${payee?.name.slice(0, 8) ?? 'PAYEE'} ${String(i % 10_000).padStart(4, '0')}`,
      description: rare ? `HMRC VAT DD ${String(900_000_000 + i)}` : direction === 'credit' ? `${payer} ${invoice} FP ${bookingDateTime.slice(0, 10)}` : (payee?.description ?? 'CARD PAYMENT'),
      endToEndId,
      counterparty: direction === 'credit' ? { name: payer, sortCode: '040004', accountNumber: String(10_000_000 + (i % 89_999_999)).slice(0, 8) } : { name: rare ? 'HMRC VAT' : (payee?.name ?? 'PAYEE') },
      merchant: direction === 'debit' && !rare ? { name: payee?.name ?? 'PAYEE', categoryCode: '5411' } : null,
      category: direction === 'debit' ? (rare ? 'tax' : (payee?.category ?? null)) : 'income',
      bankTransactionCode: { domain: { code: 'PMNT', family: direction === 'credit' ? 'RCDT' : 'ICDT', subFamily: direction === 'credit' ? 'DMCT' : 'DMCT' }, proprietary: null },
      receivedAt: bookingDateTime,
      reconciliation: {
        status: reconciliationStatus,
        paymentIds: reconciliationStatus === 'matched' ? [`pay_${id.slice(4)}`] : [],
        exceptionId: reconciliationStatus === 'needs_review' ? `exc_${id.slice(4)}` : null,
        matchedBy: reconciliationStatus === 'matched' ? 'reference' : null,
        keys: direction === 'credit' ? [invoice.replace('-', '')] : [],
        candidatePaymentIds: reconciliationStatus === 'needs_review' ? [`pay_a${id.slice(5)}`, `pay_b${id.slice(5)}`] : [],
      },
      supersedes: pendingTwin === undefined ? null : pendingTwin.id,
      supersededBy: null,
    };
    if (pendingTwin !== undefined) {
      // The pending row before this one was replaced by it: same end-to-end id, and it points at its booked twin.
      transactions[i - 1] = { ...pendingTwin, supersededBy: id };
    }
    transactions.push(transaction);
    pendingTwin = supersededPending ? transaction : undefined;
  }
  return transactions;
};

interface Case {
  readonly name: string;
  readonly filter: TransactionFilter;
  readonly matches: (transaction: BankTransaction) => boolean;
}

interface PageStats {
  readonly ms: number;
  readonly requests: number;
  readonly scanned: number;
  readonly capacity: number;
  readonly rows: number;
  readonly ids: string[];
  readonly nextCursor: string | null;
}

const main = async () => {
  phase('starting DynamoDB Local');
  const dynamodb = await startDynamoDbLocal({ dataDir: undefined });
  const client = localDocumentClient(dynamodb.endpoint);
  client.middlewareStack.add(
    (next, context) => async (args) => {
      counters.requests += 1;
      const input = args.input as Record<string, unknown>;
      if (context.commandName === 'QueryCommand') input.ReturnConsumedCapacity = 'TOTAL';
      const result = await next(args);
      const output = result.output as { $metadata?: { attempts?: number }; ScannedCount?: number; ConsumedCapacity?: { CapacityUnits?: number } };
      counters.attempts += output.$metadata?.attempts ?? 1;
      counters.scanned += output.ScannedCount ?? 0;
      counters.capacity += output.ConsumedCapacity?.CapacityUnits ?? 0;
      return result;
    },
    { step: 'initialize', name: 'benchRequestCounter' },
  );
  try {
    await ensureTable(dynamodb.endpoint, TABLE);
    const store = new DynamoDbTransactionStore(client, TABLE);
    const tenantId = ulidIds.next('ten');
    const accountId = ulidIds.next('acc');

    phase(`generating ${TRANSACTIONS} transactions over ${YEARS} years`);
    const history = historyOf(tenantId, accountId, TRANSACTIONS);
    const newestFirst = [...history].reverse();

    /** BatchWriteItem, 25 items a request, SEED_CONCURRENCY requests in flight, unprocessed items retried with backoff. */
    phase('seeding');
    const seedStarted = process.hrtime.bigint();
    const requestsBeforeSeed = counters.requests;
    let nextBatch = 0;
    const batches = Math.ceil(history.length / 25);
    await Promise.all(
      Array.from({ length: SEED_CONCURRENCY }, async () => {
        for (let batch = nextBatch++; batch < batches; batch = nextBatch++) {
          let pending = history.slice(batch * 25, batch * 25 + 25).map((transaction) => ({ PutRequest: { Item: transactionItem(transaction) } }));
          for (let attempt = 0; pending.length > 0; attempt += 1) {
            if (attempt > 0) await sleep(Math.min(1_000, 10 * 2 ** attempt) * (0.5 + Math.random()));
            if (attempt > 12) throw new Error(`BatchWriteItem: ${pending.length} items still unprocessed after ${attempt} attempts`);
            const result = await client.send(new BatchWriteCommand({ RequestItems: { [TABLE]: pending } }));
            pending = (result.UnprocessedItems?.[TABLE] ?? []) as typeof pending;
          }
          if (batch % 1_000 === 999) phase(`seeded ${(batch + 1) * 25} transactions`);
        }
      }),
    );
    const seedSeconds = Number(process.hrtime.bigint() - seedStarted) / 1e9;
    const seedRequests = counters.requests - requestsBeforeSeed;
    // A hint only (the table's TTL may already remove rows, as it did when the history reached past the retention);
    // the walks below are the real check: every row of every list, compared with the rows that match.
    const { Table } = await client.send(new DescribeTableCommand({ TableName: TABLE }));
    if (Table?.ItemCount !== history.length) phase(`note: DescribeTable ItemCount says ${Table?.ItemCount} after writing ${history.length}`);
    phase(`seeded ${history.length} transactions in ${seedSeconds.toFixed(1)} s (${seedRequests} requests)`);

    const visible = (transaction: BankTransaction) => transaction.supersededBy === null;
    const lists: Case[] = [
      { name: 'all', filter: {}, matches: visible },
      { name: 'reconciliation=unmatched', filter: { reconciliation: 'unmatched' }, matches: (t) => visible(t) && t.reconciliation.status === 'unmatched' },
      {
        name: `direction=debit&q=${RARE_TEXT}`,
        filter: { direction: 'debit', q: RARE_TEXT },
        matches: (t) => visible(t) && t.creditDebitIndicator === 'debit' && [t.reference, t.description].some((text) => text?.toLowerCase().includes(RARE_TEXT) === true),
      },
    ];
    // The newest and the oldest full calendar months of the history.
    const monthOf = (date: Date) => {
      const from = new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), 1));
      const to = new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth() + 1, 1) - 1);
      return { from: from.toISOString(), to: to.toISOString() };
    };
    const oldest = new Date(history[0]?.bookingDateTime ?? 0);
    const newest = new Date(history.at(-1)?.bookingDateTime ?? 0);
    const oldestMonth = monthOf(new Date(Date.UTC(oldest.getUTCFullYear(), oldest.getUTCMonth() + 1, 1)));
    const newestMonth = monthOf(new Date(Date.UTC(newest.getUTCFullYear(), newest.getUTCMonth() - 1, 1)));
    const monthCase = (month: { from: string; to: string }): Case => ({
      name: `from=${month.from.slice(0, 10)}&to=${month.to.slice(0, 10)}`,
      filter: month,
      matches: (t) => visible(t) && t.bookingDateTime >= month.from && t.bookingDateTime <= month.to,
    });

    const read = async (filter: TransactionFilter, cursor: string | undefined): Promise<PageStats> => {
      const before = { ...counters };
      const started = process.hrtime.bigint();
      const page = await store.list(tenantId, accountId, filter, { limit: PAGE, cursor });
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      return {
        ms,
        requests: counters.requests - before.requests,
        scanned: counters.scanned - before.scanned,
        capacity: counters.capacity - before.capacity,
        rows: page.data.length,
        ids: page.data.map((transaction) => transaction.id),
        nextCursor: page.nextCursor,
      };
    };

    const failures: string[] = [];
    const sameIds = (actual: readonly string[], expected: readonly string[]) => actual.length === expected.length && actual.every((id, i) => id === expected[i]);

    /** Walks a list to its end: checks every page against the rows that match, and keeps the cursors of the last two pages. */
    const walk = async (list: Case) => {
      const expected = newestFirst.filter(list.matches).map((transaction) => transaction.id);
      const pages: { cursor: string | undefined; stats: PageStats }[] = [];
      let cursor: string | undefined;
      let position = 0;
      let boundedShort = 0;
      for (;;) {
        const stats = await read(list.filter, cursor);
        const want = expected.slice(position, position + stats.rows);
        if (!sameIds(stats.ids, want)) failures.push(`${list.name}: page ${pages.length + 1} holds other rows than the ${stats.rows} matching rows from row ${position}`);
        position += stats.rows;
        const moreExist = position < expected.length;
        if (stats.rows < PAGE && moreExist) {
          if (stats.nextCursor === null) failures.push(`${list.name}: page ${pages.length + 1} ended the list after ${position} of ${expected.length} matching rows`);
          else if (stats.requests < MAX_QUERIES_PER_PAGE) failures.push(`${list.name}: page ${pages.length + 1} came back with ${stats.rows} rows after ${stats.requests} requests while more matching rows existed`);
          else boundedShort += 1;
        }
        pages.push({ cursor, stats });
        if (pages.length % 500 === 0) phase(`${list.name}: ${pages.length} pages, ${position} rows`);
        if (stats.nextCursor === null) break;
        cursor = stats.nextCursor;
        if (pages.length > TRANSACTIONS) throw new Error(`${list.name}: the walk does not end`);
      }
      if (position !== expected.length) failures.push(`${list.name}: the walk returned ${position} rows, ${expected.length} match`);
      // The final page with rows: DynamoDB may hand a cursor after the last row (its Limit reached exactly there), then an empty page ends the list.
      const lastWithRows = pages.findLastIndex((page) => page.stats.rows > 0);
      const requestsPerPage = pages.map((page) => page.stats.requests);
      phase(`walked ${list.name}: ${pages.length} pages, ${position} rows, ${boundedShort} short at the bound`);
      return {
        expected,
        pages: pages.length,
        rows: position,
        boundedShortPages: boundedShort,
        trailingEmptyPage: lastWithRows !== pages.length - 1,
        requestsPerPage: { min: Math.min(...requestsPerPage), max: Math.max(...requestsPerPage), total: requestsPerPage.reduce((sum, n) => sum + n, 0) },
        first: pages[0],
        // Two pages before the final one: far from the start, and reading nothing of the end of the history.
        nearEnd: pages[Math.max(0, lastWithRows - 2)],
        last: pages[lastWithRows],
        rowsBefore: (index: number) => pages.slice(0, index).reduce((sum, page) => sum + page.stats.rows, 0),
        indexOf: (page: { cursor: string | undefined } | undefined) => (page === undefined ? -1 : pages.indexOf(page as (typeof pages)[number])),
      };
    };

    phase('walking every list to its end');
    const walkStarted = Date.now();
    interface Target {
      readonly list: string;
      readonly position: string;
      readonly filter: TransactionFilter;
      readonly cursor: string | undefined;
      readonly expected: string[];
      readonly historyRanOut: boolean;
    }
    const targets: Target[] = [];
    const walks: Record<string, unknown> = {};
    for (const list of lists) {
      const walked = await walk(list);
      walks[list.name] = {
        pages: walked.pages,
        rows: walked.rows,
        boundedShortPages: walked.boundedShortPages,
        trailingEmptyPage: walked.trailingEmptyPage,
        requestsPerPage: walked.requestsPerPage,
      };
      for (const [position, page] of [
        ['first page', walked.first],
        ['far end (2 pages before the final)', walked.nearEnd],
        ['final page', walked.last],
      ] as const) {
        if (page === undefined) continue;
        const from = walked.rowsBefore(walked.indexOf(page));
        const expected = walked.expected.slice(from, from + page.stats.rows);
        targets.push({ list: list.name, position, filter: list.filter, cursor: page.cursor, expected, historyRanOut: from + PAGE >= walked.expected.length });
      }
    }
    for (const [position, month] of [
      ['newest full month', newestMonth],
      ['oldest full month', oldestMonth],
    ] as const) {
      const list = monthCase(month);
      const expected = newestFirst.filter(list.matches).map((transaction) => transaction.id).slice(0, PAGE);
      targets.push({ list: 'from/to one month', position: `${position} (${list.name})`, filter: list.filter, cursor: undefined, expected, historyRanOut: expected.length < PAGE });
    }
    const walkSeconds = (Date.now() - walkStarted) / 1000;

    phase(`measuring ${targets.length} pages, ${WARMUP} + ${SAMPLES} rounds, interleaved`);
    const samples = new Map<Target, PageStats[]>(targets.map((target) => [target, []]));
    const attemptsBefore = counters.attempts;
    const requestsBefore = counters.requests;
    for (let round = 0; round < WARMUP + SAMPLES; round += 1) {
      for (const target of shuffle([...targets])) {
        const stats = await read(target.filter, target.cursor);
        if (!sameIds(stats.ids, target.expected)) failures.push(`${target.list} ${target.position}: ${stats.rows} rows, not the ${target.expected.length} expected`);
        if (round >= WARMUP) samples.get(target)?.push(stats);
      }
    }
    const retried = counters.attempts - attemptsBefore - (counters.requests - requestsBefore);
    phase('measured');

    const pages = targets.map((target) => {
      const taken = samples.get(target) ?? [];
      const one = (pick: (stats: PageStats) => number) => summary(taken.map(pick)).median;
      return {
        list: target.list,
        position: target.position,
        rows: one((stats) => stats.rows),
        historyRanOut: target.historyRanOut,
        ms: summary(taken.map((stats) => stats.ms)),
        requests: one((stats) => stats.requests),
        requestsRange: [Math.min(...taken.map((stats) => stats.requests)), Math.max(...taken.map((stats) => stats.requests))],
        itemsRead: one((stats) => stats.scanned),
        readCapacity: round(one((stats) => stats.capacity), 1),
      };
    });

    // Far end vs start: two pages before the final one (not cut short by the end of the history) against the first;
    // the final page may cost less, never more; the oldest month against the newest.
    const problems: string[] = [];
    // A page queries each shard of every month it reads from (docs/architecture.md §6, List partitions): what it costs
    // depends on how many month boundaries it crosses, never on its depth. Allowed: two months' shards more (a page of
    // a filter that keeps one row in ten spans more than a month of this history, so it may touch three months).
    const slack = 1 + 2 * Math.max(...listShardSchedule().entries.map((entry) => entry.shards));
    const byKey = new Map(pages.map((page) => [`${page.list}|${page.position}`, page]));
    for (const list of lists) {
      const first = byKey.get(`${list.name}|first page`);
      const nearEnd = byKey.get(`${list.name}|far end (2 pages before the final)`);
      const last = byKey.get(`${list.name}|final page`);
      if (first === undefined || nearEnd === undefined || last === undefined) continue;
      if (Math.abs(nearEnd.requests - first.requests) > slack) problems.push(`${list.name}: ${nearEnd.requests} requests at the far end, ${first.requests} at the start`);
      if (last.requests > first.requests + slack) problems.push(`${list.name}: ${last.requests} requests for the final page, ${first.requests} for the first`);
    }
    const [newestPage, oldestPage] = pages.filter((page) => page.list === 'from/to one month');
    if (newestPage !== undefined && oldestPage !== undefined && Math.abs(newestPage.requests - oldestPage.requests) > slack) {
      problems.push(`one month: ${oldestPage.requests} requests for the oldest, ${newestPage.requests} for the newest`);
    }
    if (failures.length > 0) problems.push(`${failures.length} pages wrong or short (first: ${failures[0]})`);

    const result = {
      date: new Date().toISOString(),
      machine: `${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}`,
      command: `BENCH_HISTORY_TRANSACTIONS=${TRANSACTIONS} BENCH_HISTORY_SAMPLES=${SAMPLES} npm run bench:history`,
      note:
        'DynamoDB Local in memory; DynamoDbTransactionStore.list, limit 100, newest first; samples interleaved in random order after warm-up rounds; ' +
        `requests and items read (ScannedCount) and read capacity (ReturnConsumedCapacity) counted on the client; a filtered page reads ${MAX_QUERIES_PER_PAGE} queries at most`,
      history: {
        transactions: history.length,
        years: YEARS,
        from: history[0]?.bookingDateTime,
        to: history.at(-1)?.bookingDateTime,
        perDay: round(history.length / (YEARS * 365.25), 1),
        hiddenSuperseded: history.filter((t) => !visible(t)).length,
        credits: history.filter((t) => t.creditDebitIndicator === 'credit').length,
        unmatched: history.filter((t) => t.reconciliation.status === 'unmatched').length,
        rareTextRows: history.filter(lists[2]?.matches ?? (() => false)).length,
      },
      seed: { seconds: round(seedSeconds, 1), batchWriteRequests: seedRequests, concurrency: SEED_CONCURRENCY },
      walks: { seconds: round(walkSeconds, 1), ...walks },
      warmupRounds: WARMUP,
      sdkRetriesWhileMeasuring: retried,
      pages,
      problems,
      failures: failures.slice(0, 20),
      failureCount: failures.length,
      totalSeconds: round((Date.now() - benchStarted) / 1000, 1),
    };
    console.log(JSON.stringify(result, null, 2));
    mkdirSync('bench/results', { recursive: true });
    writeFileSync('bench/results/history.json', `${JSON.stringify(result, null, 2)}\n`);

    console.log('\nlist                              page                                            rows  median / p90 / max (ms)     requests  items read  RCU');
    for (const page of pages) {
      console.log(
        `${page.list.padEnd(33)} ${page.position.padEnd(47)} ${String(page.rows).padStart(4)}  ${`${page.ms.median} / ${page.ms.p90} / ${page.ms.max}`.padEnd(26)}  ${String(page.requests).padStart(8)}  ${String(page.itemsRead).padStart(10)}  ${page.readCapacity}`,
      );
    }
    if (problems.length > 0) {
      console.error(`\nFAILED:\n- ${problems.join('\n- ')}`);
      process.exitCode = 1;
    } else {
      console.log('\nOK: every page full (or at the bound, or the history ran out), the far end costs what the start costs.');
    }
  } finally {
    client.destroy();
    await dynamodb.stop();
    phase('DynamoDB Local stopped');
  }
};

await main();
