import type { DomainEvent } from '../events/domain-event';

/** One scheduled attempt to deliver one event to one endpoint. */
export interface DeliveryAttempt {
  readonly tenantId: string;
  readonly eventId: string;
  readonly endpointId: string;
  /** 1 for the first attempt. */
  readonly attempt: number;
  readonly firstAttemptAt: string;
  /** Not to be sent before this time (the queue's delay is at most 15 minutes, so long waits take several hops). */
  readonly notBefore: string;
  /**
   * The event as the log holds it, carried so the deliverer need not read the log. Absent when the queue would
   * not hold it in one message, when the fan-out did not write the log entry itself (a copy of the event), and in
   * attempts queued before it existed: the deliverer then reads the log.
   */
  readonly event?: DomainEvent | undefined;
  /**
   * More events of the same write for the same endpoint, sent after the first one in order and claimed and recorded
   * with it in one write each (callbacks/deliver-write.ts schedules them so). Absent on an attempt of one event.
   */
  readonly more?: readonly DomainEvent[] | undefined;
  /** Set on the attempts of a redelivery the tenant asked for: they claim under it, not under the first delivery's. */
  readonly redeliveryId?: string | undefined;
}

/** The queue of delivery attempts (SQS with DelaySeconds on AWS). */
export interface DeliveryQueue {
  schedule(attempts: readonly DeliveryAttempt[]): Promise<void>;
}
