/** What the benches share: a progress line with the seconds since start, and a document client on DynamoDB Local. */
import { randomInt } from 'node:crypto';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { localClientConfig } from '../infra/local/dynamodb-local';

/** Prints `[12.3 s] what` to stderr, timed from when `phases()` was called. */
export const phases = () => {
  const started = Date.now();
  return {
    started,
    phase: (what: string) => console.error(`[${((Date.now() - started) / 1000).toFixed(1)} s] ${what}`),
  };
};

/** A document client on DynamoDB Local as the adapters use one, retrying more (seeding saturates it). */
export const localDocumentClient = (endpoint: string): DynamoDBDocumentClient =>
  DynamoDBDocumentClient.from(new DynamoDBClient({ ...localClientConfig(endpoint), maxAttempts: 10 }), {
    marshallOptions: { removeUndefinedValues: true, convertClassInstanceToMap: false },
  });

/** The value at percentile `p` of ascending `sorted` (nearest rank); NaN when empty. */
export const percentile = (sorted: number[], p: number): number => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? Number.NaN;
export const round = (value: number, digits = 3) => +value.toFixed(digits);
export const sleep = (ms: number) => new Promise((resolveSleep) => setTimeout(resolveSleep, ms));
/** Shuffles `items` in place (Fisher–Yates) and returns it. */
export const shuffle = <T>(items: T[]): T[] => {
  for (let i = items.length - 1; i > 0; i -= 1) {
    const j = randomInt(i + 1);
    [items[i], items[j]] = [items[j] as T, items[i] as T];
  }
  return items;
};

export interface OpenLoopResult<T> {
  /** Per request, from when it was due to when its answer (or failure) came back, in the order they were due. */
  readonly latenciesMs: number[];
  readonly results: PromiseSettledResult<T>[];
  /** How far behind its schedule the sender started the latest request: a sender that could not keep up says so. */
  readonly maxSendLagMs: number;
  /** `latenciesMs` summarised, to 0.1 ms. */
  readonly latencyMs: { readonly p50: number; readonly p90: number; readonly p99: number; readonly max: number };
  /** Requests whose `send` rejected (no answer at all, not an error status). */
  readonly failed: number;
}

/**
 * An open-loop load at a steady rate: `rate` requests a second for `seconds`, one every 1000/rate ms, each started on
 * its own schedule whatever the earlier ones are doing. Each is timed from when it was due, not from when it went
 * out, so a sender that falls behind counts against the server (no coordinated omission).
 *
 * autocannon's `overallRate` is not this: it gives each of its connections a share of the rate and a one-second
 * timer, so with as many connections as requests a second every connection sends at the same instant, and the
 * server sees the whole second's requests as one burst.
 */
export const openLoop = async <T>(options: { rate: number; seconds: number; send: (index: number) => Promise<T> }): Promise<OpenLoopResult<T>> => {
  const count = Math.round(options.rate * options.seconds);
  const intervalMs = 1000 / options.rate;
  const latenciesMs: number[] = new Array<number>(count).fill(Number.NaN);
  const pending: Promise<T>[] = [];
  let maxSendLagMs = 0;
  const start = performance.now();
  for (let index = 0; index < count; index += 1) {
    const due = start + index * intervalMs;
    const wait = due - performance.now();
    if (wait > 1) await sleep(wait);
    maxSendLagMs = Math.max(maxSendLagMs, performance.now() - due);
    const sent = options.send(index);
    pending.push(sent);
    const done = () => {
      latenciesMs[index] = performance.now() - due;
    };
    sent.then(done, done);
  }
  const results = await Promise.allSettled(pending);
  const sorted = [...latenciesMs].sort((a, b) => a - b);
  const at = (p: number) => round(percentile(sorted, p), 1);
  return {
    latenciesMs,
    results,
    maxSendLagMs: round(maxSendLagMs, 1),
    latencyMs: { p50: at(50), p90: at(90), p99: at(99), max: round(sorted.at(-1) ?? Number.NaN, 1) },
    failed: results.filter((settled) => settled.status === 'rejected').length,
  };
};
