import { createHash } from 'node:crypto';
import { ConditionalCheckFailedException, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, GetCommand, PutCommand, QueryCommand, TransactWriteCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { DomainEvent } from '../../domain/events/domain-event';
import type { StatementImportStore, StatementMappingStore } from '../../domain/statements/import-statement';
import type { SavedStatementMapping, StatementImport, StatementImportProgress } from '../../domain/statements/statement-import';
import { fromItem } from './items';
import { statementImportCounterKey, statementImportEntryKey, statementImportKey, statementImportPartition, statementMappingKey } from './keys';
import { clearOutbox } from './outbox';

/**
 * Counters are spread over this many items so that reconciliation workers counting one large import's transactions
 * at once do not all write the same item (DynamoDB serialises writes to one item; transactions on it conflict).
 */
export const IMPORT_COUNTER_SHARDS = 16;
/** The per-transaction "counted" markers are needed only while the import runs and its messages may be redelivered. */
const MARKER_TTL_SECONDS = 30 * 24 * 3600;

const shardOf = (bankTransactionId: string): number => createHash('sha256').update(bankTransactionId).digest().readUInt16BE(0) % IMPORT_COUNTER_SHARDS;

type TransactItem = NonNullable<ConstructorParameters<typeof TransactWriteCommand>[0]['TransactItems']>[number];

/**
 * The two writes that count one of an import's transactions, to join the transaction that stores it (or to run alone
 * for one found already stored): a marker keyed by (import, bank transaction id), only if absent, and the increment.
 */
export const importCountItems = (
  tableName: string,
  count: { readonly tenantId: string; readonly importId: string; readonly bankTransactionId: string; readonly as: 'stored' | 'duplicates' },
  now: Date,
): TransactItem[] => [
  {
    Put: {
      TableName: tableName,
      Item: { ...statementImportEntryKey(count.tenantId, count.importId, count.bankTransactionId), entity: 'importEntry', expiresAt: Math.floor(now.getTime() / 1000) + MARKER_TTL_SECONDS },
      ConditionExpression: 'attribute_not_exists(pk)',
    },
  },
  {
    Update: {
      TableName: tableName,
      Key: statementImportCounterKey(count.tenantId, count.importId, shardOf(count.bankTransactionId)),
      UpdateExpression: 'ADD #counter :one',
      ExpressionAttributeNames: { '#counter': count.as },
      ExpressionAttributeValues: { ':one': 1 },
    },
  },
];

export class DynamoDbStatementImportStore implements StatementImportStore {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
    private readonly now: () => Date = () => new Date(),
  ) {}

  async create(statementImport: StatementImport, outbox: readonly DomainEvent[]): Promise<void> {
    await this.client.send(
      new PutCommand({
        TableName: this.tableName,
        Item: { ...statementImportKey(statementImport.tenantId, statementImport.id), entity: 'statementImport', ...statementImport, ...(outbox.length === 0 ? {} : { outbox }) },
        ConditionExpression: 'attribute_not_exists(pk)',
      }),
    );
  }

  async get(tenantId: string, importId: string): Promise<StatementImportProgress | undefined> {
    const { Items = [] } = await this.client.send(
      new QueryCommand({
        TableName: this.tableName,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': statementImportPartition(tenantId, importId) },
        ConsistentRead: true,
      }),
    );
    const item = Items.find((candidate) => candidate.sk === 'IMPORT');
    if (item === undefined) return undefined;
    const counters = Items.filter((candidate) => String(candidate.sk).startsWith('COUNT#'));
    const sum = (name: 'stored' | 'duplicates') => counters.reduce((total, counter) => total + (typeof counter[name] === 'number' ? counter[name] : 0), 0);
    return {
      statementImport: fromItem<StatementImport>(item, 'statementImport'),
      stored: sum('stored'),
      duplicates: sum('duplicates'),
      outbox: Array.isArray(item.outbox) ? (item.outbox as DomainEvent[]) : [],
    };
  }

  async countDuplicate(tenantId: string, importId: string, bankTransactionId: string): Promise<void> {
    try {
      await this.client.send(
        new TransactWriteCommand({ TransactItems: importCountItems(this.tableName, { tenantId, importId, bankTransactionId, as: 'duplicates' }, this.now()) }),
      );
    } catch (error) {
      // Already counted (by this import, as stored or as a duplicate): a redelivered message.
      if (error instanceof TransactionCanceledException && error.CancellationReasons?.[0]?.Code === 'ConditionalCheckFailed') return;
      throw error;
    }
  }

  async complete(progress: StatementImportProgress, completedAt: string, outbox: readonly DomainEvent[]): Promise<boolean> {
    try {
      await this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: statementImportKey(progress.statementImport.tenantId, progress.statementImport.id),
          UpdateExpression: 'SET #status = :completed, completedAt = :at, outbox = :outbox',
          ConditionExpression: '#status = :processing',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: { ':completed': 'completed', ':processing': 'processing', ':at': completedAt, ':outbox': outbox },
        }),
      );
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
  }

  async clearOutbox(tenantId: string, importId: string, published: readonly DomainEvent[]): Promise<void> {
    await clearOutbox(this.client, this.tableName, statementImportKey(tenantId, importId), published);
  }
}

export class DynamoDbStatementMappingStore implements StatementMappingStore {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async create(mapping: SavedStatementMapping): Promise<void> {
    await this.client.send(
      new PutCommand({
        TableName: this.tableName,
        Item: { ...statementMappingKey(mapping.tenantId, mapping.id), entity: 'statementMapping', ...mapping },
        ConditionExpression: 'attribute_not_exists(pk)',
      }),
    );
  }

  async get(tenantId: string, mappingId: string): Promise<SavedStatementMapping | undefined> {
    const { Item } = await this.client.send(new GetCommand({ TableName: this.tableName, Key: statementMappingKey(tenantId, mappingId), ConsistentRead: true }));
    return Item === undefined ? undefined : fromItem<SavedStatementMapping>(Item, 'statementMapping');
  }
}
