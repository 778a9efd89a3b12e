import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type QuerySource, readListPage } from '../../../../shared/adapters/dynamodb/list-merge';
import { listPartitionOf, listSources, monthOf, parseShardSchedule } from '../../../../shared/adapters/dynamodb/list-partitions';

const BASE = 'ten_1#ACCTXNS#acc_1';
/** The reader's clock: mid January 2027. */
const NOW = Date.parse('2027-01-15T12:00:00.000Z');
const MONTHS = ['2026-09', '2026-10', '2026-11', '2026-12', '2027-01', '2027-02', '2027-04'];

type Item = {
  readonly gsi1pk: string;
  readonly gsi1sk: string;
  readonly wanted: boolean;
  readonly kept: boolean;
};

/**
 * DynamoDB's Query on an in-memory table: the partition's items within [from, to] in reading order, at most `limit`
 * READ (the filter drops after the limit, as DynamoDB's does), LastEvaluatedKey whenever it read `limit` items.
 */
const modelQuery =
  (items: readonly Item[], filter: boolean, counter: { queries: number }): QuerySource =>
  async (query) => {
    counter.queries += 1;
    const inRange = items
      .filter((item) => item.gsi1pk === query.partition)
      .filter((item) => (query.from === undefined || item.gsi1sk >= query.from) && (query.to === undefined || item.gsi1sk <= query.to))
      .sort((a, b) => (a.gsi1sk < b.gsi1sk ? -1 : 1));
    if (query.newestFirst) inRange.reverse();
    const read = inRange.slice(0, query.limit);
    const last = read.length === query.limit ? read.at(-1) : undefined;
    return { items: read.filter((item) => !filter || item.wanted), lastRead: last?.gsi1sk };
  };

/** A sort key: a time in one of MONTHS (or a legacy one before them) and an id. */
const sortKeyArbitrary = fc
  .record({ month: fc.constantFrom(...MONTHS, '2025-03'), day: fc.integer({ min: 1, max: 28 }), second: fc.integer({ min: 0, max: 5 }) })
  .map(({ month, day, second }) => `${month}-${String(day).padStart(2, '0')}T10:00:0${String(second)}.000Z`);

const scenarioArbitrary = fc.record({
  schedule: fc.constantFrom('2026-11:4', '2026-11:1', '2026-10:3,2027-01:5', '2026-12:2,2027-02:7', '2030-01:4'),
  entries: fc.array(
    fc.record({
      time: sortKeyArbitrary,
      // Written by the code before buckets (into the base), or when it happened, or now (a back- or future-dated write).
      writtenAt: fc.constantFrom('legacy', 'at its time', 'now'),
      wanted: fc.boolean(),
      kept: fc.boolean(),
    }),
    { maxLength: 60 },
  ),
  limit: fc.integer({ min: 1, max: 8 }),
  newestFirst: fc.boolean(),
  from: fc.option(fc.oneof(sortKeyArbitrary, fc.constantFrom(...MONTHS)), { nil: undefined }),
  to: fc.option(fc.oneof(sortKeyArbitrary, sortKeyArbitrary.map((key) => `${key}\uffff`)), { nil: undefined }),
  dynamoFilter: fc.boolean(),
  keepFilter: fc.boolean(),
  maxQueries: fc.integer({ min: 1, max: 20 }),
});

