import { useState } from 'preact/hooks';
import { ok } from '../../../clients/typescript/src/client';
import type { components } from '../../../clients/typescript/src/schema';
import { dateTime, duration, money } from '../shell/format';
import type { PageProps } from '../shell/page';
import { ErrorBanner, Loading, Table, useTitle } from '../shell/ui';
import { BarChart } from './parts/bar-chart';
import { type Latency, latencyBars } from './parts/latency';
import { useLoad } from './parts/load';
import { csvFileName, dayOf, type Period, periodOf, periodOfDays, throughDayOf } from './parts/period';
import './parts/pages.css';

type Report = components['schemas']['ReconciliationReport'];
type ReportAccount = Report['accounts'][number];
type Direction = ReportAccount['moneyIn'];
type CountAndAmount = Direction['matched'];

const STATUSES: readonly { readonly key: keyof Direction; readonly label: string }[] = [
  { key: 'matched', label: 'Matched' },
  { key: 'unmatched', label: 'Unmatched' },
  { key: 'needsReview', label: 'Needs review' },
  { key: 'returned', label: 'Returned' },
  { key: 'pending', label: 'Pending' },
  { key: 'totalBooked', label: 'Total booked' },
];

type ExceptionType = 'unmatched' | 'ambiguous' | 'amount_mismatch' | 'duplicate_payment' | 'returned';
type AgeBucket = 'under1Day' | 'days1To7' | 'days7To30' | 'over30Days';

const EXCEPTION_TYPES: readonly { readonly key: ExceptionType; readonly label: string }[] = [
  { key: 'unmatched', label: 'Unmatched' },
  { key: 'ambiguous', label: 'Ambiguous' },
  { key: 'amount_mismatch', label: 'Amount mismatch' },
  { key: 'duplicate_payment', label: 'Duplicate payment' },
  { key: 'returned', label: 'Returned' },
];

const AGES: readonly { readonly key: AgeBucket; readonly label: string }[] = [
  { key: 'under1Day', label: 'Under 1 day' },
  { key: 'days1To7', label: '1–7 days' },
  { key: 'days7To30', label: '7–30 days' },
  { key: 'over30Days', label: '30 days or more' },
];

/** A count of a map the document lists keys for (absent would be an API fault: shown as a dash, never as 0). */
const countIn = (counts: Readonly<Record<string, { readonly open: number; readonly resolved: number } | undefined>>, key: string, which: 'open' | 'resolved'): number | string =>
  counts[key]?.[which] ?? '—';
const backlogIn = (counts: Readonly<Record<string, number | undefined>>, key: string): number | string => counts[key] ?? '—';

/** A figure the browser tests read back: `data-report="acc_1:in:matched:amount"`. */
const cell = (id: string, text: string | number) => <span data-report={id}>{text}</span>;

const hashOf = (period: Period, accountId: string | undefined): string => {
  const query = new URLSearchParams({ from: period.from, to: period.to });
  if (accountId !== undefined) query.set('accountId', accountId);
  return `#/report?${query.toString()}`;
};

