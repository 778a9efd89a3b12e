import * as v from 'valibot';
import { describe, expect, it } from 'vitest';
import { StatementAccountMismatchError, readStatement } from '../../../../shared/adapters/statements/statement-reader';
import type { Account } from '../../../../shared/domain/accounts/account';
import { NotFoundError, ValidationError } from '../../../../shared/domain/errors';
import { reconcileTransaction } from '../../../../shared/domain/settlement/reconcile-transaction';
import type { TransactionStore } from '../../../../shared/domain/settlement/settlement-store';
import {
  acceptStatement,
  fileKeyOf,
  ImportNotRecordedError,
  reconcileStatementEntry,
  runStatementImport,
  settleImportProgress,
} from '../../../../shared/domain/statements/import-statement';
import type { SavedStatementMapping, StatementImport, StatementReader } from '../../../../shared/domain/statements/statement-import';
import { StatementMappingSchema } from '../../../../shared/schemas/statement-mapping';
import { type EntrySpec, singleStatement } from '../../../support/camt-documents';
import {
  AT,
  anAccount,
  aReportedTransaction,
  InMemoryAccountRepository,
  InMemoryPaymentRepository,
  InMemoryTransactionStore,
  RecordingEventPublisher,
  TENANT_ID,
} from '../../../support/domain-fakes';
import { fixedClock, sequentialIds } from '../../../support/fakes';
import {
  BatchRecordingSettlementQueue,
  InMemoryStatementFileStore,
  InMemoryStatementImportStore,
  InMemoryStatementMappingStore,
  type Journal,
  RecordingStatementImportQueue,
} from '../../../support/statement-fakes';

const NOW = '2026-11-24T10:00:10.000Z';

/** The builder's statement account: a German account known only by its IBAN. */
const EUR_ACCOUNT: Account = {
  ...anAccount({ id: 'acc_01JD0000000000000000000002' }),
  iban: 'DE89370400440532013000',
  sortCode: null,
  accountNumber: null,
  currency: 'EUR',
};
const GBP_ACCOUNT = anAccount();

const MAPPING: SavedStatementMapping = {
  id: 'map_01JD0000000000000000000001',
  tenantId: TENANT_ID,
  createdAt: AT,
  mapping: v.parse(StatementMappingSchema, {
    name: 'Signed amount export',
    columns: { bookingDate: 'Date', amount: 'Amount', reference: 'Reference', description: 'Description', counterpartyName: 'Payee' },
    dateFormat: 'dd/MM/yyyy',
    decimalSeparator: '.',
  }),
};

/**
 * A transaction store whose record write counts the transaction for its import, as the DynamoDB adapter does in the
 * same TransactWrite (`countFor`).
 */
class ImportCountingTransactionStore extends InMemoryTransactionStore {
  constructor(
    payments: InMemoryPaymentRepository,
    private readonly imports: InMemoryStatementImportStore,
  ) {
    super(payments);
  }

  override async record(entry: Parameters<TransactionStore['record']>[0]) {
    const result = await super.record(entry);
    if (result === 'recorded' && entry.countFor !== undefined) {
      this.imports.countStored(entry.transaction.tenantId, entry.countFor.importId, entry.transaction.bankTransactionId);
    }
    return result;
  }
}

const importWorld = (options: { read?: StatementReader } = {}) => {
  const journal: Journal = [];
  const accounts = new InMemoryAccountRepository([EUR_ACCOUNT, GBP_ACCOUNT]);
  const mappings = new InMemoryStatementMappingStore([MAPPING]);
  const imports = new InMemoryStatementImportStore(journal);
  const files = new InMemoryStatementFileStore(journal, 512);
  const queue = new RecordingStatementImportQueue(journal);
  const settlements = new BatchRecordingSettlementQueue();
  const events = new RecordingEventPublisher();
  const clock = fixedClock(NOW);
  const ids = sequentialIds();
  const payments = new InMemoryPaymentRepository([]);
  const transactions = new ImportCountingTransactionStore(payments, imports);
  const deps = { accounts, mappings, imports, files, queue, read: options.read ?? readStatement, ids, clock, events };
  const reconcileDeps = { accounts, payments, transactions, referenceIndex: payments, events, ids, clock, imports };
  return { journal, accounts, mappings, imports, files, queue, settlements, events, clock, transactions, deps, reconcileDeps };
};

type World = ReturnType<typeof importWorld>;

