/**
 * Upper bounds (inclusive, milliseconds) of the settlement-latency histogram's buckets: 1 s, 5 s, 30 s, 1 min, 5 min,
 * 15 min, 1 h, 4 h, 1 day; a last bucket (`upToMs: null`) holds everything beyond a day. Fixed, so charts of
 * different periods and accounts line up.
 */
export const LATENCY_BUCKET_BOUNDS_MS = [1_000, 5_000, 30_000, 60_000, 300_000, 900_000, 3_600_000, 14_400_000, 86_400_000] as const;

/** One bucket: latencies above the previous bucket's bound and at most `upToMs` (null: above the last bound). */
export interface LatencyBucket {
  readonly upToMs: number | null;
  readonly count: number;
}

/**
 * Counts latencies into the fixed buckets: each goes into the first bucket whose bound is at least it, or the last
 * (`null`) one. Every bucket is present, empty ones with 0, so the counts add up to the number of latencies.
 */
export const latencyHistogram = (latencies: readonly number[]): LatencyBucket[] => {
  const counts: number[] = Array.from({ length: LATENCY_BUCKET_BOUNDS_MS.length + 1 }, () => 0);
  for (const latency of latencies) {
    const index = LATENCY_BUCKET_BOUNDS_MS.findIndex((bound) => latency <= bound);
    const bucket = index === -1 ? LATENCY_BUCKET_BOUNDS_MS.length : index;
    counts[bucket] = (counts[bucket] ?? 0) + 1;
  }
  return counts.map((count, index) => ({ upToMs: LATENCY_BUCKET_BOUNDS_MS[index] ?? null, count }));
};
