import type { SQSClient } from '@aws-sdk/client-sqs';
import type { Clock } from '../../domain/ports';
import type { DeliveryAttempt, DeliveryQueue } from '../../domain/callbacks/delivery-attempt';
import { sendInBatches } from './sqs-settlement-queue';

/** SQS holds a message back for at most 15 minutes; longer waits take several hops. */
const MAX_DELAY_SECONDS = 900;

/**
 * An attempt carries its event only while its message stays under this size (SQS takes 256 KiB per message and per
 * batch); a larger one goes without it and the deliverer reads the event log instead.
 */
export const MAX_ATTEMPT_MESSAGE_BYTES = 200_000;

/** What one SendMessageBatch may carry in total, with room to spare under SQS's 256 KiB. */
const MAX_BATCH_BYTES = 240_000;
const SQS_BATCH = 10;

/**
 * The messages of an attempt: one; or, for a group of events too large for one message, one attempt per event
 * (each then carrying its own event if that fits).
 */
export const attemptMessageBodies = (attempt: DeliveryAttempt): string[] => {
  const body = JSON.stringify(attempt);
  if (attempt.more === undefined || attempt.more.length === 0 || Buffer.byteLength(body, 'utf8') <= MAX_ATTEMPT_MESSAGE_BYTES) return [attemptMessageBody(attempt)];
  const { more, ...head } = attempt;
  return [head, ...more.map((event) => ({ ...head, eventId: event.metadata.id, event }))].map(attemptMessageBody);
};

/** The message body of an attempt of one event: with its event if that fits, else without (the deliverer reads the log). */
export const attemptMessageBody = (attempt: DeliveryAttempt): string => {
  const body = JSON.stringify(attempt);
  if (attempt.event === undefined || Buffer.byteLength(body, 'utf8') <= MAX_ATTEMPT_MESSAGE_BYTES) return body;
  const { event: _tooLarge, ...withoutEvent } = attempt;
  return JSON.stringify(withoutEvent);
};

/** Callback delivery attempts on SQS, each delayed until its notBefore (at most 15 minutes at a time). */
export class SqsDeliveryQueue implements DeliveryQueue {
  constructor(
    private readonly client: SQSClient,
    private readonly queueUrl: string,
    private readonly clock: Clock,
  ) {}

  async schedule(attempts: readonly DeliveryAttempt[]): Promise<void> {
    const now = this.clock.now().getTime();
    const messages = attempts.flatMap((attempt) =>
      attemptMessageBodies(attempt).map((body) => ({
        body,
        delaySeconds: Math.min(MAX_DELAY_SECONDS, Math.max(0, Math.ceil((Date.parse(attempt.notBefore) - now) / 1000))),
      })),
    );
    // Batches of at most ten messages and MAX_BATCH_BYTES, so events carried by many attempts never overflow one.
    let batch: typeof messages = [];
    let batchBytes = 0;
    for (const message of messages) {
      const bytes = Buffer.byteLength(message.body, 'utf8');
      if (batch.length === SQS_BATCH || (batch.length > 0 && batchBytes + bytes > MAX_BATCH_BYTES)) {
        await sendInBatches(this.client, this.queueUrl, batch);
        batch = [];
        batchBytes = 0;
      }
      batch.push(message);
      batchBytes += bytes;
    }
    if (batch.length > 0) await sendInBatches(this.client, this.queueUrl, batch);
  }
}
