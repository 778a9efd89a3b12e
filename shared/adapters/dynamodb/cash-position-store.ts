import { ConditionalCheckFailedException, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, GetCommand, PutCommand, QueryCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import {
  type CashPosition,
  type CashPositionStore,
  type ContributionWriteOptions,
  type PendingContribution,
  signedAmount,
} from '../../domain/cash/cash-position';
import type { BankTransaction } from '../../domain/settlement/bank-transaction';
import { bookedMarkerKey, cashPositionKey, cashPositionListKey, contributionKey } from './keys';
import { fromItem } from './items';

/**
 * Cash positions as counters. Each move is a transaction of a marker keyed by what caused it (the booked
 * transaction, the contribution's previous value) and an atomic ADD, so no cause moves a figure twice.
 */
export class DynamoDbCashPositionStore implements CashPositionStore {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async applyBookedTransaction(transaction: BankTransaction, at: string): Promise<boolean> {
    try {
      await this.client.send(
        new TransactWriteCommand({
          TransactItems: [
            {
              Put: {
                TableName: this.tableName,
                Item: { ...bookedMarkerKey(transaction.tenantId, transaction.id), entity: 'bookedMarker', accountId: transaction.accountId, at },
                ConditionExpression: 'attribute_not_exists(pk)',
              },
            },
            {
              Update: {
                TableName: this.tableName,
                Key: cashPositionKey(transaction.tenantId, transaction.accountId, transaction.currency),
                UpdateExpression: 'ADD settledBalance :delta SET asOf = :at',
                ConditionExpression: 'attribute_exists(pk)',
                ExpressionAttributeValues: { ':delta': signedAmount(transaction), ':at': at },
              },
            },
          ],
        }),
      );
      return true;
    } catch (error) {
      if (markerConditionFailed(error)) return false;
      throw error;
    }
  }

  async getContribution(tenantId: string, sourceId: string) {
    const { Item } = await this.client.send(
      new GetCommand({ TableName: this.tableName, Key: contributionKey(tenantId, sourceId), ConsistentRead: true }),
    );
    if (Item === undefined) return undefined;
    return {
      contribution: { inbound: Number(Item.inbound), outbound: Number(Item.outbound) },
      final: Item.final === true,
      sourceVersion: typeof Item.sourceVersion === 'number' ? Item.sourceVersion : undefined,
    };
  }

  async setContribution(
    target: { tenantId: string; accountId: string; currency: string; sourceId: string },
    previous: PendingContribution | undefined,
    next: PendingContribution,
    options: ContributionWriteOptions,
  ): Promise<boolean> {
    const before = previous ?? { inbound: 0, outbound: 0 };
    const versionCondition = options.sourceVersion === undefined ? '' : ' AND (attribute_not_exists(sourceVersion) OR sourceVersion < :version)';
    const marker = {
      Put: {
        TableName: this.tableName,
        Item: {
          ...contributionKey(target.tenantId, target.sourceId),
          entity: 'contribution',
          ...next,
          final: options.final,
          at: options.at,
          ...(options.sourceVersion === undefined ? {} : { sourceVersion: options.sourceVersion }),
        },
        ConditionExpression:
          previous === undefined
            ? 'attribute_not_exists(pk)'
            : `inbound = :inbound AND outbound = :outbound AND (attribute_not_exists(#final) OR #final = :false)${versionCondition}`,
        ...(previous === undefined
          ? {}
          : {
              ExpressionAttributeNames: { '#final': 'final' },
              ExpressionAttributeValues: {
                ':inbound': previous.inbound,
                ':outbound': previous.outbound,
                ':false': false,
                ...(options.sourceVersion === undefined ? {} : { ':version': options.sourceVersion }),
              },
            }),
      },
    };
    const moves = next.inbound !== before.inbound || next.outbound !== before.outbound;
    try {
      if (!moves) {
        // Only the version moves: the balance item (the one every settlement touches) is left alone.
        await this.client.send(new PutCommand(marker.Put));
        return true;
      }
      await this.client.send(
        new TransactWriteCommand({
          TransactItems: [
            marker,
            {
              Update: {
                TableName: this.tableName,
                Key: cashPositionKey(target.tenantId, target.accountId, target.currency),
                UpdateExpression: 'ADD pendingInbound :in, pendingOutbound :out SET asOf = :at',
                ConditionExpression: 'attribute_exists(pk)',
                ExpressionAttributeValues: { ':in': next.inbound - before.inbound, ':out': next.outbound - before.outbound, ':at': options.at },
              },
            },
          ],
        }),
      );
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException || markerConditionFailed(error)) return false;
      throw error;
    }
  }

  async get(tenantId: string, accountId: string, currency: string): Promise<CashPosition | undefined> {
    const { Item } = await this.client.send(
      new GetCommand({ TableName: this.tableName, Key: cashPositionKey(tenantId, accountId, currency), ConsistentRead: true }),
    );
    return Item === undefined ? undefined : fromItem<CashPosition>(Item, 'cashPosition');
  }

  async list(tenantId: string): Promise<CashPosition[]> {
    const positions: CashPosition[] = [];
    let startKey: Record<string, unknown> | undefined;
    do {
      const result = await this.client.send(
        new QueryCommand({
          TableName: this.tableName,
          IndexName: 'gsi1',
          KeyConditionExpression: 'gsi1pk = :pk',
          ExpressionAttributeValues: { ':pk': cashPositionListKey(tenantId) },
          ExclusiveStartKey: startKey,
        }),
      );
      positions.push(...(result.Items ?? []).map((item) => fromItem<CashPosition>(item, 'cashPosition')));
      startKey = result.LastEvaluatedKey;
    } while (startKey !== undefined);
    return positions;
  }
}

/** The transaction was refused because its first item, the marker of what caused the move, said no. */
const markerConditionFailed = (error: unknown): boolean =>
  error instanceof TransactionCanceledException && error.CancellationReasons?.[0]?.Code === 'ConditionalCheckFailed';
