import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-vitest/extend';
import { beforeEach, describe, expect, it } from 'vitest';
import { parseShardSchedule } from '../../../../shared/adapters/dynamodb/list-partitions';
import { decodeCursor, MAX_QUERIES_PER_PAGE, queryFullPage } from '../../../../shared/adapters/dynamodb/pagination';

const documentClient = DynamoDBDocumentClient.from(new DynamoDBClient({ region: 'eu-west-2' }));
const ddb = mockClient(documentClient);
const PARTITION = 'ten_1#ACCTXNS#acc_1';
/** Buckets that begin after now: these tests read the base partition alone (the merge of many: list-merge.test.ts). */
const schedule = parseShardSchedule('2999-01:4');

const item = (n: number, reference: string) => ({ pk: `ten_1#TXN#acc_1#b${n}`, sk: 'TXN', gsi1pk: PARTITION, gsi1sk: `2026-11-24T10:${String(n).padStart(2, '0')}:00.000Z#txn_${n}`, reference });
/** A query answer: the items read, and where DynamoDB stopped (always somewhere: the history goes on). */
const answer = (from: number, count: number, reference = 'OTHER') => {
  const items = Array.from({ length: count }, (_, i) => item(from + i, reference));
  const last = items[items.length - 1];
  return { Items: items, LastEvaluatedKey: last === undefined ? undefined : { pk: last.pk, sk: last.sk, gsi1pk: last.gsi1pk, gsi1sk: last.gsi1sk } };
};
const wanted = (entry: Record<string, unknown>) => entry.reference === 'WANTED';

describe('queryFullPage', () => {
  beforeEach(() => ddb.reset());

  it('queries on until the page is full, and continues from the last row it returned', async () => {
    // Prepare: the one wanted row per query
    ddb.on(QueryCommand).resolvesOnce(answer(0, 3)).resolvesOnce({ ...answer(3, 1, 'WANTED') }).resolvesOnce(answer(4, 1, 'WANTED'));
    // Act
    const page = await queryFullPage(documentClient, 'settled-test', { partition: PARTITION, schedule, page: { limit: 2, cursor: undefined }, keep: wanted });
    // Assess
    expect(page.data.map((entry) => entry.gsi1sk)).toEqual([item(3, '').gsi1sk, item(4, '').gsi1sk]);
    expect(ddb).toHaveReceivedCommandTimes(QueryCommand, 3);
    expect(decodeCursor(page.nextCursor ?? undefined, { name: 'gsi1pk', value: PARTITION })).toEqual({ gsi1pk: PARTITION, gsi1sk: item(4, '').gsi1sk });
  });

  it(`stops after ${MAX_QUERIES_PER_PAGE} queries with a short page and a cursor where it stopped`, async () => {
    // Prepare: a filter nothing in the next thousands of rows matches
    let from = 0;
    ddb.on(QueryCommand).callsFake(() => {
      from += 200;
      return answer(from - 200, 200);
    });
    // Act
    const page = await queryFullPage(documentClient, 'settled-test', { partition: PARTITION, schedule, page: { limit: 50, cursor: undefined }, keep: wanted });
    // Assess
    expect(page.data).toEqual([]);
    expect(ddb).toHaveReceivedCommandTimes(QueryCommand, MAX_QUERIES_PER_PAGE);
    expect(page.nextCursor).not.toBeNull();
    expect(decodeCursor(page.nextCursor ?? undefined, { name: 'gsi1pk', value: PARTITION })).toMatchObject({ gsi1sk: item(MAX_QUERIES_PER_PAGE * 200 - 1, '').gsi1sk });
  });

  it('answers no cursor when the partition ends', async () => {
    ddb.on(QueryCommand).resolves({ Items: [item(1, 'WANTED')] });
    const page = await queryFullPage(documentClient, 'settled-test', { partition: PARTITION, schedule, page: { limit: 5, cursor: undefined }, keep: wanted });
    expect(page).toEqual({ data: [item(1, 'WANTED')], nextCursor: null });
  });

  it('reads exactly the page size when nothing can be filtered out', async () => {
    ddb.on(QueryCommand).resolves(answer(0, 5));
    const page = await queryFullPage(documentClient, 'settled-test', { partition: PARTITION, schedule, page: { limit: 5, cursor: undefined } });
    expect(page.data).toHaveLength(5);
    expect(ddb).toHaveReceivedCommandWith(QueryCommand, { Limit: 5, KeyConditionExpression: 'gsi1pk = :pk' });
    expect(ddb).toHaveReceivedCommandTimes(QueryCommand, 1);
  });
});
