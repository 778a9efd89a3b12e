import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, GetCommand, TransactWriteCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { Tenant, TenantRepository } from '../../domain/tenants/tenant';
import { apiKeyKey, tenantKey } from './keys';

/**
 * Tenants and API key hashes in the single table.
 *
 * An API key item carries a copy of what authenticating needs from its tenant (id, name, creation time), so a
 * request is authenticated with one consistent GetItem. Tenants never change once created; revocation is on the key
 * item itself (`revokedAt`), so the copy cannot go stale. Key items written before the copy existed name only their
 * tenant: they read the tenant item once and are given the copy (a conditional write that never revives a revoked key).
 */
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
              Item: { ...apiKeyKey(tenant.id, apiKeyHash), type: 'apiKey', tenantId: tenant.id, createdAt: tenant.createdAt, ...tenantCopy(tenant) },
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
    // The key's partition leads with the tenant it was issued to; a key item naming another is not this tenant's.
    if (key.Item.tenantId !== tenantId) return undefined;
    const copied = copiedTenantOf(key.Item);
    if (copied !== undefined) return copied;
    const tenant = await this.findById(tenantId);
    if (tenant !== undefined) await this.backFill(tenantId, apiKeyHash, tenant);
    return tenant;
  }

  /** Gives a key item written before the copy existed its tenant's copy; never to a revoked or deleted key. */
  private async backFill(tenantId: string, apiKeyHash: string, tenant: Tenant): Promise<void> {
    try {
      await this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: apiKeyKey(tenantId, apiKeyHash),
          UpdateExpression: 'SET tenantName = :name, tenantCreatedAt = :createdAt',
          ConditionExpression: 'attribute_exists(pk) AND attribute_not_exists(revokedAt)',
          ExpressionAttributeValues: { ':name': tenant.name, ':createdAt': tenant.createdAt },
        }),
      );
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
    }
  }
}

const tenantCopy = (tenant: Tenant) => ({ tenantName: tenant.name, tenantCreatedAt: tenant.createdAt });

const copiedTenantOf = (item: Record<string, unknown>): Tenant | undefined =>
  typeof item.tenantName === 'string' && typeof item.tenantCreatedAt === 'string'
    ? { id: String(item.tenantId), name: item.tenantName, createdAt: item.tenantCreatedAt }
    : undefined;

const toTenant = (item: Record<string, unknown>): Tenant => ({
  id: String(item.id),
  name: String(item.name),
  createdAt: String(item.createdAt),
});
