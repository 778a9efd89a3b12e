import { type DynamoDBDocumentClient, GetCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import type { Tenant, TenantRepository } from '../../domain/tenants/tenant';
import { apiKeyKey, tenantKey } from './keys';

/** Tenants and API key hashes in the single table. */
export class DynamoDbTenantRepository implements TenantRepository {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async create(tenant: Tenant, apiKeyHash: string): Promise<void> {
    await this.client.send(
      new TransactWriteCommand({
        TransactItems: [
          {
            Put: {
              TableName: this.tableName,
              Item: { ...tenantKey(tenant.id), type: 'tenant', id: tenant.id, name: tenant.name, createdAt: tenant.createdAt },
              ConditionExpression: 'attribute_not_exists(pk)',
            },
          },
          {
            Put: {
              TableName: this.tableName,
              Item: { ...apiKeyKey(tenant.id, apiKeyHash), type: 'apiKey', tenantId: tenant.id, createdAt: tenant.createdAt },
              ConditionExpression: 'attribute_not_exists(pk)',
            },
          },
        ],
      }),
    );
  }

  async findById(tenantId: string): Promise<Tenant | undefined> {
    const tenant = await this.client.send(new GetCommand({ TableName: this.tableName, Key: tenantKey(tenantId) }));
    return tenant.Item === undefined ? undefined : toTenant(tenant.Item);
  }

  async findByApiKeyHash(tenantId: string, apiKeyHash: string): Promise<Tenant | undefined> {
    const key = await this.client.send(
      new GetCommand({ TableName: this.tableName, Key: apiKeyKey(tenantId, apiKeyHash), ConsistentRead: true }),
    );
    if (key.Item === undefined || key.Item.revokedAt !== undefined) return undefined;
    return this.findById(tenantId);
  }
}

const toTenant = (item: Record<string, unknown>): Tenant => ({
  id: String(item.id),
  name: String(item.name),
  createdAt: String(item.createdAt),
});
