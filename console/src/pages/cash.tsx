import { useState } from 'preact/hooks';
import { ok } from '../../../clients/typescript/src/client';
import type { components } from '../../../clients/typescript/src/schema';
import { chartValue, dateTime, money } from '../shell/format';
import type { PageProps } from '../shell/page';
import { usePolling } from '../shell/poll';
import { Chart, type ChartPoint, ErrorBanner, Loading, StatusBadge, Table, useTitle } from '../shell/ui';

type Account = components['schemas']['Account'];
type CashPosition = components['schemas']['CashPosition'];

/** How often the page refreshes while open. */
export const REFRESH_MS = 10_000;
/** The history covers this many days back (`since` on the first read, so older months of the log are never read)… */
export const HISTORY_DAYS = 30;
/** …read from the event log (oldest first) up to this many `cash_position.updated` events… */
export const HISTORY_READ_LIMIT = 2000;
/** …and the chart shows the latest this many of them per account. */
export const HISTORY_SHOWN = 500;
const PAGE_SIZE = 100;

interface HistoryPoint {
  readonly at: string;
  readonly settledBalance: string;
  readonly projectedBalance: string;
  readonly currency: string;
}

interface History {
  readonly byAccount: ReadonlyMap<string, readonly HistoryPoint[]>;
  /** The newest event read: the next refresh asks only for events after it. */
  readonly lastEventId: string | undefined;
  /** Whether the read stopped at HISTORY_READ_LIMIT with more events in the log. */
  readonly truncated: boolean;
  readonly read: number;
}

const EMPTY_HISTORY: History = { byAccount: new Map(), lastEventId: undefined, truncated: false, read: 0 };

const withEvents = (history: History, events: readonly { id: string; createdAt: string; data: CashPosition }[]): History => {
  const byAccount = new Map(history.byAccount);
  for (const event of events) {
    const points = [...(byAccount.get(event.data.accountId) ?? [])];
    points.push({ at: event.createdAt, settledBalance: event.data.settledBalance, projectedBalance: event.data.projectedBalance, currency: event.data.currency });
    byAccount.set(event.data.accountId, points.slice(-HISTORY_SHOWN));
  }
  const last = events.at(-1);
  return { byAccount, lastEventId: last?.id ?? history.lastEventId, truncated: history.truncated, read: history.read + events.length };
};

function AccountCard({ account, positions, history }: { readonly account: Account; readonly positions: readonly CashPosition[]; readonly history: readonly HistoryPoint[] }) {
  const points = (pick: (point: HistoryPoint) => string): ChartPoint[] =>
    history.flatMap((point) => {
      const value = chartValue(pick(point));
      return value === undefined ? [] : [{ at: point.at, value, text: money(pick(point), point.currency) }];
    });
  return (
    <section class="card" aria-labelledby={`account-${account.id}`}>
      <h2 id={`account-${account.id}`}>
        {account.name} <StatusBadge status={account.status} />
      </h2>
      <p class="muted">
        {account.id} · {account.currency}
        {account.sortCode === null || account.accountNumber === null ? '' : ` · ${account.sortCode} ${account.accountNumber}`}
        {account.iban === null ? '' : ` · ${account.iban}`}
      </p>
      {positions.length === 0 ? (
        <p>No cash position yet: nothing has been booked or is pending on this account.</p>
      ) : (
        positions.map((position) => (
          <dl class="figures" key={position.currency}>
            <div>
              <dt>Confirmed (settled balance)</dt>
              <dd data-figure="settled">{money(position.settledBalance, position.currency)}</dd>
            </div>
            <div>
              <dt>Pending in</dt>
              <dd data-figure="pending-inbound">{money(position.pendingInbound, position.currency)}</dd>
            </div>
            <div>
              <dt>Pending out</dt>
              <dd data-figure="pending-outbound">{money(position.pendingOutbound, position.currency)}</dd>
            </div>
            <div>
              <dt>Projected</dt>
              <dd data-figure="projected">{money(position.projectedBalance, position.currency)}</dd>
            </div>
            <div class="as-of">
              <dt>As of</dt>
              <dd>{dateTime(position.asOf)}</dd>
            </div>
          </dl>
        ))
      )}
      {history.length < 2 ? (
        <p class="muted">Not enough history for a chart yet ({history.length} cash position {history.length === 1 ? 'change' : 'changes'}).</p>
      ) : (
        <Chart
          label={`Settled and projected balance of ${account.name} over time`}
          series={[
            { name: 'Settled', points: points((point) => point.settledBalance) },
            { name: 'Projected', points: points((point) => point.projectedBalance) },
          ]}
        />
      )}
    </section>
  );
}

