import { PutEventsCommand, EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { SendMessageBatchCommand, SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { afterEach, describe, expect, it } from 'vitest';
import { type AwsEndpoint, startAwsEndpoint } from '../../../../infra/local/aws-endpoint';
import { LocalEventBus } from '../../../../infra/local/local-event-bus';
import { LocalQueue } from '../../../../infra/local/local-queue';
import { itemsOf } from '../../../../infra/local/runtime';

/** What /_local/stats reports for the bench's cost model: requests and entries, and the items a DynamoDB request touches. */
describe('the local runtime request counts', () => {
  const started: AwsEndpoint[] = [];
  afterEach(async () => {
    await Promise.all(started.splice(0).map((endpoint) => endpoint.close()));
  });

  it('counts SQS sends, batch sends with their entries, and EventBridge calls with their entries', async () => {
    const queue = new LocalQueue({ name: 'work', visibilityTimeoutMs: 1000, maxReceiveCount: undefined, deadLetterQueue: undefined });
    const eventBus = new LocalEventBus({
      rules: [],
      targetOf: () => async () => undefined,
      deadLetterQueueOf: () => new LocalQueue({ name: 'unused', visibilityTimeoutMs: 1, maxReceiveCount: undefined, deadLetterQueue: undefined }),
      retryBaseDelayMs: 1,
      onError: () => undefined,
    });
    const endpoint = await startAwsEndpoint({ queues: new Map([['work', queue]]), eventBus });
    started.push(endpoint);
    const config = { endpoint: endpoint.url, region: 'eu-west-2', credentials: { accessKeyId: 'local', secretAccessKey: 'local' }, maxAttempts: 1 };
    const sqs = new SQSClient(config);
    const events = new EventBridgeClient(config);
    const queueUrl = endpoint.queueUrl(queue);

    await sqs.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: 'one' }));
    await sqs.send(new SendMessageBatchCommand({ QueueUrl: queueUrl, Entries: [{ Id: 'a', MessageBody: 'two' }, { Id: 'b', MessageBody: 'three' }, { Id: 'c', MessageBody: 'four' }] }));
    await events.send(new PutEventsCommand({ Entries: [{ Source: 's', DetailType: 'payment.settled', Detail: '{}' }, { Source: 's', DetailType: 'transaction.received', Detail: '{}' }] }));

    expect(endpoint.counts).toEqual({ sqs: { sendMessage: 1, sendMessageBatch: 1, sendMessageBatchEntries: 3 }, eventBridge: { putEventsCalls: 1, entries: 2 } });
    expect(queue.size).toBe(4);
    eventBus.stop();
  });

  it('counts a transaction’s and a batch’s items, and the items read strongly consistent', () => {
    expect(itemsOf({ TransactItems: [{ Put: {} }, { Update: {} }, { ConditionCheck: {} }] })).toEqual({ items: 3, consistent: 0 });
    expect(itemsOf({ RequestItems: { settled: { Keys: [{}, {}], ConsistentRead: true }, other: { Keys: [{}] } } })).toEqual({ items: 3, consistent: 2 });
    expect(itemsOf({ RequestItems: { settled: [{ PutRequest: {} }, { DeleteRequest: {} }] } })).toEqual({ items: 2, consistent: 0 });
    expect(itemsOf({ Key: {}, ConsistentRead: true })).toEqual({ items: 1, consistent: 1 });
    expect(itemsOf({ KeyConditionExpression: 'pk = :pk' })).toEqual({ items: 1, consistent: 0 });
  });
});
