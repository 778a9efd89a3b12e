import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-vitest/extend';
import { beforeEach, describe, expect, it } from 'vitest';
import { EventBridgePublisher } from '../../../../shared/adapters/messaging/eventbridge-publisher';
import { domainEvent, EVENT_SOURCE } from '../../../../shared/domain/events/domain-event';

const client = new EventBridgeClient({ region: 'eu-west-2' });
const eventBridge = mockClient(client);
const publisher = new EventBridgePublisher(client, 'settled-events');

const settled = (n: number) =>
  domainEvent('payment.settled', 'ten_1', `2026-11-24T10:00:${String(n % 60).padStart(2, '0')}.000Z`, { id: `pay_${n}`, status: 'settled' }, [`pay_${n}`, `txn_${n}`]);

describe('EventBridgePublisher', () => {
  beforeEach(() => eventBridge.reset());

  it("sends each event with source 'settled', the type as detail-type and { metadata, data } as detail", async () => {
    // Prepare
    eventBridge.on(PutEventsCommand).resolves({ FailedEntryCount: 0, Entries: [{ EventId: 'e1' }] });
    const event = settled(1);
    // Act
    await publisher.publish([event]);
    // Assess
    expect(EVENT_SOURCE).toBe('settled');
    expect(eventBridge).toHaveReceivedCommandTimes(PutEventsCommand, 1);
    const [call] = eventBridge.commandCalls(PutEventsCommand);
    const [entry] = call?.args[0].input.Entries ?? [];
    expect(entry).toEqual({
      EventBusName: 'settled-events',
      Source: 'settled',
      DetailType: 'payment.settled',
      Detail: expect.any(String),
      Time: new Date('2026-11-24T10:00:01.000Z'),
    });
    expect(JSON.parse(entry?.Detail ?? 'null')).toEqual({ metadata: event.metadata, data: { id: 'pay_1', status: 'settled' } });
  });

  it('sends events in chunks of ten, in order', async () => {
    // Prepare
    eventBridge.on(PutEventsCommand).resolves({ FailedEntryCount: 0 });
    const events = Array.from({ length: 23 }, (_, n) => settled(n));
    // Act
    await publisher.publish(events);
    // Assess
    const chunks = eventBridge.commandCalls(PutEventsCommand).map((call) => (call.args[0].input.Entries ?? []).map((entry) => JSON.parse(entry.Detail ?? '{}').data.id));
    expect(chunks.map((chunk) => chunk.length)).toEqual([10, 10, 3]);
    expect(chunks.flat()).toEqual(events.map((event) => event.data.id));
  });

  it('sends nothing for no events', async () => {
    // Act
    await publisher.publish([]);
    // Assess
    expect(eventBridge).toHaveReceivedCommandTimes(PutEventsCommand, 0);
  });

  it('throws when EventBridge rejects any entry, so the caller retries', async () => {
    // Prepare
    eventBridge.on(PutEventsCommand).resolves({
      FailedEntryCount: 1,
      Entries: [{ EventId: 'e1' }, { ErrorCode: 'ThrottlingException', ErrorMessage: 'Rate exceeded' }],
    });
    // Act
    const publishing = publisher.publish([settled(1), settled(2)]);
    // Assess
    await expect(publishing).rejects.toThrow(/rejected 1 of 2 events: ThrottlingException/);
  });

  it('stops at the first chunk EventBridge rejects', async () => {
    // Prepare
    eventBridge.on(PutEventsCommand).resolvesOnce({ FailedEntryCount: 0 }).resolvesOnce({ FailedEntryCount: 2, Entries: [] }).resolves({ FailedEntryCount: 0 });
    // Act
    const publishing = publisher.publish(Array.from({ length: 30 }, (_, n) => settled(n)));
    // Assess
    await expect(publishing).rejects.toThrow(/rejected 2 of 10/);
    expect(eventBridge).toHaveReceivedCommandTimes(PutEventsCommand, 2);
  });

  it('lets a failed call to EventBridge propagate', async () => {
    // Prepare
    eventBridge.on(PutEventsCommand).rejects(new Error('socket hang up'));
    // Act + Assess
    await expect(publisher.publish([settled(1)])).rejects.toThrow('socket hang up');
  });
});
