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
}

/** The queue of delivery attempts (SQS with DelaySeconds on AWS). */
export interface DeliveryQueue {
  schedule(attempts: readonly DeliveryAttempt[]): Promise<void>;
}