const camtBody = (entries: readonly EntrySpec[], account: Parameters<typeof singleStatement>[3] = {}): Uint8Array =>
  Buffer.from(singleStatement('camt.053', 4, entries, account), 'utf8');

const csvBody = (...rows: string[]): Uint8Array => Buffer.from(['Date,Amount,Reference,Description,Payee', ...rows].join('\n'), 'utf8');

const acceptCamt = (world: World, body: Uint8Array) =>
  acceptStatement({ tenantId: TENANT_ID, accountId: EUR_ACCOUNT.id, format: 'camt', mappingId: null, encoding: null, body }, world.deps);

const acceptCsv = (world: World, body: Uint8Array, mappingId: string | null = MAPPING.id) =>
  acceptStatement({ tenantId: TENANT_ID, accountId: GBP_ACCOUNT.id, format: 'csv', mappingId, encoding: null, body }, world.deps);

const run = (world: World, statementImport: Pick<StatementImport, 'id' | 'accountId'>) =>
  runStatementImport({ tenantId: TENANT_ID, accountId: statementImport.accountId, importId: statementImport.id }, { ...world.deps, settlements: world.settlements });

/** What acceptStatement left behind: nothing at all, for a refused file. */
const storedNothing = (world: World) => {
  expect(world.journal).toEqual([]);
  expect(world.files.files.size).toBe(0);
  expect(world.queue.jobs).toEqual([]);
  expect(world.imports.imports()).toEqual([]);
};

/** A reader that yields the given transactions of a good file, then fails as a malformed file does. */
const failingReader =
  (good: number): StatementReader =>
  async function* read(file, request) {
    let yielded = 0;
    for await (const item of readStatement(file, request)) {
      if (yielded === good) throw new ValidationError('The statement is not well-formed XML.', { code: 'statement_malformed' });
      yielded += 1;
      yield item;
    }
  };

const entries = (count: number): EntrySpec[] => Array.from({ length: count }, (_, index) => ({ acctSvcrRef: `REF-${index + 1}`, amount: `${index + 1}.00` }));

