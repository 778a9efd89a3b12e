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
