import { useEffect, useRef } from 'preact/hooks';
import uPlot from 'uplot';
import type { Bar } from './bars';

export type { Bar } from './bars';

export interface BarChartProps {
  /** What the chart shows: the figure's accessible name and the hidden table's caption. */
  readonly label: string;
  readonly bars: readonly Bar[];
  /** The header of the value column in the text alternative. */
  readonly valueHeader: string;
  readonly height?: number;
}

const widthOf = (element: HTMLElement): number => Math.max(280, Math.min(element.clientWidth || 600, 900));

/**
 * A uPlot bar chart over categories (console/src/shell/ui.tsx's Chart plots time series), with the same kind of
 * text alternative: an aria-label on the figure and a visually hidden table of every bar.
 */
export function BarChart({ label, bars, valueHeader, height = 220 }: BarChartProps) {
  const host = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const element = host.current;
    if (element === null || bars.length === 0) return undefined;
    const xs = bars.map((_, index) => index);
    const plot = new uPlot(
      {
        width: widthOf(element),
        height,
        legend: { show: false },
        scales: { x: { time: false, range: () => [-0.5, bars.length - 0.5] }, y: { range: (_, __, max) => [0, Math.max(1, max * 1.1)] } },
        series: [{}, { label: valueHeader, fill: '#1d5fbf', stroke: '#14407f', width: 1, paths: uPlot.paths.bars?.({ size: [0.6, 80] }), points: { show: false } }],
        axes: [
          { stroke: '#333', splits: () => xs, values: (_, splits) => splits.map((split) => bars[split]?.label ?? '') },
          { stroke: '#333', size: 70 },
        ],
      },
      [xs, bars.map((bar) => bar.value)],
      element,
    );
    const resize = () => plot.setSize({ width: widthOf(element), height });
    window.addEventListener('resize', resize);
    return () => {
      window.removeEventListener('resize', resize);
      plot.destroy();
    };
  }, [bars, height, valueHeader]);
  return (
    <figure class="chart bar-chart" role="group" aria-label={label}>
      <div ref={host} aria-hidden="true" />
      {/* A table ignores a 1 px width; its hidden wrapper does not, so the table never widens the figure. */}
      <div class="visually-hidden">
        <table>
          <caption>{label}</caption>
          <thead>
            <tr>
              <th scope="col">Category</th>
              <th scope="col">{valueHeader}</th>
            </tr>
          </thead>
          <tbody>
            {bars.map((bar) => (
              <tr key={bar.label}>
                <td>{bar.label}</td>
                <td>{bar.text}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </figure>
  );
}
