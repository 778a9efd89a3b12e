import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { BatchGetCommand, DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-vitest/extend';
import { beforeEach, describe, expect, it } from 'vitest';
import { batchGetAll } from '../../../../shared/adapters/dynamodb/batch-get';

const documentClient = DynamoDBDocumentClient.from(new DynamoDBClient({ region: 'eu-west-2' }));
const ddb = mockClient(documentClient);
const key = (i: number) => ({ pk: `K#${i}`, sk: 'ITEM' });

describe('batchGetAll', () => {
  beforeEach(() => ddb.reset());

  it('reads 250 keys in three consistent requests of at most 100', async () => {
    // Prepare
    ddb.on(BatchGetCommand).callsFake((input: { RequestItems: Record<string, { Keys: Record<string, unknown>[] }> }) => ({
      Responses: { settled: input.RequestItems.settled?.Keys ?? [] },
    }));
    // Act
    const items = await batchGetAll(documentClient, 'settled', Array.from({ length: 250 }, (_, i) => key(i)));
    // Assess
    expect(items).toHaveLength(250);
    const calls = ddb.commandCalls(BatchGetCommand);
    expect(calls.map((call) => call.args[0].input.RequestItems?.settled?.Keys?.length)).toEqual([100, 100, 50]);
    expect(calls.every((call) => call.args[0].input.RequestItems?.settled?.ConsistentRead === true)).toBe(true);
  });

  it('asks again for the keys DynamoDB left unprocessed, and returns them too', async () => {
    // Prepare: the first answer leaves key 2 unprocessed
    ddb
      .on(BatchGetCommand)
      .resolvesOnce({ Responses: { settled: [key(0), key(1)] }, UnprocessedKeys: { settled: { Keys: [key(2)] } } })
      .resolves({ Responses: { settled: [key(2)] } });
    // Act
    const items = await batchGetAll(documentClient, 'settled', [key(0), key(1), key(2)]);
    // Assess
    expect(items).toEqual([key(0), key(1), key(2)]);
    expect(ddb.commandCalls(BatchGetCommand)[1]?.args[0].input.RequestItems?.settled?.Keys).toEqual([key(2)]);
  });

  it('throws rather than answer without keys DynamoDB keeps leaving unread', async () => {
    // Prepare
    ddb.on(BatchGetCommand).resolves({ Responses: { settled: [] }, UnprocessedKeys: { settled: { Keys: [key(0)] } } });
    // Act / Assess
    await expect(batchGetAll(documentClient, 'settled', [key(0)])).rejects.toThrow(/unprocessed/);
  }, 20_000);

  it('makes no request for no keys', async () => {
    // Act
    const items = await batchGetAll(documentClient, 'settled', []);
    // Assess
    expect(items).toEqual([]);
    expect(ddb.commandCalls(BatchGetCommand)).toHaveLength(0);
  });
});
