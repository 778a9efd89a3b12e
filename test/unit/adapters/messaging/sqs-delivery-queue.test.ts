import { SendMessageBatchCommand, type SendMessageBatchRequestEntry, SQSClient } from '@aws-sdk/client-sqs';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-vitest/extend';
import * as v from 'valibot';
import { beforeEach, describe, expect, it } from 'vitest';
import { attemptMessageBody, MAX_ATTEMPT_MESSAGE_BYTES, SqsDeliveryQueue } from '../../../../shared/adapters/messaging/sqs-delivery-queue';
import type { DeliveryAttempt } from '../../../../shared/domain/callbacks/delivery-attempt';
import { domainEvent } from '../../../../shared/domain/events/domain-event';
import { DeliveryAttemptMessageSchema } from '../../../../shared/schemas/delivery-attempt-message';
import { TENANT_ID } from '../../../support/domain-fakes';
import { fixedClock } from '../../../support/fakes';

const QUEUE_URL = 'https://sqs.eu-west-2.amazonaws.com/123456789012/callback-deliveries';
const NOW = '2026-11-24T10:00:00.000Z';
const client = new SQSClient({ region: 'eu-west-2' });
const sqs = mockClient(client);
const queue = new SqsDeliveryQueue(client, QUEUE_URL, fixedClock(NOW));

const eventOfSize = (dataChars: number) => domainEvent('statement.imported', TENANT_ID, NOW, { id: 'imp_1', note: 'x'.repeat(dataChars) }, ['imp_1']);
const attemptWith = (endpointId: string, event = eventOfSize(10), notBefore = NOW): DeliveryAttempt => ({
  tenantId: TENANT_ID,
  eventId: event.metadata.id,
  endpointId,
  attempt: 1,
  firstAttemptAt: NOW,
  notBefore,
  event,
});

const acceptAll = () =>
  sqs.on(SendMessageBatchCommand).callsFake((input: { Entries?: SendMessageBatchRequestEntry[] }) => ({
    Successful: (input.Entries ?? []).map((entry) => ({ Id: entry.Id, MessageId: `m-${entry.Id}`, MD5OfMessageBody: 'x' })),
    Failed: [],
  }));

const sentBatches = () => sqs.commandCalls(SendMessageBatchCommand).map((call) => call.args[0].input.Entries ?? []);

describe('SqsDeliveryQueue', () => {
  beforeEach(() => sqs.reset());

  it('sends each attempt with its event, delayed until notBefore, in a body the deliverer accepts', async () => {
    // Prepare
    acceptAll();
    const attempt = attemptWith('whe_a', eventOfSize(10), '2026-11-24T10:00:05.000Z');
    // Act
    await queue.schedule([attempt]);
    // Assess
    const [entry] = sentBatches().flat();
    expect(entry?.DelaySeconds).toBe(5);
    expect(v.parse(DeliveryAttemptMessageSchema, JSON.parse(entry?.MessageBody ?? 'null'))).toEqual(attempt);
  });

  it('leaves out an event that would make the message larger than the limit: the deliverer reads the log', () => {
    const attempt = attemptWith('whe_a', eventOfSize(MAX_ATTEMPT_MESSAGE_BYTES));
    const body = attemptMessageBody(attempt);
    const { event: _left, ...withoutEvent } = attempt;
    expect(JSON.parse(body)).toEqual(withoutEvent);
  });

  it('keeps each batch under SQS limits when many attempts carry a large event', async () => {
    // Prepare: ten endpoints, a 60 KB event
    acceptAll();
    const event = eventOfSize(60_000);
    // Act
    await queue.schedule(Array.from({ length: 10 }, (_, n) => attemptWith(`whe_${n}`, event)));
    // Assess
    const batches = sentBatches();
    expect(batches.flat()).toHaveLength(10);
    expect(batches.length).toBeGreaterThan(1);
    for (const batch of batches) expect(batch.reduce((bytes, entry) => bytes + Buffer.byteLength(entry.MessageBody ?? ''), 0)).toBeLessThanOrEqual(240_000);
    expect(batches.flat().every((entry) => JSON.parse(entry.MessageBody ?? 'null').event.metadata.id === event.metadata.id)).toBe(true);
  });

  it('sends a group of events in one message the deliverer accepts', async () => {
    // Prepare
    acceptAll();
    const [head, second, third] = [eventOfSize(10), domainEvent('payment.settled', TENANT_ID, NOW, { id: 'pay_1' }, ['pay_1']), eventOfSize(20)];
    const group: DeliveryAttempt = { ...attemptWith('whe_a', head), more: [second, third] };
    // Act
    await queue.schedule([group]);
    // Assess
    const entries = sentBatches().flat();
    expect(entries).toHaveLength(1);
    expect(v.parse(DeliveryAttemptMessageSchema, JSON.parse(entries[0]?.MessageBody ?? 'null'))).toEqual(group);
  });

  it('sends a group too large for one message as one attempt per event, in the order of the group', async () => {
    // Prepare
    acceptAll();
    const [head, large, last] = [eventOfSize(10), eventOfSize(120_000), domainEvent('payment.settled', TENANT_ID, NOW, { id: 'pay_1', note: 'x'.repeat(100_000) }, ['pay_1'])];
    // Act
    await queue.schedule([{ ...attemptWith('whe_a', head), more: [large, last] }]);
    // Assess
    const bodies = sentBatches()
      .flat()
      .map((entry) => v.parse(DeliveryAttemptMessageSchema, JSON.parse(entry.MessageBody ?? 'null')));
    expect(bodies.map((body) => [body.eventId, body.event?.metadata.id, body.more])).toEqual([
      [head.metadata.id, head.metadata.id, undefined],
      [large.metadata.id, large.metadata.id, undefined],
      [last.metadata.id, last.metadata.id, undefined],
    ]);
  });

  it('sends at most ten per batch', async () => {
    acceptAll();
    await queue.schedule(Array.from({ length: 23 }, (_, n) => attemptWith(`whe_${n}`)));
    expect(sentBatches().map((batch) => batch.length)).toEqual([10, 10, 3]);
  });
});

describe('DeliveryAttemptMessageSchema', () => {
  it('accepts an attempt queued before attempts carried their event', () => {
    const { event: _left, ...queuedBefore } = attemptWith('whe_a');
    expect(v.parse(DeliveryAttemptMessageSchema, queuedBefore)).toEqual(queuedBefore);
  });

  it('refuses a carried event that is not a domain event', () => {
    const attempt = { ...attemptWith('whe_a'), event: { type: 'payment.settled', metadata: { id: 'x' }, data: {} } };
    expect(v.safeParse(DeliveryAttemptMessageSchema, attempt).success).toBe(false);
  });
});
