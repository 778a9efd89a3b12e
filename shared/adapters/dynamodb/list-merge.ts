import { type ListSource, listSources, type ShardSchedule } from './list-partitions';

/**
 * The k-way merge behind every bucketed list page (docs/architecture.md §6, "List partitions"). Pure: the one query
 * it needs is passed in, so property tests run it against an in-memory model of DynamoDB's Query.
 *
 * Each source is read in sort-key order from where it stopped; an item is answered only once no source could still
 * hold one before it in reading order (a source not yet opened could if its range starts before it; a source whose
 * buffer ran dry could if its unread part starts before it). Sources are opened lazily, a month's shards together,
 * so a page near the start of the walk never reads the months beyond it.
 */

/** One Query on one source: items in reading order, their sort keys within [from, to], and where it stopped if cut short. */
export interface SourceQuery {
  readonly partition: string;
  readonly from: string | undefined;
  readonly to: string | undefined;
  readonly newestFirst: boolean;
  readonly limit: number;
}
export interface SourceResult {
  /** What the query kept (after DynamoDB's filter), in reading order. */
  readonly items: readonly Record<string, unknown>[];
  /** The sort key of the last item the query read (kept or not), if it stopped before the end of its range. */
  readonly lastRead: string | undefined;
}
export type QuerySource = (query: SourceQuery) => Promise<SourceResult>;

export interface MergedPageRequest {
  readonly sources: readonly ListSource[];
  readonly query: QuerySource;
  readonly limit: number;
  readonly newestFirst: boolean;
  /** Where the previous page stopped: items at or before it in reading order are not answered again. */
  readonly position: string | undefined;
  /** Whether DynamoDB's filter or `keep` may drop items (read more per query then). */
  readonly filtered: boolean;
  /** Applied to each item in merged order (a condition DynamoDB cannot evaluate). */
  readonly keep?: ((item: Record<string, unknown>) => boolean) | undefined;
  /** The page stops starting new queries once it has made this many, and answers what it has with a cursor. */
  readonly maxQueries: number;
  /** Items read per query when filters may drop some. */
  readonly filteredReadSize: number;
}

export interface MergedPage {
  readonly data: Record<string, unknown>[];
  /** Where the next page resumes (exclusive), or undefined when the list is known to be exhausted. */
  readonly next: string | undefined;
  readonly queries: number;
}

interface SourceState {
  readonly source: ListSource;
  opened: boolean;
  buffer: Record<string, unknown>[];
  /** The sort key of the last item read; the next query starts past it. */
  lastRead: string | undefined;
  exhausted: boolean;
  /** Queries made on it in this page. */
  reads: number;
}

const sortKeyOf = (item: Record<string, unknown>): string => {
  const key = item.gsi1sk;
  if (typeof key !== 'string') throw new Error('A list item without a string gsi1sk');
  return key;
};

/**
 * How many items to ask one source for. A shard holds about 1/shards of what follows, so its first read is that share
 * plus a margin (3 σ); the base and a lone shard are read for the whole need. A filter may drop rows, so a filtered
 * read is at least its share of `filteredReadSize`. Each time the same source runs dry again within a page the read
 * doubles, up to what one unsharded query would read, so a selective filter still reads in large steps.
 */
export const readSize = (need: number, shards: number, filtered: boolean, filteredReadSize: number, refills = 0): number => {
  const cap = filtered ? Math.max(need, filteredReadSize) : need;
  if (shards <= 1) return cap;
  const share = need / shards;
  const first = Math.max(Math.ceil(share + 3 * Math.sqrt(share)) + 1, filtered ? Math.ceil(filteredReadSize / shards) : 0);
  return Math.min(cap, first * 2 ** Math.min(refills, 16));
};

