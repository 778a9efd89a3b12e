import { BatchGetCommand, type BatchGetCommandOutput, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

/** DynamoDB's limit of keys per BatchGetItem. */
const KEYS_PER_REQUEST = 100;
/** How many times keys DynamoDB left unprocessed (throttling) are asked for again before giving up. */
const MAX_ROUNDS = 8;

/**
 * Every item of `keys` that exists, read consistently in BatchGetItems of up to 100 keys. Keys left unprocessed are
 * asked for again with backoff, never dropped: a reader deciding on a partial answer (a balance missing a sub-item, a
 * match missing a candidate) would decide wrongly. Throws if DynamoDB keeps leaving some unread.
 */
export const batchGetAll = async (
  client: DynamoDBDocumentClient,
  tableName: string,
  keys: readonly Record<string, unknown>[],
): Promise<Record<string, unknown>[]> => {
  const items: Record<string, unknown>[] = [];
  for (let start = 0; start < keys.length; start += KEYS_PER_REQUEST) {
    let pending: Record<string, unknown>[] | undefined = keys.slice(start, start + KEYS_PER_REQUEST);
    for (let round = 0; pending !== undefined && pending.length > 0; round += 1) {
      if (round >= MAX_ROUNDS) throw new Error(`BatchGetItem left ${pending.length} keys unprocessed ${MAX_ROUNDS} times`);
      if (round > 0) await new Promise((resolveWait) => setTimeout(resolveWait, Math.min(1000, 25 * 2 ** round)));
      const result: BatchGetCommandOutput = await client.send(new BatchGetCommand({ RequestItems: { [tableName]: { Keys: pending, ConsistentRead: true } } }));
      items.push(...(result.Responses?.[tableName] ?? []));
      pending = result.UnprocessedKeys?.[tableName]?.Keys;
    }
  }
  return items;
};
