import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, GetCommand, PutCommand, QueryCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { type AccessLogEntry, type Account, type AccountRepository, type AccountUpdateEffects, isConnected, type Page, type PageRequest, type Provider } from '../../domain/accounts/account';
import type { DomainEvent } from '../../domain/events/domain-event';
import {
  accessLogPartition,
  accountKey,
  accountListKey,
  aspspAccountPartition,
  aspspAccountsPartition,
  bankAccountPartition,
  bankConsentKey,
  cashPositionKey,
  cashPositionListKey,
  consentKey,
  ibanAccountPartition,
} from './keys';
import { fromItem, setExpression } from './items';
import { appendToOutbox, clearOutbox } from './outbox';
import { decodeCursor, encodeCursor, queryListPage } from './pagination';
import { UNBUCKETED } from './list-partitions';

const LOST_RACE = new Set(['ConditionalCheckFailed', 'TransactionConflict']);

/**
 * An account as stored. Items written before Open Banking lack its fields (and a version): they read as the
 * sandbox accounts they are, at version 1.
 */
export const toAccount = (item: Record<string, unknown>): Account => {
  const stored = fromItem<Account>(item, 'account');
  return {
    ...stored,
    aspspId: stored.aspspId ?? null,
    iban: stored.iban ?? null,
    bankAccountId: stored.bankAccountId ?? null,
    syncCursor: stored.syncCursor ?? null,
    connectedAt: stored.connectedAt ?? null,
    version: stored.version ?? 1,
    consent: {
      ...stored.consent,
      authorisationUrl: stored.consent.authorisationUrl ?? null,
      bankConsentId: stored.consent.bankConsentId ?? null,
      pendingBankConsentId: stored.consent.pendingBankConsentId ?? null,
      statusReason: stored.consent.statusReason ?? null,
      reconfirmationNotifiedFor: stored.consent.reconfirmationNotifiedFor ?? null,
    },
  };
};

/** The IBAN of an account named only by one (another country's than the UK); undefined for every other account. */
const ibanOnlyOf = (account: Account): string | undefined => (account.iban !== null && !isConnected(account) ? account.iban : undefined);

/** Accounts, their consents, the bank-account lookup that routes webhooks, and the AIS access log. */
export class DynamoDbAccountRepository implements AccountRepository {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  /**
   * An active account (the sandbox's) is stored with its bank-account lookup (by sort code and account number, or
   * by IBAN when it has only that) and cash position; an obie account awaiting authorisation gets them when it
   * connects ({@link update} with `connected`).
   */
  async create(account: Account): Promise<void> {
    const put = (Item: Record<string, unknown>) => ({ Put: { TableName: this.tableName, Item, ConditionExpression: 'attribute_not_exists(pk)' } });
    const active = account.status === 'active';
    const ibanOnly = ibanOnlyOf(account);
    await this.client.send(
      new TransactWriteCommand({
        TransactItems: [
          put({ ...accountKey(account.tenantId, account.id), gsi1pk: accountListKey(account.tenantId), gsi1sk: `${account.createdAt}#${account.id}`, entity: 'account', ...account }),
          put({ ...consentKey(account.tenantId, account.consent.id), entity: 'consent', tenantId: account.tenantId, accountId: account.id, consentId: account.consent.id }),
          ...this.bankConsentLookups(account).map((Put) => ({ Put })),
          ...(active && isConnected(account) ? [put(this.bankAccountCopy(account))] : []),
          ...(active && ibanOnly !== undefined ? [put(this.ibanAccountCopy(account, ibanOnly))] : []),
          ...(active && (isConnected(account) || ibanOnly !== undefined) ? [put(this.openingCashPosition(account, account.createdAt))] : []),
        ],
      }),
    );
  }

