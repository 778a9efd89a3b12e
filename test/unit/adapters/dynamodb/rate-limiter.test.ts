import { ConditionalCheckFailedException, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-vitest/extend';
import { beforeEach, describe, expect, it } from 'vitest';
import { DynamoDbRateLimiter } from '../../../../shared/adapters/dynamodb/rate-limiter';

const documentClient = DynamoDBDocumentClient.from(new DynamoDBClient({ region: 'eu-west-2' }));
const ddb = mockClient(documentClient);
const limiter = new DynamoDbRateLimiter(documentClient, 'settled-test', 5);
const tenantId = 'ten_01JD0000000000000000000001';
/** 750 ms into its second: the window is the whole epoch second, not the last 1000 ms. */
const now = new Date('2026-11-24T10:00:00.750Z');
const epochSecond = Math.floor(now.getTime() / 1000);

describe('DynamoDbRateLimiter', () => {
  beforeEach(() => ddb.reset());

  it("adds one to the tenant's counter for this second, only while it is under the limit, with a TTL", async () => {
    // Prepare
    ddb.on(UpdateCommand).resolves({});
    // Act
    const decision = await limiter.take(tenantId, now);
    // Assess
    expect(decision.allowed).toBe(true);
    expect(ddb).toHaveReceivedCommandTimes(UpdateCommand, 1);
    expect(ddb).toHaveReceivedCommandWith(UpdateCommand, {
      TableName: 'settled-test',
      Key: { pk: `${tenantId}#RATE#${epochSecond}`, sk: 'RATE' },
      UpdateExpression: expect.stringMatching(/ADD requests :one.*SET expiresAt = :expiresAt/),
      ConditionExpression: 'attribute_not_exists(requests) OR requests < :limit',
      ExpressionAttributeValues: { ':one': 1, ':limit': 5, ':expiresAt': epochSecond + 120 },
    });
  });

  it('refuses with a retry of at least one second when the window is full', async () => {
    // Prepare
    ddb.on(UpdateCommand).rejects(new ConditionalCheckFailedException({ message: 'The conditional request failed', $metadata: {} }));
    // Act
    const decision = await limiter.take(tenantId, now);
    // Assess
    expect(decision.allowed).toBe(false);
    expect(decision.retryAfterSeconds).toBeGreaterThanOrEqual(1);
  });

  it('lets any other DynamoDB failure through rather than treating it as a refusal', async () => {
    ddb.on(UpdateCommand).rejects(new Error('ProvisionedThroughputExceeded'));
    await expect(limiter.take(tenantId, now)).rejects.toThrow('ProvisionedThroughputExceeded');
  });
});
