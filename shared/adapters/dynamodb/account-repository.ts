import { type DynamoDBDocumentClient, GetCommand, PutCommand, QueryCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import type { AccessLogEntry, Account, AccountRepository, Page, PageRequest, Provider } from '../../domain/accounts/account';
import { accessLogPartition, accountKey, accountListKey, bankAccountPartition, cashPositionKey, cashPositionListKey, consentKey } from './keys';
import { fromItem } from './items';
import { decodeCursor, encodeCursor, queryListPage } from './pagination';

/** Accounts, their consents, the bank-account lookup that routes webhooks, and the AIS access log. */
export class DynamoDbAccountRepository implements AccountRepository {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async create(account: Account): Promise<void> {
    const put = (Item: Record<string, unknown>) => ({ Put: { TableName: this.tableName, Item, ConditionExpression: 'attribute_not_exists(pk)' } });
    await this.client.send(
      new TransactWriteCommand({
        TransactItems: [
          put({ ...accountKey(account.tenantId, account.id), gsi1pk: accountListKey(account.tenantId), gsi1sk: `${account.createdAt}#${account.id}`, entity: 'account', ...account }),
          put({ ...consentKey(account.tenantId, account.consent.id), entity: 'consent', tenantId: account.tenantId, accountId: account.id, consentId: account.consent.id }),
          put({
            pk: bankAccountPartition(account.provider, account.sortCode, account.accountNumber),
            sk: `${account.tenantId}#${account.id}`,
            entity: 'bankAccount',
            // A copy of the (immutable) account, so routing a bank webhook is one query.
            account,
          }),
          put({
            ...cashPositionKey(account.tenantId, account.id, account.currency),
            gsi1pk: cashPositionListKey(account.tenantId),
            gsi1sk: `${account.id}#${account.currency}`,
            entity: 'cashPosition',
            tenantId: account.tenantId,
            accountId: account.id,
            currency: account.currency,
            settledBalance: account.openingBalance,
            pendingInbound: 0,
            pendingOutbound: 0,
            asOf: account.createdAt,
          }),
        ],
      }),
    );
  }

  async get(tenantId: string, accountId: string): Promise<Account | undefined> {
    const { Item } = await this.client.send(new GetCommand({ TableName: this.tableName, Key: accountKey(tenantId, accountId) }));
    return Item === undefined ? undefined : fromItem<Account>(Item, 'account');
  }

  async list(tenantId: string, page: PageRequest): Promise<Page<Account>> {
    return queryListPage<Account>(this.client, this.tableName, { partition: accountListKey(tenantId), entity: 'account', page });
  }

  async findByBankAccount(provider: Provider, sortCode: string, accountNumber: string): Promise<Account[]> {
    const result = await this.client.send(
      new QueryCommand({
        TableName: this.tableName,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': bankAccountPartition(provider, sortCode, accountNumber) },
        ConsistentRead: true,
      }),
    );
    return (result.Items ?? [])
      .map((item) => item.account as Account)
      .filter((account) => account.status === 'active');
  }

  async findByConsent(tenantId: string, consentId: string): Promise<Account | undefined> {
    const { Item } = await this.client.send(new GetCommand({ TableName: this.tableName, Key: consentKey(tenantId, consentId) }));
    return Item === undefined ? undefined : this.get(tenantId, String(Item.accountId));
  }

  async appendAccessLog(tenantId: string, entry: AccessLogEntry): Promise<void> {
    await this.client.send(
      new PutCommand({
        TableName: this.tableName,
        Item: { pk: accessLogPartition(tenantId, entry.consentId), sk: `${entry.at}#${entry.requestId}`, entity: 'accessLog', ...entry },
        // Immutable: an entry is written once and never replaced.
        ConditionExpression: 'attribute_not_exists(pk)',
      }),
    );
  }

  async listAccessLog(tenantId: string, consentId: string, page: PageRequest): Promise<Page<AccessLogEntry>> {
    const partition = accessLogPartition(tenantId, consentId);
    const result = await this.client.send(
      new QueryCommand({
        TableName: this.tableName,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': partition },
        ScanIndexForward: false,
        Limit: page.limit,
        ExclusiveStartKey: decodeCursor(page.cursor, { name: 'pk', value: partition }),
      }),
    );
    return { data: (result.Items ?? []).map((item) => fromItem<AccessLogEntry>(item, 'accessLog')), nextCursor: encodeCursor(result.LastEvaluatedKey) };
  }
}