/** `#/cash`: per account, confirmed vs pending money now, and how the balances moved (from the event log). */
export function CashPage({ client }: PageProps) {
  useTitle('Cash');
  const [accounts, setAccounts] = useState<readonly Account[] | undefined>(undefined);
  const [positions, setPositions] = useState<readonly CashPosition[]>([]);
  const [history, setHistory] = useState<History | undefined>(undefined);
  const [error, setError] = useState<unknown>(undefined);
  const [refreshedAt, setRefreshedAt] = useState<string | undefined>(undefined);

  const readAccounts = async (): Promise<Account[]> => {
    const all: Account[] = [];
    let cursor: string | undefined;
    do {
      const page = await ok(client.GET('/v1/accounts', { params: { query: { limit: PAGE_SIZE, ...(cursor === undefined ? {} : { cursor }) } } }));
      all.push(...page.data);
      cursor = page.nextCursor ?? undefined;
    } while (cursor !== undefined && all.length < 1000);
    return all;
  };

  /** The first read follows the log's cursor from HISTORY_DAYS ago up to HISTORY_READ_LIMIT events; later ones ask only for newer events. */
  const readHistory = async (current: History | undefined): Promise<History> => {
    let result = current ?? EMPTY_HISTORY;
    let cursor: string | undefined;
    const after = current?.lastEventId;
    let read = 0;
    for (;;) {
      const page = await ok(
        client.GET('/v1/events', {
          params: {
            query: {
              type: 'cash_position.updated',
              limit: PAGE_SIZE,
              ...(after === undefined ? { since: new Date(Date.now() - HISTORY_DAYS * 86_400_000).toISOString() } : { after }),
              ...(cursor === undefined ? {} : { cursor }),
            },
          },
        }),
      );
      const events = page.data.flatMap((event) => (event.type === 'cash_position.updated' ? [event] : []));
      result = withEvents(result, events);
      read += events.length;
      cursor = page.nextCursor ?? undefined;
      if (cursor === undefined) break;
      if (read >= HISTORY_READ_LIMIT) {
        result = { ...result, truncated: true };
        break;
      }
    }
    return result;
  };

  usePolling(async () => {
    try {
      const [nextAccounts, cash, nextHistory] = await Promise.all([readAccounts(), ok(client.GET('/v1/cash-position')), readHistory(history)]);
      setAccounts(nextAccounts);
      setPositions(cash.positions);
      setHistory(nextHistory);
      setRefreshedAt(new Date().toISOString());
      setError(undefined);
    } catch (failure) {
      setError(failure);
    }
  }, REFRESH_MS);

  return (
    <>
      <h1>Cash</h1>
      <p class="lede">
        <strong>Confirmed</strong> is money the bank has booked. <strong>Pending</strong> is executed payments not yet settled and pending bank
        transactions; <strong>projected</strong> = confirmed + pending in − pending out.
      </p>
      <p class="muted" aria-live="polite">
        Refreshes every {REFRESH_MS / 1000} s{refreshedAt === undefined ? '' : `; last refreshed ${dateTime(refreshedAt)}`}. History: the chart shows each account's
        latest {HISTORY_SHOWN} cash position changes of the last {HISTORY_DAYS} days, read from the event log (at most {HISTORY_READ_LIMIT.toLocaleString('en-GB')} events on opening the page
        {history?.truncated === true ? '; this log has more, so the oldest changes shown may not be the first' : ''}).
      </p>
      {error === undefined ? null : <ErrorBanner error={error} />}
      {accounts === undefined ? (
        error === undefined ? <Loading /> : null
      ) : accounts.length === 0 ? (
        <p>No bank accounts yet. Connect one with POST /v1/accounts.</p>
      ) : (
        <>
          <Table
            caption="Cash position per account"
            columns={[
              { header: 'Account', cell: (row: CashPosition) => accounts.find((account) => account.id === row.accountId)?.name ?? row.accountId },
              { header: 'Confirmed', numeric: true, cell: (row: CashPosition) => money(row.settledBalance, row.currency) },
              { header: 'Pending in', numeric: true, cell: (row: CashPosition) => money(row.pendingInbound, row.currency) },
              { header: 'Pending out', numeric: true, cell: (row: CashPosition) => money(row.pendingOutbound, row.currency) },
              { header: 'Projected', numeric: true, cell: (row: CashPosition) => money(row.projectedBalance, row.currency) },
            ]}
            rows={positions}
            rowKey={(row) => `${row.accountId}:${row.currency}`}
            empty="No cash positions yet."
          />
          {accounts.map((account) => (
            <AccountCard
              key={account.id}
              account={account}
              positions={positions.filter((position) => position.accountId === account.id)}
              history={history?.byAccount.get(account.id) ?? []}
            />
          ))}
        </>
      )}
    </>
  );
}
