import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { DynamoDbEventLog } from '../../../../shared/adapters/dynamodb/callback-store';
import { eventListKey } from '../../../../shared/adapters/dynamodb/keys';

const documentClient = DynamoDBDocumentClient.from(new DynamoDBClient({ region: 'eu-west-2' }));
const ddb = mockClient(documentClient);
const log = new DynamoDbEventLog(documentClient, 'settled-test');
const BASE = eventListKey('ten_1');

/** The partitions queried and the lower key bound each query used. */
const queried = () =>
  ddb.commandCalls(QueryCommand).map((call) => {
    const values = call.args[0].input.ExpressionAttributeValues ?? {};
    return { partition: String(values[':pk']), from: values[':rangeFrom'] };
  });
/** The month of a bucket partition (`<base>#<yyyy-mm>#<shard>`), or 'base' for the overflow partition. */
const monthOfPartition = (partition: string) => (partition === BASE ? 'base' : partition.slice(BASE.length + 1, BASE.length + 8));

describe('DynamoDbEventLog.list since', () => {
  beforeEach(() => {
    ddb.reset();
    ddb.on(QueryCommand).resolves({ Items: [] });
  });

  it('reads only the buckets of the month of `since` and later, each from `since` on', async () => {
    // Prepare: the event list is bucketed by month from 2026-11 (DEFAULT_EVENT_LIST_SHARDS); `since` is in a later month
    const since = new Date(Date.now() - 60_000).toISOString();
    const sinceMonth = since.slice(0, 7);
    // Act
    await log.list('ten_1', { since }, { limit: 50, cursor: undefined });
    // Assess
    const queries = queried();
    expect(queries.map((query) => query.partition)).toContain(BASE);
    expect(queries.filter((query) => query.partition !== BASE).length).toBeGreaterThan(0);
    for (const query of queries) {
      expect(query.from !== undefined && String(query.from) >= since, `${query.partition} read from ${String(query.from)}`).toBe(true);
      const month = monthOfPartition(query.partition);
      if (month !== 'base') expect(month >= sinceMonth, `${query.partition} is before ${sinceMonth}`).toBe(true);
    }
  });

  it('without since walks the log from its first bucketed month (what since saves)', async () => {
    // Act
    await log.list('ten_1', {}, { limit: 50, cursor: undefined });
    // Assess
    expect(queried().map((query) => monthOfPartition(query.partition))).toContain('2026-11');
  });
});
