import { SETTING_VARIABLES } from '../../runtime/environment';
/**
 * Where a list item lives on gsi1, and which gsi1 partitions a read of a list walks (docs/architecture.md §6,
 * "List partitions"). Pure: no AWS, no clock (the caller passes `now`).
 *
 * A list (`<ten>#PAYMENTS`, `<ten>#EVENTS`, `<ten>#EXCEPTIONS`, `<ten>#ACCTXNS#<acc>`) is its *base*. Its items are
 * spread over buckets: a bucket is a calendar month (UTC, the first 7 characters of the sort key, which starts with
 * the item's ISO time) and a shard within it, `<base>#<YYYY-MM>#<shard>`. The shard is a hash of the item's id, so
 * concurrent writes of the same month spread evenly over the month's shards.
 *
 * The shard count of a month is part of a schedule, not a single number: `"2026-11:4"` means months from 2026-11 have
 * 4 shards; `"2026-11:4,2027-06:8"` adds 8 from 2027-06. Writer and reader both derive a month's shard count from the
 * schedule, so a change only ever applies to months that have not started yet (append an entry for a future month;
 * never edit or remove one): items already written stay where the reader looks for them.
 *
 * The base partition itself (the key the code before buckets wrote) stays the *overflow*: items written before
 * buckets existed, items of months before the schedule's first month (a statement import of old history), and items
 * dated after the month in which they are written (a future booking date). A reader merges it with the buckets as one
 * more source spanning the whole range, so nothing written by the old code needs migrating.
 */

/** A month's shard count, from the first month it applies. */
export interface ShardSchedule {
  /** Ascending by month; the first entry's month is when buckets begin. */
  readonly entries: readonly { readonly month: string; readonly shards: number }[];
}

const MONTH = /^\d{4}-(0[1-9]|1[0-2])$/;

/** Parses `"YYYY-MM:N[,YYYY-MM:N…]"`; throws on anything else, so a bad setting fails a deploy's first request loudly. */
export const parseShardSchedule = (text: string): ShardSchedule => {
  const entries = text
    .split(',')
    .map((part) => part.trim())
    .filter((part) => part !== '')
    .map((part) => {
      const [month, count] = part.split(':');
      const shards = Number(count);
      if (month === undefined || !MONTH.test(month) || !Number.isInteger(shards) || shards < 1 || shards > 64) {
        throw new Error(`List shard schedule: "${part}" is not YYYY-MM:N with 1 ≤ N ≤ 64`);
      }
      return { month, shards };
    });
  if (entries.length === 0) throw new Error('List shard schedule: empty');
  for (let i = 1; i < entries.length; i += 1) {
    if ((entries[i]?.month ?? '') <= (entries[i - 1]?.month ?? '')) throw new Error('List shard schedule: months must ascend');
  }
  return { entries };
};

/** The month buckets begin: 2026-11, the month list buckets were introduced (everything earlier is in the base). */
export const DEFAULT_LIST_SHARDS = '2026-11:4';
/** Events: five per settlement, so the event list takes the most writes of all lists (capacity in the docs). */
export const DEFAULT_EVENT_LIST_SHARDS = '2026-11:8';

const parsed = new Map<string, ShardSchedule>();
/** The schedule in effect, from the environment (read on each call: tests and benches set it), parsed once per text. */
export const shardScheduleFrom = (text: string | undefined, fallback: string): ShardSchedule => {
  const key = text === undefined || text.trim() === '' ? fallback : text;
  let schedule = parsed.get(key);
  if (schedule === undefined) {
    schedule = parseShardSchedule(key);
    parsed.set(key, schedule);
  }
  return schedule;
};
export const listShardSchedule = (): ShardSchedule => shardScheduleFrom(process.env[SETTING_VARIABLES.listShards], DEFAULT_LIST_SHARDS);
export const eventListShardSchedule = (): ShardSchedule => shardScheduleFrom(process.env[SETTING_VARIABLES.eventListShards], DEFAULT_EVENT_LIST_SHARDS);

/** Small lists that are never busy (a tenant's accounts, its webhook endpoints): their base partition alone. */
export const UNBUCKETED: ShardSchedule = { entries: [] };

/** The shard count of a month, or 0 before buckets begin. */
export const shardsOf = (schedule: ShardSchedule, month: string): number => {
  let shards = 0;
  for (const entry of schedule.entries) if (entry.month <= month) shards = entry.shards;
  return shards;
};

