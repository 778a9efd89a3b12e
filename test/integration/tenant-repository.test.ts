import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { beforeAll, describe, expect, it } from 'vitest';
import { apiKeyKey, tenantKey } from '../../shared/adapters/dynamodb/keys';
import { DynamoDbTenantRepository } from '../../shared/adapters/dynamodb/tenant-repository';
import { cryptoSecrets, systemClock, ulidIds } from '../../shared/adapters/system';
import { hashApiKey } from '../../shared/domain/tenants/api-key';
import { createTenant } from '../../shared/domain/tenants/create-tenant';
import { ensureTable } from '../../infra/local/dynamodb-local';
import { createTestTable } from './table';

describe('DynamoDbTenantRepository on DynamoDB Local', () => {
  let repository: DynamoDbTenantRepository;
  let table: Awaited<ReturnType<typeof createTestTable>>;

  beforeAll(async () => {
    table = await createTestTable();
    repository = new DynamoDbTenantRepository(table.documentClient, table.tableName);
  });

  it('authenticates the key it was given and no other', async () => {
    // Prepare
    const deps = { tenants: repository, ids: ulidIds, secrets: cryptoSecrets, clock: systemClock };
    const acme = await createTenant({ name: 'Acme' }, deps);
    const globex = await createTenant({ name: 'Globex' }, deps);
    // Act + Assess
    expect(await repository.findByApiKeyHash(acme.id, hashApiKey(acme.apiKey))).toMatchObject({ id: acme.id, name: 'Acme' });
    expect(await repository.findByApiKeyHash(acme.id, hashApiKey(globex.apiKey))).toBeUndefined();
    expect(await repository.findById(globex.id)).toMatchObject({ name: 'Globex' });
  });

  it('authenticates a key written before keys carried their tenant, gives it the copy, and honours its revocation', async () => {
    // Prepare: the items the code before the copy wrote
    const tenant = { id: ulidIds.next('ten'), name: 'Old Co', createdAt: '2026-01-02T03:04:05.000Z' };
    const put = (Item: Record<string, unknown>) => table.documentClient.send(new PutCommand({ TableName: table.tableName, Item }));
    await put({ ...tenantKey(tenant.id), type: 'tenant', ...tenant });
    await put({ ...apiKeyKey(tenant.id, 'old-hash'), type: 'apiKey', tenantId: tenant.id, createdAt: tenant.createdAt });
    // Act + Assess: read through the tenant item, then the key item carries the copy
    expect(await repository.findByApiKeyHash(tenant.id, 'old-hash')).toEqual(tenant);
    const key = await table.documentClient.send(new GetCommand({ TableName: table.tableName, Key: apiKeyKey(tenant.id, 'old-hash') }));
    expect(key.Item).toMatchObject({ tenantName: 'Old Co', tenantCreatedAt: tenant.createdAt });
    expect(await repository.findByApiKeyHash(tenant.id, 'old-hash')).toEqual(tenant);
    // Revoked: the next request is refused at once
    await table.documentClient.send(
      new UpdateCommand({ TableName: table.tableName, Key: apiKeyKey(tenant.id, 'old-hash'), UpdateExpression: 'SET revokedAt = :at', ExpressionAttributeValues: { ':at': '2026-11-30T00:00:00Z' } }),
    );
    expect(await repository.findByApiKeyHash(tenant.id, 'old-hash')).toBeUndefined();
  });

  it('never overwrites an existing tenant', async () => {
    const tenant = { id: ulidIds.next('ten'), name: 'First', createdAt: new Date().toISOString() };
    await repository.create(tenant, 'hash-1');
    await expect(repository.create({ ...tenant, name: 'Second' }, 'hash-2')).rejects.toBeInstanceOf(TransactionCanceledException);
    expect(await repository.findById(tenant.id)).toMatchObject({ name: 'First' });
    expect(await repository.findByApiKeyHash(tenant.id, 'hash-2')).toBeUndefined();
  });

  it('leaves an existing table alone when the runtime restarts', async () => {
    const tenant = { id: ulidIds.next('ten'), name: 'Kept', createdAt: new Date().toISOString() };
    await repository.create(tenant, 'hash-kept');
    await ensureTable(table.endpoint, table.tableName);
    expect(await repository.findById(tenant.id)).toMatchObject({ name: 'Kept' });
  });
});
