import type { AccountRepository } from '../accounts/account';
import { NotFoundError, ValidationError } from '../errors';
import { domainEvent, type DomainEvent, type EventPublisher } from '../events/domain-event';
import type { Clock, IdGenerator } from '../ports';
import { type ReconcileDeps, type ReconcileOutcome, reconcileOnAccount } from '../settlement/reconcile-transaction';
import type { SettlementMessage, SettlementQueue } from '../settlement/settlement-message';
import {
  MAX_IMPORT_ERRORS,
  type SavedStatementMapping,
  type StatementFormat,
  type StatementImport,
  type StatementImportError,
  type StatementImportProgress,
  type StatementReader,
  statementImportView,
} from './statement-import';

/** Where an accepted file waits for the import worker (S3 on AWS; the local runtime emulates it). */
export interface StatementFileStore {
  put(key: string, body: Uint8Array): Promise<void>;
  open(key: string): Promise<AsyncIterable<Uint8Array>>;
}

/** The import worker's queue: one job per accepted file. */
export interface StatementImportQueue {
  enqueue(job: StatementImportJob): Promise<void>;
}

export interface StatementImportJob {
  readonly tenantId: string;
  readonly accountId: string;
  readonly importId: string;
}

export interface StatementMappingStore {
  create(mapping: SavedStatementMapping): Promise<void>;
  get(tenantId: string, mappingId: string): Promise<SavedStatementMapping | undefined>;
}

export interface StatementImportStore {
  create(statementImport: StatementImport, outbox: readonly DomainEvent[]): Promise<void>;
  /** The import with its counters, read consistently. */
  get(tenantId: string, importId: string): Promise<StatementImportProgress | undefined>;
  /** Counts one of the import's transactions as found already stored, once per bank transaction id. */
  countDuplicate(tenantId: string, importId: string, bankTransactionId: string): Promise<void>;
  /**
   * Marks the import completed, with `outbox`, if it is still processing and every transaction it sent is counted;
   * false when it is not done or another writer completed it first.
   */
  complete(progress: StatementImportProgress, completedAt: string, outbox: readonly DomainEvent[]): Promise<boolean>;
  clearOutbox(tenantId: string, importId: string, published: readonly DomainEvent[]): Promise<void>;
}

export const fileKeyOf = (statementImport: Pick<StatementImport, 'tenantId' | 'id'>): string => `${statementImport.tenantId}/${statementImport.id}`;

export interface AcceptStatementDeps {
  readonly accounts: AccountRepository;
  readonly mappings: StatementMappingStore;
  readonly imports: StatementImportStore;
  readonly files: StatementFileStore;
  readonly queue: StatementImportQueue;
  readonly read: StatementReader;
  readonly ids: IdGenerator;
  readonly clock: Clock;
  /** Publishes `statement.imported` of a file with nothing to reconcile (no reconciliation will ever settle it). */
  readonly events: EventPublisher;
}

/**
 * `POST /v1/accounts/{id}/statements`. The whole file is read first, so a file that is malformed, too large or about
 * another account is refused (400 / 422) with nothing stored; entries that are not transactions (a trailer, a line
 * whose amount cannot be read) are counted as rejected with their place in the file. Then the file is kept, the import
 * worker's job queued and the import recorded, in that order: a crash before the record leaves only a job that
 * retries until the record exists, never a record without a job.
 */
export const acceptStatement = async (
  request: {
    readonly tenantId: string;
    readonly accountId: string;
    readonly format: StatementFormat;
    readonly mappingId: string | null;
    /** A CSV file's `charset`; null: UTF-8. */
    readonly encoding: string | null;
    readonly body: Uint8Array;
  },
  deps: AcceptStatementDeps,
): Promise<StatementImportProgress> => {
  const account = await deps.accounts.get(request.tenantId, request.accountId);
  if (account === undefined) throw new NotFoundError(`Account ${request.accountId} does not exist.`);
  let mapping: SavedStatementMapping | null = null;
  if (request.format === 'csv') {
    if (request.mappingId === null) {
      throw new ValidationError('A CSV statement needs ?mapping={mappingId}: create one with POST /v1/statement-mappings.', { code: 'mapping_required' });
    }
    mapping = (await deps.mappings.get(request.tenantId, request.mappingId)) ?? null;
    if (mapping === null) throw new ValidationError(`Statement mapping ${request.mappingId} does not exist.`, { code: 'mapping_not_found' });
  }
  const now = deps.clock.now().toISOString();
  let expected = 0;
  let rejected = 0;
  const errors: StatementImportError[] = [];
  for await (const item of deps.read([request.body], { format: request.format, account, mapping, encoding: request.encoding, importedAt: now })) {
    if (item.kind === 'transaction') {
      expected += 1;
    } else {
      rejected += 1;
      if (errors.length < MAX_IMPORT_ERRORS) errors.push({ entry: item.entry, message: item.message });
    }
  }
  const id = deps.ids.next('imp');
  const done = expected === 0;
  const statementImport: StatementImport = {
    id,
    tenantId: request.tenantId,
    accountId: request.accountId,
    format: request.format,
    mappingId: mapping?.id ?? null,
    encoding: request.encoding,
    status: done ? 'completed' : 'processing',
    expected,
    entries: expected + rejected,
    rejected,
    errors,
    sizeBytes: request.body.byteLength,
    createdAt: now,
    completedAt: done ? now : null,
  };
  const progress: StatementImportProgress = { statementImport, stored: 0, duplicates: 0, outbox: [] };
  if (done) {
    // Nothing to reconcile (an empty statement, or every line rejected): complete now. No job and no reconciliation
    // follows to publish the event from the outbox, so it is published here (committed with the record first).
    const outbox = [importedEvent(progress)];
    await deps.imports.create(statementImport, outbox);
    await deps.events.publish(outbox);
    await deps.imports.clearOutbox(request.tenantId, id, outbox);
    return progress;
  }
  await deps.files.put(fileKeyOf(statementImport), request.body);
  await deps.queue.enqueue({ tenantId: request.tenantId, accountId: request.accountId, importId: id });
  await deps.imports.create(statementImport, []);
  return progress;
};

