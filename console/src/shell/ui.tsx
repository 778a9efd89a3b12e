import type { ComponentChildren } from 'preact';
import { useEffect, useRef } from 'preact/hooks';
import uPlot from 'uplot';
import { SettledApiError } from '../../../clients/typescript/src/errors';
import { dateTime } from './format';

/** Sets the tab's title while a page is open: `Cash · Settled console`. */
export const useTitle = (title: string): void => {
  useEffect(() => {
    document.title = `${title} · Settled console`;
  }, [title]);
};

export interface Column<Row> {
  readonly header: string;
  readonly cell: (row: Row) => ComponentChildren;
  /** Right-aligned (amounts). */
  readonly numeric?: boolean;
}

export interface TableProps<Row> {
  readonly caption: string;
  readonly columns: readonly Column<Row>[];
  readonly rows: readonly Row[];
  readonly rowKey: (row: Row) => string;
  /** Shown in place of the rows when there are none. */
  readonly empty?: string;
}

/** A data table with a caption (read by screen readers), scrolling sideways on a phone rather than overflowing. */
export function Table<Row>({ caption, columns, rows, rowKey, empty = 'Nothing here yet.' }: TableProps<Row>) {
  return (
    <div class="table-scroll">
      <table>
        <caption>{caption}</caption>
        <thead>
          <tr>
            {columns.map((column) => (
              <th scope="col" class={column.numeric === true ? 'numeric' : undefined} key={column.header}>
                {column.header}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.length === 0 ? (
            <tr>
              <td colSpan={columns.length} class="empty">
                {empty}
              </td>
            </tr>
          ) : (
            rows.map((row) => (
              <tr key={rowKey(row)}>
                {columns.map((column) => (
                  <td class={column.numeric === true ? 'numeric' : undefined} key={column.header}>
                    {column.cell(row)}
                  </td>
                ))}
              </tr>
            ))
          )}
        </tbody>
      </table>
    </div>
  );
}

const TONES: Readonly<Record<string, 'good' | 'bad' | 'wait' | 'neutral'>> = {
  settled: 'good',
  booked: 'good',
  completed: 'good',
  confirmed: 'good',
  active: 'good',
  matched: 'good',
  resolved: 'good',
  succeeded: 'good',
  delivered: 'good',
  executed: 'wait',
  authorised: 'wait',
  pending: 'wait',
  initiated: 'wait',
  created: 'wait',
  processing: 'wait',
  queued: 'wait',
  storing: 'wait',
  authorisation_required: 'wait',
  partially_settled: 'wait',
  completed_with_failures: 'bad',
  unmatched: 'bad',
  needs_review: 'wait',
  open: 'wait',
  failed: 'bad',
  rejected: 'bad',
  cancelled: 'bad',
  canceled: 'bad',
  expired: 'bad',
  revoked: 'bad',
  returned: 'bad',
  refunded: 'neutral',
  dismissed: 'neutral',
};

/** A status word in a coloured pill; the colour only repeats the word (never the only signal). */
export function StatusBadge({ status }: { readonly status: string }) {
  return <span class={`badge badge-${TONES[status] ?? 'neutral'}`}>{status.replaceAll('_', ' ')}</span>;
}

/** An API error (its message, code, details and request id) or any other failure, announced to screen readers. */
export function ErrorBanner({ error }: { readonly error: unknown }) {
  if (error instanceof SettledApiError) {
    return (
      <div class="error-banner" role="alert">
        <p>
          <strong>{error.message}</strong> <span class="muted">({error.code}, HTTP {error.status})</span>
        </p>
        {error.details.length > 0 ? (
          <ul>
            {error.details.map((detail) => (
              <li key={`${detail.path}:${detail.message}`}>
                <code>{detail.path}</code>: {detail.message}
              </li>
            ))}
          </ul>
        ) : null}
        {error.requestId === undefined ? null : <p class="muted">Request id: {error.requestId}</p>}
      </div>
    );
  }
  const message = error instanceof Error ? error.message : String(error);
  return (
    <div class="error-banner" role="alert">
      <p>
        <strong>{message}</strong>
      </p>
    </div>
  );
}

export function Loading({ label = 'Loading…' }: { readonly label?: string }) {
  return (
    <p class="loading" role="status">
      {label}
    </p>
  );
}

export interface PagerProps {
  /** The list's `nextCursor`: null or absent on the last page. */
  readonly nextCursor: string | null | undefined;
  readonly onNext: (cursor: string) => void;
  /** Back to the first page; shown when the list is not on it. */
  readonly onFirst?: (() => void) | undefined;
}

/** "Next page" following a list's cursor (and "First page" once past it). */
export function Pager({ nextCursor, onNext, onFirst }: PagerProps) {
  if ((nextCursor === null || nextCursor === undefined) && onFirst === undefined) return null;
  return (
    <nav class="pager" aria-label="Pages">
      {onFirst === undefined ? null : (
        <button type="button" class="secondary" onClick={onFirst}>
          First page
        </button>
      )}
      {nextCursor === null || nextCursor === undefined ? null : (
        <button type="button" onClick={() => onNext(nextCursor)}>
          Next page
        </button>
      )}
    </nav>
  );
}

export interface ChartPoint {
  /** When, as an ISO date-time. */
  readonly at: string;
  /** The y value plotted (approximate is fine for a chart). */
  readonly value: number;
  /** The exact value as people read it (e.g. `£1,234.56`), for the text alternative. */
  readonly text: string;
}

export interface ChartSeries {
  readonly name: string;
  readonly points: readonly ChartPoint[];
}

export interface ChartProps {
  /** What the chart shows; its figure's accessible name and the hidden table's caption. */
  readonly label: string;
  /** One or more series sharing the x axis (time); each point's time is an x value. */
  readonly series: readonly ChartSeries[];
  readonly height?: number;
}

const COLOURS = ['#1d5fbf', '#a34a00', '#2f7d32', '#7b2a9b'];

/** A uPlot line chart over time, with an accessible text alternative: aria-label and a visually hidden data table. */
export function Chart({ label, series, height = 220 }: ChartProps) {
  const host = useRef<HTMLDivElement>(null);
  // Redrawn when the points change, not on every render of the page around it (a refresh often changes nothing).
  const dataKey = JSON.stringify(series);
  useEffect(() => {
    const element = host.current;
    if (element === null || series.length === 0) return undefined;
    const times = [...new Set(series.flatMap((entry) => entry.points.map((point) => Date.parse(point.at) / 1000)))].sort((a, b) => a - b);
    const columns = series.map((entry) => {
      const byTime = new Map(entry.points.map((point) => [Date.parse(point.at) / 1000, point.value]));
      // A step chart: a series keeps its last value until it changes.
      let last: number | null = null;
      return times.map((time) => {
        const value = byTime.get(time);
        if (value !== undefined) last = value;
        return last;
      });
    });
    const width = Math.max(280, Math.min(element.clientWidth || 600, 1100));
    const plot = new uPlot(
      {
        width,
        height,
        legend: { show: true },
        scales: { x: { time: true } },
        series: [{}, ...series.map((entry, index) => ({ label: entry.name, stroke: COLOURS[index % COLOURS.length] ?? '#1d5fbf', width: 2, paths: uPlot.paths.stepped?.({ align: 1 }) }))],
        axes: [{ stroke: '#333' }, { stroke: '#333', size: 70 }],
      },
      [times, ...columns],
      element,
    );
    const resize = () => plot.setSize({ width: Math.max(280, Math.min(element.clientWidth || 600, 1100)), height });
    window.addEventListener('resize', resize);
    return () => {
      window.removeEventListener('resize', resize);
      plot.destroy();
    };
    // dataKey stands for series.
  }, [dataKey, height]);
  return (
    <figure class="chart" role="group" aria-label={label}>
      <div ref={host} aria-hidden="true" />
      <table class="visually-hidden">
        <caption>{label}</caption>
        <thead>
          <tr>
            <th scope="col">Series</th>
            <th scope="col">Time</th>
            <th scope="col">Value</th>
          </tr>
        </thead>
        <tbody>
          {series.flatMap((entry) =>
            entry.points.map((point, index) => (
              <tr key={`${entry.name}-${index}`}>
                <td>{entry.name}</td>
                <td>{dateTime(point.at)}</td>
                <td>{point.text}</td>
              </tr>
            )),
          )}
        </tbody>
      </table>
    </figure>
  );
}
