import { type IntervalHistogram, monitorEventLoopDelay } from 'node:perf_hooks';

/** At most this many samples are kept per series between two reads (the oldest are dropped beyond it). */
const MAX_SAMPLES = 100_000;
/** How often the event-loop monitor's timer asks to run; it records the whole interval, so this is taken off. */
const RESOLUTION_MS = 10;

export interface LatencySummary {
  readonly n: number;
  readonly p50: number;
  readonly p99: number;
  readonly max: number;
}

const summarise = (samples: readonly number[]): LatencySummary => {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (p: number) => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? 0;
  return { n: sorted.length, p50: at(50), p99: at(99), max: sorted.at(-1) ?? 0 };
};

/**
 * Where the local runtime's wall time goes between two reads of `POST /_local/latency` (npm run bench:settlement):
 * how late the event loop ran its timers (time every handler waited for the CPU), and how long a message or an
 * event waited between being accepted and being handed to its consumer (the queue and event-bus hops).
 */
export class LatencyMonitor {
  private readonly eventLoop: IntervalHistogram = monitorEventLoopDelay({ resolution: RESOLUTION_MS });
  private readonly hops = new Map<string, { samples: number[]; recorded: number }>();

  constructor() {
    this.eventLoop.enable();
  }

  /**
   * One wait on a hop (`queue:settlements`, `rule:<name>`, `dynamodb:GetItem`, `function:<name>`). Past
   * `MAX_SAMPLES` a new sample overwrites the one `MAX_SAMPLES` before it, in constant time: `npm start` records every
   * DynamoDB request and nobody may ever read them.
   */
  record(hop: string, waitedMs: number): void {
    let series = this.hops.get(hop);
    if (series === undefined) this.hops.set(hop, (series = { samples: [], recorded: 0 }));
    if (series.samples.length < MAX_SAMPLES) series.samples.push(waitedMs);
    else series.samples[series.recorded % MAX_SAMPLES] = waitedMs;
    series.recorded += 1;
  }

  /** The figures since the previous read, in milliseconds; starts the next period. */
  read(): { eventLoopDelayMs: LatencySummary & { mean: number }; hopsMs: Record<string, LatencySummary> } {
    const loop = this.eventLoop;
    // The histogram records, in nanoseconds, how long each of its `RESOLUTION_MS` timers took to run: the delay is
    // what went beyond the interval.
    const lateMs = (ns: number) => (loop.count === 0 ? 0 : Math.max(0, Math.round((ns / 1e6 - RESOLUTION_MS) * 100) / 100));
    const eventLoopDelayMs = {
      n: loop.count,
      p50: lateMs(loop.percentile(50)),
      p99: lateMs(loop.percentile(99)),
      max: lateMs(loop.max),
      mean: lateMs(loop.mean),
    };
    loop.reset();
    const hopsMs = Object.fromEntries([...this.hops].sort(([a], [b]) => a.localeCompare(b)).map(([hop, series]) => [hop, summarise(series.samples)]));
    this.hops.clear();
    return { eventLoopDelayMs, hopsMs };
  }

  stop(): void {
    this.eventLoop.disable();
  }
}
