import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { LATENCY_BUCKET_BOUNDS_MS, latencyHistogram } from '../../../../shared/domain/reconciliation/latency-histogram';

const latencies = fc.array(
  fc.oneof(fc.nat({ max: 200_000_000 }), fc.constantFrom(0, ...LATENCY_BUCKET_BOUNDS_MS, ...LATENCY_BUCKET_BOUNDS_MS.map((bound) => bound + 1))),
  { maxLength: 200 },
);

describe('latencyHistogram', () => {
  it('has every fixed bucket, in order, ending with the unbounded one, even for no latencies', () => {
    expect(latencyHistogram([])).toEqual([
      { upToMs: 1_000, count: 0 },
      { upToMs: 5_000, count: 0 },
      { upToMs: 30_000, count: 0 },
      { upToMs: 60_000, count: 0 },
      { upToMs: 300_000, count: 0 },
      { upToMs: 900_000, count: 0 },
      { upToMs: 3_600_000, count: 0 },
      { upToMs: 14_400_000, count: 0 },
      { upToMs: 86_400_000, count: 0 },
      { upToMs: null, count: 0 },
    ]);
  });

  it('puts a latency on a bound in that bound’s bucket, one just above it in the next, beyond a day in the last', () => {
    expect(latencyHistogram([0, 1_000, 1_001, 86_400_000, 86_400_001]).filter((bucket) => bucket.count > 0)).toEqual([
      { upToMs: 1_000, count: 2 },
      { upToMs: 5_000, count: 1 },
      { upToMs: 86_400_000, count: 1 },
      { upToMs: null, count: 1 },
    ]);
  });

  it('counts add up to the number of latencies (property)', () => {
    fc.assert(
      fc.property(latencies, (values) => {
        const histogram = latencyHistogram(values);
        expect(histogram.map((bucket) => bucket.upToMs)).toEqual([...LATENCY_BUCKET_BOUNDS_MS, null]);
        expect(histogram.reduce((sum, bucket) => sum + bucket.count, 0)).toBe(values.length);
      }),
    );
  });

  it('counts each latency in exactly the first bucket whose bound is at least it (property)', () => {
    fc.assert(
      fc.property(latencies, (values) => {
        const histogram = latencyHistogram(values);
        // Independently of the implementation: a latency belongs to bucket i when it is above bound i-1 and at most
        // bound i (no bound for the last); the buckets are disjoint, so each latency is counted once.
        histogram.forEach((bucket, index) => {
          const lower = index === 0 ? -Infinity : (LATENCY_BUCKET_BOUNDS_MS[index - 1] ?? Infinity);
          const upper = bucket.upToMs ?? Infinity;
          expect(bucket.count).toBe(values.filter((latency) => latency > lower && latency <= upper).length);
        });
      }),
    );
  });
});
