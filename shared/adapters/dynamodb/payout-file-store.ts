import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, GetCommand, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { PayoutFileRecord, PayoutFileStore } from '../../domain/open-banking/payout-files';
import { fromItem } from './items';
import { payoutFileKey, payoutFilePartition } from './keys';

const ENTITY = 'payoutFile';

/** The files of payouts from Open Banking accounts: one item per chunk, versioned, beside the batch. */
export class DynamoDbPayoutFileStore implements PayoutFileStore {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async list(tenantId: string, payoutId: string): Promise<readonly PayoutFileRecord[]> {
    const records: PayoutFileRecord[] = [];
    let start: Record<string, unknown> | undefined;
    do {
      const page = await this.client.send(
        new QueryCommand({
          TableName: this.tableName,
          KeyConditionExpression: 'pk = :pk',
          ExpressionAttributeValues: { ':pk': payoutFilePartition(tenantId, payoutId) },
          ConsistentRead: true,
          ExclusiveStartKey: start,
        }),
      );
      records.push(...(page.Items ?? []).map((item) => fromItem<PayoutFileRecord>(item, ENTITY)));
      start = page.LastEvaluatedKey;
    } while (start !== undefined);
    return records;
  }

  async get(tenantId: string, payoutId: string, chunk: number): Promise<PayoutFileRecord | undefined> {
    const { Item } = await this.client.send(new GetCommand({ TableName: this.tableName, Key: payoutFileKey(tenantId, payoutId, chunk), ConsistentRead: true }));
    return Item === undefined ? undefined : fromItem<PayoutFileRecord>(Item, ENTITY);
  }

  async save(next: PayoutFileRecord, previous: PayoutFileRecord | undefined): Promise<boolean> {
    try {
      await this.client.send(
        new PutCommand({
          TableName: this.tableName,
          Item: { ...payoutFileKey(next.tenantId, next.payoutId, next.chunk), entity: ENTITY, ...next },
          ...(previous === undefined
            ? { ConditionExpression: 'attribute_not_exists(pk)' }
            : { ConditionExpression: 'version = :version', ExpressionAttributeValues: { ':version': previous.version } }),
        }),
      );
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
  }
}
