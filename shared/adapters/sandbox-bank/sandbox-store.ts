import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { fromItem } from '../dynamodb/items';
import { sandboxPaymentKey } from '../dynamodb/keys';
import type { SandboxPayment } from './sandbox-payment';

/** The sandbox bank's payments, in the same table under its own `SANDBOX#` partitions. */
export class SandboxPaymentStore {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async create(payment: SandboxPayment): Promise<void> {
    await this.client.send(
      new PutCommand({
        TableName: this.tableName,
        Item: { ...sandboxPaymentKey(payment.bankPaymentId), entity: 'sandboxPayment', ...payment },
        ConditionExpression: 'attribute_not_exists(pk)',
      }),
    );
  }

  async get(bankPaymentId: string): Promise<SandboxPayment | undefined> {
    const { Item } = await this.client.send(
      new GetCommand({ TableName: this.tableName, Key: sandboxPaymentKey(bankPaymentId), ConsistentRead: true }),
    );
    return Item === undefined ? undefined : fromItem<SandboxPayment>(Item, 'sandboxPayment');
  }

  /** Records the payer's decision once; false if the payment was already decided. */
  async decide(bankPaymentId: string, status: 'approved' | 'rejected', at: string): Promise<boolean> {
    try {
      await this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: sandboxPaymentKey(bankPaymentId),
          UpdateExpression: 'SET #status = :status, decidedAt = :at',
          ConditionExpression: '#status = :awaiting',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: { ':status': status, ':at': at, ':awaiting': 'awaiting_authorisation' },
        }),
      );
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
  }
}
