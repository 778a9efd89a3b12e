import type { SQSEvent } from 'aws-lambda';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { EventSourceMapping, LocalQueue } from '../../../../infra/local/local-queue';

const queuePair = (maxReceiveCount = 3, visibilityTimeoutMs = 30) => {
  const dlq = new LocalQueue({ name: 'q-dlq', visibilityTimeoutMs, maxReceiveCount: undefined, deadLetterQueue: undefined });
  const queue = new LocalQueue({ name: 'q', visibilityTimeoutMs, maxReceiveCount, deadLetterQueue: dlq });
  return { queue, dlq };
};

const until = async (condition: () => boolean, timeoutMs = 3_000) => {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not reached');
    await sleep(5);
  }
};

describe('LocalQueue', () => {
  it('hides a received message for the visibility timeout, then delivers it again with a higher receive count', () => {
    const { queue } = queuePair(5, 1_000);
    queue.send('hello', 0);
    const [first] = queue.receive(10, 0);
    expect(first?.attributes.ApproximateReceiveCount).toBe('1');
    expect(queue.receive(10, 999)).toEqual([]);
    const [second] = queue.receive(10, 1_000);
    expect(second).toMatchObject({ messageId: first?.messageId, body: 'hello', attributes: { ApproximateReceiveCount: '2' } });
    expect(second?.receiptHandle).not.toBe(first?.receiptHandle);
  });

  it('only lets the latest receipt delete a message', () => {
    const { queue } = queuePair(5, 10);
    queue.send('m', 0);
    const [stale] = queue.receive(1, 0);
    const [fresh] = queue.receive(1, 10);
    expect(queue.delete(stale?.receiptHandle ?? '')).toBe(false);
    expect(queue.delete(fresh?.receiptHandle ?? '')).toBe(true);
    expect(queue.size).toBe(0);
  });

  it('moves a message to the dead-letter queue, body intact, after maxReceiveCount receives', () => {
    const { queue, dlq } = queuePair(3, 10);
    queue.send('{"poison":true}', 0);
    for (let receive = 0; receive < 3; receive += 1) expect(queue.receive(1, receive * 10)).toHaveLength(1);
    expect(queue.receive(1, 30)).toEqual([]);
    expect(queue.size).toBe(0);
    expect(dlq.peekAll()).toEqual([expect.objectContaining({ body: '{"poison":true}' })]);
    expect(queue.stats(30)).toMatchObject({ sent: 1, deleted: 0, deadLettered: 1 });
  });

  it('reports how long a message waited receivable at its first receive only, not at a redelivery', () => {
    const waits: number[] = [];
    const queue = new LocalQueue({ name: 'q', visibilityTimeoutMs: 10, maxReceiveCount: 5, deadLetterQueue: undefined, onFirstReceive: (ms) => waits.push(ms) });
    queue.send('now', 100);
    queue.send('later', 100, 50);
    expect(queue.receive(10, 130)).toHaveLength(1);
    expect(queue.receive(10, 170).map((record) => record.body)).toEqual(['now', 'later']);
    expect(waits).toEqual([30, 20]);
  });

  it('redrives dead letters back for another try', () => {
    const { queue, dlq } = queuePair();
    dlq.send('a');
    dlq.send('b');
    expect(dlq.redriveTo(queue)).toBe(2);
    expect(queue.receive(10).map((record) => record.body)).toEqual(['a', 'b']);
  });
});

describe('EventSourceMapping', () => {
  it('deletes successes, retries only the reported batchItemFailures, and dead-letters a poison message', async () => {
    // Prepare
    const { queue, dlq } = queuePair(3, 20);
    const processed: string[] = [];
    const mapping = new EventSourceMapping(
      queue,
      async (event: SQSEvent) => {
        const failures = event.Records.filter((record) => record.body === 'poison').map((record) => ({ itemIdentifier: record.messageId }));
        processed.push(...event.Records.filter((record) => record.body !== 'poison').map((record) => record.body));
        return { batchItemFailures: failures };
      },
      { batchSize: 10, maxBatchingWindowMs: 5, concurrency: 2, invocationTimeoutMs: 1_000, onError: () => undefined },
    );
    // Act
    for (const body of ['a', 'poison', 'b', 'c']) queue.send(body);
    await until(() => queue.size === 0);
    mapping.stop();
    // Assess: received = processed + dead-lettered, nothing processed twice
    expect(processed.sort()).toEqual(['a', 'b', 'c']);
    expect(dlq.peekAll().map((message) => message.body)).toEqual(['poison']);
  });

  it('retries the whole batch when the handler throws', async () => {
    const { queue } = queuePair(5, 20);
    let calls = 0;
    const seen: string[][] = [];
    const mapping = new EventSourceMapping(
      queue,
      async (event: SQSEvent) => {
        calls += 1;
        seen.push(event.Records.map((record) => record.body));
        if (calls === 1) throw new Error('crash after the write, before the ack');
      },
      { batchSize: 10, maxBatchingWindowMs: 5, concurrency: 1, invocationTimeoutMs: 1_000, onError: () => undefined },
    );
    queue.send('x');
    queue.send('y');
    await until(() => queue.size === 0);
    mapping.stop();
    expect(seen).toEqual([['x', 'y'], ['x', 'y']]);
  });

  it('never hands a message to a second consumer while the invocation holding it is still running', async () => {
    // Prepare: a 20 ms visibility timeout and a consumer that takes ten times that (a slow, loaded machine)
    const { queue } = queuePair(3, 20);
    const deliveries: string[] = [];
    const mapping = new EventSourceMapping(
      queue,
      async (event: SQSEvent) => {
        deliveries.push(...event.Records.map((record) => record.body));
        await new Promise((resolveSlow) => setTimeout(resolveSlow, 200));
      },
      { batchSize: 1, maxBatchingWindowMs: 5, concurrency: 4, invocationTimeoutMs: 1_000, onError: () => undefined },
    );
    // Act
    queue.send('slow');
    await until(() => queue.size === 0);
    mapping.stop();
    // Assess: received once, not again each time the visibility timeout passed
    expect(deliveries).toEqual(['slow']);
  });

  it('groups a burst into batches no larger than batchSize', async () => {
    const { queue } = queuePair(5, 1_000);
    const sizes: number[] = [];
    const mapping = new EventSourceMapping(queue, async (event: SQSEvent) => void sizes.push(event.Records.length), {
      batchSize: 4,
      maxBatchingWindowMs: 20,
      concurrency: 1,
      invocationTimeoutMs: 1_000,
      onError: () => undefined,
    });
    for (let i = 0; i < 10; i += 1) queue.send(String(i));
    await until(() => queue.size === 0);
    mapping.stop();
    expect(sizes).toEqual([4, 4, 2]);
  });

  it('without a batching window takes the messages sent in one tick as one batch, on the next turn of the event loop', async () => {
    // Prepare
    const { queue } = queuePair(5, 1_000);
    const batches: string[][] = [];
    const mapping = new EventSourceMapping(queue, async (event: SQSEvent) => void batches.push(event.Records.map((record) => record.body)), {
      batchSize: 10,
      maxBatchingWindowMs: 0,
      concurrency: 1,
      invocationTimeoutMs: 1_000,
      onError: () => undefined,
    });
    // Act
    for (const body of ['a', 'b', 'c']) queue.send(body);
    await new Promise((resolveTurn) => setImmediate(resolveTurn));
    mapping.stop();
    // Assess: no timer had to fire first
    expect(batches).toEqual([['a', 'b', 'c']]);
  });
});
