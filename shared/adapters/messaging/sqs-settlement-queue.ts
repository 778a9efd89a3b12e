import { SendMessageBatchCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { SettlementMessage, SettlementQueue } from '../../domain/settlement/settlement-message';

const SQS_BATCH = 10;

/** Sends settlement messages in batches of ten; any entry SQS did not accept fails the whole call. */
export class SqsSettlementQueue implements SettlementQueue {
  constructor(
    private readonly client: SQSClient,
    private readonly queueUrl: string,
  ) {}

  async enqueue(messages: readonly SettlementMessage[]): Promise<void> {
    await sendInBatches(this.client, this.queueUrl, messages.map((message) => ({ body: JSON.stringify(message), delaySeconds: 0 })));
  }
}

/** SendMessageBatch in chunks; throws unless every entry was accepted. */
export const sendInBatches = async (
  client: SQSClient,
  queueUrl: string,
  messages: readonly { body: string; delaySeconds: number }[],
): Promise<void> => {
  for (let start = 0; start < messages.length; start += SQS_BATCH) {
    const chunk = messages.slice(start, start + SQS_BATCH);
    const result = await client.send(
      new SendMessageBatchCommand({
        QueueUrl: queueUrl,
        Entries: chunk.map((message, index) => ({ Id: String(index), MessageBody: message.body, DelaySeconds: message.delaySeconds })),
      }),
    );
    if ((result.Failed ?? []).length > 0 || (result.Successful ?? []).length !== chunk.length) {
      const reasons = (result.Failed ?? []).map((failure) => `${failure.Id}: ${failure.Code ?? ''} ${failure.Message ?? ''}`).join('; ');
      throw new Error(`SQS accepted ${(result.Successful ?? []).length} of ${chunk.length} messages: ${reasons}`);
    }
  }
};