describe('readListPage (bucketed list merge)', () => {
  it('pages followed by cursor to the end equal the unsharded sorted truth', async () => {
    await fc.assert(
      fc.asyncProperty(scenarioArbitrary, async (scenario) => {
        // Prepare: every item where the writer puts it
        const schedule = parseShardSchedule(scenario.schedule);
        const items: Item[] = scenario.entries.map((entry, index) => {
          const id = `txn_${String(index).padStart(3, '0')}`;
          const gsi1sk = `${entry.time}#${id}`;
          // Never after the reader's clock: what is written is written before it is read.
          const writtenAt = entry.writtenAt === 'now' ? NOW : Math.min(Date.parse(entry.time), NOW);
          const gsi1pk = entry.writtenAt === 'legacy' ? BASE : listPartitionOf(BASE, schedule, gsi1sk, id, writtenAt);
          return { gsi1pk, gsi1sk, wanted: entry.wanted, kept: entry.kept };
        });
        const range = { from: scenario.from, to: scenario.to };
        const truth = items
          .filter((item) => (range.from === undefined || item.gsi1sk >= range.from) && (range.to === undefined || item.gsi1sk <= range.to))
          .filter((item) => (!scenario.dynamoFilter || item.wanted) && (!scenario.keepFilter || item.kept))
          .map((item) => item.gsi1sk)
          .sort();
        if (scenario.newestFirst) truth.reverse();
        const counter = { queries: 0 };

        // Act: walk every page
        const listed: string[] = [];
        let position: string | undefined;
        let pages = 0;
        for (;;) {
          const page = await readListPage({
            base: BASE,
            schedule,
            range,
            position,
            newestFirst: scenario.newestFirst,
            now: NOW,
            query: modelQuery(items, scenario.dynamoFilter, counter),
            limit: scenario.limit,
            filtered: scenario.dynamoFilter || scenario.keepFilter,
            keep: scenario.keepFilter ? (item) => item.kept === true : undefined,
            maxQueries: scenario.maxQueries,
            filteredReadSize: 3,
          });
          listed.push(...page.data.map((item) => String(item.gsi1sk)));
          // Assess each page: never over the limit; short only at the end or when it spent its queries.
          expect(page.data.length).toBeLessThanOrEqual(scenario.limit);
          if (page.next !== undefined && page.data.length < scenario.limit) expect(page.queries).toBeGreaterThanOrEqual(scenario.maxQueries);
          // Progress: the cursor moves forward in reading order.
          if (page.next !== undefined && position !== undefined) expect(scenario.newestFirst ? page.next < position : page.next > position).toBe(true);
          pages += 1;
          expect(pages).toBeLessThan(2_000);
          if (page.next === undefined) break;
          position = page.next;
        }

        // Assess the walk
        expect(listed).toEqual(truth);
      }),
      { numRuns: 400 },
    );
  });

  it('a full page from one well-filled month costs one query per shard and one for the base', async () => {
    // Prepare: 400 items in January 2027 over 4 shards
    const schedule = parseShardSchedule('2026-11:4');
    const items: Item[] = Array.from({ length: 400 }, (_, n) => {
      const id = `pay_${String(n).padStart(4, '0')}`;
      const gsi1sk = `2027-01-${String(1 + (n % 14)).padStart(2, '0')}T10:00:00.000Z#${id}`;
      return { gsi1pk: listPartitionOf(BASE, schedule, gsi1sk, id, NOW), gsi1sk, wanted: true, kept: true };
    });
    const counter = { queries: 0 };
    // Act
    const page = await readListPage({
      base: BASE, schedule, position: undefined, newestFirst: true, now: NOW, query: modelQuery(items, false, counter),
      limit: 100, filtered: false, maxQueries: 16, filteredReadSize: 200,
    });
    // Assess
    expect(page.data).toHaveLength(100);
    expect(counter.queries).toBe(5);
    expect(new Set(items.map((item) => item.gsi1pk)).size).toBe(4);
  });
});

describe('listSources', () => {
  it('walks the base, then each month from the range (or the first bucketed month) to now, newest first', () => {
    const schedule = parseShardSchedule('2026-10:2,2026-12:3');
    const sources = listSources(BASE, schedule, { range: { from: '2026-11-20T00:00:00.000Z' }, newestFirst: true, position: undefined, now: NOW });
    expect(sources.map((source) => source.partition)).toEqual([
      BASE,
      `${BASE}#2027-01#0`, `${BASE}#2027-01#1`, `${BASE}#2027-01#2`,
      `${BASE}#2026-12#0`, `${BASE}#2026-12#1`, `${BASE}#2026-12#2`,
      `${BASE}#2026-11#0`, `${BASE}#2026-11#1`,
    ]);
    expect(sources.at(-1)?.from).toBe('2026-11-20T00:00:00.000Z');
    expect(monthOf(sources[1]?.to ?? '')).toBe('2027-01');
  });

  it('puts an item dated after the writer\'s month, or before buckets began, in the base', () => {
    const schedule = parseShardSchedule('2026-11:4');
    expect(listPartitionOf(BASE, schedule, '2027-02-01T00:00:00.000Z#x', 'x', NOW)).toBe(BASE);
    expect(listPartitionOf(BASE, schedule, '2026-10-31T23:59:59.999Z#x', 'x', NOW)).toBe(BASE);
    expect(listPartitionOf(BASE, schedule, '2026-11-01T00:00:00.000Z#x', 'x', NOW)).toMatch(/#2026-11#[0-3]$/);
  });

  it('refuses a schedule whose months do not ascend or whose counts are not whole', () => {
    expect(() => parseShardSchedule('2027-01:4,2026-12:8')).toThrow(/ascend/);
    expect(() => parseShardSchedule('2027-01:0')).toThrow();
    expect(() => parseShardSchedule('2027-1:4')).toThrow();
  });
});