  async update(next: Account, effects: AccountUpdateEffects = {}): Promise<boolean> {
    const { id: _id, tenantId: _tenantId, createdAt: _createdAt, ...fields } = next;
    const expression = setExpression(fields);
    const { assignments, names, values } = expression;
    appendToOutbox(expression, effects.outbox ?? []);
    names['#version'] = 'version';
    values[':expectedVersion'] = next.version - 1;
    // Accounts stored before versions existed have none: they are at version 1.
    const condition = next.version - 1 === 1 ? '(attribute_not_exists(#version) OR #version = :expectedVersion)' : '#version = :expectedVersion';
    const connected = effects.connected === true && next.status === 'active' && isConnected(next);
    try {
      await this.client.send(
        new TransactWriteCommand({
          TransactItems: [
            {
              Update: {
                TableName: this.tableName,
                Key: accountKey(next.tenantId, next.id),
                UpdateExpression: `SET ${assignments.join(', ')}`,
                ConditionExpression: `attribute_exists(pk) AND ${condition}`,
                ExpressionAttributeNames: names,
                ExpressionAttributeValues: values,
              },
            },
            ...this.bankConsentLookups(next).map((Put) => ({ Put })),
            ...(connected
              ? [
                  { Put: { TableName: this.tableName, Item: this.bankAccountCopy(next) } },
                  ...(next.aspspId !== null && next.bankAccountId !== null
                    ? [
                        {
                          Put: {
                            TableName: this.tableName,
                            Item: {
                              pk: aspspAccountPartition(next.aspspId, next.bankAccountId),
                              sk: `${next.tenantId}#${next.id}`,
                              entity: 'aspspAccount',
                              tenantId: next.tenantId,
                              accountId: next.id,
                            },
                          },
                        },
                        {
                          Put: {
                            TableName: this.tableName,
                            Item: {
                              pk: aspspAccountsPartition(next.aspspId),
                              sk: `${next.tenantId}#${next.id}`,
                              entity: 'connectedAccount',
                              tenantId: next.tenantId,
                              accountId: next.id,
                            },
                          },
                        },
                      ]
                    : []),
                  this.cashPositionIfAbsent(next),
                ]
              : []),
          ],
        }),
      );
      return true;
    } catch (error) {
      // Lost the race: the version moved on, or a concurrent transaction on the same item won.
      if (error instanceof TransactionCanceledException && (error.CancellationReasons ?? []).some((reason) => LOST_RACE.has(reason.Code ?? ''))) return false;
      throw error;
    }
  }

  async getWithOutbox(tenantId: string, accountId: string) {
    const { Item } = await this.client.send(new GetCommand({ TableName: this.tableName, Key: accountKey(tenantId, accountId), ConsistentRead: true }));
    if (Item === undefined) return undefined;
    return { account: toAccount(Item), outbox: Array.isArray(Item.outbox) ? (Item.outbox as DomainEvent[]) : [] };
  }

  async clearOutbox(tenantId: string, accountId: string, published: readonly DomainEvent[]): Promise<void> {
    await clearOutbox(this.client, this.tableName, accountKey(tenantId, accountId), published);
  }

  async findByAspspAccount(aspspId: string, bankAccountId: string): Promise<Account[]> {
    const result = await this.client.send(
      new QueryCommand({
        TableName: this.tableName,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': aspspAccountPartition(aspspId, bankAccountId) },
        ConsistentRead: true,
      }),
    );
    const accounts = await Promise.all((result.Items ?? []).map((item) => this.get(String(item.tenantId), String(item.accountId))));
    return accounts.filter((account): account is Account => account !== undefined);
  }

  async listConnectedAt(aspspId: string): Promise<readonly { readonly tenantId: string; readonly accountId: string }[]> {
    const found: { tenantId: string; accountId: string }[] = [];
    let startKey: Record<string, unknown> | undefined;
    do {
      const page = await this.client.send(
        new QueryCommand({
          TableName: this.tableName,
          KeyConditionExpression: 'pk = :pk',
          ExpressionAttributeValues: { ':pk': aspspAccountsPartition(aspspId) },
          ExclusiveStartKey: startKey,
        }),
      );
      for (const item of page.Items ?? []) found.push({ tenantId: String(item.tenantId), accountId: String(item.accountId) });
      startKey = page.LastEvaluatedKey;
    } while (startKey !== undefined);
    return found;
  }