export const readMergedPage = async (request: MergedPageRequest): Promise<MergedPage> => {
  const { newestFirst, limit } = request;
  /** a before b in reading order. */
  const before = (a: string, b: string) => (newestFirst ? a > b : a < b);
  /** Where a source's items begin in reading order (undefined: at the very start). */
  const startOf = (source: ListSource) => (newestFirst ? source.to : source.from);
  const states: SourceState[] = request.sources.map((source) => ({ source, opened: false, buffer: [], lastRead: undefined, exhausted: false, reads: 0 }));
  const kept: Record<string, unknown>[] = [];
  let queries = 0;
  let lastAnswered: string | undefined;
  /** Items DynamoDB read (queries cut short by their limit) and returned after its filter; items taken from buffers. */
  const observed = { read: 0, returned: 0, popped: 0 };

  const fetch = async (state: SourceState) => {
    const { source } = state;
    // Resume past what was read (or past the cursor): the bound is inclusive, so one more is asked and the item at
    // the bound itself dropped.
    const resume = state.lastRead ?? request.position;
    const from = !newestFirst && resume !== undefined && (source.from === undefined || resume > source.from) ? resume : source.from;
    const to = newestFirst && resume !== undefined && (source.to === undefined || resume < source.to) ? resume : source.to;
    state.opened = true;
    if (from !== undefined && to !== undefined && from > to) {
      // Nothing of this source lies past where the read resumes (DynamoDB refuses BETWEEN with its ends reversed).
      state.exhausted = true;
      return;
    }
    const exclusive = resume !== undefined && (newestFirst ? to === resume : from === resume);
    const need = limit - kept.length;
    let size = readSize(need, source.shards, request.filtered, request.filteredReadSize, state.reads);
    if (request.filtered && observed.read > 0) {
      // What this page has seen the filters keep: read enough for this source's share of what is missing.
      const keptRatio = Math.max(observed.returned / observed.read, 0.001) * (observed.popped === 0 ? 1 : Math.max(kept.length / observed.popped, 0.001));
      const estimate = Math.ceil((need / Math.max(source.shards, 1) / keptRatio) * 1.25) + 1;
      size = Math.max(size, Math.min(estimate, Math.max(need, request.filteredReadSize)));
    }
    size += exclusive ? 1 : 0;
    state.reads += 1;
    const result = await request.query({ partition: source.partition, from, to, newestFirst, limit: size });
    if (result.lastRead !== undefined) {
      observed.read += size;
      observed.returned += result.items.length;
    }
    state.buffer.push(...result.items.filter((item) => !(exclusive && sortKeyOf(item) === resume)));
    state.lastRead = result.lastRead ?? state.lastRead;
    state.exhausted = result.lastRead === undefined;
  };

  /**
   * The exclusive position a page stopped short resumes from: the first point in reading order where something may
   * remain unread (a dry source's last read, an unopened source's start, a month prefix that is never a real key).
   * Every buffered item lies past it (it was blocked by one of those points), and every answered item before it.
   */
  const resumePosition = (): string | undefined => {
    let position: string | undefined;
    for (const state of states) {
      const pending = state.opened
        ? state.exhausted || state.buffer.length > 0 ? undefined : state.lastRead
        : newestFirst ? (state.source.to ?? '\uffff') : (state.source.from ?? '');
      if (pending !== undefined && (position === undefined || before(pending, position))) position = pending;
    }
    return position ?? lastAnswered ?? request.position;
  };

  for (;;) {
    // The next item in reading order among what is buffered.
    let best: SourceState | undefined;
    for (const state of states) {
      const head = state.buffer[0];
      if (head === undefined) continue;
      const bestHead = best?.buffer[0];
      if (bestHead === undefined || before(sortKeyOf(head), sortKeyOf(bestHead))) best = state;
    }
    const bestKey = best?.buffer[0] === undefined ? undefined : sortKeyOf(best.buffer[0]);
    // Sources that could hold something before it: dry ones not at their end, and unopened ones starting before it.
    const dry = states.filter((state) => state.opened && !state.exhausted && state.buffer.length === 0 && (bestKey === undefined || state.lastRead === undefined || !before(bestKey, state.lastRead)));
    // Unopened sources are opened a group at a time (a month's shards share a start), in walk order, and only when
    // the group could hold something before what is buffered: a page reads no further months than it answers from.
    const threshold = bestKey ?? dry.map((state) => state.lastRead).find((key) => key !== undefined);
    const next = states.find((state) => !state.opened);
    const nextStart = next === undefined ? undefined : startOf(next.source);
    let toOpen =
      next === undefined || (threshold !== undefined && nextStart !== undefined && before(threshold, nextStart))
        ? []
        : states.filter((state) => !state.opened && startOf(state.source) === nextStart);
    if (next !== undefined && next === states[0] && !next.opened) {
      // The base spans everything: open the first month with it, in one round rather than two.
      const month = states.find((state) => !state.opened && !toOpen.includes(state));
      const monthStart = month === undefined ? undefined : startOf(month.source);
      toOpen = [...toOpen, ...states.filter((state) => !state.opened && !toOpen.includes(state) && startOf(state.source) === monthStart)];
    }
    const wanted = [...dry, ...toOpen];
    if (wanted.length > 0) {
      if (queries >= request.maxQueries) return { data: kept, next: resumePosition(), queries };
      queries += wanted.length;
      await Promise.all(wanted.map(fetch));
      continue;
    }
    if (best === undefined) return { data: kept, next: undefined, queries };
    const item = best.buffer.shift();
    if (item === undefined) continue;
    lastAnswered = sortKeyOf(item);
    observed.popped += 1;
    if (request.keep !== undefined && !request.keep(item)) continue;
    kept.push(item);
    if (kept.length === limit) {
      const done = states.every((state) => state.opened && state.exhausted && state.buffer.length === 0);
      return { data: kept, next: done ? undefined : lastAnswered, queries };
    }
  }
};

/** A page of a bucketed list: the sources its position and range leave to walk (list-partitions.ts), merged. */
export const readListPage = (request: {
  readonly base: string;
  readonly schedule: ShardSchedule;
  readonly range?: { readonly from?: string | undefined; readonly to?: string | undefined } | undefined;
  readonly position: string | undefined;
  readonly newestFirst: boolean;
  readonly now: number;
  readonly query: QuerySource;
  readonly limit: number;
  readonly filtered: boolean;
  readonly keep?: ((item: Record<string, unknown>) => boolean) | undefined;
  readonly maxQueries: number;
  readonly filteredReadSize: number;
}): Promise<MergedPage> =>
  readMergedPage({
    ...request,
    sources: listSources(request.base, request.schedule, { range: request.range, position: request.position, newestFirst: request.newestFirst, now: request.now }),
  });
