import { SendMessageBatchCommand, type SendMessageBatchRequestEntry, SQSClient } from '@aws-sdk/client-sqs';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-vitest/extend';
import { beforeEach, describe, expect, it } from 'vitest';
import { sendInBatches, SqsSettlementQueue } from '../../../../shared/adapters/messaging/sqs-settlement-queue';
import type { SettlementMessage } from '../../../../shared/domain/settlement/settlement-message';
import { aReportedTransaction, aStatusReport } from '../../../support/domain-fakes';

const QUEUE_URL = 'https://sqs.eu-west-2.amazonaws.com/123456789012/settlement';
const client = new SQSClient({ region: 'eu-west-2' });
const sqs = mockClient(client);
const queue = new SqsSettlementQueue(client, QUEUE_URL);

const message = (n: number): SettlementMessage => ({ kind: 'transaction', transaction: aReportedTransaction({ bankTransactionId: `bank-txn-${n}` }) });

/** Answers every batch as fully accepted. */
const acceptAll = () =>
  sqs.on(SendMessageBatchCommand).callsFake((input: { Entries?: SendMessageBatchRequestEntry[] }) => ({
    Successful: (input.Entries ?? []).map((entry) => ({ Id: entry.Id, MessageId: `m-${entry.Id}`, MD5OfMessageBody: 'x' })),
    Failed: [],
  }));

describe('SqsSettlementQueue', () => {
  beforeEach(() => sqs.reset());

  it('queues each message as its JSON, with no delay', async () => {
    // Prepare
    acceptAll();
    const status: SettlementMessage = { kind: 'payment_status', report: aStatusReport() };
    // Act
    await queue.enqueue([message(1), status]);
    // Assess
    expect(sqs).toHaveReceivedCommandExactlyOnceWith(SendMessageBatchCommand, {
      QueueUrl: QUEUE_URL,
      Entries: [
        { Id: '0', MessageBody: JSON.stringify(message(1)), DelaySeconds: 0 },
        { Id: '1', MessageBody: JSON.stringify(status), DelaySeconds: 0 },
      ],
    });
  });

  it('sends batches of ten, in order', async () => {
    // Prepare
    acceptAll();
    const messages = Array.from({ length: 23 }, (_, n) => message(n));
    // Act
    await queue.enqueue(messages);
    // Assess
    const batches = sqs.commandCalls(SendMessageBatchCommand).map((call) => call.args[0].input.Entries ?? []);
    expect(batches.map((batch) => batch.length)).toEqual([10, 10, 3]);
    expect(batches.flat().map((entry) => entry.MessageBody)).toEqual(messages.map((queued) => JSON.stringify(queued)));
    expect(batches.every((batch) => batch.every((entry, index) => entry.Id === String(index)))).toBe(true);
  });

  it('throws when SQS refuses any entry', async () => {
    // Prepare
    sqs.on(SendMessageBatchCommand).resolves({
      Successful: [{ Id: '0', MessageId: 'm-0', MD5OfMessageBody: 'x' }],
      Failed: [{ Id: '1', SenderFault: false, Code: 'InternalError', Message: 'try again' }],
    });
    // Act
    const enqueueing = queue.enqueue([message(1), message(2)]);
    // Assess
    await expect(enqueueing).rejects.toThrow(/SQS accepted 1 of 2 messages: 1: InternalError try again/);
  });

  it('throws when SQS reports fewer successes than it was sent, even without a failure entry', async () => {
    // Prepare
    sqs.on(SendMessageBatchCommand).resolves({ Successful: [{ Id: '0', MessageId: 'm-0', MD5OfMessageBody: 'x' }], Failed: [] });
    // Act + Assess
    await expect(queue.enqueue([message(1), message(2)])).rejects.toThrow(/SQS accepted 1 of 2/);
  });
});

describe('sendInBatches', () => {
  beforeEach(() => sqs.reset());

  it('sends each message with its own delay, ten per batch', async () => {
    // Prepare
    acceptAll();
    const messages = Array.from({ length: 12 }, (_, n) => ({ body: `webhook-${n}`, delaySeconds: n }));
    // Act
    await sendInBatches(client, QUEUE_URL, messages);
    // Assess
    expect(sqs).toHaveReceivedCommandTimes(SendMessageBatchCommand, 2);
    expect(sqs).toHaveReceivedNthCommandWith(SendMessageBatchCommand, 2, {
      QueueUrl: QUEUE_URL,
      Entries: [
        { Id: '0', MessageBody: 'webhook-10', DelaySeconds: 10 },
        { Id: '1', MessageBody: 'webhook-11', DelaySeconds: 11 },
      ],
    });
    const delays = sqs.commandCalls(SendMessageBatchCommand).flatMap((call) => (call.args[0].input.Entries ?? []).map((entry) => entry.DelaySeconds));
    expect(delays).toEqual(messages.map((queued) => queued.delaySeconds));
  });

  it('stops at the first batch SQS does not fully accept', async () => {
    // Prepare
    sqs
      .on(SendMessageBatchCommand)
      .resolvesOnce({ Successful: [], Failed: [{ Id: '0', SenderFault: true, Code: 'InvalidParameterValue', Message: 'bad' }] });
    // Act
    const sending = sendInBatches(client, QUEUE_URL, Array.from({ length: 15 }, (_, n) => ({ body: `m${n}`, delaySeconds: 0 })));
    // Assess
    await expect(sending).rejects.toThrow(/InvalidParameterValue/);
    expect(sqs).toHaveReceivedCommandTimes(SendMessageBatchCommand, 1);
  });

  it('sends nothing for no messages', async () => {
    // Act
    await sendInBatches(client, QUEUE_URL, []);
    // Assess
    expect(sqs).toHaveReceivedCommandTimes(SendMessageBatchCommand, 0);
  });
});