describe('acceptStatement', () => {
  it('keeps the file, queues the job and records the import, in that order, with the counts of the whole file', async () => {
    // Prepare
    const world = importWorld();
    const body = camtBody([{ acctSvcrRef: 'A-1' }, { acctSvcrRef: 'A-2', currency: 'USD' }, { acctSvcrRef: 'A-3' }]);

    // Act
    const progress = await acceptCamt(world, body);

    // Assess
    const { statementImport } = progress;
    expect(statementImport).toEqual({
      id: expect.stringMatching(/^imp_/),
      tenantId: TENANT_ID,
      accountId: EUR_ACCOUNT.id,
      format: 'camt',
      mappingId: null,
      encoding: null,
      status: 'processing',
      expected: 2,
      entries: 3,
      rejected: 1,
      errors: [{ entry: 'statement STMT-1 entry 2', message: "the amount is in USD, not in the account's currency EUR" }],
      sizeBytes: body.byteLength,
      createdAt: NOW,
      completedAt: null,
    });
    expect(progress).toMatchObject({ stored: 0, duplicates: 0, outbox: [] });
    const key = fileKeyOf(statementImport);
    expect(world.journal).toEqual([`file ${key}`, `job ${statementImport.id}`, `record ${statementImport.id}`]);
    expect(world.files.files.get(key)).toEqual(body);
    expect(world.queue.jobs).toEqual([{ tenantId: TENANT_ID, accountId: EUR_ACCOUNT.id, importId: statementImport.id }]);
    expect(await world.imports.get(TENANT_ID, statementImport.id)).toEqual({ statementImport, stored: 0, duplicates: 0, outbox: [] });
  });

  it('stores nothing when the file turns out malformed after good entries', async () => {
    // Prepare: two whole entries, then the document breaks off.
    const world = importWorld();
    const whole = singleStatement('camt.053', 4, [{ acctSvcrRef: 'A-1' }, { acctSvcrRef: 'A-2' }, { acctSvcrRef: 'A-3' }]);
    const body = Buffer.from(whole.slice(0, whole.lastIndexOf('<Ntry>') + 40), 'utf8');

    // Act
    const accepted = acceptCamt(world, body);

    // Assess
    await expect(accepted).rejects.toBeInstanceOf(ValidationError);
    await expect(accepted).rejects.toMatchObject({ code: 'statement_malformed' });
    storedNothing(world);
  });

  it('stores nothing when the reader fails after yielding transactions', async () => {
    const world = importWorld({ read: failingReader(2) });
    await expect(acceptCamt(world, camtBody(entries(5)))).rejects.toMatchObject({ code: 'statement_malformed' });
    storedNothing(world);
  });

  it.each([
    { case: 'another account', body: () => camtBody(entries(2), { iban: 'NL26VAYB8060476890' }) },
    {
      case: 'another account in its second statement',
      body: () =>
        Buffer.from(
          singleStatement('camt.053', 4, entries(2)).replace(
            '</BkToCstmrStmt>',
            '<Stmt><Id>STMT-2</Id><CreDtTm>2026-03-02T18:00:00+01:00</CreDtTm><Acct><Id><IBAN>NL26VAYB8060476890</IBAN></Id></Acct></Stmt></BkToCstmrStmt>',
          ),
        ),
    },
  ])('refuses a statement for $case (422) and stores nothing', async ({ body }) => {
    const world = importWorld();
    const accepted = acceptCamt(world, body());
    await expect(accepted).rejects.toBeInstanceOf(StatementAccountMismatchError);
    await expect(accepted).rejects.toMatchObject({ code: 'statement_account_mismatch' });
    storedNothing(world);
  });

  it('leaves the file and the job, never a record without a job, when recording the import fails', async () => {
    // Prepare
    const world = importWorld();
    world.imports.failNextCreate();

    // Act
    await expect(acceptCamt(world, camtBody(entries(2)))).rejects.toThrow('DynamoDB unavailable');

    // Assess: the job retries until a record exists (ImportNotRecordedError below); nothing half-recorded.
    expect(world.journal.map((write) => write.split(' ')[0])).toEqual(['file', 'job']);
    expect(world.imports.imports()).toEqual([]);
  });

  it('records nothing when the job cannot be queued, and nothing at all when the file cannot be kept', async () => {
    // Prepare
    const noQueue = importWorld();
    noQueue.queue.failNextEnqueue();
    const noFiles = importWorld();
    noFiles.files.failNextPut();

    // Act
    await expect(acceptCamt(noQueue, camtBody(entries(2)))).rejects.toThrow('SQS unavailable');
    await expect(acceptCamt(noFiles, camtBody(entries(2)))).rejects.toThrow('S3 unavailable');

    // Assess
    expect(noQueue.journal.map((write) => write.split(' ')[0])).toEqual(['file']);
    expect(noQueue.imports.imports()).toEqual([]);
    storedNothing(noFiles);
  });

  it('counts every rejected line exactly and keeps the first 100 errors', async () => {
    // Prepare: 3 good rows around 150 lines whose amount cannot be read.
    const world = importWorld();
    const bad = Array.from({ length: 150 }, (_, index) => `02/03/2026,not money ${index},,Line ${index},`);
    const body = csvBody('02/03/2026,1.00,INV-1,First,', ...bad, '03/03/2026,2.00,INV-2,Second,', '04/03/2026,-3.00,INV-3,Third,');

    // Act
    const { statementImport } = await acceptCsv(world, body);

    // Assess
    expect(statementImport).toMatchObject({ status: 'processing', expected: 3, rejected: 150, entries: 153, mappingId: MAPPING.id, format: 'csv' });
    expect(statementImport.errors).toHaveLength(100);
    expect(statementImport.errors[0]).toEqual({ entry: 'line 3', message: expect.any(String) });
    expect(statementImport.errors[99]?.entry).toBe('line 102');
  });

  // Found by these tests: the event was left in the import's outbox, where nothing would ever publish it (no job, no
  // reconciliation, so no settleImportProgress for an import with nothing to reconcile).
  it('completes an empty statement at once and publishes one statement.imported, keeping no file and queuing no job', async () => {
    // Prepare
    const world = importWorld();

    // Act
    const progress = await acceptCamt(world, camtBody([]));

    // Assess
    const { statementImport } = progress;
    expect(statementImport).toMatchObject({ status: 'completed', completedAt: NOW, expected: 0, entries: 0, rejected: 0 });
    expect(world.journal).toEqual([`record ${statementImport.id}`]);
    expect(world.events.types()).toEqual(['statement.imported']);
    expect(world.events.published[0]?.data).toMatchObject({
      id: statementImport.id,
      status: 'completed',
      completedAt: NOW,
      counts: { entries: 0, stored: 0, duplicates: 0, rejected: 0 },
    });
    expect(world.imports.outboxOf(TENANT_ID, statementImport.id)).toEqual([]);
  });

  it('completes a file whose every line is rejected at once, with the errors in its event', async () => {
    // Prepare
    const world = importWorld();

    // Act
    const progress = await acceptCsv(world, csvBody('02/03/2026,x,,A,', '03/03/2026,y,,B,'));

    // Assess
    expect(progress.statementImport).toMatchObject({ status: 'completed', expected: 0, entries: 2, rejected: 2 });
    expect(world.events.published).toHaveLength(1);
    expect(world.events.published[0]?.data).toMatchObject({
      counts: { entries: 2, stored: 0, duplicates: 0, rejected: 2 },
      errors: [{ entry: 'line 2' }, { entry: 'line 3' }],
    });
    expect(world.files.files.size).toBe(0);
    expect(world.queue.jobs).toEqual([]);
  });

  it('keeps the event of an empty statement in its outbox, with the import completed, when publishing fails', async () => {
    // Prepare
    const world = importWorld();
    world.events.failNext();

    // Act
    await expect(acceptCamt(world, camtBody([]))).rejects.toThrow('EventBridge unavailable');

    // Assess
    const [statementImport] = world.imports.imports();
    expect(statementImport).toMatchObject({ status: 'completed', expected: 0 });
    expect(world.imports.outboxOf(TENANT_ID, statementImport?.id ?? '').map((event) => event.type)).toEqual(['statement.imported']);
  });

  it.each([
    { case: 'without a mapping', mappingId: null, code: 'mapping_required' },
    { case: 'with a mapping that does not exist', mappingId: 'map_01JD0000000000000000000009', code: 'mapping_not_found' },
  ])('refuses a CSV statement $case ($code) and stores nothing', async ({ mappingId, code }) => {
    const world = importWorld();
    const accepted = acceptCsv(world, csvBody('02/03/2026,1.00,,A,'), mappingId);
    await expect(accepted).rejects.toBeInstanceOf(ValidationError);
    await expect(accepted).rejects.toMatchObject({ code });
    storedNothing(world);
  });

  it("refuses another tenant's mapping as not found", async () => {
    const world = importWorld();
    await world.mappings.create({ ...MAPPING, id: 'map_01JD0000000000000000000005', tenantId: 'ten_01JD0000000000000000000002' });
    await expect(acceptCsv(world, csvBody('02/03/2026,1.00,,A,'), 'map_01JD0000000000000000000005')).rejects.toMatchObject({ code: 'mapping_not_found' });
    storedNothing(world);
  });

  it('refuses an account that does not exist', async () => {
    const world = importWorld();
    const accepted = acceptStatement(
      { tenantId: TENANT_ID, accountId: 'acc_01JD0000000000000000000009', format: 'camt', mappingId: null, encoding: null, body: camtBody(entries(1)) },
      world.deps,
    );
    await expect(accepted).rejects.toBeInstanceOf(NotFoundError);
    storedNothing(world);
  });
});

