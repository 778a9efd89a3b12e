/** One bar of a BarChart (bar-chart.tsx). */
export interface Bar {
  /** The category under the bar: `≤ 1 s`, `p90`. */
  readonly label: string;
  /** Its height (a count, milliseconds). */
  readonly value: number;
  /** The value as people read it, for the text alternative: `12 payments`, `4 min 5 s`. */
  readonly text: string;
}
