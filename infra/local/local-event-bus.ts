import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { EventBridgeEvent } from 'aws-lambda';
import { type EventRule, detailMatches } from '../topology';
import { EVENT_SOURCE } from '../../shared/domain/events/domain-event';
import type { AttemptedRecord, EventRecord, JournalRecord, JournalWriter } from './journal';
import type { LocalQueue } from './local-queue';

/** Backoff between retries stops growing here (EventBridge's own backoff is bounded too). */
const MAX_RETRY_DELAY_MS = 30_000;

export interface PutEventEntry {
  readonly source: string;
  readonly detailType: string;
  readonly detail: string;
  readonly time?: Date;
}

export type EventTargetHandler = (event: EventBridgeEvent<string, unknown>) => Promise<unknown>;

export interface LocalEventBusOptions {
  readonly rules: readonly EventRule[];
  readonly targetOf: (rule: EventRule) => EventTargetHandler;
  /** One dead-letter queue per rule, as the CDK stack gives every rule target its own. */
  readonly deadLetterQueueOf: (rule: EventRule) => LocalQueue;
  /** First retry delay; doubles per attempt (EventBridge backs off exponentially with jitter). */
  readonly retryBaseDelayMs: number;
  readonly onError: (error: unknown, rule: EventRule) => void;
  /** Where put events and their delivery state are written (SETTLED_DATA_DIR); undefined keeps them in memory. */
  readonly journal?: JournalWriter;
  /** Events an earlier run had not delivered to every rule yet, with their retry state. */
  readonly restored?: readonly (EventRecord | AttemptedRecord)[];
  /** Told, as a put event's first attempt on a rule starts, how long after the put it started (`/_local/latency`). */
  readonly onFirstAttempt?: (rule: EventRule, waitedMs: number) => void;
}

/** One event on its way to one rule's target. */
interface Delivery {
  readonly event: EventBridgeEvent<string, unknown>;
  readonly rule: EventRule;
  /** Failed attempts so far. */
  attempts: number;
  /** Epoch ms before which the next attempt must not start (the backoff). */
  nextAttemptAt: number;
  /** Epoch ms it was put, in this run (a restored one has none). */
  readonly putAt?: number;
}

/**
 * An EventBridge bus in process: each put event is matched against the rules of infra/topology.ts and delivered
 * asynchronously to every matching target, retried with backoff up to the rule's retryAttempts, then written to the
 * rule's dead-letter queue — at-least-once, as on AWS. With a journal, an accepted event and its retry state
 * survive a stop or a crash: what was not delivered is delivered by the next start (after `resume()`).
 */
export class LocalEventBus {
  private readonly deliveries = new Set<Promise<void>>();
  /** Keyed by event id, then rule name: what remains to deliver. */
  private readonly undelivered = new Map<string, Map<string, Delivery>>();
  private readonly stopping = new AbortController();
  private invoking = 0;
  /** Restored deliveries wait for `resume()`: their targets may not be loaded yet. */
  private restoredDeliveries: Delivery[] = [];

  constructor(private readonly options: LocalEventBusOptions) {
    const rulesByName = new Map(options.rules.map((rule) => [rule.name, rule]));
    for (const record of options.restored ?? []) {
      if (record.t === 'event') {
        for (const name of record.rules) {
          const rule = rulesByName.get(name);
          if (rule === undefined) continue; // a rule removed from infra/topology.ts since
          const delivery: Delivery = { event: record.event, rule, attempts: 0, nextAttemptAt: 0 };
          this.track(delivery);
          this.restoredDeliveries.push(delivery);
        }
      } else {
        const delivery = this.undelivered.get(record.id)?.get(record.rule);
        if (delivery !== undefined) {
          delivery.attempts = record.attempts;
          delivery.nextAttemptAt = record.nextAttemptAt;
        }
      }
    }
  }

  /** Starts delivering what an earlier run left; call once the targets can take events. */
  resume(): void {
    for (const delivery of this.restoredDeliveries.splice(0)) this.start(delivery);
  }

  /** Accepts an event; it is on disk once `sync()` resolves. */
  put(entry: PutEventEntry): string {
    const id = randomUUID();
    const event: EventBridgeEvent<string, unknown> = {
      version: '0',
      id,
      'detail-type': entry.detailType,
      source: entry.source,
      account: '000000000000',
      time: (entry.time ?? new Date()).toISOString(),
      region: 'eu-west-2',
      resources: [],
      detail: JSON.parse(entry.detail) as unknown,
    };
    const rules = this.options.rules.filter(
      (rule) => entry.source === EVENT_SOURCE && rule.detailTypes.includes(entry.detailType) && detailMatches(rule, event.detail),
    );
    if (rules.length === 0) return id;
    this.options.journal?.append({ t: 'event', id, event, rules: rules.map((rule) => rule.name) });
    const putAt = Date.now();
    for (const rule of rules) {
      const delivery: Delivery = { event, rule, attempts: 0, nextAttemptAt: 0, putAt };
      this.track(delivery);
      this.start(delivery);
    }
    return id;
  }