function AccountReport({ account }: { readonly account: ReportAccount }) {
  const id = account.accountId;
  const amount = (value: CountAndAmount) => money(value.amount, account.currency);
  const payments: readonly { readonly key: string; readonly label: string; readonly value: CountAndAmount }[] = [
    { key: 'settled:in', label: 'Settled in the period, inbound', value: account.payments.settledInPeriod.inbound },
    { key: 'settled:out', label: 'Settled in the period, outbound', value: account.payments.settledInPeriod.outbound },
    { key: 'open:in', label: 'Still open, inbound (still owed)', value: account.payments.open.inbound },
    { key: 'open:out', label: 'Still open, outbound (still owed)', value: account.payments.open.outbound },
  ];
  const netNegative = account.net.startsWith('-');
  return (
    <section class="card" aria-labelledby={`report-${id}-${account.currency}`}>
      <h2 id={`report-${id}-${account.currency}`}>
        {account.accountName} · {account.currency}
      </h2>
      <p class="muted ids">{id}</p>
      <dl class="figures">
        <div>
          <dt>Net ({netNegative ? 'outflow' : 'inflow'})</dt>
          <dd>{cell(`${id}:net`, money(account.net, account.currency))}</dd>
        </div>
        <div>
          <dt>Exceptions opened, still open</dt>
          <dd>{cell(`${id}:exceptions:open`, account.exceptions.open)}</dd>
        </div>
        <div>
          <dt>Exceptions opened, resolved</dt>
          <dd>{cell(`${id}:exceptions:resolved`, account.exceptions.resolved)}</dd>
        </div>
        <div>
          <dt>Open backlog (any age)</dt>
          <dd>{cell(`${id}:backlog`, account.openExceptions.count)}</dd>
        </div>
      </dl>
      <Table<(typeof STATUSES)[number]>
        caption="Money in and out, booked in the period, by how it reconciled"
        rows={STATUSES}
        rowKey={(row) => row.key}
        columns={[
          { header: 'Status', cell: (row) => row.label },
          { header: 'In: count', numeric: true, cell: (row) => cell(`${id}:in:${row.key}:count`, account.moneyIn[row.key].count) },
          { header: 'In: amount', numeric: true, cell: (row) => cell(`${id}:in:${row.key}:amount`, amount(account.moneyIn[row.key])) },
          { header: 'Out: count', numeric: true, cell: (row) => cell(`${id}:out:${row.key}:count`, account.moneyOut[row.key].count) },
          { header: 'Out: amount', numeric: true, cell: (row) => cell(`${id}:out:${row.key}:amount`, amount(account.moneyOut[row.key])) },
        ]}
      />
      <Table<(typeof payments)[number]>
        caption="Payments settled in the period and still open"
        rows={payments}
        rowKey={(row) => row.key}
        columns={[
          { header: 'Payments', cell: (row) => row.label },
          { header: 'Count', numeric: true, cell: (row) => cell(`${id}:payments:${row.key}:count`, row.value.count) },
          { header: 'Amount', numeric: true, cell: (row) => cell(`${id}:payments:${row.key}:amount`, amount(row.value)) },
        ]}
      />
      <Table<(typeof EXCEPTION_TYPES)[number]>
        caption="Exceptions by type: opened in the period (open, resolved) and the open backlog"
        rows={EXCEPTION_TYPES}
        rowKey={(row) => row.key}
        columns={[
          { header: 'Type', cell: (row) => row.label },
          { header: 'Opened, open', numeric: true, cell: (row) => cell(`${id}:type:${row.key}:open`, countIn(account.exceptions.byType, row.key, 'open')) },
          { header: 'Opened, resolved', numeric: true, cell: (row) => cell(`${id}:type:${row.key}:resolved`, countIn(account.exceptions.byType, row.key, 'resolved')) },
          { header: 'Backlog', numeric: true, cell: (row) => cell(`${id}:type:${row.key}:backlog`, backlogIn(account.openExceptions.byType, row.key)) },
        ]}
      />
      <Table<(typeof AGES)[number]>
        caption="Exceptions by age at the report's end"
        rows={AGES}
        rowKey={(row) => row.key}
        columns={[
          { header: 'Age', cell: (row) => row.label },
          { header: 'Opened, open', numeric: true, cell: (row) => cell(`${id}:age:${row.key}:open`, countIn(account.exceptions.byAge, row.key, 'open')) },
          { header: 'Opened, resolved', numeric: true, cell: (row) => cell(`${id}:age:${row.key}:resolved`, countIn(account.exceptions.byAge, row.key, 'resolved')) },
          { header: 'Backlog', numeric: true, cell: (row) => cell(`${id}:age:${row.key}:backlog`, backlogIn(account.openExceptions.byAge, row.key)) },
        ]}
      />
      <LatencyFigures id={id} latency={account.settlementLatency} />
    </section>
  );
}

const ms = (value: number | null): string => (value === null ? '—' : duration(value));

function LatencyFigures({ id, latency }: { readonly id: string; readonly latency: Latency }) {
  return (
    <dl class="figures">
      <div>
        <dt>Settlements measured</dt>
        <dd>{cell(`${id}:latency:count`, latency.count)}</dd>
      </div>
      <div>
        <dt>Executed → settled, p50</dt>
        <dd>{cell(`${id}:latency:p50`, ms(latency.p50Ms))}</dd>
      </div>
      <div>
        <dt>p90</dt>
        <dd>{cell(`${id}:latency:p90`, ms(latency.p90Ms))}</dd>
      </div>
      <div>
        <dt>p99</dt>
        <dd>{cell(`${id}:latency:p99`, ms(latency.p99Ms))}</dd>
      </div>
    </dl>
  );
}

function LatencyChart({ latency }: { readonly latency: Latency }) {
  const { kind, bars } = latencyBars(latency);
  if (bars.length === 0) return <p>Nothing settled in this period, so there is no settlement latency to show.</p>;
  return kind === 'histogram' ? (
    <BarChart label="Settlement latency: settlements by time from executed to settled" valueHeader="Settlements" bars={bars} />
  ) : (
    <BarChart label="Settlement latency percentiles (executed to settled), in milliseconds" valueHeader="Executed → settled" bars={bars} />
  );
}

