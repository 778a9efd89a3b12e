import { PutCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoDbEventLog } from '../../shared/adapters/dynamodb/callback-store';
import { transactionListKey } from '../../shared/adapters/dynamodb/keys';
import { tableAdapters } from '../../shared/adapters/dynamodb/repositories';
import { DynamoDbTransactionStore, transactionItem } from '../../shared/adapters/dynamodb/transaction-store';
import type { Page, PageRequest } from '../../shared/domain/accounts/account';
import type { DomainEvent } from '../../shared/domain/events/domain-event';
import type { BankTransaction } from '../../shared/domain/settlement/bank-transaction';
import type { TransactionFilter } from '../../shared/domain/settlement/settlement-store';
import { aBankTransaction, aPayment } from '../support/domain-fakes';
import { createTestTable } from './table';

const TENANT = 'ten_01JD00000000000000000BUCK';
const ACCOUNT = 'acc_01JD00000000000000000BUCK';
/** Buckets from August 2026, 3 shards, 5 from October (events: 2, then 6). */
const SCHEDULE = '2026-08:3,2026-10:5';
const EVENT_SCHEDULE = '2026-08:2,2026-10:6';

/** Booking time of row n: four rows a day from 20 July 2026 (before buckets) into November 2026, one at a time. */
const bookedAt = (n: number) => new Date(Date.UTC(2026, 6, 20, 0, 0, 0) + n * 6 * 3_600_000).toISOString();
const ROWS = 480;

