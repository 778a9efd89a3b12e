import { closeSync, existsSync, fsyncSync, mkdirSync, openSync, readFileSync, renameSync, writeSync } from 'node:fs';
import { type FileHandle, open } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import * as v from 'valibot';

/**
 * What the local queues and event bus write to disk, one JSON object per line. A queue message is `sent` once
 * (snapshots write it again with its current receive state), `received` as it goes in flight and `deleted` when
 * processed or moved; an event is written once with the rules still to deliver it, `attempted` after each failure
 * and `delivered` per rule once its target took it or it was dead-lettered.
 */
const SentSchema = v.object({
  t: v.literal('sent'),
  queue: v.string(),
  id: v.string(),
  body: v.string(),
  sentAt: v.number(),
  visibleAt: v.number(),
  receiveCount: v.optional(v.number(), 0),
  firstReceivedAt: v.optional(v.number()),
});
const ReceivedSchema = v.object({
  t: v.literal('received'),
  queue: v.string(),
  id: v.string(),
  receiveCount: v.number(),
  visibleAt: v.number(),
  firstReceivedAt: v.number(),
});
const DeletedSchema = v.object({ t: v.literal('deleted'), queue: v.string(), id: v.string() });
const EventSchema = v.object({
  t: v.literal('event'),
  id: v.string(),
  event: v.object({
    version: v.string(),
    id: v.string(),
    'detail-type': v.string(),
    source: v.string(),
    account: v.string(),
    time: v.string(),
    region: v.string(),
    resources: v.array(v.string()),
    detail: v.unknown(),
  }),
  rules: v.array(v.string()),
});
const AttemptedSchema = v.object({ t: v.literal('attempted'), id: v.string(), rule: v.string(), attempts: v.number(), nextAttemptAt: v.number() });
const DeliveredSchema = v.object({ t: v.literal('delivered'), id: v.string(), rule: v.string() });
const JournalRecordSchema = v.variant('t', [SentSchema, ReceivedSchema, DeletedSchema, EventSchema, AttemptedSchema, DeliveredSchema]);

export type JournalRecord = v.InferOutput<typeof JournalRecordSchema>;
export type SentRecord = v.InferOutput<typeof SentSchema>;
export type EventRecord = v.InferOutput<typeof EventSchema>;
export type AttemptedRecord = v.InferOutput<typeof AttemptedSchema>;

/** Where a queue or the event bus writes its changes; the in-memory runtime has none. */
export interface JournalWriter {
  /** Buffers a record; it reaches the disk with the next group commit. */
  append(record: JournalRecord): void;
  /** Resolves once every record appended so far is on disk (fsync'd). Answer a producer only after this. */
  sync(): Promise<void>;
}

export interface JournalOptions {
  /**
   * Compact once this many more records were appended since the last compaction than it kept, so the file stays
   * within (live records + this) lines and a big live backlog is not rewritten over and over.
   */
  readonly compactAfterRecords: number;
}

const DEFAULT_OPTIONS: JournalOptions = { compactAfterRecords: 20_000 };

/**
 * An append-only file with group commit: records appended in the same tick (or while the previous fsync runs)
 * are written with one write and one fdatasync, and every `sync()` waiting on them resolves together. The file is
 * compacted — rewritten as a snapshot of what is still live, then atomically renamed over — when it is opened and
 * whenever it has grown well past what it holds.
 */
export class Journal implements JournalWriter {
  private pending: string[] = [];
  private waiters: (() => void)[] = [];
  private failures: ((error: unknown) => void)[] = [];
  private flushing: Promise<void> | undefined;
  private appendedSinceCompaction = 0;
  private keptByLastCompaction = 0;
  private broken: unknown;
  private snapshotProvider: (() => JournalRecord[]) | undefined;
  private closed = false;

  private constructor(
    readonly path: string,
    private handle: FileHandle,
    private readonly options: JournalOptions,
  ) {}

  /**
   * Reads what an earlier run left (tolerating a torn last line), compacts it to the live `records` that a
   * caller's `fold` returns, and opens the file for appending.
   */
  static async open(
    path: string,
    fold: (records: JournalRecord[]) => JournalRecord[],
    options: Partial<JournalOptions> = {},
  ): Promise<{ journal: Journal; live: JournalRecord[]; unreadable: number }> {
    mkdirSync(dirname(path), { recursive: true });
    const { records, unreadable } = readJournal(path);
    const live = fold(records);
    writeSnapshot(path, live);
    const handle = await open(path, 'a');
    const journal = new Journal(path, handle, { ...DEFAULT_OPTIONS, ...options });
    journal.keptByLastCompaction = live.length;
    return { journal, live, unreadable };
  }

  /** What a compaction writes instead of the history: the live state, as records, read when compacting. */
  setSnapshotProvider(provider: () => JournalRecord[]): void {
    this.snapshotProvider = provider;
  }

  /** After close (a handler outliving the stop) or a failed write, the record is dropped: the message comes back. */
  append(record: JournalRecord): void {
    if (this.closed || this.broken !== undefined) return;
    this.pending.push(`${JSON.stringify(record)}\n`);
    this.appendedSinceCompaction += 1;
    this.scheduleFlush();
  }

  sync(): Promise<void> {
    if (this.closed) return Promise.reject(new Error(`Journal ${this.path} is closed`));
    if (this.broken !== undefined) return Promise.reject(new Error(`Journal ${this.path} cannot be written`, { cause: this.broken }));
    if (this.pending.length === 0 && this.flushing === undefined) return Promise.resolve();
    return new Promise((resolveSync, rejectSync) => {
      this.waiters.push(resolveSync);
      this.failures.push(rejectSync);
      this.scheduleFlush();
    });
  }