/** Fetches the CSV with the key in the Authorization header (never in a URL) and saves it through a Blob URL. */
const downloadCsv = async (client: PageProps['client'], period: Period, accountId: string | undefined): Promise<void> => {
  const blob = await ok(
    client.GET('/v1/reconciliation/report', {
      params: { query: { from: period.from, to: period.to, format: 'csv', ...(accountId === undefined ? {} : { accountId }) } },
      parseAs: 'blob',
    }),
  );
  const url = URL.createObjectURL(blob);
  const anchor = document.createElement('a');
  anchor.href = url;
  anchor.download = csvFileName(period);
  document.body.append(anchor);
  anchor.click();
  anchor.remove();
  // After the click has handed the file to the browser's download.
  window.setTimeout(() => URL.revokeObjectURL(url), 10_000);
};

/**
 * `#/report`: the reconciliation report for a period (default this month so far) and optionally one account, as
 * tables, the settlement-latency chart, and the same numbers as a CSV download.
 */
export function ReportPage({ client, query, navigate }: PageProps) {
  useTitle('Reconciliation report');
  const [now] = useState(() => new Date());
  const period = periodOf(query, now);
  const accountId = query.get('accountId') ?? undefined;
  const [fromDay, setFromDay] = useState(dayOf(period.from));
  const [throughDay, setThroughDay] = useState(throughDayOf(period));
  const [chosenAccount, setChosenAccount] = useState(accountId ?? '');
  const [formError, setFormError] = useState<string | undefined>(undefined);
  const [downloadError, setDownloadError] = useState<unknown>(undefined);
  const [downloading, setDownloading] = useState(false);
  const accounts = useLoad(() => ok(client.GET('/v1/accounts', { params: { query: { limit: 500 } } })), []);
  const { loaded } = useLoad(
    async (): Promise<Report> => {
      const report = await ok(client.GET('/v1/reconciliation/report', { params: { query: { from: period.from, to: period.to, ...(accountId === undefined ? {} : { accountId }) } } }));
      // The operation answers JSON or (format=csv) text; without format it is the JSON report.
      if (typeof report === 'string') throw new Error('The report came as text, not as the JSON report.');
      return report;
    },
    [period.from, period.to, accountId],
  );
  return (
    <>
      <h1>Reconciliation report</h1>
      <form
        class="filters fit"
        onSubmit={(event) => {
          event.preventDefault();
          const chosen = periodOfDays(fromDay, throughDay, new Date());
          if (chosen === undefined) {
            setFormError('Pick a first day on or before the last day, not in the future.');
            return;
          }
          setFormError(undefined);
          navigate(hashOf(chosen, chosenAccount === '' ? undefined : chosenAccount));
        }}
      >
        <div>
          <label for="report-from">From (UTC day)</label>
          <input id="report-from" type="date" value={fromDay} required onInput={(event) => setFromDay(event.currentTarget.value)} />
        </div>
        <div>
          <label for="report-through">Through (UTC day)</label>
          <input id="report-through" type="date" value={throughDay} required onInput={(event) => setThroughDay(event.currentTarget.value)} />
        </div>
        <div>
          <label for="report-account">Account</label>
          <select id="report-account" value={chosenAccount} onChange={(event) => setChosenAccount(event.currentTarget.value)}>
            <option value="">All accounts</option>
            {accounts.loaded.state === 'ready'
              ? accounts.loaded.data.data.map((account) => (
                  <option key={account.id} value={account.id}>
                    {account.name} ({account.currency}, {account.id})
                  </option>
                ))
              : null}
          </select>
        </div>
        <div>
          <button type="submit">Show report</button>
        </div>
      </form>
      {formError === undefined ? null : <ErrorBanner error={new Error(formError)} />}
      <p class="muted ids">
        Period: {dateTime(period.from)} to {dateTime(period.to)} (end excluded){accountId === undefined ? ', every account' : `, account ${accountId}`}.
      </p>
      <p>
        <button
          type="button"
          class="secondary"
          disabled={downloading}
          onClick={async () => {
            setDownloading(true);
            try {
              await downloadCsv(client, period, accountId);
              setDownloadError(undefined);
            } catch (failure) {
              setDownloadError(failure);
            } finally {
              setDownloading(false);
            }
          }}
        >
          Download CSV
        </button>
      </p>
      {downloadError === undefined ? null : <ErrorBanner error={downloadError} />}
      {loaded.state === 'loading' ? <Loading label="Building the report…" /> : null}
      {loaded.state === 'failed' ? <ErrorBanner error={loaded.error} /> : null}
      {loaded.state === 'ready' ? (
        <>
          <section class="card" aria-labelledby="latency">
            <h2 id="latency">Settlement latency, every account</h2>
            <LatencyFigures id="all" latency={loaded.data.settlementLatency} />
            <LatencyChart latency={loaded.data.settlementLatency} />
          </section>
          <p class="muted ids">Exception ages measured at {dateTime(loaded.data.asOf)}.</p>
          {loaded.data.accounts.length === 0 ? <p>No account in scope.</p> : loaded.data.accounts.map((account) => <AccountReport key={`${account.accountId}-${account.currency}`} account={account} />)}
        </>
      ) : null}
    </>
  );
}