describe('runStatementImport', () => {
  it('sends every transaction of the kept file, tagged with the import, in batches of at most 100', async () => {
    // Prepare
    const world = importWorld();
    const { statementImport } = await acceptCamt(world, camtBody([...entries(250), { acctSvcrRef: 'FX', currency: 'USD' }]));

    // Act
    const { sent } = await run(world, statementImport);

    // Assess
    expect(sent).toBe(250);
    expect(world.settlements.batches.map((batch) => batch.length)).toEqual([100, 100, 50]);
    const messages = world.settlements.messages();
    expect(messages.every((message) => message.kind === 'statement_entry' && message.importId === statementImport.id)).toBe(true);
    expect(messages.every((message) => message.kind === 'statement_entry' && message.tenantId === TENANT_ID && message.accountId === EUR_ACCOUNT.id)).toBe(
      true,
    );
    const ids = messages.map((message) => (message.kind === 'statement_entry' ? message.transaction.bankTransactionId : ''));
    expect(ids).toEqual(Array.from({ length: 250 }, (_, index) => `REF-${index + 1}`));
  });

  it('sends exactly 100 in one batch and nothing empty', async () => {
    const world = importWorld();
    const { statementImport } = await acceptCamt(world, camtBody(entries(100)));
    expect(await run(world, statementImport)).toEqual({ sent: 100 });
    expect(world.settlements.batches.map((batch) => batch.length)).toEqual([100]);
  });

  it('throws ImportNotRecordedError for a job whose import was never recorded, sending nothing', async () => {
    // Prepare
    const world = importWorld();
    world.imports.failNextCreate();
    await expect(acceptCamt(world, camtBody(entries(2)))).rejects.toThrow();
    const [job] = world.queue.jobs;
    if (job === undefined) throw new Error('the job was not queued');

    // Act
    const ran = runStatementImport(job, { ...world.deps, settlements: world.settlements });

    // Assess
    await expect(ran).rejects.toBeInstanceOf(ImportNotRecordedError);
    expect(world.settlements.batches).toEqual([]);
  });

  it('reads a CSV with its saved mapping and books a pending row when the file was accepted, not when the worker runs', async () => {
    // Prepare
    const world = importWorld();
    const { statementImport } = await acceptCsv(world, csvBody('02/03/2026,1.00,INV-1,First,ACME', 'pending,-2.00,,Coffee,'));
    world.clock.set('2026-11-24T11:30:00.000Z');

    // Act
    await run(world, statementImport);

    // Assess
    const transactions = world.settlements.messages().map((message) => (message.kind === 'statement_entry' ? message.transaction : undefined));
    expect(transactions).toEqual([
      expect.objectContaining({ status: 'booked', amount: 100, reference: 'INV-1', counterparty: { name: 'ACME' } }),
      expect.objectContaining({ status: 'pending', amount: 200, creditDebitIndicator: 'debit', bookingDateTime: NOW }),
    ]);
  });

  it('sends nothing again for a completed import', async () => {
    const world = importWorld();
    const { statementImport } = await acceptCamt(world, camtBody(entries(2)));
    for (const bankTransactionId of ['REF-1', 'REF-2']) world.imports.countStored(TENANT_ID, statementImport.id, bankTransactionId);
    await settleImportProgress(TENANT_ID, statementImport.id, world.reconcileDeps);

    expect(await run(world, statementImport)).toEqual({ sent: 0 });
    expect(world.settlements.batches).toEqual([]);
  });
});