/** Lists bucketed by month and sharded, read back through the adapters on DynamoDB Local. */
describe('bucketed list partitions on DynamoDB Local', () => {
  let table: Awaited<ReturnType<typeof createTestTable>>;
  let store: DynamoDbTransactionStore;
  const saved = { list: process.env.SETTLED_LIST_SHARDS, events: process.env.SETTLED_EVENT_LIST_SHARDS };
  const history: BankTransaction[] = Array.from({ length: ROWS }, (_, n) =>
    aBankTransaction({
      id: `txn_${String(n).padStart(4, '0')}`,
      tenantId: TENANT,
      accountId: ACCOUNT,
      bankTransactionId: `bank-${n}`,
      bookingDateTime: bookedAt(n),
      creditDebitIndicator: n % 3 === 0 ? 'debit' : 'credit',
      description: n % 17 === 0 ? `RARE ${n}` : `COMMON ${n}`,
    }),
  );
  /** Every 13th row was written by the code before buckets, whatever its month: its gsi1pk is the list's base. */
  const legacy = (n: number) => n % 13 === 0;

  beforeAll(async () => {
    process.env.SETTLED_LIST_SHARDS = SCHEDULE;
    process.env.SETTLED_EVENT_LIST_SHARDS = EVENT_SCHEDULE;
    table = await createTestTable();
    store = new DynamoDbTransactionStore(table.documentClient, table.tableName);
    for (const [n, transaction] of history.entries()) {
      if (legacy(n)) {
        const item = { ...transactionItem(transaction), gsi1pk: transactionListKey(TENANT, ACCOUNT) };
        await table.documentClient.send(new PutCommand({ TableName: table.tableName, Item: item }));
      } else {
        await store.record({ transaction, paymentChanges: [], exception: undefined, supersedes: undefined, outbox: [] });
      }
    }
  });

  afterAll(() => {
    for (const [name, value] of [['SETTLED_LIST_SHARDS', saved.list], ['SETTLED_EVENT_LIST_SHARDS', saved.events]] as const) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  });

  const walk = async (filter: TransactionFilter, limit: number) => {
    const pages: Page<BankTransaction>[] = [];
    let cursor: string | undefined;
    do {
      const request: PageRequest = { limit, cursor };
      const page = await store.list(TENANT, ACCOUNT, filter, request);
      pages.push(page);
      cursor = page.nextCursor ?? undefined;
    } while (cursor !== undefined && pages.length < 500);
    return { pages, ids: pages.flatMap((page) => page.data.map((transaction) => transaction.id)) };
  };
  const newestFirst = (keep: (transaction: BankTransaction) => boolean) => [...history].filter(keep).reverse().map((transaction) => transaction.id);

  it('spreads the account list over every shard of every month, the base keeping the rows before buckets', async () => {
    const { Items = [] } = await table.documentClient.send(new ScanCommand({ TableName: table.tableName, ProjectionExpression: 'gsi1pk' }));
    // Items that are on no list (cash sub-items, reference index entries) have no gsi1pk.
    const partitions = new Set(Items.filter((item) => item.gsi1pk !== undefined).map((item) => String(item.gsi1pk)));
    const base = transactionListKey(TENANT, ACCOUNT);
    expect([...partitions].sort()).toEqual(
      [base, ...[0, 1, 2].map((s) => `${base}#2026-08#${s}`), ...[0, 1, 2].map((s) => `${base}#2026-09#${s}`), ...['2026-10', '2026-11'].flatMap((m) => [0, 1, 2, 3, 4].map((s) => `${base}#${m}#${s}`))].sort(),
    );
  });

  it.each<{ name: string; filter: TransactionFilter; keep: (transaction: BankTransaction) => boolean; limit: number }>([
    { name: 'everything', filter: {}, keep: () => true, limit: 37 },
    { name: 'debits', filter: { direction: 'debit' }, keep: (t) => t.creditDebitIndicator === 'debit', limit: 11 },
    { name: 'rare text', filter: { q: 'rare' }, keep: (t) => t.description?.startsWith('RARE') === true, limit: 4 },
    {
      name: 'a range across months and the base',
      filter: { from: '2026-07-25T00:00:00.000Z', to: '2026-10-03T12:00:00.000Z' },
      keep: (t) => t.bookingDateTime >= '2026-07-25T00:00:00.000Z' && t.bookingDateTime <= '2026-10-03T12:00:00.000Z\uffff',
      limit: 50,
    },
  ])('lists $name newest first across buckets and shards, in full pages, exactly once', async ({ filter, keep, limit }) => {
    const { pages, ids } = await walk(filter, limit);
    expect(ids).toEqual(newestFirst(keep));
    for (const page of pages.slice(0, -1)) expect(page.data).toHaveLength(limit);
  });

  it('refuses a cursor of another tenant\'s list', async () => {
    const page = await store.list(TENANT, ACCOUNT, {}, { limit: 5, cursor: undefined });
    await expect(store.list('ten_01JD00000000000000000OTHR', ACCOUNT, {}, { limit: 5, cursor: page.nextCursor ?? undefined })).rejects.toThrow(/cursor/);
  });

  it('lists payments newest first across months and the base', async () => {
    const adapters = tableAdapters(table.documentClient, table.tableName);
    const created = ['2026-07-30T09:00:00.000Z', '2026-08-02T09:00:00.000Z', '2026-09-15T09:00:00.000Z', '2026-10-01T00:00:00.000Z', '2026-11-20T10:00:00.000Z'];
    for (const [index, createdAt] of created.entries()) {
      await adapters.payments.create(aPayment({ id: `pay_BUCKET${index}`, tenantId: TENANT, createdAt, reference: `BUCKET ${index}`, bankPaymentId: `bp_bucket_${index}` }));
    }
    const listed: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await adapters.payments.list(TENANT, {}, { limit: 2, cursor });
      listed.push(...page.data.map((payment) => payment.createdAt));
      cursor = page.nextCursor ?? undefined;
    } while (cursor !== undefined);
    expect(listed).toEqual([...created].reverse());
  });

  it('keeps the event log\'s after= : the events after the one named, oldest first, across months', async () => {
    const log = new DynamoDbEventLog(table.documentClient, table.tableName);
    const times = ['2026-08-03T10:00:00.000Z', '2026-08-30T10:00:00.000Z', '2026-09-01T00:00:00.000Z', '2026-10-11T10:00:00.000Z', '2026-11-02T10:00:00.000Z', '2026-11-03T10:00:00.000Z'];
    const events: DomainEvent[] = times.map((occurredAt, index) => ({
      type: index % 2 === 0 ? 'payment.settled' : 'payment.authorised',
      metadata: { id: `evt_BUCKET${index}`, tenantId: TENANT, occurredAt, version: 1 },
      data: {},
    }));
    for (const event of events) expect(await log.append(event)).toBe(true);
    const read = async (filter: Parameters<DynamoDbEventLog['list']>[1], limit: number) => {
      const ids: string[] = [];
      let cursor: string | undefined;
      do {
        const page = await log.list(TENANT, filter, { limit, cursor });
        ids.push(...page.data.map((event) => event.metadata.id));
        cursor = page.nextCursor ?? undefined;
      } while (cursor !== undefined);
      return ids;
    };
    expect(await read({}, 4)).toEqual(events.map((event) => event.metadata.id));
    expect(await read({ after: 'evt_BUCKET1' }, 2)).toEqual(['evt_BUCKET2', 'evt_BUCKET3', 'evt_BUCKET4', 'evt_BUCKET5']);
    expect(await read({ after: 'evt_BUCKET1', type: 'payment.settled' }, 1)).toEqual(['evt_BUCKET2', 'evt_BUCKET4']);
  });
});
