import type { SQSClient } from '@aws-sdk/client-sqs';
import type { PayoutChunkMessage, PayoutChunkQueue } from '../../domain/payouts/payout-store';
import { sendInBatches } from './sqs-settlement-queue';

/** One SQS message per chunk of an authorised payout. */
export class SqsPayoutChunkQueue implements PayoutChunkQueue {
  constructor(
    private readonly client: () => SQSClient,
    private readonly queueUrl: string,
  ) {}

  async enqueue(messages: readonly PayoutChunkMessage[], delaySeconds = 0): Promise<void> {
    await sendInBatches(this.client(), this.queueUrl, messages.map((message) => ({ body: JSON.stringify(message), delaySeconds })));
  }
}