describe('settleImportProgress', () => {
  const acceptTwo = async (world: World) => (await acceptCamt(world, camtBody(entries(2)))).statementImport;

  it('does not complete while a transaction is still uncounted', async () => {
    // Prepare
    const world = importWorld();
    const statementImport = await acceptTwo(world);
    world.imports.countStored(TENANT_ID, statementImport.id, 'REF-1');

    // Act
    await settleImportProgress(TENANT_ID, statementImport.id, world.reconcileDeps);

    // Assess
    expect((await world.imports.get(TENANT_ID, statementImport.id))?.statementImport.status).toBe('processing');
    expect(world.events.published).toEqual([]);
  });

  it('completes once and publishes one statement.imported when the last two entries settle concurrently', async () => {
    // Prepare
    const world = importWorld();
    const statementImport = await acceptTwo(world);
    world.imports.countStored(TENANT_ID, statementImport.id, 'REF-1');
    await world.imports.countDuplicate(TENANT_ID, statementImport.id, 'REF-2');

    // Act: both deliveries read the import before either completes it.
    await Promise.all([
      settleImportProgress(TENANT_ID, statementImport.id, world.reconcileDeps),
      settleImportProgress(TENANT_ID, statementImport.id, world.reconcileDeps),
    ]);

    // Assess
    expect(world.imports.completions).toHaveLength(1);
    expect(world.events.types()).toEqual(['statement.imported']);
    expect(world.events.published[0]?.data).toMatchObject({
      id: statementImport.id,
      status: 'completed',
      completedAt: NOW,
      counts: { entries: 2, stored: 1, duplicates: 1, rejected: 0 },
    });
    const progress = await world.imports.get(TENANT_ID, statementImport.id);
    expect(progress).toMatchObject({ statementImport: { status: 'completed', completedAt: NOW }, outbox: [] });
  });

  it('publishes nothing more when called again after completing', async () => {
    const world = importWorld();
    const statementImport = await acceptTwo(world);
    for (const id of ['REF-1', 'REF-2']) world.imports.countStored(TENANT_ID, statementImport.id, id);

    await settleImportProgress(TENANT_ID, statementImport.id, world.reconcileDeps);
    await settleImportProgress(TENANT_ID, statementImport.id, world.reconcileDeps);

    expect(world.events.types()).toEqual(['statement.imported']);
    expect(world.imports.completions).toHaveLength(1);
  });

  it('keeps the event in the outbox when publishing fails, and the next call republishes the same event and clears it', async () => {
    // Prepare
    const world = importWorld();
    const statementImport = await acceptTwo(world);
    for (const id of ['REF-1', 'REF-2']) world.imports.countStored(TENANT_ID, statementImport.id, id);
    world.events.failNext();

    // Act
    await expect(settleImportProgress(TENANT_ID, statementImport.id, world.reconcileDeps)).rejects.toThrow('EventBridge unavailable');
    const leftover = world.imports.outboxOf(TENANT_ID, statementImport.id);
    await settleImportProgress(TENANT_ID, statementImport.id, world.reconcileDeps);

    // Assess
    expect(leftover.map((event) => event.type)).toEqual(['statement.imported']);
    expect(world.events.ids()).toEqual(leftover.map((event) => event.metadata.id));
    expect(world.imports.outboxOf(TENANT_ID, statementImport.id)).toEqual([]);
    expect(world.imports.completions).toHaveLength(1);
  });

  it('does nothing for an import that does not exist', async () => {
    const world = importWorld();
    await settleImportProgress(TENANT_ID, 'imp_01JD0000000000000000000009', world.reconcileDeps);
    expect(world.events.published).toEqual([]);
  });
});

