/** The report's period: ISO date-times, `from` inclusive and `to` exclusive, as GET /v1/reconciliation/report takes them. */
export interface Period {
  readonly from: string;
  readonly to: string;
}

const DAY_MS = 86_400_000;

/** This month so far: from the 1st at 00:00 UTC to now (to the second). */
export const monthSoFar = (now: Date): Period => {
  const from = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1));
  const to = new Date(Math.floor(now.getTime() / 1000) * 1000);
  return { from: from.toISOString(), to: to.toISOString() };
};

const isDateTime = (value: string | null): value is string => value !== null && /^\d{4}-\d{2}-\d{2}T/.test(value) && !Number.isNaN(Date.parse(value));

/** The period in the page's hash (`#/report?from=…&to=…`), or this month so far. */
export const periodOf = (query: URLSearchParams, now: Date): Period => {
  const from = query.get('from');
  const to = query.get('to');
  return isDateTime(from) && isDateTime(to) ? { from, to } : monthSoFar(now);
};

/** `2026-12-01T00:00:00.000Z` → `2026-12-01` (the UTC day, for a date input and the file's name). */
export const dayOf = (iso: string): string => new Date(iso).toISOString().slice(0, 10);

/**
 * The period of a form's "from" and "through" days (both inclusive, UTC): from the first day's start to the end of
 * the last day, or to now (to the second) when the last day is today or later. Undefined when a day is missing or
 * the period is empty.
 */
export const periodOfDays = (fromDay: string, throughDay: string, now: Date): Period | undefined => {
  const from = Date.parse(`${fromDay}T00:00:00.000Z`);
  const through = Date.parse(`${throughDay}T00:00:00.000Z`);
  if (Number.isNaN(from) || Number.isNaN(through)) return undefined;
  const end = Math.min(through + DAY_MS, Math.floor(now.getTime() / 1000) * 1000);
  if (end <= from) return undefined;
  return { from: new Date(from).toISOString(), to: new Date(end).toISOString() };
};

/** The last day a period covers (its `to` is exclusive): for the form's "through" field. */
export const throughDayOf = (period: Period): string => dayOf(new Date(Date.parse(period.to) - 1).toISOString());

/** `settled-report-2026-11-01-2026-12-01.csv`: the UTC days of the period's `from` and `to`, as the API names its own file. */
export const csvFileName = (period: Period): string => `settled-report-${dayOf(period.from)}-${dayOf(period.to)}.csv`;
