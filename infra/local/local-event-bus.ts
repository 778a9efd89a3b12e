import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { EventBridgeEvent } from 'aws-lambda';
import type { EventRule } from '../topology';
import { EVENT_SOURCE } from '../../shared/domain/events/domain-event';
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
}

/**
 * An EventBridge bus in process: each put event is matched against the rules of infra/topology.ts and delivered
 * asynchronously to every matching target, retried with backoff up to the rule's retryAttempts, then written to the
 * rule's dead-letter queue — at-least-once, as on AWS.
 */
export class LocalEventBus {
  private readonly deliveries = new Set<Promise<void>>();
  private stopped = false;

  constructor(private readonly options: LocalEventBusOptions) {}

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
    for (const rule of this.options.rules) {
      if (entry.source !== EVENT_SOURCE || !rule.detailTypes.includes(entry.detailType)) continue;
      const delivery = this.deliver(rule, event);
      this.deliveries.add(delivery);
      void delivery.finally(() => this.deliveries.delete(delivery));
    }
    return id;
  }

  get pendingDeliveries(): number {
    return this.deliveries.size;
  }

  /** Resolves when every delivery started so far has succeeded or been dead-lettered. */
  async idle(): Promise<void> {
    while (this.deliveries.size > 0) await Promise.allSettled([...this.deliveries]);
  }

  stop(): void {
    this.stopped = true;
  }

  private async deliver(rule: EventRule, event: EventBridgeEvent<string, unknown>): Promise<void> {
    const target = this.options.targetOf(rule);
    for (let attempt = 0; attempt <= rule.retryAttempts; attempt += 1) {
      if (this.stopped) break;
      try {
        await target(event);
        return;
      } catch (error) {
        this.options.onError(error, rule);
        if (attempt < rule.retryAttempts) {
          const backoff = Math.min(MAX_RETRY_DELAY_MS, this.options.retryBaseDelayMs * 2 ** attempt);
          await sleep(backoff / 2 + Math.random() * (backoff / 2));
        }
      }
    }
    this.options.deadLetterQueueOf(rule).send(JSON.stringify(event));
  }
}