describe('a statement import from file to completion (in memory)', () => {
  const deliverAll = async (world: World, times = 1) => {
    const messages = world.settlements.messages();
    for (let round = 0; round < times; round += 1) {
      for (const message of messages) if (message.kind === 'statement_entry') await reconcileStatementEntry(message, world.reconcileDeps);
    }
  };

  it('stores every transaction once for the import and completes it once, however often each message is delivered', async () => {
    // Prepare
    const world = importWorld();
    const { statementImport } = await acceptCamt(world, camtBody([...entries(3), { acctSvcrRef: 'X', currency: 'USD' }]));
    await run(world, statementImport);

    // Act
    await deliverAll(world, 2);

    // Assess
    const progress = await world.imports.get(TENANT_ID, statementImport.id);
    expect(progress).toMatchObject({ stored: 3, duplicates: 0, statementImport: { status: 'completed' }, outbox: [] });
    expect(world.transactions.all().map((stored) => [stored.transaction.bankTransactionId, stored.transaction.importId])).toEqual([
      ['REF-1', statementImport.id],
      ['REF-2', statementImport.id],
      ['REF-3', statementImport.id],
    ]);
    expect(world.events.types().filter((type) => type === 'statement.imported')).toHaveLength(1);
    expect(world.events.published.find((event) => event.type === 'statement.imported')?.data).toMatchObject({
      counts: { entries: 4, stored: 3, duplicates: 0, rejected: 1 },
    });
  });

  it('counts a booking the bank feed already reported (same end-to-end id, no shared id) as a duplicate and completes', async () => {
    // Prepare: the feed reported the credit under the bank's id; the statement has no AcctSvcrRef for it.
    const world = importWorld();
    const feed = aReportedTransaction({
      bankTransactionId: 'FEED-TXN-0001',
      iban: EUR_ACCOUNT.iban ?? '',
      sortCode: '',
      accountNumber: '',
      currency: 'EUR',
      amount: 1_000,
      endToEndId: 'E2E-0009',
      bookingDateTime: '2026-03-02T14:00:00.000Z',
      reference: null,
      description: null,
    });
    expect(await reconcileTransaction(feed, world.reconcileDeps)).toEqual(['unmatched']);
    const { statementImport } = await acceptCamt(world, camtBody([{ amount: '10.00', bookingDate: '2026-03-02', transactions: [{ endToEndId: 'E2E-0009' }] }, ...entries(1)]));
    await run(world, statementImport);

    // Act
    await deliverAll(world);

    // Assess
    expect(await world.imports.get(TENANT_ID, statementImport.id)).toMatchObject({ stored: 1, duplicates: 1, statementImport: { status: 'completed' } });
    expect(world.transactions.all().map((stored) => stored.transaction.bankTransactionId)).toEqual(['FEED-TXN-0001', 'REF-1']);
  });

  it('counts the same file imported again as duplicates and completes that import too', async () => {
    // Prepare
    const world = importWorld();
    const body = camtBody(entries(3));
    const first = (await acceptCamt(world, body)).statementImport;
    await run(world, first);
    await deliverAll(world);
    world.settlements.batches.length = 0;
    const second = (await acceptCamt(world, body)).statementImport;
    await run(world, second);

    // Act
    await deliverAll(world);

    // Assess
    expect(await world.imports.get(TENANT_ID, second.id)).toMatchObject({ stored: 0, duplicates: 3, statementImport: { status: 'completed' } });
    expect(world.transactions.all()).toHaveLength(3);
    expect(world.events.types().filter((type) => type === 'statement.imported')).toHaveLength(2);
  });
});
