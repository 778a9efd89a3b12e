import { describe, expect, it } from 'vitest';
import { histogramOf, latencyBars } from '../../../console/src/pages/parts/latency';
import { csvFileName, monthSoFar, periodOf, periodOfDays, throughDayOf } from '../../../console/src/pages/parts/period';

const NOW = new Date('2026-12-17T10:11:12.345Z');

describe("the report page's period", () => {
  it('defaults to this month so far, from the 1st at 00:00 UTC to now (to the second)', () => {
    expect(monthSoFar(NOW)).toEqual({ from: '2026-12-01T00:00:00.000Z', to: '2026-12-17T10:11:12.000Z' });
    expect(periodOf(new URLSearchParams(), NOW)).toEqual(monthSoFar(NOW));
  });

  it("takes the hash's from and to when both are date-times, else the default", () => {
    const query = new URLSearchParams({ from: '2026-11-01T00:00:00.000Z', to: '2026-12-01T00:00:00.000Z' });
    expect(periodOf(query, NOW)).toEqual({ from: '2026-11-01T00:00:00.000Z', to: '2026-12-01T00:00:00.000Z' });
    expect(periodOf(new URLSearchParams({ from: '2026-11-01T00:00:00.000Z', to: 'yesterday' }), NOW)).toEqual(monthSoFar(NOW));
  });

  it('turns the form\'s days into a period ending with the last day, or now when that is today', () => {
    expect(periodOfDays('2026-11-01', '2026-11-30', NOW)).toEqual({ from: '2026-11-01T00:00:00.000Z', to: '2026-12-01T00:00:00.000Z' });
    expect(periodOfDays('2026-12-01', '2026-12-17', NOW)).toEqual({ from: '2026-12-01T00:00:00.000Z', to: '2026-12-17T10:11:12.000Z' });
    expect(periodOfDays('2026-12-18', '2026-12-20', NOW)).toBeUndefined();
    expect(periodOfDays('2026-12-05', '2026-12-01', NOW)).toBeUndefined();
    expect(periodOfDays('', '2026-12-01', NOW)).toBeUndefined();
  });

  it('shows the last day a period covers and names the CSV after its from and to days', () => {
    const november = { from: '2026-11-01T00:00:00.000Z', to: '2026-12-01T00:00:00.000Z' };
    expect(throughDayOf(november)).toBe('2026-11-30');
    expect(csvFileName(november)).toBe('settled-report-2026-11-01-2026-12-01.csv');
  });
});

describe("the report page's latency chart", () => {
  const percentiles = { count: 3, p50Ms: 1100, p90Ms: 65_000, p99Ms: 65_000 };

  it('draws the histogram when the API sends one, one bar per bucket with its count', () => {
    const latency = { ...percentiles, histogram: [{ upToMs: 1000, count: 0 }, { upToMs: 60_000, count: 1 }, { upToMs: null, count: 2 }] };
    expect(latencyBars(latency)).toEqual({
      kind: 'histogram',
      bars: [
        { label: '≤ 1.0 s', value: 0, text: '0 settlements' },
        { label: '≤ 1 min', value: 1, text: '1 settlement' },
        { label: '> 1 min', value: 2, text: '2 settlements' },
      ],
    });
  });

  it('falls back to p50, p90 and p99 without a histogram or with a malformed one', () => {
    const expected = {
      kind: 'percentiles',
      bars: [
        { label: 'p50', value: 1100, text: '1.1 s' },
        { label: 'p90', value: 65_000, text: '1 min 5 s' },
        { label: 'p99', value: 65_000, text: '1 min 5 s' },
      ],
    };
    expect(latencyBars(percentiles)).toEqual(expected);
    expect(histogramOf({ ...percentiles, histogram: [{ upToMs: '1000', count: 1 }] })).toBeUndefined();
    expect(latencyBars({ ...percentiles, histogram: 'none' })).toEqual(expected);
  });

  it('has no bar when nothing settled', () => {
    expect(latencyBars({ count: 0, p50Ms: null, p90Ms: null, p99Ms: null }).bars).toEqual([]);
  });
});
