import { SendMessageBatchCommand, type SendMessageBatchRequestEntry, SQSClient } from '@aws-sdk/client-sqs';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-vitest/extend';
import { beforeEach, describe, expect, it } from 'vitest';
import { SqsBankSyncQueue } from '../../../../shared/adapters/messaging/sqs-bank-sync-queue';
import type { BankSyncMessage } from '../../../../shared/domain/open-banking/bank-sync';

const QUEUE_URL = 'https://sqs.eu-west-2.amazonaws.com/123456789012/bank-sync';
const client = new SQSClient({ region: 'eu-west-2' });
const sqs = mockClient(client);
const queue = new SqsBankSyncQueue(client, QUEUE_URL);

const message = (n: number): BankSyncMessage => ({ kind: 'bank-account', aspspId: 'mock-v4', bankAccountId: `acct-${n}` });

const acceptAll = () =>
  sqs.on(SendMessageBatchCommand).callsFake((input: { Entries?: SendMessageBatchRequestEntry[] }) => ({
    Successful: (input.Entries ?? []).map((entry) => ({ Id: entry.Id, MessageId: `m-${entry.Id}`, MD5OfMessageBody: 'x' })),
    Failed: [],
  }));

const sentDelays = () => sqs.commandCalls(SendMessageBatchCommand).flatMap((call) => (call.args[0].input.Entries ?? []).map((entry) => entry.DelaySeconds));

describe('SqsBankSyncQueue', () => {
  beforeEach(() => sqs.reset());

  it('queues each message as its JSON, in batches of ten, in order, with no delay by default', async () => {
    acceptAll();
    const messages: BankSyncMessage[] = [
      ...Array.from({ length: 21 }, (_, n) => message(n)),
      { kind: 'payment-status', aspspId: 'mock-v31', domesticPaymentId: 'dp-1', attempt: 2 },
      { kind: 'sweep' },
    ];
    await queue.enqueue(messages);
    const batches = sqs.commandCalls(SendMessageBatchCommand).map((call) => call.args[0].input);
    expect(batches.map((batch) => batch.QueueUrl)).toEqual([QUEUE_URL, QUEUE_URL, QUEUE_URL]);
    expect(batches.map((batch) => batch.Entries?.length)).toEqual([10, 10, 3]);
    expect(batches.flatMap((batch) => batch.Entries ?? []).map((entry) => JSON.parse(entry.MessageBody ?? ''))).toEqual(messages);
    expect(sentDelays()).toEqual(messages.map(() => 0));
  });

  it.each([
    [30, 30],
    [899.5, 900],
    [900, 900],
    [901, 900],
    [3600, 900],
    [-5, 0],
    [12.4, 12],
    [12.6, 13],
  ])('asked to hold messages back %s seconds, sends DelaySeconds %s (SQS allows 0..900 whole seconds)', async (asked, sent) => {
    acceptAll();
    await queue.enqueue([message(1), message(2)], { delaySeconds: asked });
    expect(sentDelays()).toEqual([sent, sent]);
  });

  it('throws when SQS refuses part of a batch, and sends no further batch', async () => {
    sqs.on(SendMessageBatchCommand).resolvesOnce({
      Successful: Array.from({ length: 9 }, (_, n) => ({ Id: String(n), MessageId: `m-${n}`, MD5OfMessageBody: 'x' })),
      Failed: [{ Id: '9', SenderFault: false, Code: 'InternalError', Message: 'try again' }],
    });
    await expect(queue.enqueue(Array.from({ length: 15 }, (_, n) => message(n)))).rejects.toThrow(/SQS accepted 9 of 10 messages: 9: InternalError/);
    expect(sqs).toHaveReceivedCommandTimes(SendMessageBatchCommand, 1);
  });

  it('sends nothing for no messages', async () => {
    await queue.enqueue([], { delaySeconds: 60 });
    expect(sqs).not.toHaveReceivedCommand(SendMessageBatchCommand);
  });
});
