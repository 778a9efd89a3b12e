import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addMonthsClamped, ALIGNMENTS, type Alignment, isAlignmentAllowed, type Period, PERIODS, windowAt } from '../../../../shared/domain/mandates/periods';

const MIN = Date.UTC(1990, 0, 1);
const MAX = Date.UTC(2150, 0, 1);
const instant = fc.integer({ min: MIN, max: MAX });
const allowed = fc
  .tuple(fc.constantFrom(...PERIODS), fc.constantFrom(...ALIGNMENTS))
  .filter(([period, alignment]) => isAlignmentAllowed(period, alignment));
const RUNS = { numRuns: 500, seed: 1212 };

describe('mandate period windows', () => {
  it('the window contains the instant, and is a period long (between its shortest and longest length)', () => {
    const DAY = 86_400_000;
    const bounds: Record<Period, [number, number]> = {
      day: [DAY, DAY],
      week: [7 * DAY, 7 * DAY],
      fortnight: [14 * DAY, 14 * DAY],
      month: [28 * DAY, 31 * DAY],
      'half-year': [181 * DAY, 184 * DAY],
      year: [365 * DAY, 366 * DAY],
    };
    fc.assert(
      fc.property(allowed, instant, instant, ([period, alignment], anchor, at) => {
        const window = windowAt(period, alignment, anchor, at);
        expect(window.start).toBeLessThanOrEqual(at);
        expect(at).toBeLessThan(window.end);
        const [shortest, longest] = bounds[period];
        expect(window.end - window.start).toBeGreaterThanOrEqual(shortest);
        expect(window.end - window.start).toBeLessThanOrEqual(longest);
      }),
      RUNS,
    );
  });

  it('windows tile time: the next window starts where one ends and the previous ends where it starts (no gap, no overlap)', () => {
    fc.assert(
      fc.property(allowed, instant, instant, ([period, alignment], anchor, at) => {
        const window = windowAt(period, alignment, anchor, at);
        expect(windowAt(period, alignment, anchor, window.end)).toMatchObject({ start: window.end });
        expect(windowAt(period, alignment, anchor, window.start - 1)).toMatchObject({ end: window.start });
        // Every instant inside the window has the same window.
        const inside = window.start + Math.floor((window.end - window.start) / 2);
        expect(windowAt(period, alignment, anchor, inside)).toEqual(window);
      }),
      RUNS,
    );
  });

  it('consent-aligned windows start at the anchor and are counted from it', () => {
    fc.assert(
      fc.property(allowed.filter(([, alignment]) => alignment === 'consent'), instant, ([period, alignment], anchor) => {
        expect(windowAt(period, alignment, anchor, anchor).start).toBe(anchor);
      }),
      RUNS,
    );
  });

  it('calendar windows: UTC day, ISO week from Monday, calendar month, Jan–Jun / Jul–Dec, calendar year', () => {
    const at = Date.parse('2026-11-26T15:30:00Z'); // a Thursday
    const calendar = (period: Period) => {
      const { start, end } = windowAt(period, 'calendar', 0, at);
      return [new Date(start).toISOString(), new Date(end).toISOString()];
    };
    expect(calendar('day')).toEqual(['2026-11-26T00:00:00.000Z', '2026-11-27T00:00:00.000Z']);
    expect(calendar('week')).toEqual(['2026-11-23T00:00:00.000Z', '2026-11-30T00:00:00.000Z']);
    expect(calendar('month')).toEqual(['2026-11-01T00:00:00.000Z', '2026-12-01T00:00:00.000Z']);
    expect(calendar('half-year')).toEqual(['2026-07-01T00:00:00.000Z', '2027-01-01T00:00:00.000Z']);
    expect(calendar('year')).toEqual(['2026-01-01T00:00:00.000Z', '2027-01-01T00:00:00.000Z']);
    expect(() => windowAt('fortnight', 'calendar', 0, at)).toThrow();
  });

  it('consent months step from the anchor day, clamped in short months without drifting', () => {
    const anchor = Date.parse('2026-01-31T09:00:00Z');
    const window = (iso: string) => {
      const { start, end } = windowAt('month', 'consent' as Alignment, anchor, Date.parse(iso));
      return [new Date(start).toISOString(), new Date(end).toISOString()];
    };
    expect(window('2026-02-15T00:00:00Z')).toEqual(['2026-01-31T09:00:00.000Z', '2026-02-28T09:00:00.000Z']);
    expect(window('2026-03-01T00:00:00Z')).toEqual(['2026-02-28T09:00:00.000Z', '2026-03-31T09:00:00.000Z']);
    expect(new Date(addMonthsClamped(anchor, 2)).toISOString()).toBe('2026-03-31T09:00:00.000Z');
    const fortnight = windowAt('fortnight', 'consent', anchor, Date.parse('2026-02-20T00:00:00Z'));
    expect(new Date(fortnight.start).toISOString()).toBe('2026-02-14T09:00:00.000Z');
  });
});
