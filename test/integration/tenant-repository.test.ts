import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { beforeAll, describe, expect, it } from 'vitest';
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
