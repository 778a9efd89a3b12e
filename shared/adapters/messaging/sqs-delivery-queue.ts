import type { SQSClient } from '@aws-sdk/client-sqs';
import type { Clock } from '../../domain/ports';
import type { DeliveryAttempt, DeliveryQueue } from '../../domain/callbacks/delivery-attempt';
import { sendInBatches } from './sqs-settlement-queue';

/** SQS holds a message back for at most 15 minutes; longer waits take several hops. */
const MAX_DELAY_SECONDS = 900;

/** Callback delivery attempts on SQS, each delayed until its notBefore (at most 15 minutes at a time). */
export class SqsDeliveryQueue implements DeliveryQueue {
  constructor(
    private readonly client: SQSClient,
    private readonly queueUrl: string,
    private readonly clock: Clock,
  ) {}

  async schedule(attempts: readonly DeliveryAttempt[]): Promise<void> {
    const now = this.clock.now().getTime();
    await sendInBatches(
      this.client,
      this.queueUrl,
      attempts.map((attempt) => ({
        body: JSON.stringify(attempt),
        delaySeconds: Math.min(MAX_DELAY_SECONDS, Math.max(0, Math.ceil((Date.parse(attempt.notBefore) - now) / 1000))),
      })),
    );
  }
}
