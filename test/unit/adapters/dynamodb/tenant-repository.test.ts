import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-vitest/extend';
import { beforeEach, describe, expect, it } from 'vitest';
import { DynamoDbTenantRepository } from '../../../../shared/adapters/dynamodb/tenant-repository';

const documentClient = DynamoDBDocumentClient.from(new DynamoDBClient({ region: 'eu-west-2' }));
const ddb = mockClient(documentClient);
const repository = new DynamoDbTenantRepository(documentClient, 'settled-test');
const tenant = { id: 'ten_01JD0000000000000000000000', name: 'Acme', createdAt: '2026-11-24T10:00:00.000Z' };

describe('DynamoDbTenantRepository', () => {
  beforeEach(() => ddb.reset());

  it('writes the tenant and its key hash in one transaction, each only if new', async () => {
    // Prepare
    ddb.on(TransactWriteCommand).resolves({});
    // Act
    await repository.create(tenant, 'abc123');
    // Assess
    expect(ddb).toHaveReceivedCommandTimes(TransactWriteCommand, 1);
    expect(ddb).toHaveReceivedCommandWith(TransactWriteCommand, {
      TransactItems: [
        {
          Put: expect.objectContaining({
            TableName: 'settled-test',
            Item: expect.objectContaining({ pk: `${tenant.id}#TENANT`, name: 'Acme' }),
            ConditionExpression: 'attribute_not_exists(pk)',
          }),
        },
        {
          Put: expect.objectContaining({
            Item: expect.objectContaining({ pk: `${tenant.id}#APIKEY#abc123`, tenantId: tenant.id }),
            ConditionExpression: 'attribute_not_exists(pk)',
          }),
        },
      ],
    });
  });

  it('finds the tenant of a live key with a consistent read of the key item', async () => {
    ddb
      .on(GetCommand, { Key: { pk: `${tenant.id}#APIKEY#abc123`, sk: 'APIKEY' } })
      .resolves({ Item: { tenantId: tenant.id } })
      .on(GetCommand, { Key: { pk: `${tenant.id}#TENANT`, sk: 'TENANT' } })
      .resolves({ Item: { ...tenant, pk: 'x', sk: 'y', type: 'tenant' } });
    await expect(repository.findByApiKeyHash(tenant.id, 'abc123')).resolves.toEqual(tenant);
    expect(ddb).toHaveReceivedCommandWith(GetCommand, { ConsistentRead: true, Key: { pk: `${tenant.id}#APIKEY#abc123`, sk: 'APIKEY' } });
  });

  it('does not authenticate a revoked or unknown key', async () => {
    ddb.on(GetCommand).resolves({});
    await expect(repository.findByApiKeyHash(tenant.id, 'nope')).resolves.toBeUndefined();
    ddb.reset();
    ddb.on(GetCommand).resolves({ Item: { tenantId: tenant.id, revokedAt: '2026-11-01T00:00:00Z' } });
    await expect(repository.findByApiKeyHash(tenant.id, 'abc123')).resolves.toBeUndefined();
  });
});