  /** Resolves once every event put so far is on disk (at once without a journal). */
  sync(): Promise<void> {
    return this.options.journal?.sync() ?? Promise.resolve();
  }

  /** Deliveries not finished yet: being attempted, waiting for a retry, or restored and waiting for `resume()`. */
  get pendingDeliveries(): number {
    let count = 0;
    for (const byRule of this.undelivered.values()) count += byRule.size;
    return count;
  }

  /** Events with at least one rule still to deliver them. */
  get undeliveredEvents(): number {
    return this.undelivered.size;
  }

  /** Deliveries whose target is being invoked now, or whose next attempt is already due. */
  busyDeliveries(now = Date.now()): number {
    let due = 0;
    for (const byRule of this.undelivered.values()) for (const delivery of byRule.values()) if (delivery.nextAttemptAt <= now) due += 1;
    return Math.max(due, this.invoking);
  }

  /** Resolves when every delivery started so far has succeeded or been dead-lettered. */
  async idle(): Promise<void> {
    while (this.deliveries.size > 0) await Promise.allSettled([...this.deliveries]);
  }

  /** Starts no further attempt and cuts retry waits short; what is undelivered stays in the journal. */
  stop(): void {
    this.stopping.abort();
  }

  /** The undelivered events and their retry state, as a journal snapshot writes them. */
  snapshot(): JournalRecord[] {
    const records: JournalRecord[] = [];
    for (const [id, byRule] of this.undelivered) {
      const deliveries = [...byRule.values()];
      const event = deliveries[0]?.event;
      if (event === undefined) continue;
      records.push({ t: 'event', id, event, rules: deliveries.map((delivery) => delivery.rule.name) });
      for (const delivery of deliveries) {
        if (delivery.attempts > 0) records.push({ t: 'attempted', id, rule: delivery.rule.name, attempts: delivery.attempts, nextAttemptAt: delivery.nextAttemptAt });
      }
    }
    return records;
  }

  private track(delivery: Delivery): void {
    const byRule = this.undelivered.get(delivery.event.id) ?? new Map<string, Delivery>();
    byRule.set(delivery.rule.name, delivery);
    this.undelivered.set(delivery.event.id, byRule);
  }

  private finish(delivery: Delivery): void {
    const byRule = this.undelivered.get(delivery.event.id);
    byRule?.delete(delivery.rule.name);
    if (byRule?.size === 0) this.undelivered.delete(delivery.event.id);
    this.options.journal?.append({ t: 'delivered', id: delivery.event.id, rule: delivery.rule.name });
  }

  private start(delivery: Delivery): void {
    const running = this.deliver(delivery);
    this.deliveries.add(running);
    void running.finally(() => this.deliveries.delete(running));
  }

  private async deliver(delivery: Delivery): Promise<void> {
    const { rule, event } = delivery;
    const target = this.options.targetOf(rule);
    const signal = this.stopping.signal;
    while (!signal.aborted) {
      const wait = delivery.nextAttemptAt - Date.now();
      if (wait > 0) {
        try {
          await sleep(wait, undefined, { signal });
        } catch {
          return; // stopping: kept undelivered
        }
      }
      if (delivery.attempts === 0 && delivery.putAt !== undefined) this.options.onFirstAttempt?.(rule, Date.now() - delivery.putAt);
      this.invoking += 1;
      try {
        await target(event);
        this.finish(delivery);
        return;
      } catch (error) {
        this.options.onError(error, rule);
      } finally {
        this.invoking -= 1;
      }
      delivery.attempts += 1;
      if (delivery.attempts > rule.retryAttempts) {
        // Into the DLQ before it counts as delivered: a crash in between keeps the event, never loses it.
        this.options.deadLetterQueueOf(rule).send(JSON.stringify(event));
        this.finish(delivery);
        return;
      }
      const backoff = Math.min(MAX_RETRY_DELAY_MS, this.options.retryBaseDelayMs * 2 ** (delivery.attempts - 1));
      delivery.nextAttemptAt = Date.now() + backoff / 2 + Math.random() * (backoff / 2);
      this.options.journal?.append({ t: 'attempted', id: event.id, rule: rule.name, attempts: delivery.attempts, nextAttemptAt: delivery.nextAttemptAt });
    }
  }
}
