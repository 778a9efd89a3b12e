import { describe, expect, it } from 'vitest';
import { positionAnnouncement } from '../../../../shared/domain/cash/announce-position';
import { attemptDelivery, CallbackDeliveryError, fanOutEvent } from '../../../../shared/domain/callbacks/deliver-event';
import { deliverWrite } from '../../../../shared/domain/callbacks/deliver-write';
import type { DeliveryAttempt } from '../../../../shared/domain/callbacks/delivery-attempt';
import { DELIVERY_WINDOW_MS } from '../../../../shared/domain/callbacks/retry-schedule';
import type { WebhookEndpoint } from '../../../../shared/domain/callbacks/webhook-endpoint';
import { type DomainEvent, domainEvent, withMovedPosition } from '../../../../shared/domain/events/domain-event';
import {
  aWebhookEndpoint,
  InMemoryCashPositionStore,
  InMemoryEventLog,
  InMemoryWebhookEndpointRepository,
  OTHER_TENANT_ID,
  RecordingDeliveryQueue,
  RecordingEventPublisher,
  ScriptedCallbackSender,
  TENANT_ID,
} from '../../../support/domain-fakes';
import { fixedClock } from '../../../support/fakes';

const ACCOUNT = 'acc_1';
const AT = '2026-11-24T10:00:10.000Z';

/** The events of one settling write: the transaction, then the payment, the first carrying the cash move. */
const settlingWrite = (transactionId = 'txn_1'): DomainEvent[] =>
  withMovedPosition(
    [
      domainEvent('transaction.received', TENANT_ID, AT, { id: transactionId, amount: '125.00' }, [ACCOUNT, `bank-${transactionId}`]),
      domainEvent('payment.settled', TENANT_ID, AT, { id: 'pay_1', status: 'settled', amount: '125.00' }, ['pay_1', transactionId]),
    ],
    { accountId: ACCOUNT, currency: 'GBP' },
  );

const world = (endpoints: readonly WebhookEndpoint[]) => {
  const log = new InMemoryEventLog();
  const repository = new InMemoryWebhookEndpointRepository(endpoints);
  const sender = new ScriptedCallbackSender();
  const clock = fixedClock('2026-11-24T10:00:11.000Z');
  const queue = new RecordingDeliveryQueue();
  const bus = new RecordingEventPublisher();
  const cash = new InMemoryCashPositionStore();
  cash.open({ tenantId: TENANT_ID, accountId: ACCOUNT, currency: 'GBP', openingBalance: 100_000 });
  cash.apply([{ position: { tenantId: TENANT_ID, accountId: ACCOUNT, currency: 'GBP' }, move: { settled: 12_500, pendingInbound: 0, pendingOutbound: 0 } }], AT);
  const attemptDeps = { log, endpoints: repository, sender, clock, deliveries: queue, random: () => 0.5, retryScale: 1 };
  const writeDeps = { log, endpoints: repository, deliveries: queue, cash, bus, clock };
  const drain = async () => {
    const outcomes: string[] = [];
    for (let round = 0; round < 5 && queue.scheduled.length > 0; round += 1) {
      for (const attempt of queue.scheduled.splice(0)) outcomes.push(await attemptDelivery({ ...attempt, notBefore: clock.now().toISOString() }, attemptDeps));
    }
    return outcomes;
  };
  const received = (endpointId: string) =>
    sender.sent.filter((sent) => sent.endpointId === endpointId).map((sent) => String(new Map(Object.entries(JSON.parse(sent.body))).get('type')));
  return { log, endpoints: repository, sender, clock, queue, bus, cash, attemptDeps, writeDeps, drain, received };
};

