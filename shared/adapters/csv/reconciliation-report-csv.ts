import { stringify } from 'csv-stringify/sync';
import {
  AGE_BUCKETS,
  type AccountCurrencyReport,
  REPORT_STATUSES,
  type ReconciliationReport,
  type ReportStatus,
} from '../../domain/reconciliation/reconciliation-report';
import { EXCEPTION_TYPES } from '../../domain/reconciliation/reconciliation-exception';
import { LATENCY_BUCKET_BOUNDS_MS } from '../../domain/reconciliation/latency-histogram';

/**
 * The report as one flat table a spreadsheet can pivot: one row per account × currency × section × direction ×
 * status, the same numbers as the JSON. Columns:
 *
 * - `transactions`, direction `in`/`out`, status matched | unmatched | needs_review | returned | pending |
 *   total_booked: count and amount.
 * - `net`, direction `in` (more came in) or `out` (more went out), status `total_booked`: the difference, unsigned.
 * - `payments`, direction `in` (inbound) / `out` (outbound), status settled_in_period | open: count and amount.
 * - `exceptions_by_type` / `exceptions_by_age`, direction empty, status `<type or age bucket>/open|resolved`: count.
 * - `open_exceptions_by_type` / `open_exceptions_by_age`, direction empty, status `<type or age bucket>`: count of
 *   the open backlog (opened by the period's end, however long ago, still open).
 * - `settlement_latency`, status p50 | p90 | p99: count of settlements and `milliseconds`.
 * - `settlement_latency_histogram`, status `le_<ms>` (up to and including that many milliseconds, above the bucket
 *   before) or `gt_86400000` (beyond a day): count of settlements in the bucket; every bucket, empty ones with 0.
 *
 * Amounts are never signed, so a number cell can never look like a formula; text cells (the account's name) that
 * start with = + - @ tab or CR get a leading ' and every cell is quoted per RFC 4180 when it must be.
 */
export const REPORT_CSV_COLUMNS = ['account_id', 'account_name', 'currency', 'section', 'direction', 'status', 'count', 'amount', 'milliseconds'] as const;

type Row = readonly string[];

const CSV_STATUS: Readonly<Record<ReportStatus | 'totalBooked', string>> = {
  matched: 'matched',
  unmatched: 'unmatched',
  needsReview: 'needs_review',
  returned: 'returned',
  pending: 'pending',
  totalBooked: 'total_booked',
};

const rowsOf = (group: AccountCurrencyReport): Row[] => {
  const row = (section: string, direction: string, status: string, count: number | null, amount: string, milliseconds: number | null = null): Row => [
    group.accountId,
    group.accountName,
    group.currency,
    section,
    direction,
    status,
    count === null ? '' : String(count),
    amount,
    milliseconds === null ? '' : String(milliseconds),
  ];
  const rows: Row[] = [];
  for (const [direction, totals] of [['in', group.moneyIn], ['out', group.moneyOut]] as const) {
    for (const status of [...REPORT_STATUSES, 'totalBooked'] as const) {
      rows.push(row('transactions', direction, CSV_STATUS[status], totals[status].count, totals[status].amount));
    }
  }
  const netOut = group.net.startsWith('-');
  rows.push(row('net', netOut ? 'out' : 'in', CSV_STATUS.totalBooked, null, netOut ? group.net.slice(1) : group.net));
  for (const [direction, payments] of [['in', 'inbound'], ['out', 'outbound']] as const) {
    rows.push(row('payments', direction, 'settled_in_period', group.payments.settledInPeriod[payments].count, group.payments.settledInPeriod[payments].amount));
    rows.push(row('payments', direction, 'open', group.payments.open[payments].count, group.payments.open[payments].amount));
  }
  for (const type of EXCEPTION_TYPES) {
    rows.push(row('exceptions_by_type', '', `${type}/open`, group.exceptions.byType[type].open, ''));
    rows.push(row('exceptions_by_type', '', `${type}/resolved`, group.exceptions.byType[type].resolved, ''));
  }
  for (const bucket of AGE_BUCKETS) {
    rows.push(row('exceptions_by_age', '', `${bucket}/open`, group.exceptions.byAge[bucket].open, ''));
    rows.push(row('exceptions_by_age', '', `${bucket}/resolved`, group.exceptions.byAge[bucket].resolved, ''));
  }
  for (const type of EXCEPTION_TYPES) rows.push(row('open_exceptions_by_type', '', type, group.openExceptions.byType[type], ''));
  for (const bucket of AGE_BUCKETS) rows.push(row('open_exceptions_by_age', '', bucket, group.openExceptions.byAge[bucket], ''));
  const latency = group.settlementLatency;
  for (const [status, value] of [['p50', latency.p50Ms], ['p90', latency.p90Ms], ['p99', latency.p99Ms]] as const) {
    rows.push(row('settlement_latency', '', status, latency.count, '', value));
  }
  for (const bucket of latency.histogram) {
    rows.push(row('settlement_latency_histogram', '', bucket.upToMs === null ? `gt_${LATENCY_BUCKET_BOUNDS_MS.at(-1) ?? 0}` : `le_${bucket.upToMs}`, bucket.count, ''));
  }
  return rows;
};

/** The report as RFC 4180 CSV (CRLF line ends, a header row), safe to open in a spreadsheet. */
export const reconciliationReportCsv = (report: ReconciliationReport): string =>
  stringify([[...REPORT_CSV_COLUMNS], ...report.accounts.flatMap(rowsOf)], {
    record_delimiter: 'windows',
    // With an explicit record delimiter csv-stringify would stop quoting embedded line breaks; keep quoting them.
    quote_record_delimiter: true,
    escape_formulas: true,
  });

/** A file name for the download: the period's dates, nothing from the request echoed raw. */
export const reconciliationReportFileName = (report: Pick<ReconciliationReport, 'from' | 'to'>): string =>
  `reconciliation-report_${report.from.slice(0, 10)}_${report.to.slice(0, 10)}.csv`;
