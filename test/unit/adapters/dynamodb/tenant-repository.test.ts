import { ConditionalCheckFailedException, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, TransactWriteCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
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
            Item: expect.objectContaining({ pk: `${tenant.id}#APIKEY#abc123`, tenantId: tenant.id, tenantName: 'Acme', tenantCreatedAt: tenant.createdAt }),
            ConditionExpression: 'attribute_not_exists(pk)',
          }),
        },
      ],
    });
  });

  it('authenticates a live key with one consistent read of the key item, which carries its tenant', async () => {
    // Prepare
    ddb
      .on(GetCommand, { Key: { pk: `${tenant.id}#APIKEY#abc123`, sk: 'APIKEY' } })
      .resolves({ Item: { tenantId: tenant.id, tenantName: 'Acme', tenantCreatedAt: tenant.createdAt } });
    // Act + Assess
    await expect(repository.findByApiKeyHash(tenant.id, 'abc123')).resolves.toEqual(tenant);
    expect(ddb).toHaveReceivedCommandTimes(GetCommand, 1);
    expect(ddb).toHaveReceivedCommandWith(GetCommand, { ConsistentRead: true, Key: { pk: `${tenant.id}#APIKEY#abc123`, sk: 'APIKEY' } });
  });

  it('reads the tenant item for a key written before keys carried their tenant, and back-fills the key unless revoked', async () => {
    // Prepare
    ddb
      .on(GetCommand, { Key: { pk: `${tenant.id}#APIKEY#abc123`, sk: 'APIKEY' } })
      .resolves({ Item: { tenantId: tenant.id } })
      .on(GetCommand, { Key: { pk: `${tenant.id}#TENANT`, sk: 'TENANT' } })
      .resolves({ Item: { ...tenant, pk: 'x', sk: 'y', type: 'tenant' } });
    ddb.on(UpdateCommand).resolves({});
    // Act + Assess
    await expect(repository.findByApiKeyHash(tenant.id, 'abc123')).resolves.toEqual(tenant);
    expect(ddb).toHaveReceivedCommandWith(UpdateCommand, {
      Key: { pk: `${tenant.id}#APIKEY#abc123`, sk: 'APIKEY' },
      ConditionExpression: 'attribute_exists(pk) AND attribute_not_exists(revokedAt)',
      ExpressionAttributeValues: { ':name': 'Acme', ':createdAt': tenant.createdAt },
    });
  });

  it('still authenticates an old key when its back-fill loses to a revocation', async () => {
    ddb
      .on(GetCommand, { Key: { pk: `${tenant.id}#APIKEY#abc123`, sk: 'APIKEY' } })
      .resolves({ Item: { tenantId: tenant.id } })
      .on(GetCommand, { Key: { pk: `${tenant.id}#TENANT`, sk: 'TENANT' } })
      .resolves({ Item: { ...tenant, pk: 'x', sk: 'y', type: 'tenant' } });
    ddb.on(UpdateCommand).rejects(new ConditionalCheckFailedException({ message: 'revoked', $metadata: {} }));
    // This request was authenticated before the revocation (the consistent read); the next one is not.
    await expect(repository.findByApiKeyHash(tenant.id, 'abc123')).resolves.toEqual(tenant);
  });

  it('does not authenticate a key item that names another tenant than its partition', async () => {
    ddb.on(GetCommand).resolves({ Item: { tenantId: 'ten_01JD0000000000000000000009', tenantName: 'Other', tenantCreatedAt: tenant.createdAt } });
    await expect(repository.findByApiKeyHash(tenant.id, 'abc123')).resolves.toBeUndefined();
  });

  it('does not authenticate a revoked or unknown key', async () => {
    ddb.on(GetCommand).resolves({});
    await expect(repository.findByApiKeyHash(tenant.id, 'nope')).resolves.toBeUndefined();
    ddb.reset();
    ddb.on(GetCommand).resolves({ Item: { tenantId: tenant.id, tenantName: 'Acme', tenantCreatedAt: tenant.createdAt, revokedAt: '2026-11-01T00:00:00Z' } });
    await expect(repository.findByApiKeyHash(tenant.id, 'abc123')).resolves.toBeUndefined();
  });
});
