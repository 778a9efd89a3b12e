import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { DeleteCommand, type DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { NotificationLedger } from '../../domain/open-banking/bank-sync';
import { notificationKey } from './keys';

/** Banks retry for hours and may both push and offer a notification for polling; a week covers every replay. */
const KEEP_SECONDS = 7 * 24 * 60 * 60;

/** One item per (bank, jti), written only if absent; DynamoDB's TTL drops it after a week. */
export class DynamoDbNotificationLedger implements NotificationLedger {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async recordFirst(aspspId: string, jti: string, receivedAt: string): Promise<boolean> {
    try {
      await this.client.send(
        new PutCommand({
          TableName: this.tableName,
          Item: { ...notificationKey(aspspId, jti), entity: 'notification', receivedAt, expiresAt: Math.floor(Date.parse(receivedAt) / 1000) + KEEP_SECONDS },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
  }

  async forget(aspspId: string, jti: string): Promise<void> {
    await this.client.send(new DeleteCommand({ TableName: this.tableName, Key: notificationKey(aspspId, jti) }));
  }
}