  async findByBankConsent(aspspId: string, bankConsentId: string): Promise<Account | undefined> {
    const { Item } = await this.client.send(
      new GetCommand({ TableName: this.tableName, Key: bankConsentKey(aspspId, bankConsentId), ConsistentRead: true }),
    );
    return Item === undefined ? undefined : this.get(String(Item.tenantId), String(Item.accountId));
  }

  /** The (aspspId, bankConsentId) lookups of the consent in force and of a pending reconfirmation; rewriting them is harmless. */
  private bankConsentLookups(account: Account) {
    const aspspId = account.aspspId;
    if (aspspId === null) return [];
    return [account.consent.bankConsentId, account.consent.pendingBankConsentId]
      .filter((bankConsentId): bankConsentId is string => bankConsentId !== null)
      .map((bankConsentId) => ({
        TableName: this.tableName,
        Item: { ...bankConsentKey(aspspId, bankConsentId), entity: 'bankConsent', tenantId: account.tenantId, accountId: account.id, consentId: account.consent.id },
      }));
  }

  /** A copy of the account under its bank account, so routing a bank's transaction to accounts is one query. */
  private bankAccountCopy(account: Account & { sortCode: string; accountNumber: string }) {
    return {
      pk: bankAccountPartition(account.provider, account.sortCode, account.accountNumber),
      sk: `${account.tenantId}#${account.id}`,
      entity: 'bankAccount',
      account,
    };
  }

  /** A copy of an IBAN-only account under its IBAN, as {@link bankAccountCopy} is under a UK bank account. */
  private ibanAccountCopy(account: Account, iban: string) {
    return { pk: ibanAccountPartition(account.provider, iban), sk: `${account.tenantId}#${account.id}`, entity: 'ibanAccount', account };
  }

  private openingCashPosition(account: Account, asOf: string) {
    return {
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
      asOf,
    };
  }

  /** The opening cash position of a newly connected account, left as it is when it exists (a reconfirmation). */
  private cashPositionIfAbsent(account: Account) {
    const { pk, sk, ...fields } = this.openingCashPosition(account, account.syncCursor ?? account.createdAt);
    const assignments = Object.keys(fields).map((name, index) => `#c${index} = if_not_exists(#c${index}, :c${index})`);
    return {
      Update: {
        TableName: this.tableName,
        Key: { pk, sk },
        UpdateExpression: `SET ${assignments.join(', ')}`,
        ExpressionAttributeNames: Object.fromEntries(Object.keys(fields).map((name, index) => [`#c${index}`, name])),
        ExpressionAttributeValues: Object.fromEntries(Object.values(fields).map((value, index) => [`:c${index}`, value])),
      },
    };
  }

  async get(tenantId: string, accountId: string): Promise<Account | undefined> {
    const { Item } = await this.client.send(new GetCommand({ TableName: this.tableName, Key: accountKey(tenantId, accountId) }));
    return Item === undefined ? undefined : toAccount(Item);
  }

  async list(tenantId: string, page: PageRequest): Promise<Page<Account>> {
    const page_ = await queryListPage<Account>(this.client, this.tableName, { partition: accountListKey(tenantId), entity: 'account', page, schedule: UNBUCKETED });
    return { ...page_, data: page_.data.map((account) => toAccount({ ...account, entity: 'account' })) };
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
    return (result.Items ?? []).map((item) => toAccount({ ...(item.account as Record<string, unknown>), entity: 'account' })).filter((account) => account.status === 'active');
  }

  async findByIban(provider: Provider, iban: string): Promise<Account[]> {
    const result = await this.client.send(
      new QueryCommand({
        TableName: this.tableName,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': ibanAccountPartition(provider, iban) },
        ConsistentRead: true,
      }),
    );
    return (result.Items ?? []).map((item) => toAccount({ ...(item.account as Record<string, unknown>), entity: 'account' })).filter((account) => account.status === 'active');
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
