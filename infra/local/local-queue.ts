import { createHash, randomUUID } from 'node:crypto';
import type { SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import type { JournalWriter, SentRecord } from './journal';

interface StoredMessage {
  readonly messageId: string;
  readonly body: string;
  readonly sentAt: number;
  receiveCount: number;
  firstReceivedAt: number | undefined;
  /** Epoch ms from which the message may be received again. */
  visibleAt: number;
  /** Changes on every receive; only the latest receipt may delete. */
  receiptHandle: string | undefined;
}

export interface LocalQueueOptions {
  readonly name: string;
  readonly visibilityTimeoutMs: number;
  /** Receives after which the next receive moves the message to the dead-letter queue instead. */
  readonly maxReceiveCount: number | undefined;
  readonly deadLetterQueue: LocalQueue | undefined;
  /** Where sends, receives and deletes are written (SETTLED_DATA_DIR); undefined keeps the queue in memory only. */
  readonly journal?: JournalWriter;
  /** Messages an earlier run left in the journal, as they stood (absolute due times, receive counts). */
  readonly restored?: readonly SentRecord[];
  /** Told, at a message's first receive, how long it waited receivable (the queue hop; `/_local/latency`). */
  readonly onFirstReceive?: (waitedMs: number) => void;
}

export interface QueueStats {
  readonly name: string;
  readonly visible: number;
  readonly inFlight: number;
  readonly sent: number;
  readonly deleted: number;
  readonly deadLettered: number;
}

/**
 * An SQS standard queue in process, with the semantics a consumer must survive on AWS: a received message stays
 * in the queue, invisible for the visibility timeout, until it is deleted; an undeleted message comes back with
 * a higher receive count; past maxReceiveCount the redrive policy moves it, body intact, to the dead-letter queue.
 */
export class LocalQueue {
  readonly name: string;
  private readonly messages = new Map<string, StoredMessage>();
  private readonly listeners = new Set<() => void>();
  private timer: NodeJS.Timeout | undefined;
  private sent = 0;
  private deleted = 0;
  private deadLettered = 0;

  get visibilityTimeoutMs(): number {
    return this.options.visibilityTimeoutMs;
  }

  constructor(private readonly options: LocalQueueOptions) {
    this.name = options.name;
    const now = Date.now();
    for (const message of options.restored ?? []) {
      this.messages.set(message.id, {
        messageId: message.id,
        body: message.body,
        sentAt: message.sentAt,
        receiveCount: message.receiveCount,
        firstReceivedAt: message.firstReceivedAt,
        // A delay is kept to the millisecond; a received message's consumer died with the last run, so there is
        // nothing to wait for.
        visibleAt: message.receiveCount > 0 ? Math.min(message.visibleAt, now) : message.visibleAt,
        receiptHandle: undefined, // its receipt died with the consumer that held it
      });
    }
  }

  get arn(): string {
    return `arn:aws:sqs:eu-west-2:000000000000:${this.name}`;
  }

  /**
   * Queues a message, receivable after `delayMs` (SQS DelaySeconds). It is receivable at once, but only on disk
   * once `sync()` resolves: acknowledge the producer after that.
   */
  send(body: string, now = Date.now(), delayMs = 0): string {
    const messageId = randomUUID();
    const visibleAt = now + delayMs;
    this.messages.set(messageId, { messageId, body, sentAt: now, receiveCount: 0, firstReceivedAt: undefined, visibleAt, receiptHandle: undefined });
    this.options.journal?.append({ t: 'sent', queue: this.name, id: messageId, body, sentAt: now, visibleAt, receiveCount: 0 });
    this.sent += 1;
    if (delayMs > 0) this.schedule(now);
    else this.notify();
    return messageId;
  }

  /**
   * Up to `max` visible messages, each now invisible for the visibility timeout, or for `invisibleForMs` when the
   * consumer holds them for as long as it may run (see {@link EventSourceMapping}).
   */
  receive(max: number, now = Date.now(), invisibleForMs = this.options.visibilityTimeoutMs): SQSRecord[] {
    const records: SQSRecord[] = [];
    for (const message of this.messages.values()) {
      if (records.length >= max) break;
      if (message.visibleAt > now) continue;
      const limit = this.options.maxReceiveCount;
      if (limit !== undefined && message.receiveCount >= limit && this.options.deadLetterQueue !== undefined) {
        // Written to the DLQ before it leaves here: a crash in between keeps it twice, never loses it.
        this.options.deadLetterQueue.send(message.body, now);
        this.forget(message.messageId);
        this.deadLettered += 1;
        continue;
      }
      if (message.receiveCount === 0) this.options.onFirstReceive?.(now - message.visibleAt);
      message.receiveCount += 1;
      message.firstReceivedAt ??= now;
      message.visibleAt = now + invisibleForMs;
      message.receiptHandle = randomUUID();
      this.journalReceipt(message, now);
      records.push(this.toRecord(message));
    }
    this.schedule(now);
    return records;
  }

  /** SQS ChangeMessageVisibility: a received message becomes receivable again after `timeoutMs` from `now`. */
  changeVisibility(receiptHandle: string, timeoutMs = this.options.visibilityTimeoutMs, now = Date.now()): boolean {
    for (const message of this.messages.values()) {
      if (message.receiptHandle !== receiptHandle) continue;
      message.visibleAt = now + timeoutMs;
      this.journalReceipt(message, now);
      this.schedule(now);
      return true;
    }
    return false;
  }

  /** A receive, or a change of when a received message comes back, as the journal replays it. */
  private journalReceipt(message: StoredMessage, now: number): void {
    this.options.journal?.append({
      t: 'received',
      queue: this.name,
      id: message.messageId,
      receiveCount: message.receiveCount,
      visibleAt: message.visibleAt,
      firstReceivedAt: message.firstReceivedAt ?? now,
    });
  }

  delete(receiptHandle: string): boolean {
    for (const message of this.messages.values()) {
      if (message.receiptHandle === receiptHandle) {
        this.forget(message.messageId);
        this.deleted += 1;
        return true;
      }
    }
    return false;
  }

  /** Every message still held, visible or not, oldest first (dead-letter inspection and redrive). */
  peekAll(): { messageId: string; body: string; receiveCount: number }[] {
    return [...this.messages.values()].map(({ messageId, body, receiveCount }) => ({ messageId, body, receiveCount }));
  }

  /** Moves every message of this queue to `target` (a DLQ redrive), returning how many moved. */
  redriveTo(target: LocalQueue): number {
    const moving = [...this.messages.values()];
    for (const message of moving) {
      target.send(message.body);
      this.forget(message.messageId);
    }
    return moving.length;
  }

  /** Resolves once every change made so far is on disk (at once for an in-memory queue). */
  sync(): Promise<void> {
    return this.options.journal?.sync() ?? Promise.resolve();
  }

  /** The messages still held, as a journal snapshot writes them. */
  snapshot(): SentRecord[] {
    return [...this.messages.values()].map((message) => ({
      t: 'sent',
      queue: this.name,
      id: message.messageId,
      body: message.body,
      sentAt: message.sentAt,
      visibleAt: message.visibleAt,
      receiveCount: message.receiveCount,
      ...(message.firstReceivedAt === undefined ? {} : { firstReceivedAt: message.firstReceivedAt }),
    }));
  }

  stats(now = Date.now()): QueueStats {
    let visible = 0;
    for (const message of this.messages.values()) if (message.visibleAt <= now) visible += 1;
    return {
      name: this.name,
      visible,
      inFlight: this.messages.size - visible,
      sent: this.sent,
      deleted: this.deleted,
      deadLettered: this.deadLettered,
    };
  }

  get size(): number {
    return this.messages.size;
  }

  /** Called whenever a message may have become receivable. */
  onAvailable(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  close(): void {
    clearTimeout(this.timer);
    this.listeners.clear();
  }

  private forget(messageId: string): void {
    this.messages.delete(messageId);
    this.options.journal?.append({ t: 'deleted', queue: this.name, id: messageId });
  }

  private notify(): void {
    for (const listener of this.listeners) listener();
  }

  /** Wakes the listeners when the next invisible message becomes visible again. */
  private schedule(now: number): void {
    let next = Number.POSITIVE_INFINITY;
    for (const message of this.messages.values()) if (message.visibleAt > now) next = Math.min(next, message.visibleAt);
    clearTimeout(this.timer);
    if (next === Number.POSITIVE_INFINITY) return;
    this.timer = setTimeout(() => this.notify(), next - now + 1);
    this.timer.unref();
  }

  private toRecord(message: StoredMessage): SQSRecord {
    return {
      messageId: message.messageId,
      receiptHandle: message.receiptHandle ?? '',
      body: message.body,
      attributes: {
        ApproximateReceiveCount: String(message.receiveCount),
        SentTimestamp: String(message.sentAt),
        SenderId: 'local',
        ApproximateFirstReceiveTimestamp: String(message.firstReceivedAt ?? message.sentAt),
      },
      messageAttributes: {},
      md5OfBody: createHash('md5').update(message.body, 'utf8').digest('hex'),
      eventSource: 'aws:sqs',
      eventSourceARN: this.arn,
      awsRegion: 'eu-west-2',
    };
  }
}

export type SqsBatchHandler = (event: SQSEvent) => Promise<SQSBatchResponse | void>;

export interface EventSourceMappingOptions {
  readonly batchSize: number;
  /** 0: a batch is taken as soon as a message is receivable (and the sends of the same tick are in). */
  readonly maxBatchingWindowMs: number;
  /** Batches in flight at once (Lambda scales pollers; a few concurrent batches exercise the same races). */
  readonly concurrency: number;
  /**
   * How long the consumer may run (the function's timeout). Its messages stay invisible that long, and their
   * visibility timeout starts when it ends: on AWS the timeout is 6× the function's, so a message never comes back
   * while the invocation that holds it is still running, however slow this machine is.
   */
  readonly invocationTimeoutMs: number;
  readonly onError: (error: unknown) => void;
}

/**
 * The Lambda SQS event source: polls the queue, invokes the consumer with batches, deletes what succeeded and
 * leaves `batchItemFailures` (or the whole batch, when the handler throws) to reappear after the visibility timeout.
 */
export class EventSourceMapping {
  private running = 0;
  private stopped = false;
  /** Cancels the scheduled drain: after the batching window, or (no window) once the current tick's sends are in. */
  private cancelScheduledDrain: (() => void) | undefined;
  private readonly unsubscribe: () => void;
  private idleWaiters: (() => void)[] = [];

  constructor(
    private readonly queue: LocalQueue,
    private readonly handler: SqsBatchHandler,
    private readonly options: EventSourceMappingOptions,
  ) {
    this.unsubscribe = queue.onAvailable(() => this.poll());
    this.poll(); // messages an earlier run left are there before anyone announces them
  }

  /** Resolves once no batch is being processed. */
  idle(): Promise<void> {
    if (this.running === 0) return Promise.resolve();
    return new Promise((resolveIdle) => this.idleWaiters.push(resolveIdle));
  }

  get inFlightBatches(): number {
    return this.running;
  }

  stop(): void {
    this.stopped = true;
    this.unsubscribe();
    this.cancelScheduledDrain?.();
    this.cancelScheduledDrain = undefined;
  }

  private poll(): void {
    if (this.stopped || this.cancelScheduledDrain !== undefined) return;
    const drain = () => {
      this.cancelScheduledDrain = undefined;
      this.drain();
    };
    // The batching window lets a burst of messages share one invocation, as MaximumBatchingWindowInSeconds does.
    // Without one a waiting poller takes a message at once, as SQS long polling answers as soon as one arrives;
    // setImmediate still lets the messages sent in the same tick (a SendMessageBatch) share the invocation.
    if (this.options.maxBatchingWindowMs > 0) {
      const timer = setTimeout(drain, this.options.maxBatchingWindowMs);
      this.cancelScheduledDrain = () => clearTimeout(timer);
    } else {
      const immediate = setImmediate(drain);
      this.cancelScheduledDrain = () => clearImmediate(immediate);
    }
  }

  private drain(): void {
    while (!this.stopped && this.running < this.options.concurrency) {
      const records = this.queue.receive(this.options.batchSize, Date.now(), this.options.invocationTimeoutMs + this.queue.visibilityTimeoutMs);
      if (records.length === 0) return;
      this.running += 1;
      void this.invoke(records).finally(() => {
        this.running -= 1;
        if (this.running === 0) for (const resolveIdle of this.idleWaiters.splice(0)) resolveIdle();
        this.drain();
      });
    }
  }

  private async invoke(records: SQSRecord[]): Promise<void> {
    let failed: Set<string>;
    try {
      const response = await this.handler({ Records: records });
      failed = new Set((response?.batchItemFailures ?? []).map((failure) => failure.itemIdentifier));
    } catch (error) {
      this.options.onError(error);
      // the whole batch becomes visible again after the visibility timeout
      for (const record of records) this.queue.changeVisibility(record.receiptHandle);
      return;
    }
    for (const record of records) {
      if (failed.has(record.messageId)) this.queue.changeVisibility(record.receiptHandle);
      else this.queue.delete(record.receiptHandle);
    }
  }
}
