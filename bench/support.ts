/** What the benches share: a progress line with the seconds since start, and a document client on DynamoDB Local. */
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
