import { ConditionalCheckFailedException, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, GetCommand, PutCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import type { Page, PageRequest } from '../../domain/accounts/account';
import type { DomainEvent } from '../../domain/events/domain-event';
import { retentionExpiry } from '../../domain/settlement/retention';
import type { Payment } from '../../domain/payments/payment';
import { type BankTransaction, type ReportedTransaction, routingOf } from '../../domain/settlement/bank-transaction';
import { importCountItems } from './statement-import-store';
import type { BookedSummary, RecordResult, StoredTransaction, TransactionFilter, TransactionStore } from '../../domain/settlement/settlement-store';
import type { ReconciliationException } from '../../domain/reconciliation/reconciliation-exception';
import { exceptionItem } from './exception-store';
import { endToEndKey, twinClaimKey, keptAsideByIbanKey, keptAsideKey, transactionKey, transactionListKey } from './keys';
import { fromItem } from './items';
import { listPartitionOf, listShardSchedule } from './list-partitions';
import { queryFullPage } from './pagination';
import { paymentTransition } from './payment-items';
import { payoutCounterWrites } from './payout-store';
import { clearOutbox } from './outbox';
import { cashMoveWrites } from './cash-position-store';
import { reconciliationMoves } from '../../domain/cash/cash-position';

/**
 * A bank transaction as stored: keyed by (account, bank transaction id), listed on gsi1 by booking time, expiring
 * 7 years after booking, with the events not yet confirmed published.
 */
export const transactionItem = (transaction: BankTransaction, outbox: readonly DomainEvent[] = [], now = Date.now()) => ({
  ...transactionKey(transaction.tenantId, transaction.accountId, transaction.bankTransactionId),
  // The account's list, bucketed by booking month and sharded (list-partitions.ts): 1,000 settlements/s on one
  // account spread over the shards instead of one partition.
  gsi1pk: listPartitionOf(
    transactionListKey(transaction.tenantId, transaction.accountId),
    listShardSchedule(),
    `${transaction.bookingDateTime}#${transaction.id}`,
    transaction.id,
    now,
  ),
  gsi1sk: `${transaction.bookingDateTime}#${transaction.id}`,
  entity: 'transaction',
  ...transaction,
  expiresAt: retentionExpiry(transaction.bookingDateTime),
  ...(outbox.length === 0 ? {} : { outbox }),
});

/** Bank transactions, stored once per (account, bank transaction id), with their outbox. */
export class DynamoDbTransactionStore implements TransactionStore {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async get(tenantId: string, accountId: string, bankTransactionId: string): Promise<StoredTransaction | undefined> {
    const { Item } = await this.client.send(
      new GetCommand({ TableName: this.tableName, Key: transactionKey(tenantId, accountId, bankTransactionId), ConsistentRead: true }),
    );
    if (Item === undefined) return undefined;
    return { transaction: fromItem<BankTransaction>(Item, 'transaction'), outbox: Array.isArray(Item.outbox) ? (Item.outbox as DomainEvent[]) : [] };
  }

  async findPendingByEndToEndId(tenantId: string, accountId: string, endToEndId: string): Promise<BankTransaction | undefined> {
    const { Item } = await this.client.send(
      new GetCommand({ TableName: this.tableName, Key: endToEndKey(tenantId, accountId, endToEndId), ConsistentRead: true }),
    );
    if (Item === undefined) return undefined;
    const twin = await this.get(tenantId, accountId, String(Item.bankTransactionId));
    return twin?.transaction.supersededBy === null ? twin.transaction : undefined;
  }

  async findBookedByEndToEndId(tenantId: string, accountId: string, endToEndId: string): Promise<BankTransaction | undefined> {
    const { Item } = await this.client.send(
      new GetCommand({ TableName: this.tableName, Key: endToEndKey(tenantId, accountId, endToEndId, 'booked'), ConsistentRead: true }),
    );
    if (Item === undefined) return undefined;
    return (await this.get(tenantId, accountId, String(Item.bankTransactionId)))?.transaction;
  }

  async findBookedSummaryByEndToEndId(tenantId: string, accountId: string, endToEndId: string): Promise<BookedSummary | undefined> {
    const { Item } = await this.client.send(
      new GetCommand({ TableName: this.tableName, Key: endToEndKey(tenantId, accountId, endToEndId, 'booked'), ConsistentRead: true }),
    );
    if (Item === undefined || typeof Item.amount !== 'number') return undefined;
    return {
      bankTransactionId: String(Item.bankTransactionId),
      creditDebitIndicator: Item.creditDebitIndicator === 'debit' ? 'debit' : 'credit',
      amount: Item.amount,
      currency: String(Item.currency),
      bookingDateTime: String(Item.bookingDateTime),
      importId: typeof Item.importId === 'string' ? Item.importId : null,
    };
  }

  async claimTwin(tenantId: string, accountId: string, twinBankTransactionId: string, claimantBankTransactionId: string): Promise<boolean> {
    try {
      await this.client.send(
        new PutCommand({
          TableName: this.tableName,
          Item: { ...twinClaimKey(tenantId, accountId, twinBankTransactionId), entity: 'twinClaim', claimant: claimantBankTransactionId },
          ConditionExpression: 'attribute_not_exists(pk) OR claimant = :claimant',
          ExpressionAttributeValues: { ':claimant': claimantBankTransactionId },
        }),
      );
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
  }

  async record(entry: {
    transaction: BankTransaction;
    paymentChanges: readonly { from: Payment; to: Payment }[];
    exception: ReconciliationException | undefined;
    supersedes: BankTransaction | undefined;
    outbox: readonly DomainEvent[];
    countFor?: { readonly importId: string } | undefined;
  }): Promise<RecordResult> {
    const { transaction, paymentChanges, exception, supersedes, outbox, countFor } = entry;
    const transactItems: NonNullable<ConstructorParameters<typeof TransactWriteCommand>[0]['TransactItems']> = [
      {
        Put: {
          TableName: this.tableName,
          Item: transactionItem(transaction, outbox),
          // The business identity of a bank transaction: its id on the account. Stored once, whatever redelivers it.
          ConditionExpression: 'attribute_not_exists(pk)',
        },
      },
    ];
    // Each payment write is conditional on the version read; remember where they sit to read cancellations.
    const paymentItemIndexes: number[] = [];
    for (const change of paymentChanges) {
      paymentItemIndexes.push(transactItems.length);
      transactItems.push(...paymentTransition(this.tableName, change.from, change.to, []));
    }
    if (exception !== undefined) {
      transactItems.push({ Put: { TableName: this.tableName, Item: exceptionItem(exception), ConditionExpression: 'attribute_not_exists(pk)' } });
    }
    if (transaction.endToEndId !== null) {
      // Both ways: a booked transaction finds the pending one it replaces, and a pending one reported late finds
      // the booked one that already replaced it.
      transactItems.push({
        Put: {
          TableName: this.tableName,
          Item: {
            ...endToEndKey(transaction.tenantId, transaction.accountId, transaction.endToEndId, transaction.status),
            entity: 'endToEnd',
            bankTransactionId: transaction.bankTransactionId,
            // What recognises the same booking from another kind of source without reading the transaction.
            creditDebitIndicator: transaction.creditDebitIndicator,
            amount: transaction.amount,
            currency: transaction.currency,
            bookingDateTime: transaction.bookingDateTime,
            importId: transaction.importId ?? null,
            expiresAt: retentionExpiry(transaction.bookingDateTime),
          },
        },
      });
    }
    const supersedeIndex = transactItems.length;
    if (supersedes !== undefined) {
      transactItems.push({
        Update: {
          TableName: this.tableName,
          Key: transactionKey(supersedes.tenantId, supersedes.accountId, supersedes.bankTransactionId),
          UpdateExpression: 'SET supersededBy = :by',
          // Replaced once: what it counted as pending comes off in this write, so never twice.
          ConditionExpression: 'attribute_exists(pk) AND (attribute_not_exists(supersededBy) OR attribute_type(supersededBy, :nullType) OR supersededBy = :by)',
          ExpressionAttributeValues: { ':by': transaction.id, ':nullType': 'NULL' },
        },
      });
    }
    // The cash moves with what moves it: the balance by a booked line, the pending figures by a pending one, by the
    // payments' new states and by the twin replaced. Once, since this write happens once.
    const cashIndex = transactItems.length;
    transactItems.push(...cashMoveWrites(this.tableName, reconciliationMoves({ transaction, paymentChanges, supersedes }), transaction.receivedAt));
    const countIndex = transactItems.length;
    if (countFor !== undefined) {
      transactItems.push(
        ...importCountItems(this.tableName, { tenantId: transaction.tenantId, importId: countFor.importId, bankTransactionId: transaction.bankTransactionId, as: 'stored' }, new Date()),
      );
    }
    // Payout items' batch counters move with their status, last so the indexes above stay where they were.
    const payoutCountIndex = transactItems.length;
    transactItems.push(...payoutCounterWrites(this.tableName, paymentChanges));
    try {
      await this.client.send(new TransactWriteCommand({ TransactItems: transactItems }));
      return 'recorded';
    } catch (error) {
      if (!(error instanceof TransactionCanceledException)) throw error;
      const reasons = error.CancellationReasons ?? [];
      if (reasons[0]?.Code === 'ConditionalCheckFailed') return 'duplicate';
      // Counted for the import already: only a transaction this import stored can be, so it is one.
      if (countFor !== undefined && reasons[countIndex]?.Code === 'ConditionalCheckFailed') return 'duplicate';
      if (paymentItemIndexes.some((index) => reasons[index]?.Code === 'ConditionalCheckFailed')) return 'payment_changed';
      // A concurrent transaction on the same payment (two credits for one invoice at the same moment): decide again
      // on what it wrote, as for a changed version, rather than wait for the queue's redelivery.
      if (paymentItemIndexes.some((index) => reasons[index]?.Code === 'TransactionConflict')) return 'payment_changed';
      // The twin was replaced meanwhile, or another write held the balance sub-item: decide again (a new sub-item).
      if (supersedes !== undefined && reasons[supersedeIndex]?.Code === 'ConditionalCheckFailed') return 'payment_changed';
      if (reasons.slice(cashIndex, countFor === undefined ? undefined : countIndex).some((reason) => reason?.Code === 'TransactionConflict')) return 'payment_changed';
      if (reasons.slice(payoutCountIndex).some((reason) => reason?.Code === 'TransactionConflict')) return 'payment_changed';
      // Anything else: the queue retries.
      throw error;
    }
  }

  async clearOutbox(transaction: BankTransaction, published: readonly DomainEvent[]): Promise<void> {
    await clearOutbox(this.client, this.tableName, transactionKey(transaction.tenantId, transaction.accountId, transaction.bankTransactionId), published);
  }

  async keepAside(report: ReportedTransaction, receivedAt: string): Promise<void> {
    const routing = routingOf(report);
    const key =
      routing.kind === 'iban'
        ? keptAsideByIbanKey(report.provider, routing.iban, report.bankTransactionId)
        : keptAsideKey(report.provider, routing.sortCode, routing.accountNumber, report.bankTransactionId);
    await this.client.send(
      new PutCommand({
        TableName: this.tableName,
        Item: { ...key, entity: 'unclaimedTransaction', receivedAt, ...report },
      }),
    );
  }

  async list(tenantId: string, accountId: string, filter: TransactionFilter, page: PageRequest): Promise<Page<BankTransaction>> {
    // Booking time leads the sort key (`<bookingDateTime>#<id>`): from/to narrow the key range, never a filter.
    const range = { from: filter.from, to: filter.to === undefined ? undefined : `${filter.to}\uffff` };
    const conditions: string[] = [];
    const names: Record<string, string> = {};
    const values: Record<string, unknown> = {};
    if (filter.includeSuperseded !== true) {
      // A pending transaction its booked twin replaced would count the money twice.
      conditions.push('(attribute_not_exists(supersededBy) OR attribute_type(supersededBy, :null))');
      values[':null'] = 'NULL';
    }
    if (filter.status !== undefined) {
      conditions.push('#status = :status');
      names['#status'] = 'status';
      values[':status'] = filter.status;
    }
    if (filter.reconciliation !== undefined) {
      conditions.push('reconciliation.#rstatus = :rstatus');
      names['#rstatus'] = 'status';
      values[':rstatus'] = filter.reconciliation;
    }
    if (filter.direction !== undefined) {
      conditions.push('creditDebitIndicator = :direction');
      values[':direction'] = filter.direction;
    }
    // DynamoDB's contains() is case-sensitive: the text search runs on each item read, inside the same bounded loop.
    const needle = filter.q?.toLowerCase();
    const listed = await queryFullPage(this.client, this.tableName, {
      partition: transactionListKey(tenantId, accountId),
      page,
      newestFirst: true,
      range,
      filterExpression: conditions.length === 0 ? undefined : conditions.join(' AND '),
      names,
      values,
      keep: needle === undefined ? undefined : (item) => [item.reference, item.description].some((text) => typeof text === 'string' && text.toLowerCase().includes(needle)),
    });
    return { data: listed.data.map((item) => fromItem<BankTransaction>(item, 'transaction')), nextCursor: listed.nextCursor };
  }
}
