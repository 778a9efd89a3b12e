import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, GetCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import type { Page, PageRequest } from '../../domain/accounts/account';
import type { DomainEvent } from '../../domain/events/domain-event';
import type { Payment } from '../../domain/payments/payment';
import type { ExceptionFilter, ExceptionStore, ReconciliationException } from '../../domain/reconciliation/reconciliation-exception';
import type { BankTransaction } from '../../domain/settlement/bank-transaction';
import { exceptionKey, exceptionListKey, transactionKey } from './keys';
import { fromItem } from './items';
import { listPartitionOf, listShardSchedule } from './list-partitions';
import { queryListPage } from './pagination';
import { clearOutbox } from './outbox';
import { paymentCashMoves, paymentCreation, paymentTransition } from './payment-items';
import { payoutCounterWrites } from './payout-store';
import { cashMoveWrites } from './cash-position-store';

export const exceptionItem = (exception: ReconciliationException, now = Date.now()) => ({
  ...exceptionKey(exception.tenantId, exception.id),
  gsi1pk: listPartitionOf(exceptionListKey(exception.tenantId), listShardSchedule(), `${exception.createdAt}#${exception.id}`, exception.id, now),
  gsi1sk: `${exception.createdAt}#${exception.id}`,
  entity: 'exception',
  ...exception,
});

/** Reconciliation exceptions, created with their transaction and resolved through the same exactly-once writes. */
export class DynamoDbExceptionStore implements ExceptionStore {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async get(tenantId: string, exceptionId: string) {
    const { Item } = await this.client.send(
      new GetCommand({ TableName: this.tableName, Key: exceptionKey(tenantId, exceptionId), ConsistentRead: true }),
    );
    if (Item === undefined) return undefined;
    return { exception: fromItem<ReconciliationException>(Item, 'exception'), outbox: Array.isArray(Item.outbox) ? (Item.outbox as DomainEvent[]) : [] };
  }

  async list(tenantId: string, filter: ExceptionFilter, page: PageRequest): Promise<Page<ReconciliationException>> {
    const { createdFrom, createdTo, ...equals } = filter;
    return queryListPage<ReconciliationException>(this.client, this.tableName, {
      partition: exceptionListKey(tenantId),
      entity: 'exception',
      page,
      newestFirst: true,
      equals,
      createdBetween: { from: createdFrom, to: createdTo },
    });
  }

  async resolve(entry: {
    exception: ReconciliationException;
    transaction: BankTransaction;
    paymentChanges: readonly { from: Payment; to: Payment }[];
    refund: Payment | undefined;
    outbox: readonly DomainEvent[];
  }): Promise<boolean> {
    const { exception, transaction, paymentChanges, refund, outbox } = entry;
    try {
      await this.client.send(
        new TransactWriteCommand({
          TransactItems: [
            {
              Update: {
                TableName: this.tableName,
                Key: exceptionKey(exception.tenantId, exception.id),
                UpdateExpression: 'SET #status = :resolved, resolution = :resolution, outbox = :outbox',
                // Resolved once: a second resolution (a retry, a colleague) finds it resolved and changes nothing.
                ConditionExpression: '#status = :open',
                ExpressionAttributeNames: { '#status': 'status' },
                ExpressionAttributeValues: { ':resolved': 'resolved', ':open': 'open', ':resolution': exception.resolution, ':outbox': outbox },
              },
            },
            {
              Update: {
                TableName: this.tableName,
                Key: transactionKey(transaction.tenantId, transaction.accountId, transaction.bankTransactionId),
                UpdateExpression: 'SET reconciliation = :reconciliation',
                ConditionExpression: 'attribute_exists(pk)',
                ExpressionAttributeValues: { ':reconciliation': transaction.reconciliation },
              },
            },
            ...paymentChanges.flatMap((change) => paymentTransition(this.tableName, change.from, change.to, [])),
            // The refund exists exactly when the resolution that names it does.
            ...(refund === undefined ? [] : paymentCreation(this.tableName, refund)),
            // The payments' pending contributions move with them, in this same write.
            ...cashMoveWrites(
              this.tableName,
              paymentCashMoves([...paymentChanges, ...(refund === undefined ? [] : [{ from: undefined, to: refund }])]),
              exception.resolution?.at ?? new Date().toISOString(),
            ),
            ...payoutCounterWrites(this.tableName, paymentChanges),
          ],
        }),
      );
      return true;
    } catch (error) {
      if (error instanceof TransactionCanceledException) return false;
      throw error;
    }
  }

  async clearOutbox(tenantId: string, exceptionId: string, published: readonly DomainEvent[]): Promise<void> {
    await clearOutbox(this.client, this.tableName, exceptionKey(tenantId, exceptionId), published);
  }
}