export class ImportNotRecordedError extends Error {
  constructor(importId: string) {
    super(`Statement import ${importId} is not recorded yet; the job is retried`);
  }
}

/**
 * The import worker: reads the kept file again and sends each transaction to the settlements queue, tagged with the
 * import, a hundred at a time. A rerun after a crash sends them again: reconciliation stores a transaction once and
 * counts it for the import once, whatever it receives twice.
 */
export const runStatementImport = async (
  job: StatementImportJob,
  deps: Pick<AcceptStatementDeps, 'accounts' | 'mappings' | 'imports' | 'files' | 'read'> & { readonly settlements: SettlementQueue },
): Promise<{ readonly sent: number }> => {
  const progress = await deps.imports.get(job.tenantId, job.importId);
  if (progress === undefined) throw new ImportNotRecordedError(job.importId);
  const { statementImport } = progress;
  if (statementImport.status !== 'processing') return { sent: 0 };
  const account = await deps.accounts.get(job.tenantId, job.accountId);
  if (account === undefined) throw new NotFoundError(`Account ${job.accountId} does not exist.`);
  const mapping = statementImport.mappingId === null ? null : ((await deps.mappings.get(job.tenantId, statementImport.mappingId)) ?? null);
  const file = await deps.files.open(fileKeyOf(statementImport));
  let batch: Parameters<SettlementQueue['enqueue']>[0][number][] = [];
  let sent = 0;
  for await (const item of deps.read(file, {
    format: statementImport.format,
    account,
    mapping,
    encoding: statementImport.encoding ?? null,
    importedAt: statementImport.createdAt,
  })) {
    if (item.kind !== 'transaction') continue;
    batch.push({ kind: 'statement_entry', tenantId: job.tenantId, accountId: job.accountId, importId: job.importId, transaction: item.transaction });
    if (batch.length === SEND_BATCH) {
      await deps.settlements.enqueue(batch);
      sent += batch.length;
      batch = [];
    }
  }
  if (batch.length > 0) await deps.settlements.enqueue(batch);
  return { sent: sent + batch.length };
};

const SEND_BATCH = 100;

/**
 * After reconciliation stored (or found already stored) one of the import's transactions: completes the import when
 * it was the last, and publishes `statement.imported` (committed with the completion, so a crash before the publish
 * leaves it in the outbox for the redelivered message to send).
 */
export const settleImportProgress = async (
  tenantId: string,
  importId: string,
  deps: { readonly imports: StatementImportStore; readonly events: EventPublisher; readonly clock: Clock },
): Promise<void> => {
  const progress = await deps.imports.get(tenantId, importId);
  if (progress === undefined) return;
  if (progress.statementImport.status === 'processing') {
    if (progress.stored + progress.duplicates < progress.statementImport.expected) return;
    const completedAt = deps.clock.now().toISOString();
    const completed: StatementImportProgress = { ...progress, statementImport: { ...progress.statementImport, status: 'completed', completedAt } };
    const outbox = [importedEvent(completed)];
    if (!(await deps.imports.complete(progress, completedAt, outbox))) return;
    await deps.events.publish(outbox);
    await deps.imports.clearOutbox(tenantId, importId, outbox);
    return;
  }
  if (progress.outbox.length > 0) {
    await deps.events.publish(progress.outbox);
    await deps.imports.clearOutbox(tenantId, importId, progress.outbox);
  }
};

const importedEvent = (progress: StatementImportProgress): DomainEvent =>
  domainEvent('statement.imported', progress.statementImport.tenantId, progress.statementImport.completedAt ?? progress.statementImport.createdAt, statementImportView(progress), [
    progress.statementImport.id,
  ]);

/**
 * Reconciliation of one transaction of a statement import: on the import's account (no routing by bank details),
 * stored once and counted for the import once (as stored, or as a duplicate of one already stored by any source),
 * then the import completed if it was the last.
 */
export const reconcileStatementEntry = async (
  message: Extract<SettlementMessage, { kind: 'statement_entry' }>,
  deps: ReconcileDeps & { readonly imports: StatementImportStore },
): Promise<ReconcileOutcome> => {
  const account = await deps.accounts.get(message.tenantId, message.accountId);
  if (account === undefined) throw new NotFoundError(`Account ${message.accountId} does not exist.`);
  const outcome = await reconcileOnAccount(message.transaction, account, deps, { importId: message.importId });
  if (outcome === 'duplicate') await deps.imports.countDuplicate(message.tenantId, message.importId, message.transaction.bankTransactionId);
  await settleImportProgress(message.tenantId, message.importId, deps);
  return outcome;
};
