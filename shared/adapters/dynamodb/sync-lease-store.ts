import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { SyncLeases } from '../../domain/accounts/sync-account';
import { accountSyncKey } from './keys';

/** How long a sync lease lasts without its owner giving it up: longer than the bank-sync function's timeout. */
export const SYNC_LEASE_MS = 2 * 60 * 1000;

/**
 * Sync leases on one item per account beside the account (`SYNC`): `requests` counts what was asked for (ADD, never
 * lost), `leaseOwner`/`leaseUntil` say who syncs now; every change is one conditional UpdateItem.
 */
export class DynamoDbSyncLeases implements SyncLeases {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async request(tenantId: string, accountId: string, owner: string, now: Date): Promise<{ held: boolean; requests: number }> {
    const key = accountSyncKey(tenantId, accountId);
    const { Attributes } = await this.client.send(
      new UpdateCommand({ TableName: this.tableName, Key: key, UpdateExpression: 'ADD requests :one SET entity = :entity', ExpressionAttributeValues: { ':one': 1, ':entity': 'accountSync' }, ReturnValues: 'ALL_NEW' }),
    );
    const requests = Number(Attributes?.requests ?? 1);
    const held = typeof Attributes?.leaseOwner === 'string' ? Attributes.leaseOwner : undefined;
    if (held !== undefined && held !== owner && Number(Attributes?.leaseUntil ?? 0) > now.getTime()) return { held: false, requests };
    try {
      await this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: key,
          UpdateExpression: 'SET leaseOwner = :owner, leaseUntil = :until',
          ConditionExpression: 'attribute_not_exists(leaseOwner) OR leaseOwner = :owner OR leaseUntil < :now',
          ExpressionAttributeValues: { ':owner': owner, ':until': now.getTime() + SYNC_LEASE_MS, ':now': now.getTime() },
        }),
      );
      return { held: true, requests };
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return { held: false, requests };
      throw error;
    }
  }

  async release(tenantId: string, accountId: string, owner: string, seen: number): Promise<{ released: boolean; requests: number }> {
    const key = accountSyncKey(tenantId, accountId);
    try {
      await this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: key,
          UpdateExpression: 'REMOVE leaseOwner, leaseUntil',
          ConditionExpression: 'leaseOwner = :owner AND requests = :seen',
          ExpressionAttributeValues: { ':owner': owner, ':seen': seen },
        }),
      );
      return { released: true, requests: seen };
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
      const { Item } = await this.client.send(new GetCommand({ TableName: this.tableName, Key: key, ConsistentRead: true }));
      // The lease expired and another sync holds it now: that one picks the new requests up.
      if (Item?.leaseOwner !== owner) return { released: true, requests: Number(Item?.requests ?? seen) };
      return { released: false, requests: Number(Item.requests ?? seen) };
    }
  }

  async abandon(tenantId: string, accountId: string, owner: string): Promise<void> {
    try {
      await this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: accountSyncKey(tenantId, accountId),
          UpdateExpression: 'REMOVE leaseOwner, leaseUntil',
          ConditionExpression: 'leaseOwner = :owner',
          ExpressionAttributeValues: { ':owner': owner },
        }),
      );
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
    }
  }
}
