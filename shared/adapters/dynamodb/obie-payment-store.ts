import { ConditionalCheckFailedException, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, GetCommand, PutCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import type { ObiePaymentRecord, ObiePaymentStore } from '../../domain/open-banking/payment-authorisation';
import { fromItem } from './items';
import { obieDomesticPaymentKey, obiePaymentKey } from './keys';

const ENTITY = 'obiePayment';

/** The Open Banking side of payments: which bank and consent, and the bank's payment id once submitted. */
export class DynamoDbObiePaymentStore implements ObiePaymentStore {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async create(record: ObiePaymentRecord): Promise<void> {
    await this.client.send(
      new PutCommand({ TableName: this.tableName, Item: { ...obiePaymentKey(record.bankPaymentId), entity: ENTITY, ...record }, ConditionExpression: 'attribute_not_exists(pk)' }),
    );
  }

  async get(bankPaymentId: string): Promise<ObiePaymentRecord | undefined> {
    const { Item } = await this.client.send(new GetCommand({ TableName: this.tableName, Key: obiePaymentKey(bankPaymentId), ConsistentRead: true }));
    return Item === undefined ? undefined : fromItem<ObiePaymentRecord>(Item, ENTITY);
  }

  /** The record, and (once the bank's payment id is known) its lookup, in one transaction conditional on the version. */
  async update(previous: ObiePaymentRecord, next: ObiePaymentRecord): Promise<boolean> {
    const put = {
      Put: {
        TableName: this.tableName,
        Item: { ...obiePaymentKey(next.bankPaymentId), entity: ENTITY, ...next },
        ConditionExpression: 'version = :version',
        ExpressionAttributeValues: { ':version': previous.version },
      },
    };
    const lookup =
      next.domesticPaymentId !== null && next.aspspId !== null && previous.domesticPaymentId !== next.domesticPaymentId
        ? [{ Put: { TableName: this.tableName, Item: { ...obieDomesticPaymentKey(next.aspspId, next.domesticPaymentId), entity: 'obieDomesticPayment', bankPaymentId: next.bankPaymentId } } }]
        : [];
    try {
      await this.client.send(new TransactWriteCommand({ TransactItems: [put, ...lookup] }));
      return true;
    } catch (error) {
      if (error instanceof TransactionCanceledException || error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
  }

  async findByDomesticPayment(aspspId: string, domesticPaymentId: string): Promise<ObiePaymentRecord | undefined> {
    const { Item } = await this.client.send(
      new GetCommand({ TableName: this.tableName, Key: obieDomesticPaymentKey(aspspId, domesticPaymentId), ConsistentRead: true }),
    );
    return Item === undefined ? undefined : this.get(String(Item.bankPaymentId));
  }
}
