import type { DomainEvent } from '../../shared/domain/events/domain-event';
import type { SettlementMessage, SettlementQueue } from '../../shared/domain/settlement/settlement-message';
import type {
  StatementFileStore,
  StatementImportJob,
  StatementImportQueue,
  StatementImportStore,
  StatementMappingStore,
} from '../../shared/domain/statements/import-statement';
import type { SavedStatementMapping, StatementImport, StatementImportProgress } from '../../shared/domain/statements/statement-import';

/**
 * In-memory adapters of the statement import's ports, with the conditions of the DynamoDB / S3 / SQS adapters: an
 * import is created once (`attribute_not_exists`), counted once per bank transaction id (the per-transaction marker
 * written with the increment), completed only while processing, and its outbox emptied only if it still holds what was
 * published. Every write is recorded in `journal` (shared by the fakes of one world) to check the order of writes.
 */

export type Journal = string[];

const sameEvents = (outbox: readonly DomainEvent[], published: readonly DomainEvent[]): boolean =>
  published.length > 0 && JSON.stringify(outbox) === JSON.stringify(published);

/** Files as S3 keeps them; `open` streams them back in small chunks, as GetObject does. */
export class InMemoryStatementFileStore implements StatementFileStore {
  readonly files = new Map<string, Uint8Array>();
  private failure: Error | undefined;

  constructor(
    private readonly journal: Journal = [],
    private readonly chunkSize = 1024,
  ) {}

  failNextPut(error = new Error('S3 unavailable')): void {
    this.failure = error;
  }

  async put(key: string, body: Uint8Array): Promise<void> {
    const failure = this.failure;
    this.failure = undefined;
    if (failure !== undefined) throw failure;
    this.files.set(key, body.slice());
    this.journal.push(`file ${key}`);
  }

  async open(key: string): Promise<AsyncIterable<Uint8Array>> {
    const body = this.files.get(key);
    if (body === undefined) throw new Error(`NoSuchKey: ${key}`);
    const chunkSize = this.chunkSize;
    return (async function* chunks() {
      for (let offset = 0; offset < body.byteLength; offset += chunkSize) yield body.subarray(offset, offset + chunkSize);
    })();
  }
}

export class RecordingStatementImportQueue implements StatementImportQueue {
  readonly jobs: StatementImportJob[] = [];
  private failure: Error | undefined;

  constructor(private readonly journal: Journal = []) {}

  failNextEnqueue(error = new Error('SQS unavailable')): void {
    this.failure = error;
  }

  async enqueue(job: StatementImportJob): Promise<void> {
    const failure = this.failure;
    this.failure = undefined;
    if (failure !== undefined) throw failure;
    this.jobs.push(job);
    this.journal.push(`job ${job.importId}`);
  }
}

export class InMemoryStatementMappingStore implements StatementMappingStore {
  readonly mappings: SavedStatementMapping[] = [];

  constructor(mappings: readonly SavedStatementMapping[] = []) {
    this.mappings.push(...mappings);
  }

  async create(mapping: SavedStatementMapping): Promise<void> {
    if (this.mappings.some((stored) => stored.tenantId === mapping.tenantId && stored.id === mapping.id)) throw new Error('ConditionalCheckFailedException');
    this.mappings.push(mapping);
  }

  async get(tenantId: string, mappingId: string): Promise<SavedStatementMapping | undefined> {
    return this.mappings.find((mapping) => mapping.tenantId === tenantId && mapping.id === mappingId);
  }
}

interface StoredImport {
  statementImport: StatementImport;
  outbox: readonly DomainEvent[];
  /** The per-transaction markers: each bank transaction id is counted once, as stored or as a duplicate. */
  readonly counted: Map<string, 'stored' | 'duplicates'>;
}

export class InMemoryStatementImportStore implements StatementImportStore {
  private readonly stored = new Map<string, StoredImport>();
  private createFailure: Error | undefined;
  /** Every successful `complete` (to count completions). */
  readonly completions: { importId: string; completedAt: string }[] = [];

  constructor(private readonly journal: Journal = []) {}

  failNextCreate(error = new Error('DynamoDB unavailable')): void {
    this.createFailure = error;
  }

  imports(): StatementImport[] {
    return [...this.stored.values()].map((stored) => stored.statementImport);
  }

  outboxOf(tenantId: string, importId: string): readonly DomainEvent[] {
    return this.stored.get(`${tenantId}|${importId}`)?.outbox ?? [];
  }

  async create(statementImport: StatementImport, outbox: readonly DomainEvent[]): Promise<void> {
    const failure = this.createFailure;
    this.createFailure = undefined;
    if (failure !== undefined) throw failure;
    const key = `${statementImport.tenantId}|${statementImport.id}`;
    if (this.stored.has(key)) throw new Error('ConditionalCheckFailedException');
    this.stored.set(key, { statementImport, outbox: [...outbox], counted: new Map() });
    this.journal.push(`record ${statementImport.id}`);
  }

  async get(tenantId: string, importId: string): Promise<StatementImportProgress | undefined> {
    const stored = this.stored.get(`${tenantId}|${importId}`);
    if (stored === undefined) return undefined;
    const counts = [...stored.counted.values()];
    return {
      statementImport: stored.statementImport,
      stored: counts.filter((as) => as === 'stored').length,
      duplicates: counts.filter((as) => as === 'duplicates').length,
      outbox: [...stored.outbox],
    };
  }

  /** What the transaction store's record write does with `countFor`: counts a stored transaction for the import, once. */
  countStored(tenantId: string, importId: string, bankTransactionId: string): void {
    this.count(tenantId, importId, bankTransactionId, 'stored');
  }

  async countDuplicate(tenantId: string, importId: string, bankTransactionId: string): Promise<void> {
    this.count(tenantId, importId, bankTransactionId, 'duplicates');
  }

  async complete(progress: StatementImportProgress, completedAt: string, outbox: readonly DomainEvent[]): Promise<boolean> {
    // The adapter's condition: `#status = :processing`.
    await Promise.resolve();
    const stored = this.stored.get(`${progress.statementImport.tenantId}|${progress.statementImport.id}`);
    if (stored === undefined || stored.statementImport.status !== 'processing') return false;
    stored.statementImport = { ...stored.statementImport, status: 'completed', completedAt };
    stored.outbox = [...stored.outbox, ...outbox];
    this.completions.push({ importId: progress.statementImport.id, completedAt });
    return true;
  }

  async clearOutbox(tenantId: string, importId: string, published: readonly DomainEvent[]): Promise<void> {
    const stored = this.stored.get(`${tenantId}|${importId}`);
    if (stored !== undefined && sameEvents(stored.outbox, published)) stored.outbox = [];
  }

  private count(tenantId: string, importId: string, bankTransactionId: string, as: 'stored' | 'duplicates'): void {
    const stored = this.stored.get(`${tenantId}|${importId}`);
    if (stored === undefined) throw new Error(`TransactionCanceledException: import ${importId} does not exist`);
    if (!stored.counted.has(bankTransactionId)) stored.counted.set(bankTransactionId, as);
  }
}

/** The settlements queue: every batch as sent (open-banking-fakes has one that keeps only the messages). */
export class BatchRecordingSettlementQueue implements SettlementQueue {
  readonly batches: SettlementMessage[][] = [];

  async enqueue(messages: readonly SettlementMessage[]): Promise<void> {
    this.batches.push([...messages]);
  }

  messages(): SettlementMessage[] {
    return this.batches.flat();
  }
}
