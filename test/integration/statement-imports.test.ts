import { ConditionalCheckFailedException, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { beforeAll, describe, expect, it } from 'vitest';
import { statementImportPartition } from '../../shared/adapters/dynamodb/keys';
import { tableAdapters } from '../../shared/adapters/dynamodb/repositories';
import { readStatement } from '../../shared/adapters/statements/statement-reader';
import { systemClock, ulidIds } from '../../shared/adapters/system';
import { connectAccount } from '../../shared/domain/accounts/connect-account';
import { domainEvent } from '../../shared/domain/events/domain-event';
import type { Account } from '../../shared/domain/accounts/account';
import type { BankTransaction } from '../../shared/domain/settlement/bank-transaction';
import { reconcileTransaction } from '../../shared/domain/settlement/reconcile-transaction';
import type { SettlementMessage, SettlementQueue } from '../../shared/domain/settlement/settlement-message';
import {
  acceptStatement,
  reconcileStatementEntry,
  runStatementImport,
  type StatementFileStore,
  type StatementImportJob,
  type StatementImportQueue,
} from '../../shared/domain/statements/import-statement';
import type { StatementImport } from '../../shared/domain/statements/statement-import';
import { singleStatement, type EntrySpec } from '../support/camt-documents';
import { aBankTransaction, aReportedTransaction, RecordingEventPublisher, TENANT_ID } from '../support/domain-fakes';
import { createTestTable } from './table';

const ACCOUNT_ID = 'acc_01JD0000000000000000000001';
const AT = '2026-11-24T10:00:00.000Z';

const anImport = (overrides: Partial<StatementImport> = {}): StatementImport => ({
  id: ulidIds.next('imp'),
  tenantId: TENANT_ID,
  accountId: ACCOUNT_ID,
  format: 'camt',
  mappingId: null,
  status: 'processing',
  expected: 3,
  entries: 4,
  rejected: 1,
  errors: [{ entry: 'entry 4', message: 'Entry currency EUR is not the account currency GBP' }],
  sizeBytes: 2048,
  createdAt: AT,
  completedAt: null,
  ...overrides,
});

/** A statement transaction of `importId`, as reconciliation builds it. */
const importedTransaction = (importId: string, bankTransactionId: string, overrides: Partial<BankTransaction> = {}): BankTransaction =>
  aBankTransaction({ id: ulidIds.next('txn'), bankTransactionId, importId, ...overrides });

/**
 * What the settlements queue does for a message whose transaction DynamoDB cancelled for a conflicting concurrent
 * write (not a condition): delivers it again. Anything else fails the test.
 */
const redelivered = async <T>(deliver: () => Promise<T>): Promise<T> => {
  for (let attempt = 0; ; attempt += 1) {
    try {
      return await deliver();
    } catch (error) {
      const conflict = error instanceof TransactionCanceledException && (error.CancellationReasons ?? []).some((reason) => reason.Code === 'TransactionConflict');
      if (!conflict || attempt === 20) throw error;
    }
  }
};

/** Runs `work` over `items`, `wave` at a time, all of a wave at once. */
const inWaves = async <T, R>(items: readonly T[], wave: number, work: (item: T) => Promise<R>): Promise<R[]> => {
  const results: R[] = [];
  for (let start = 0; start < items.length; start += wave) results.push(...(await Promise.all(items.slice(start, start + wave).map(work))));
  return results;
};

/** A fixed shuffle (seeded), so a failure replays in the same order. */
const shuffled = <T>(items: readonly T[], seed: number): T[] => {
  const copy = [...items];
  let state = seed;
  for (let index = copy.length - 1; index > 0; index -= 1) {
    state = (state * 1_103_515_245 + 12_345) % 2 ** 31;
    const other = state % (index + 1);
    [copy[index], copy[other]] = [copy[other] as T, copy[index] as T];
  }
  return copy;
};

describe('statement imports on DynamoDB Local', () => {
  let table: Awaited<ReturnType<typeof createTestTable>>;
  let adapters: ReturnType<typeof tableAdapters>;

  beforeAll(async () => {
    table = await createTestTable();
    adapters = tableAdapters(table.documentClient, table.tableName);
  });

  const storedImport = async (overrides: Partial<StatementImport> = {}) => {
    const statementImport = anImport(overrides);
    await adapters.statementImports.create(statementImport, []);
    return statementImport;
  };
  const record = (transaction: BankTransaction, importId: string) =>
    adapters.transactions.record({ transaction, paymentChanges: [], exception: undefined, supersedes: undefined, outbox: [], countFor: { importId } });

  describe('DynamoDbStatementImportStore', () => {
    it('reads back what it created, with zero counters and no outbox', async () => {
      const statementImport = await storedImport();
      expect(await adapters.statementImports.get(TENANT_ID, statementImport.id)).toEqual({ statementImport, stored: 0, duplicates: 0, outbox: [] });
      expect(await adapters.statementImports.get(TENANT_ID, 'imp_unknown')).toBeUndefined();
      // Another tenant does not see it.
      expect(await adapters.statementImports.get('ten_someone_else', statementImport.id)).toBeUndefined();
    });

    it('refuses to create the same import twice', async () => {
      const statementImport = await storedImport();
      await expect(adapters.statementImports.create({ ...statementImport, expected: 99 }, [])).rejects.toBeInstanceOf(ConditionalCheckFailedException);
      expect((await adapters.statementImports.get(TENANT_ID, statementImport.id))?.statementImport.expected).toBe(3);
    });

    it('counts a transaction stored with countFor once, and a redelivery of it not again', async () => {
      const { id } = await storedImport();
      const transaction = importedTransaction(id, 'STMT-0001');
      expect(await record(transaction, id)).toBe('recorded');
      // The redelivered message: the store refuses the transaction, reconciliation counts it as a duplicate, which the
      // marker written with the first count refuses too.
      expect(await record({ ...transaction, id: ulidIds.next('txn') }, id)).toBe('duplicate');
      await adapters.statementImports.countDuplicate(TENANT_ID, id, 'STMT-0001');
      expect(await adapters.statementImports.get(TENANT_ID, id)).toMatchObject({ stored: 1, duplicates: 0 });
      expect((await adapters.transactions.get(TENANT_ID, ACCOUNT_ID, 'STMT-0001'))?.transaction).toMatchObject({ id: transaction.id, importId: id });
    });

    it('counts a duplicate once, however often it is counted', async () => {
      const { id } = await storedImport();
      await adapters.statementImports.countDuplicate(TENANT_ID, id, 'FEED-0001');
      await adapters.statementImports.countDuplicate(TENANT_ID, id, 'FEED-0001');
      await adapters.statementImports.countDuplicate(TENANT_ID, id, 'FEED-0002');
      expect(await adapters.statementImports.get(TENANT_ID, id)).toMatchObject({ stored: 0, duplicates: 2 });
    });

    it('keeps the counts of one import apart from another', async () => {
      const first = await storedImport();
      const second = await storedImport();
      await adapters.statementImports.countDuplicate(TENANT_ID, first.id, 'SHARED-0001');
      await adapters.statementImports.countDuplicate(TENANT_ID, second.id, 'SHARED-0001');
      expect(await adapters.statementImports.get(TENANT_ID, first.id)).toMatchObject({ duplicates: 1 });
      expect(await adapters.statementImports.get(TENANT_ID, second.id)).toMatchObject({ duplicates: 1 });
    });

    it('sums 300 transactions counted at once, over its shards, exactly; their redeliveries count nothing', async () => {
      // Prepare: 100 transactions the import stores, 200 it finds already stored by another source
      const { id } = await storedImport({ expected: 300 });
      // Ids no other test of this file uses: one already stored on the account would (rightly) count as a duplicate.
      const stored = Array.from({ length: 100 }, (_, n) => importedTransaction(id, `CONCURRENT-STMT-${String(n).padStart(4, '0')}`));
      const found = Array.from({ length: 200 }, (_, n) => `CONCURRENT-FEED-${String(n).padStart(4, '0')}`);
      // What reconciliation does with one message: store and count, or count as a duplicate when already stored.
      const deliver = async (message: { kind: 'stored'; transaction: BankTransaction } | { kind: 'found'; bankTransactionId: string }) => {
        if (message.kind === 'found') {
          await adapters.statementImports.countDuplicate(TENANT_ID, id, message.bankTransactionId);
          return 'duplicate';
        }
        const outcome = await record({ ...message.transaction, id: ulidIds.next('txn') }, id);
        if (outcome === 'duplicate') await adapters.statementImports.countDuplicate(TENANT_ID, id, message.transaction.bankTransactionId);
        return outcome;
      };
      const messages = [
        ...stored.map((transaction) => ({ kind: 'stored' as const, transaction })),
        ...found.map((bankTransactionId) => ({ kind: 'found' as const, bankTransactionId })),
      ];
      // Act: every message delivered twice, 50 deliveries at a time, in a shuffled order (a message and its
      // redelivery may run at the same moment)
      const outcomes = await inWaves(shuffled([...messages, ...messages], 300), 50, (message) => redelivered(() => deliver(message)));
      // Assess
      expect(outcomes.filter((outcome) => outcome !== 'recorded' && outcome !== 'duplicate')).toEqual([]);
      expect(await adapters.statementImports.get(TENANT_ID, id)).toMatchObject({ stored: 100, duplicates: 200 });
      // Each stored transaction is there once, from this import.
      const kept = await Promise.all(stored.map((transaction) => adapters.transactions.get(TENANT_ID, ACCOUNT_ID, transaction.bankTransactionId)));
      expect(kept.filter((entry) => entry?.transaction.importId === id)).toHaveLength(100);
      // Spread over more than one counter item (the point of the shards), all in the import's partition.
      const { Items = [] } = await table.documentClient.send(
        new QueryCommand({ TableName: table.tableName, KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': statementImportPartition(TENANT_ID, id) } }),
      );
      expect(Items.filter((item) => String(item.sk).startsWith('COUNT#')).length).toBeGreaterThan(8);
    }, 120_000);

    it('completes an import once, with its outbox, which clearOutbox then empties', async () => {
      // Prepare
      const statementImport = await storedImport({ expected: 1 });
      await adapters.statementImports.countDuplicate(TENANT_ID, statementImport.id, 'FEED-1');
      const progress = await adapters.statementImports.get(TENANT_ID, statementImport.id);
      if (progress === undefined) throw new Error('import not stored');
      const outbox = [domainEvent('statement.imported', TENANT_ID, AT, { id: statementImport.id }, [statementImport.id])];
      // Act
      const first = await adapters.statementImports.complete(progress, '2026-11-24T10:05:00.000Z', outbox);
      const second = await adapters.statementImports.complete(progress, '2026-11-24T10:06:00.000Z', outbox);
      // Assess
      expect([first, second]).toEqual([true, false]);
      const completed = await adapters.statementImports.get(TENANT_ID, statementImport.id);
      expect(completed).toMatchObject({ statementImport: { status: 'completed', completedAt: '2026-11-24T10:05:00.000Z' }, duplicates: 1, outbox });
      await adapters.statementImports.clearOutbox(TENANT_ID, statementImport.id, outbox);
      expect((await adapters.statementImports.get(TENANT_ID, statementImport.id))?.outbox).toEqual([]);
    });
  });

  describe('DynamoDbTransactionStore.findBookedSummaryByEndToEndId', () => {
    it('returns what the booked end-to-end index item carries, with the import that stored it', async () => {
      const { id } = await storedImport();
      await record(
        importedTransaction(id, 'STMT-E2E-1', {
          endToEndId: 'E2E-SUMMARY-1',
          creditDebitIndicator: 'debit',
          amount: 4_250,
          currency: 'EUR',
          bookingDateTime: '2026-11-20T00:00:00.000Z',
        }),
        id,
      );
      await adapters.transactions.record({
        transaction: aBankTransaction({ id: ulidIds.next('txn'), bankTransactionId: 'FEED-E2E-2', endToEndId: 'E2E-SUMMARY-2', amount: 999 }),
        paymentChanges: [],
        exception: undefined,
        supersedes: undefined,
        outbox: [],
      });
      await adapters.transactions.record({
        transaction: aBankTransaction({ id: ulidIds.next('txn'), bankTransactionId: 'FEED-E2E-3', endToEndId: 'E2E-PENDING-3', status: 'pending' }),
        paymentChanges: [],
        exception: undefined,
        supersedes: undefined,
        outbox: [],
      });

      expect(await adapters.transactions.findBookedSummaryByEndToEndId(TENANT_ID, ACCOUNT_ID, 'E2E-SUMMARY-1')).toEqual({
        bankTransactionId: 'STMT-E2E-1',
        creditDebitIndicator: 'debit',
        amount: 4_250,
        currency: 'EUR',
        bookingDateTime: '2026-11-20T00:00:00.000Z',
        importId: id,
      });
      expect(await adapters.transactions.findBookedSummaryByEndToEndId(TENANT_ID, ACCOUNT_ID, 'E2E-SUMMARY-2')).toEqual({
        bankTransactionId: 'FEED-E2E-2',
        creditDebitIndicator: 'credit',
        amount: 999,
        currency: 'GBP',
        bookingDateTime: AT,
        importId: null,
      });
      // Only booked transactions, only on their account.
      expect(await adapters.transactions.findBookedSummaryByEndToEndId(TENANT_ID, ACCOUNT_ID, 'E2E-PENDING-3')).toBeUndefined();
      expect(await adapters.transactions.findBookedSummaryByEndToEndId(TENANT_ID, 'acc_other', 'E2E-SUMMARY-1')).toBeUndefined();
    });
  });

  describe('DynamoDbTransactionStore.claimTwin', () => {
    it('lets one report take a stored booking, again on redelivery, and no other report after it', async () => {
      // Act
      const first = await adapters.transactions.claimTwin(TENANT_ID, ACCOUNT_ID, 'FEED-TWIN-1', 'STMT-TWIN-A');
      const redelivered = await adapters.transactions.claimTwin(TENANT_ID, ACCOUNT_ID, 'FEED-TWIN-1', 'STMT-TWIN-A');
      const second = await adapters.transactions.claimTwin(TENANT_ID, ACCOUNT_ID, 'FEED-TWIN-1', 'STMT-TWIN-B');
      const elsewhere = await adapters.transactions.claimTwin(TENANT_ID, 'acc_other', 'FEED-TWIN-1', 'STMT-TWIN-B');

      // Assess
      expect([first, redelivered, second, elsewhere]).toEqual([true, true, false, true]);
    });
  });

  describe('DynamoDbStatementMappingStore', () => {
    it('reads back a mapping and refuses to create it twice', async () => {
      const mapping = {
        id: ulidIds.next('map'),
        tenantId: TENANT_ID,
        createdAt: AT,
        mapping: {
          name: 'Lloyds export',
          columns: { bookingDate: 'Date', credit: 'Paid in', debit: 'Paid out', reference: 'Reference' },
          dateFormat: 'dd/MM/yyyy',
          decimalSeparator: '.' as const,
          amountSign: 'credit_positive' as const,
          headerRow: 2,
        },
      };
      await adapters.statementMappings.create(mapping);
      expect(await adapters.statementMappings.get(TENANT_ID, mapping.id)).toEqual(mapping);
      await expect(adapters.statementMappings.create({ ...mapping, mapping: { ...mapping.mapping, name: 'Other' } })).rejects.toBeInstanceOf(ConditionalCheckFailedException);
      expect((await adapters.statementMappings.get(TENANT_ID, mapping.id))?.mapping.name).toBe('Lloyds export');
      expect(await adapters.statementMappings.get('ten_someone_else', mapping.id)).toBeUndefined();
    });
  });

  describe('a statement file from upload to statement.imported', () => {
    const ENTRIES = 130;
    const files = new Map<string, Uint8Array>();
    const fileStore: StatementFileStore = {
      put: async (key, body) => void files.set(key, body),
      open: async (key) => {
        const body = files.get(key);
        if (body === undefined) throw new Error(`no file ${key}`);
        // In chunks, as S3 streams it.
        return (async function* () {
          for (let offset = 0; offset < body.byteLength; offset += 4096) yield body.subarray(offset, offset + 4096);
        })();
      },
    };

    const uploadAndRun = async (account: Account, entries: readonly EntrySpec[]) => {
      const jobs: StatementImportJob[] = [];
      const queue: StatementImportQueue = { enqueue: async (job) => void jobs.push(job) };
      const sentBatches: SettlementMessage[][] = [];
      const settlements: SettlementQueue = { enqueue: async (messages) => void sentBatches.push([...messages]) };
      const body = new TextEncoder().encode(
        singleStatement('camt.053', 8, entries, { otherId: { id: `${account.sortCode}${account.accountNumber}`, scheme: 'BBAN' }, currency: 'GBP' }),
      );
      const accepted = await acceptStatement(
        { tenantId: account.tenantId, accountId: account.id, format: 'camt', mappingId: null, encoding: null, body },
        {
          accounts: adapters.accounts,
          mappings: adapters.statementMappings,
          imports: adapters.statementImports,
          files: fileStore,
          queue,
          read: readStatement,
          ids: ulidIds,
          clock: systemClock,
          events: new RecordingEventPublisher(),
        },
      );
      expect(jobs).toEqual([{ tenantId: account.tenantId, accountId: account.id, importId: accepted.statementImport.id }]);
      const [job] = jobs;
      if (job === undefined) throw new Error('no job queued');
      const { sent } = await runStatementImport(job, {
        accounts: adapters.accounts,
        mappings: adapters.statementMappings,
        imports: adapters.statementImports,
        files: fileStore,
        read: readStatement,
        settlements,
      });
      return { accepted, sent, sentBatches };
    };

    it('stores every entry once, counts each once through shuffled redeliveries, and publishes statement.imported once', async () => {
      // Prepare: an account, and one of the statement's transactions already reported by the bank feed
      const tenantId = ulidIds.next('ten');
      const account = await connectAccount(
        { tenantId, provider: 'sandbox', name: 'Acme', sortCode: '040004', accountNumber: '30000001', currency: 'GBP', sandboxProfile: 'exact', openingBalance: 0 },
        { accounts: adapters.accounts, ids: ulidIds, clock: systemClock },
      );
      const events = new RecordingEventPublisher();
      const deps = { ...adapters, events, ids: ulidIds, clock: systemClock, imports: adapters.statementImports };
      await reconcileTransaction(
        aReportedTransaction({ sortCode: '040004', accountNumber: '30000001', bankTransactionId: 'LLOY-0007', amount: 1_007, reference: 'FEED', description: null }),
        deps,
      );
      const entries: EntrySpec[] = Array.from({ length: ENTRIES }, (_, n) => ({
        amount: `${10 + n}.00`,
        currency: 'GBP',
        direction: n % 4 === 0 ? 'DBIT' : 'CRDT',
        acctSvcrRef: `LLOY-${String(n).padStart(4, '0')}`,
        bookingDate: '2026-11-20',
        additionalInfo: `ENTRY ${n}`,
      }));

      // Act: upload, the worker's run, then every message delivered twice in a shuffled order
      const { accepted, sent, sentBatches } = await uploadAndRun(account, [...entries, { amount: '5.00', currency: 'EUR', acctSvcrRef: 'LLOY-EUR' }]);
      const messages = sentBatches.flat();
      const deliveries = shuffled([...messages, ...messages], 20_261_124);
      const outcomes: string[] = [];
      for (const message of deliveries) {
        if (message.kind !== 'statement_entry') throw new Error(`unexpected ${message.kind}`);
        outcomes.push(await reconcileStatementEntry(message, deps));
      }

      // Assess: accepted as processing with the rejected EUR entry, sent in batches of at most 100
      expect(accepted).toMatchObject({ statementImport: { status: 'processing', expected: ENTRIES, entries: ENTRIES + 1, rejected: 1 }, stored: 0, duplicates: 0 });
      expect(sent).toBe(ENTRIES);
      expect(sentBatches.map((batch) => batch.length)).toEqual([100, ENTRIES - 100]);
      expect(new Set(messages.map((message) => (message.kind === 'statement_entry' ? message.transaction.bankTransactionId : '')))).toHaveProperty('size', ENTRIES);
      expect(outcomes.filter((outcome) => outcome === 'duplicate')).toHaveLength(ENTRIES + 1);
      const progress = await adapters.statementImports.get(tenantId, accepted.statementImport.id);
      expect(progress).toMatchObject({ statementImport: { status: 'completed', completedAt: expect.any(String) }, stored: ENTRIES - 1, duplicates: 1, outbox: [] });
      const imported = events.published.filter((event) => event.type === 'statement.imported');
      expect(imported).toHaveLength(1);
      expect(imported[0]?.data).toMatchObject({
        id: accepted.statementImport.id,
        status: 'completed',
        counts: { entries: ENTRIES + 1, stored: ENTRIES - 1, duplicates: 1, rejected: 1 },
      });
      const listed = await adapters.transactions.list(tenantId, account.id, {}, { limit: 500, cursor: undefined });
      expect(listed.data).toHaveLength(ENTRIES);
      expect(listed.data.filter((transaction) => transaction.importId === accepted.statementImport.id)).toHaveLength(ENTRIES - 1);
      // The feed's transaction stays the feed's.
      expect((await adapters.transactions.get(tenantId, account.id, 'LLOY-0007'))?.transaction).toMatchObject({ amount: 1_007 });
      // A rerun of the worker after completion sends nothing.
      const again = await runStatementImport(
        { tenantId, accountId: account.id, importId: accepted.statementImport.id },
        { accounts: adapters.accounts, mappings: adapters.statementMappings, imports: adapters.statementImports, files: fileStore, read: readStatement, settlements: { enqueue: async () => undefined } },
      );
      expect(again).toEqual({ sent: 0 });
    }, 120_000);

    it('delivered twice with deliveries running at once, still counts each entry once and completes once', async () => {
      // Prepare: an account whose bank feed already booked one of the statement's payments under its own id, found by
      // its end-to-end id
      const tenantId = ulidIds.next('ten');
      const account = await connectAccount(
        { tenantId, provider: 'sandbox', name: 'Acme', sortCode: '040004', accountNumber: '30000002', currency: 'GBP', sandboxProfile: 'exact', openingBalance: 0 },
        { accounts: adapters.accounts, ids: ulidIds, clock: systemClock },
      );
      const events = new RecordingEventPublisher();
      const deps = { ...adapters, events, ids: ulidIds, clock: systemClock, imports: adapters.statementImports };
      await reconcileTransaction(
        aReportedTransaction({
          sortCode: '040004',
          accountNumber: '30000002',
          bankTransactionId: 'FEED-ID-OF-0003',
          amount: 1_300,
          endToEndId: 'E2E-0003',
          bookingDateTime: '2026-11-20T14:00:00.000Z',
          reference: 'FEED',
          description: null,
        }),
        deps,
      );
      const entries: EntrySpec[] = Array.from({ length: 60 }, (_, n) => ({
        amount: `${10 + n}.00`,
        currency: 'GBP',
        acctSvcrRef: `BARC-${String(n).padStart(4, '0')}`,
        bookingDate: '2026-11-20',
        transactions: [{ amount: `${10 + n}.00`, currency: 'GBP', endToEndId: `E2E-${String(n).padStart(4, '0')}` }],
      }));

      // Act: both deliveries of every message, 20 at a time (the queue's concurrent consumers)
      const { accepted, sentBatches } = await uploadAndRun(account, entries);
      const messages = sentBatches.flat();
      const outcomes = await inWaves(shuffled([...messages, ...messages], 7), 20, (message) => {
        if (message.kind !== 'statement_entry') throw new Error(`unexpected ${message.kind}`);
        return redelivered(() => reconcileStatementEntry(message, deps));
      });

      // Assess
      expect(outcomes).toHaveLength(120);
      const progress = await adapters.statementImports.get(tenantId, accepted.statementImport.id);
      expect(progress).toMatchObject({ statementImport: { status: 'completed' }, stored: 59, duplicates: 1, outbox: [] });
      // The entry the feed booked is not stored again under the statement's id.
      expect(await adapters.transactions.get(tenantId, account.id, 'BARC-0003')).toBeUndefined();
      expect((await adapters.transactions.list(tenantId, account.id, {}, { limit: 500, cursor: undefined })).data).toHaveLength(60);
      // Published at least once (the outbox is at-least-once), always as the same event with the final counts.
      const imported = events.published.filter((event) => event.type === 'statement.imported');
      expect(new Set(imported.map((event) => event.metadata.id)).size).toBe(1);
      expect(imported[0]?.data).toMatchObject({ status: 'completed', counts: { entries: 60, stored: 59, duplicates: 1, rejected: 0 } });
    }, 120_000);
  });
});