/** The month a sort key belongs to, or undefined if it does not start with one. */
export const monthOf = (sortKey: string): string | undefined => {
  const month = sortKey.slice(0, 7);
  return MONTH.test(month) ? month : undefined;
};

/** The month of an instant (epoch milliseconds), UTC. */
export const monthAt = (epochMs: number): string => new Date(epochMs).toISOString().slice(0, 7);

const addMonths = (month: string, delta: number): string => {
  const year = Number(month.slice(0, 4));
  const index = year * 12 + Number(month.slice(5, 7)) - 1 + delta;
  return `${String(Math.floor(index / 12)).padStart(4, '0')}-${String((index % 12) + 1).padStart(2, '0')}`;
};

/** FNV-1a, 32 bits: stable across runtimes and versions, which the shard of a stored item depends on. */
export const shardHash = (text: string): number => {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i += 1) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
};

export const bucketPartition = (base: string, month: string, shard: number) => `${base}#${month}#${String(shard)}`;

/**
 * The gsi1 partition of a list item: its month's bucket and the shard its id hashes to; the base (overflow) for a
 * month before buckets begin or after the month of `now` (the writer's clock).
 */
export const listPartitionOf = (base: string, schedule: ShardSchedule, sortKey: string, itemId: string, now: number): string => {
  const month = monthOf(sortKey);
  if (month === undefined || month > monthAt(now)) return base;
  const shards = shardsOf(schedule, month);
  return shards === 0 ? base : bucketPartition(base, month, shardHash(itemId) % shards);
};

/** One gsi1 partition a read merges, and the inclusive sort-key range it may hold within the read (undefined: open). */
export interface ListSource {
  readonly partition: string;
  readonly from: string | undefined;
  readonly to: string | undefined;
  /** A shard of a bucket (read about 1/shards of what the page needs) rather than the overflow (read it all). */
  readonly shards: number;
}

/** A reader's clock may lag a writer's: a month starting within this margin of `now` is walked too. */
export const CLOCK_MARGIN_MS = 60_000;

const higher = (a: string | undefined, b: string | undefined) => (a === undefined ? b : b === undefined ? a : a > b ? a : b);
const lower = (a: string | undefined, b: string | undefined) => (a === undefined ? b : b === undefined ? a : a < b ? a : b);

/**
 * The sources a read of `base` merges, in the order a walk opens them: the overflow first (it spans everything),
 * then each month's shards from the one the walk starts in. `range` bounds are inclusive sort keys; `position`, if
 * given, is where a previous page stopped (exclusive), so months wholly behind it are not walked again.
 */
export const listSources = (
  base: string,
  schedule: ShardSchedule,
  read: { readonly range?: { readonly from?: string | undefined; readonly to?: string | undefined } | undefined; readonly position?: string | undefined; readonly newestFirst: boolean; readonly now: number },
): ListSource[] => {
  let from = read.range?.from;
  let to = read.range?.to;
  if (read.position !== undefined) {
    if (read.newestFirst) to = lower(to, read.position);
    else from = higher(from, read.position);
  }
  const sources: ListSource[] = [{ partition: base, from, to, shards: 1 }];
  if (from !== undefined && to !== undefined && from > to) return sources;
  const first = schedule.entries[0]?.month;
  if (first === undefined) return sources;
  // Bucketed months run from the schedule's first to the month of now (a writer never buckets a later month). A bound
  // that does not start with a month only widens the walk; the bounds themselves still narrow every query.
  const fromMonth = higher(from === undefined ? undefined : monthOf(from), first) ?? first;
  const nowMonth = monthAt(read.now + CLOCK_MARGIN_MS);
  const toMonth = lower(to === undefined ? undefined : monthOf(to), nowMonth) ?? nowMonth;
  const months: string[] = [];
  for (let month = fromMonth; month <= toMonth; month = addMonths(month, 1)) months.push(month);
  if (read.newestFirst) months.reverse();
  for (const month of months) {
    const shards = shardsOf(schedule, month);
    for (let shard = 0; shard < shards; shard += 1) {
      sources.push({ partition: bucketPartition(base, month, shard), from: higher(from, month), to: lower(to, `${month}\uffff`), shards });
    }
  }
  return sources;
};
