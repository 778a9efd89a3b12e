import { duration } from '../../shell/format';
import type { Bar } from './bars';

/** One bucket of the report's settlement-latency histogram: settlements up to `upToMs` (null: the open last bucket). */
export interface LatencyBucket {
  readonly upToMs: number | null;
  readonly count: number;
}

/** What the console reads of a report's `settlementLatency` (the histogram arrives with a newer API; absent before). */
export interface Latency {
  readonly count: number;
  readonly p50Ms: number | null;
  readonly p90Ms: number | null;
  readonly p99Ms: number | null;
  readonly histogram?: unknown;
}

const isBucket = (value: unknown): value is LatencyBucket =>
  typeof value === 'object' &&
  value !== null &&
  'upToMs' in value &&
  'count' in value &&
  (value.upToMs === null || typeof value.upToMs === 'number') &&
  typeof value.count === 'number';

/** The histogram's buckets when the API sent a well-formed one, else undefined (then the chart uses the percentiles). */
export const histogramOf = (latency: Latency): readonly LatencyBucket[] | undefined => {
  if (!('histogram' in latency)) return undefined;
  const histogram: unknown = latency.histogram;
  if (!Array.isArray(histogram) || histogram.length === 0) return undefined;
  const buckets: LatencyBucket[] = [];
  for (const entry of histogram) {
    if (!isBucket(entry)) return undefined;
    buckets.push({ upToMs: entry.upToMs, count: entry.count });
  }
  return buckets;
};

const settlements = (count: number): string => `${count} ${count === 1 ? 'settlement' : 'settlements'}`;

/**
 * The chart's bars: one per histogram bucket (`≤ 1 s`, …, `> 1 h`, the count settled within it), or, without a
 * histogram, p50, p90 and p99 (their milliseconds). Empty when nothing settled.
 */
export const latencyBars = (latency: Latency): { readonly kind: 'histogram' | 'percentiles'; readonly bars: readonly Bar[] } => {
  const buckets = histogramOf(latency);
  if (buckets !== undefined) {
    let previous: number | null = null;
    const bars = buckets.map((bucket) => {
      const label = bucket.upToMs === null ? (previous === null ? 'all' : `> ${duration(previous)}`) : `≤ ${duration(bucket.upToMs)}`;
      if (bucket.upToMs !== null) previous = bucket.upToMs;
      return { label, value: bucket.count, text: settlements(bucket.count) };
    });
    return { kind: 'histogram', bars };
  }
  const percentiles: [string, number | null][] = [
    ['p50', latency.p50Ms],
    ['p90', latency.p90Ms],
    ['p99', latency.p99Ms],
  ];
  const bars = percentiles.flatMap(([label, ms]) => (ms === null ? [] : [{ label, value: ms, text: duration(ms) }]));
  return { kind: 'percentiles', bars };
};