  /** Writes what is buffered, fsyncs and closes; nothing may be appended afterwards. */
  async close(): Promise<void> {
    await this.sync();
    await this.flushing;
    this.closed = true;
    await this.handle.close();
  }

  private scheduleFlush(): void {
    if (this.flushing !== undefined || this.broken !== undefined) return; // the running flush starts the next one when it is done
    this.flushing = new Promise<void>((resolveTick) => setImmediate(resolveTick)).then(() => this.flushLoop());
  }

  private async flushLoop(): Promise<void> {
    try {
      while (this.pending.length > 0 || this.waiters.length > 0) {
        const lines = this.pending;
        const waiters = this.waiters;
        const failures = this.failures;
        this.pending = [];
        this.waiters = [];
        this.failures = [];
        try {
          if (this.compactionDue()) await this.compact();
          else if (lines.length > 0) {
            await this.handle.write(lines.join(''));
            await this.handle.datasync();
          }
        } catch (error) {
          // What was buffered is lost from the file: nothing written after it could be trusted either.
          this.broken = error;
          for (const fail of failures) fail(new Error(`Journal ${this.path} cannot be written`, { cause: error }));
          for (const fail of this.failures.splice(0)) fail(new Error(`Journal ${this.path} cannot be written`, { cause: error }));
          this.waiters = [];
          this.pending = [];
          return;
        }
        for (const resolveSync of waiters) resolveSync();
      }
    } finally {
      this.flushing = undefined;
    }
  }

  private compactionDue(): boolean {
    return this.snapshotProvider !== undefined && this.appendedSinceCompaction >= this.options.compactAfterRecords + this.keptByLastCompaction;
  }

  /**
   * The snapshot reflects every record appended so far (the callers change their state and append in the same
   * synchronous step), so it replaces both the file and the records still buffered.
   */
  private async compact(): Promise<void> {
    const live = this.snapshotProvider?.() ?? [];
    this.appendedSinceCompaction = 0;
    this.keptByLastCompaction = live.length;
    await this.handle.close();
    writeSnapshot(this.path, live);
    this.handle = await open(this.path, 'a');
  }
}

/** Every parseable record of a journal file, in order; a line that is not one (a torn write) is counted. */
export const readJournal = (path: string): { records: JournalRecord[]; unreadable: number } => {
  if (!existsSync(path)) return { records: [], unreadable: 0 };
  const records: JournalRecord[] = [];
  let unreadable = 0;
  for (const line of readFileSync(path, 'utf8').split('\n')) {
    if (line === '') continue;
    let parsed: unknown;
    try {
      parsed = JSON.parse(line);
    } catch {
      unreadable += 1;
      continue;
    }
    const record = v.safeParse(JournalRecordSchema, parsed);
    if (record.success) records.push(record.output);
    else unreadable += 1;
  }
  return { records, unreadable };
};

/** Writes `records` to a temporary file, fsyncs it, renames it over `path` and fsyncs the directory. */
const writeSnapshot = (path: string, records: readonly JournalRecord[]): void => {
  const temporary = `${path}.compacting`;
  const fd = openSync(temporary, 'w');
  try {
    const text = records.map((record) => `${JSON.stringify(record)}\n`).join('');
    if (text.length > 0) writeSync(fd, text);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(temporary, path);
  const directory = openSync(dirname(path), 'r');
  try {
    fsyncSync(directory);
  } finally {
    closeSync(directory);
  }
};

/**
 * Folds a journal's history into what is still live, in the records a snapshot writes: one `sent` per message not
 * deleted (carrying its latest receive state), one `event` per event with the rules that have not taken it yet,
 * and the `attempted` state of those deliveries.
 */
export const liveRecords = (records: readonly JournalRecord[]): JournalRecord[] => {
  const messages = new Map<string, SentRecord>();
  const events = new Map<string, EventRecord>();
  const attempts = new Map<string, AttemptedRecord>();
  const messageKey = (queue: string, id: string) => `${queue}\u0000${id}`;
  const deliveryKey = (id: string, rule: string) => `${id}\u0000${rule}`;
  for (const record of records) {
    switch (record.t) {
      case 'sent':
        messages.set(messageKey(record.queue, record.id), record);
        break;
      case 'received': {
        const key = messageKey(record.queue, record.id);
        const message = messages.get(key);
        if (message !== undefined) {
          messages.set(key, { ...message, receiveCount: record.receiveCount, visibleAt: record.visibleAt, firstReceivedAt: record.firstReceivedAt });
        }
        break;
      }
      case 'deleted':
        messages.delete(messageKey(record.queue, record.id));
        break;
      case 'event':
        events.set(record.id, record);
        break;
      case 'attempted':
        if (events.get(record.id)?.rules.includes(record.rule)) attempts.set(deliveryKey(record.id, record.rule), record);
        break;
      case 'delivered': {
        const event = events.get(record.id);
        if (event === undefined) break;
        const rules = event.rules.filter((rule) => rule !== record.rule);
        attempts.delete(deliveryKey(record.id, record.rule));
        if (rules.length === 0) events.delete(record.id);
        else events.set(record.id, { ...event, rules });
        break;
      }
    }
  }
  return [...messages.values(), ...events.values(), ...attempts.values()];
};

/** The journal of a runtime's queues and event bus inside its data directory. */
export const journalPathIn = (dataDir: string): string => join(dataDir, 'queues-and-events.journal');
