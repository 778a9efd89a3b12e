import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { beforeAll, describe, expect, it } from 'vitest';
import { DynamoDbRateLimiter } from '../../shared/adapters/dynamodb/rate-limiter';
import { createTestTable } from './table';

describe('DynamoDbRateLimiter on DynamoDB Local', () => {
  let table: Awaited<ReturnType<typeof createTestTable>>;
  let limiter: DynamoDbRateLimiter;

  beforeAll(async () => {
    table = await createTestTable();
    limiter = new DynamoDbRateLimiter(table.documentClient, table.tableName, 5);
  });

  it('allows 5 requests in one second, refuses the 6th, and allows again in the next second', async () => {
    // Prepare
    const tenantId = 'ten_01JD00000000000000000RATE1';
    const second = new Date('2026-11-24T10:00:00.000Z');
    const sameSecond = (ms: number) => new Date(second.getTime() + ms);
    // Act
    const firstFive = await Promise.all([0, 100, 300, 500, 700].map((ms) => limiter.take(tenantId, sameSecond(ms))));
    const sixth = await limiter.take(tenantId, sameSecond(999));
    const nextSecond = await limiter.take(tenantId, sameSecond(1000));
    // Assess
    expect(firstFive.map((decision) => decision.allowed)).toEqual([true, true, true, true, true]);
    expect(sixth).toEqual({ allowed: false, retryAfterSeconds: 1 });
    expect(nextSecond.allowed).toBe(true);
    const counter = await table.documentClient.send(
      new GetCommand({ TableName: table.tableName, Key: { pk: `${tenantId}#RATE#${second.getTime() / 1000}`, sk: 'RATE' } }),
    );
    expect(counter.Item).toMatchObject({ requests: 5, expiresAt: second.getTime() / 1000 + 120 });
  });

  it("keeps each tenant's allowance its own", async () => {
    const at = new Date('2026-11-24T11:00:00.000Z');
    for (let i = 0; i < 5; i += 1) await limiter.take('ten_01JD00000000000000000RATE2', at);
    expect((await limiter.take('ten_01JD00000000000000000RATE2', at)).allowed).toBe(false);
    expect((await limiter.take('ten_01JD00000000000000000RATE3', at)).allowed).toBe(true);
  });
});
