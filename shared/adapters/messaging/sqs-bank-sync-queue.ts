import type { SQSClient } from '@aws-sdk/client-sqs';
import type { BankSyncMessage, BankSyncQueue } from '../../domain/open-banking/bank-sync';
import { sendInBatches } from './sqs-settlement-queue';

/** SQS holds a message back for at most 15 minutes. */
const MAX_DELAY_SECONDS = 900;

export class SqsBankSyncQueue implements BankSyncQueue {
  constructor(
    private readonly client: SQSClient,
    private readonly queueUrl: string,
  ) {}

  async enqueue(messages: readonly BankSyncMessage[], options: { readonly delaySeconds?: number } = {}): Promise<void> {
    const delaySeconds = Math.min(MAX_DELAY_SECONDS, Math.max(0, Math.round(options.delaySeconds ?? 0)));
    await sendInBatches(this.client, this.queueUrl, messages.map((message) => ({ body: JSON.stringify(message), delaySeconds })));
  }
}
