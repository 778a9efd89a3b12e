import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { BankTokenStore, StoredBankTokens } from '../../domain/open-banking/authorisation';
import { bankTokensKey } from './keys';

/**
 * A consent's sealed bank tokens, in their own item beside the consent (never in the account, which the API
 * returns). Each write is conditional on the version read, so two concurrent refreshes cannot both be stored.
 */
export class DynamoDbBankTokenStore implements BankTokenStore {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async get(tenantId: string, consentId: string): Promise<StoredBankTokens | undefined> {
    const { Item } = await this.client.send(new GetCommand({ TableName: this.tableName, Key: bankTokensKey(tenantId, consentId), ConsistentRead: true }));
    if (Item === undefined) return undefined;
    if (Item.entity !== 'bankTokens' || typeof Item.sealed !== 'string' || typeof Item.version !== 'number') throw new Error('Malformed bank tokens item');
    return { sealed: Item.sealed, version: Item.version };
  }

  async put(tenantId: string, consentId: string, sealed: string, expectedVersion: number | null): Promise<boolean> {
    try {
      await this.client.send(
        new PutCommand({
          TableName: this.tableName,
          Item: { ...bankTokensKey(tenantId, consentId), entity: 'bankTokens', sealed, version: (expectedVersion ?? 0) + 1 },
          ...(expectedVersion === null
            ? { ConditionExpression: 'attribute_not_exists(pk)' }
            : { ConditionExpression: 'version = :expected', ExpressionAttributeValues: { ':expected': expectedVersion } }),
        }),
      );
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
  }
}
