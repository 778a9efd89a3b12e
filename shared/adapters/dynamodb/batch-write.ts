/** BatchWriteItem with nothing dropped: what the payout store and the event log write many items of at once. */
import { BatchWriteCommand, type BatchWriteCommandOutput, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

/** DynamoDB's limit of requests per BatchWriteItem. */
const WRITES_PER_REQUEST = 25;
/** BatchWriteItems in flight at once by default (a payout batch's thousands of items). */
const WRITE_CONCURRENCY = 16;
/** Rounds of asking DynamoDB again for items it left unprocessed (throttling) before giving up. */
const MAX_ROUNDS = 8;

const sleep = (ms: number) => new Promise((resolveWait) => setTimeout(resolveWait, ms));

/** Runs `work` over `inputs` with at most `limit` in flight. */
export const inParallel = async <T>(inputs: readonly T[], limit: number, work: (input: T) => Promise<void>): Promise<void> => {
  let next = 0;
  const worker = async () => {
    while (next < inputs.length) {
      const input = inputs[next];
      next += 1;
      if (input !== undefined) await work(input);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, inputs.length) }, worker));
};

/** Puts in BatchWriteItems of 25: what DynamoDB leaves unprocessed is written again with backoff, never dropped. */
export const batchPutAll = async (client: DynamoDBDocumentClient, tableName: string, items: readonly Record<string, unknown>[], concurrency = WRITE_CONCURRENCY): Promise<void> => {
  const groups: Record<string, unknown>[][] = [];
  for (let start = 0; start < items.length; start += WRITES_PER_REQUEST) groups.push(items.slice(start, start + WRITES_PER_REQUEST));
  await inParallel(groups, concurrency, async (group) => {
    let pending: NonNullable<BatchWriteCommandOutput['UnprocessedItems']>[string] | undefined = group.map((item) => ({ PutRequest: { Item: item } }));
    for (let round = 0; pending !== undefined && pending.length > 0; round += 1) {
      if (round >= MAX_ROUNDS) throw new Error(`BatchWriteItem left ${pending.length} items unprocessed ${MAX_ROUNDS} times`);
      if (round > 0) await sleep(Math.min(1000, 25 * 2 ** round));
      const result: BatchWriteCommandOutput = await client.send(new BatchWriteCommand({ RequestItems: { [tableName]: pending } }));
      pending = result.UnprocessedItems?.[tableName];
    }
  });
};