describe('deliverWrite: the writer delivers the events of its write', () => {
  it('logs the write and its cash announcement at once, and schedules one attempt per endpoint with the events it takes, in order', async () => {
    // Prepare
    const w = world([
      aWebhookEndpoint({ id: 'whe_all', events: null }),
      aWebhookEndpoint({ id: 'whe_settled', events: ['payment.settled'] }),
      aWebhookEndpoint({ id: 'whe_none', events: ['payment.failed'] }),
      aWebhookEndpoint({ id: 'whe_other', tenantId: OTHER_TENANT_ID, events: null }),
    ]);
    const events = settlingWrite();
    const announcement = await positionAnnouncement(events[0] as DomainEvent, w.cash);

    // Act
    await deliverWrite(events, w.writeDeps);

    // Assess
    expect(announcement?.type).toBe('cash_position.updated');
    expect(w.log.events.map((event) => event.metadata.id)).toEqual([...events.map((event) => event.metadata.id), announcement?.metadata.id]);
    expect(w.queue.scheduled.map((attempt) => [attempt.endpointId, attempt.eventId, (attempt.more ?? []).map((event) => event.type)])).toEqual([
      ['whe_all', events[0]?.metadata.id, ['payment.settled', 'cash_position.updated']],
      ['whe_settled', events[1]?.metadata.id, []],
    ]);
    expect(w.queue.scheduled.every((attempt) => attempt.event?.metadata.id === attempt.eventId)).toBe(true);
    // The bus hears every event, marked handled and without the move (cash-position and the fan-out leave them).
    expect(w.bus.types()).toEqual(['transaction.received', 'payment.settled', 'cash_position.updated']);
    expect(w.bus.published.every((event) => event.metadata.fannedOut === true && event.metadata.movedPosition === undefined)).toBe(true);
    expect(await fanOutEvent(w.bus.published[0] as DomainEvent, w.attemptDeps)).toBe(0);
  });

  it('delivers a group in order and records every delivery', async () => {
    // Prepare
    const w = world([aWebhookEndpoint({ id: 'whe_all', events: null })]);
    await deliverWrite(settlingWrite(), w.writeDeps);

    // Act
    const outcomes = await w.drain();

    // Assess
    expect(outcomes).toEqual(['delivered']);
    expect(w.received('whe_all')).toEqual(['transaction.received', 'payment.settled', 'cash_position.updated']);
    expect(w.log.deliveries.size).toBe(3);
  });

  it('hands a republished write to the consumers one event at a time, and every endpoint still hears each event once', async () => {
    // Prepare: the write was delivered, then its outbox is published again (a crash before it was cleared).
    const w = world([aWebhookEndpoint({ id: 'whe_all', events: null })]);
    const events = settlingWrite();
    await deliverWrite(events, w.writeDeps);
    await w.drain();
    const published = w.bus.published.length;

    // Act
    await deliverWrite(events, w.writeDeps);

    // Assess: the originals go on the bus (the move kept, not marked), and their fan-out sends nothing again.
    const republished = w.bus.published.slice(published);
    expect(republished).toEqual(events);
    expect(w.queue.scheduled).toEqual([]);
    for (const event of republished) await fanOutEvent(event, w.attemptDeps);
    expect(await w.drain()).toEqual(['already_delivered', 'already_delivered']);
    expect(w.received('whe_all')).toEqual(['transaction.received', 'payment.settled', 'cash_position.updated']);
  });

  it('throws when the bus fails, and the write published again reaches every endpoint once and cash-position not twice', async () => {
    // Prepare: the bus is down the first time (the caller keeps its outbox and is retried).
    const w = world([aWebhookEndpoint({ id: 'whe_all', events: null })]);
    const events = settlingWrite();
    w.bus.failNext();
    await expect(deliverWrite(events, w.writeDeps)).rejects.toThrow('EventBridge unavailable');

    // Act: the retry publishes the outbox again; the bus consumers take the unmarked copies.
    await deliverWrite(events, w.writeDeps);
    for (const event of w.bus.published) await fanOutEvent(event, w.attemptDeps);
    const announcement = await positionAnnouncement(events[0] as DomainEvent, w.cash);
    if (announcement !== undefined) await fanOutEvent(announcement, w.attemptDeps);
    await w.drain();

    // Assess
    expect(w.received('whe_all').sort()).toEqual(['cash_position.updated', 'payment.settled', 'transaction.received']);
    expect(w.log.events).toHaveLength(3);
  });

  it('comes apart into single attempts when a copy of one of its events holds a claim, and sends each event once', async () => {
    // Prepare: the same write's payment.settled also reached the fan-out (a republished copy) and was sent.
    const w = world([aWebhookEndpoint({ id: 'whe_all', events: null })]);
    const events = settlingWrite();
    await deliverWrite(events, w.writeDeps);
    const group = w.queue.scheduled.splice(0);
    await fanOutEvent(events[1] as DomainEvent, w.attemptDeps);
    await w.drain();

    // Act
    w.queue.scheduled.push(...group);
    const outcomes = await w.drain();

    // Assess
    expect(outcomes).toEqual(['split', 'delivered', 'already_delivered', 'delivered']);
    expect(w.received('whe_all').sort()).toEqual(['cash_position.updated', 'payment.settled', 'transaction.received']);
  });

  it('records what the endpoint accepted and retries what it refused as a group, on the same schedule', async () => {
    // Prepare: the endpoint accepts the transaction and refuses the payment (the announcement is accepted).
    const w = world([aWebhookEndpoint({ id: 'whe_all', events: null })]);
    w.sender.answer('whe_all', { kind: 'response', status: 200 }, { kind: 'response', status: 503 });
    await deliverWrite(settlingWrite(), w.writeDeps);

    // Act
    const first = await attemptDelivery(w.queue.scheduled.shift() as DeliveryAttempt, w.attemptDeps);
    const retry = w.queue.scheduled[0];
    const rest = await w.drain();

    // Assess
    expect(first).toBe('retry_scheduled');
    expect(retry?.attempt).toBe(2);
    expect(retry?.event?.type).toBe('payment.settled');
    expect(retry?.more).toBeUndefined();
    expect(rest).toEqual(['delivered']);
    expect(w.received('whe_all')).toEqual(['transaction.received', 'payment.settled', 'cash_position.updated', 'payment.settled']);
    expect(w.log.deliveries.size).toBe(3);
  });

  it('disables an endpoint that answers 410, keeps what it accepted, and schedules nothing more', async () => {
    // Prepare
    const w = world([aWebhookEndpoint({ id: 'whe_all', events: null })]);
    w.sender.answer('whe_all', { kind: 'response', status: 410 });
    await deliverWrite(settlingWrite(), w.writeDeps);

    // Act
    const outcomes = await w.drain();

    // Assess
    expect(outcomes).toEqual(['disabled']);
    expect(w.log.deliveries.size).toBe(2);
    expect(w.queue.scheduled).toEqual([]);
    expect((await w.endpoints.get(TENANT_ID, 'whe_all'))?.status).toBe('disabled');
  });

  it('gives a group up once the delivery window has closed', async () => {
    // Prepare: the first attempt was 72 hours ago, and the endpoint still times out.
    const w = world([aWebhookEndpoint({ id: 'whe_all', events: null })]);
    w.sender.answer('whe_all', { kind: 'timeout' }, { kind: 'timeout' }, { kind: 'timeout' });
    await deliverWrite(settlingWrite(), w.writeDeps);
    const attempt = w.queue.scheduled.shift() as DeliveryAttempt;
    const longAgo = new Date(w.clock.now().getTime() - DELIVERY_WINDOW_MS).toISOString();

    // Act
    const delivery = attemptDelivery({ ...attempt, attempt: 20, firstAttemptAt: longAgo }, w.attemptDeps);

    // Assess
    await expect(delivery).rejects.toBeInstanceOf(CallbackDeliveryError);
    expect([...w.log.claims.values()].map((claim) => claim.finished)).toEqual(['given_up', 'given_up', 'given_up']);
    expect(w.queue.scheduled).toEqual([]);
  });

  it('publishes events of several tenants as they are', async () => {
    // Prepare
    const w = world([aWebhookEndpoint({ id: 'whe_all', events: null })]);
    const mixed = [...settlingWrite(), domainEvent('payment.failed', OTHER_TENANT_ID, AT, { id: 'pay_9' }, ['pay_9'])];

    // Act
    await deliverWrite(mixed, w.writeDeps);

    // Assess
    expect(w.bus.published).toEqual(mixed);
    expect(w.queue.scheduled).toEqual([]);
    expect(w.log.events).toEqual([]);
  });
});
