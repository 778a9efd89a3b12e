/**
 * Period windows of a mandate's periodic limits (pure: no I/O). A window is [start, end): `start` inclusive, `end`
 * exclusive, so the windows of one period tile time without gaps or overlaps.
 *
 * - calendar alignment: day = UTC day, week = ISO week (Monday 00:00 UTC to the next Monday), month = calendar
 *   month, half-year = January–June / July–December, year = calendar year (all in UTC). A fortnight has no calendar
 *   alignment (the Open Banking VRP standard has none either): refused at creation.
 * - consent alignment: windows counted from the anchor (the mandate's validFrom, or its activation) in steps of the
 *   period: day 24 h, week 7 days, fortnight 14 days; month, half-year and year step in calendar months from the
 *   anchor's day of month (clamped to a shorter month's last day, each step computed from the anchor itself so a
 *   31st never drifts to the 28th for good).
 */

export const PERIODS = ['day', 'week', 'fortnight', 'month', 'half-year', 'year'] as const;
export type Period = (typeof PERIODS)[number];
export const ALIGNMENTS = ['consent', 'calendar'] as const;
export type Alignment = (typeof ALIGNMENTS)[number];

export interface Window {
  /** Epoch milliseconds, inclusive. */
  readonly start: number;
  /** Epoch milliseconds, exclusive. */
  readonly end: number;
}

const DAY_MS = 24 * 60 * 60 * 1000;
const FIXED_DAYS: Partial<Record<Period, number>> = { day: 1, week: 7, fortnight: 14 };
const MONTHS: Partial<Record<Period, number>> = { month: 1, 'half-year': 6, year: 12 };

export const isAlignmentAllowed = (period: Period, alignment: Alignment): boolean => !(period === 'fortnight' && alignment === 'calendar');

/** `anchor` plus `months` calendar months, the day of month clamped to the target month's length (UTC). */
export const addMonthsClamped = (anchor: number, months: number): number => {
  const date = new Date(anchor);
  const totalMonths = date.getUTCFullYear() * 12 + date.getUTCMonth() + months;
  const year = Math.floor(totalMonths / 12);
  const month = totalMonths - year * 12;
  const lastDay = new Date(Date.UTC(year, month + 1, 0)).getUTCDate();
  const day = Math.min(date.getUTCDate(), lastDay);
  const timeOfDay = anchor - Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate());
  return Date.UTC(year, month, day) + timeOfDay;
};

const monthStepWindow = (anchor: number, stepMonths: number, at: number): Window => {
  const a = new Date(anchor);
  const t = new Date(at);
  // First guess from the month difference, then step until anchor + k·step ≤ at < anchor + (k+1)·step.
  const monthsApart = (t.getUTCFullYear() - a.getUTCFullYear()) * 12 + (t.getUTCMonth() - a.getUTCMonth());
  let k = Math.floor(monthsApart / stepMonths);
  while (addMonthsClamped(anchor, k * stepMonths) > at) k -= 1;
  while (addMonthsClamped(anchor, (k + 1) * stepMonths) <= at) k += 1;
  return { start: addMonthsClamped(anchor, k * stepMonths), end: addMonthsClamped(anchor, (k + 1) * stepMonths) };
};

const fixedWindow = (origin: number, lengthMs: number, at: number): Window => {
  const k = Math.floor((at - origin) / lengthMs);
  return { start: origin + k * lengthMs, end: origin + (k + 1) * lengthMs };
};

/** Monday 1970-01-05 00:00 UTC: ISO weeks are 7-day steps from any Monday. */
const A_MONDAY = Date.UTC(1970, 0, 5);

/**
 * The window of `period` that contains the instant `at` (epoch ms). `anchor` (epoch ms) is used by consent
 * alignment only. Throws for a fortnight with calendar alignment.
 */
export const windowAt = (period: Period, alignment: Alignment, anchor: number, at: number): Window => {
  if (!isAlignmentAllowed(period, alignment)) throw new Error('A fortnight has no calendar alignment');
  const fixedDays = FIXED_DAYS[period];
  const months = MONTHS[period];
  if (alignment === 'consent') {
    if (fixedDays !== undefined) return fixedWindow(anchor, fixedDays * DAY_MS, at);
    return monthStepWindow(anchor, months ?? 1, at);
  }
  if (period === 'day') return fixedWindow(0, DAY_MS, at);
  if (period === 'week') return fixedWindow(A_MONDAY, 7 * DAY_MS, at);
  const date = new Date(at);
  const monthOfYear = date.getUTCMonth();
  const startMonth = period === 'month' ? monthOfYear : period === 'half-year' ? (monthOfYear < 6 ? 0 : 6) : 0;
  const start = Date.UTC(date.getUTCFullYear(), startMonth, 1);
  return { start, end: addMonthsClamped(start, months ?? 1) };
};
