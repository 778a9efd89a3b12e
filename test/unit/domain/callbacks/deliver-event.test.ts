import { describe, expect, it, vi } from 'vitest';
import { ATTEMPT_LEASE_MS, attemptDelivery, CallbackDeliveryError, fanOutEvent } from '../../../../shared/domain/callbacks/deliver-event';
import type { DeliveryAttempt } from '../../../../shared/domain/callbacks/delivery-attempt';
import { DELIVERY_WINDOW_MS, retryDelaySeconds } from '../../../../shared/domain/callbacks/retry-schedule';
import type { WebhookEndpoint } from '../../../../shared/domain/callbacks/webhook-endpoint';
import { domainEvent } from '../../../../shared/domain/events/domain-event';
import {
  aWebhookEndpoint,
  InMemoryEventLog,
  InMemoryWebhookEndpointRepository,
  OTHER_TENANT_ID,
  RecordingDeliveryQueue,
  ScriptedCallbackSender,
  TENANT_ID,
} from '../../../support/domain-fakes';
import { fixedClock } from '../../../support/fakes';

const settledEvent = domainEvent('payment.settled', TENANT_ID, '2026-11-24T10:00:10.000Z', { id: 'pay_1', status: 'settled', amount: '125.00' }, [
  'pay_1',
  'txn_1',
]);

const callbackWorld = (endpoints: readonly WebhookEndpoint[]) => {
  const log = new InMemoryEventLog();
  const repository = new InMemoryWebhookEndpointRepository(endpoints);
  const sender = new ScriptedCallbackSender();
  const clock = fixedClock('2026-11-24T10:00:11.000Z');
  const queue = new RecordingDeliveryQueue();
  const deps = { log, endpoints: repository, sender, clock, deliveries: queue, random: () => 0.5, retryScale: 1 };
  /** Takes what the queue holds and attempts it, as the callback-deliverer does with each message. */
  const drain = async () => {
    const outcomes: string[] = [];
    for (const attempt of queue.scheduled.splice(0)) outcomes.push(await attemptDelivery(attempt, deps));
    return outcomes;
  };
  /** The same, with every message handled at once (several deliverer instances). */
  const drainConcurrently = async () => Promise.all(queue.scheduled.splice(0).map((attempt) => attemptDelivery(attempt, deps)));
  return { log, endpoints: repository, sender, clock, queue, deps, drain, drainConcurrently };
};

describe('fanOutEvent and attemptDelivery', () => {
  it('delivers to the enabled endpoints subscribed to the event type and to no other', async () => {
    // Prepare
    const world = callbackWorld([
      aWebhookEndpoint({ id: 'whe_all', events: null }),
      aWebhookEndpoint({ id: 'whe_settled', events: ['payment.settled', 'payment.failed'] }),
      aWebhookEndpoint({ id: 'whe_failed_only', events: ['payment.failed'] }),
      aWebhookEndpoint({ id: 'whe_disabled', events: null, status: 'disabled', disabledReason: 'The endpoint answered 410 Gone.' }),
      aWebhookEndpoint({ id: 'whe_other_tenant', tenantId: OTHER_TENANT_ID, events: null }),
    ]);
    // Act
    expect(await fanOutEvent(settledEvent, world.deps)).toBe(2);
    const outcomes = await world.drain();
    // Assess
    expect(outcomes).toEqual(['delivered', 'delivered']);
    expect(world.sender.sentTo().sort()).toEqual(['whe_all', 'whe_settled']);
    expect(world.log.events).toEqual([settledEvent]);
  });

  it('sends { id, type, createdAt, data } with the event id as the webhook id', async () => {
    const world = callbackWorld([aWebhookEndpoint()]);
    await fanOutEvent(settledEvent, world.deps);
    await world.drain();
    const [sent] = world.sender.sent;
    expect(sent?.eventId).toBe(settledEvent.metadata.id);
    expect(JSON.parse(sent?.body ?? 'null')).toEqual({
      id: settledEvent.metadata.id,
      type: 'payment.settled',
      createdAt: '2026-11-24T10:00:10.000Z',
      data: { id: 'pay_1', status: 'settled', amount: '125.00' },
    });
  });

  it('schedules the next attempt of a failing endpoint with backoff, same webhook id, and delivers the others', async () => {
    // Prepare
    const world = callbackWorld([aWebhookEndpoint({ id: 'whe_ok' }), aWebhookEndpoint({ id: 'whe_500' }), aWebhookEndpoint({ id: 'whe_slow' })]);
    world.sender.answer('whe_500', { kind: 'response', status: 500 }).answer('whe_slow', { kind: 'timeout' });
    await fanOutEvent(settledEvent, world.deps);
    // Act
    const outcomes = await world.drain();
    // Assess
    expect(outcomes.sort()).toEqual(['delivered', 'retry_scheduled', 'retry_scheduled']);
    expect(world.queue.scheduled.map((attempt) => [attempt.endpointId, attempt.attempt, attempt.notBefore]).sort()).toEqual([
      ['whe_500', 2, '2026-11-24T10:00:16.000Z'], // 5 s (jitter at its middle)
      ['whe_slow', 2, '2026-11-24T10:00:16.000Z'],
    ]);
    // The retry reaches the endpoint with the same webhook id.
    world.clock.set('2026-11-24T10:00:16.000Z');
    expect(await world.drain()).toEqual(['delivered', 'delivered']);
    expect(world.sender.sent.filter((sent) => sent.endpointId === 'whe_500').map((sent) => sent.eventId)).toEqual([settledEvent.metadata.id, settledEvent.metadata.id]);
  });

  it('waits without sending while an attempt is not due yet', async () => {
    const world = callbackWorld([aWebhookEndpoint({ id: 'whe_a' })]);
    const attempt: DeliveryAttempt = { tenantId: TENANT_ID, eventId: settledEvent.metadata.id, endpointId: 'whe_a', attempt: 3, firstAttemptAt: '2026-11-24T09:00:00.000Z', notBefore: '2026-11-24T12:00:00.000Z' };
    await world.log.append(settledEvent);
    expect(await attemptDelivery(attempt, world.deps)).toBe('waiting');
    expect(world.sender.sent).toEqual([]);
    expect(world.queue.scheduled).toEqual([attempt]);
  });

  it('keeps trying for 72 hours, then gives up so the attempt is dead-lettered', async () => {
    // Prepare: an endpoint that always answers 503
    const world = callbackWorld([aWebhookEndpoint({ id: 'whe_down' })]);
    world.sender.answer('whe_down', ...Array.from({ length: 40 }, () => ({ kind: 'response' as const, status: 503 })));
    await fanOutEvent(settledEvent, world.deps);
    // Act: follow the schedule, attempt after attempt
    let attempts = 0;
    let error: unknown;
    for (;;) {
      const [next] = world.queue.scheduled;
      if (next === undefined) break;
      world.clock.set(next.notBefore);
      try {
        await world.drain();
        attempts += 1;
      } catch (caught) {
        error = caught;
        break;
      }
    }
    // Assess
    expect(error).toBeInstanceOf(CallbackDeliveryError);
    const lastSent = world.clock.now().getTime() - Date.parse('2026-11-24T10:00:11.000Z');
    expect(lastSent).toBeGreaterThan(DELIVERY_WINDOW_MS - 10 * 60 * 60 * 1000);
    expect(lastSent).toBeLessThanOrEqual(DELIVERY_WINDOW_MS);
    expect(attempts).toBeGreaterThanOrEqual(8);
    expect(world.sender.sentTo()).toHaveLength(attempts + 1);
  });

  it('sends a copy of the event to no endpoint that already has it, and logs the event only once', async () => {
    // Prepare
    const world = callbackWorld([aWebhookEndpoint({ id: 'whe_a' }), aWebhookEndpoint({ id: 'whe_b' })]);
    await world.log.markDelivered(TENANT_ID, settledEvent.metadata.id, 'whe_a', '2026-11-24T10:00:05.000Z');
    // Act: nothing is read before scheduling, so each copy schedules a first attempt per endpoint
    expect(await fanOutEvent(settledEvent, world.deps)).toBe(2);
    expect(await fanOutEvent(settledEvent, world.deps)).toBe(2);
    const outcomes = await world.drain();
    // Assess: the claim turns every attempt but one away
    expect(world.log.events).toHaveLength(1);
    expect(outcomes.sort()).toEqual(['already_delivered', 'already_delivered', 'already_delivered', 'delivered']);
    expect(world.sender.sentTo()).toEqual(['whe_b']);
  });

  // Regression: in a healthy run some callbacks came twice with one webhook-id, 0–30 ms apart. The same event was
  // published twice (an outbox flushed by two readers), each copy scheduled a first attempt, and both were sent.
  it('sends an event published twice once per endpoint, even with both attempts handled at once', async () => {
    // Prepare
    const world = callbackWorld([aWebhookEndpoint({ id: 'whe_a' }), aWebhookEndpoint({ id: 'whe_b' })]);
    await Promise.all([fanOutEvent(settledEvent, world.deps), fanOutEvent(settledEvent, world.deps)]);
    // Act
    const outcomes = await world.drainConcurrently();
    // Assess: the copies wait for the sender's lease, then find the event delivered
    expect(world.sender.sentTo().sort()).toEqual(['whe_a', 'whe_b']);
    expect(outcomes.sort()).toEqual(['delivered', 'delivered', 'waiting', 'waiting']);
    world.clock.set(world.queue.scheduled[0]?.notBefore ?? '');
    expect(await world.drain()).toEqual(['already_delivered', 'already_delivered']);
    expect(world.sender.sentTo()).toHaveLength(2);
  });

  it('sends once when the queue redelivers a message still being handled (visibility timeout shorter than the send)', async () => {
    // Prepare: the endpoint answers only after the copy arrives
    const world = callbackWorld([aWebhookEndpoint({ id: 'whe_slow' })]);
    await fanOutEvent(settledEvent, world.deps);
    const [attempt] = world.queue.scheduled.splice(0);
    if (attempt === undefined) throw new Error('nothing scheduled');
    let copy: Promise<string> | undefined;
    world.sender.beforeAnswer = () => {
      copy = attemptDelivery(attempt, world.deps);
    };
    // Act
    const first = await attemptDelivery(attempt, world.deps);
    // Assess
    expect([first, await copy]).toEqual(['delivered', 'waiting']);
    expect(world.sender.sentTo()).toEqual(['whe_slow']);
  });

  it('leaves the retry the only attempt when the event is published again while it waits', async () => {
    // Prepare
    const world = callbackWorld([aWebhookEndpoint({ id: 'whe_500' })]);
    world.sender.answer('whe_500', { kind: 'response', status: 500 });
    await fanOutEvent(settledEvent, world.deps);
    expect(await world.drain()).toEqual(['retry_scheduled']);
    // Act: the event published again schedules a first attempt, which the claim refuses
    expect(await fanOutEvent(settledEvent, world.deps)).toBe(1);
    const [copy] = world.queue.scheduled.splice(-1);
    if (copy === undefined) throw new Error('nothing scheduled');
    const copyOutcome = await attemptDelivery(copy, world.deps);
    // Assess
    expect(copyOutcome).toBe('duplicate');
    expect(world.queue.scheduled.map((scheduled) => scheduled.attempt)).toEqual([2]);
    expect(world.sender.sentTo()).toEqual(['whe_500']);
  });

  it('turns away a copy of the event published after its delivery was given up, without another dead letter', async () => {
    // Prepare: attempt 3 gave the delivery up
    const world = callbackWorld([aWebhookEndpoint({ id: 'whe_down' })]);
    await world.log.append(settledEvent);
    const ref = { tenantId: TENANT_ID, eventId: settledEvent.metadata.id, endpointId: 'whe_down' };
    await world.log.claimAttempt(ref, 3, '2026-11-24T10:00:11.000Z', '2026-11-24T09:59:41.000Z');
    await world.log.finishAttempt(ref, 3, 'given_up');
    // Act
    await fanOutEvent(settledEvent, world.deps);
    const outcomes = await world.drain();
    // Assess
    expect(outcomes).toEqual(['duplicate']);
    expect(world.sender.sent).toEqual([]);
  });

  it('carries the logged event in the first attempt, so the deliverer sends it without reading the log', async () => {
    // Prepare
    const world = callbackWorld([aWebhookEndpoint({ id: 'whe_a' })]);
    const reads = vi.spyOn(world.log, 'get');
    // Act
    await fanOutEvent(settledEvent, world.deps);
    const [attempt] = world.queue.scheduled;
    const outcomes = await world.drain();
    // Assess
    expect(attempt?.event).toEqual(settledEvent);
    expect(outcomes).toEqual(['delivered']);
    expect(reads).not.toHaveBeenCalled();
    expect(JSON.parse(world.sender.sent[0]?.body ?? 'null')).toMatchObject({ id: settledEvent.metadata.id, data: settledEvent.data });
  });

  it('carries the event into the retry of a failed attempt that read it from the log', async () => {
    // Prepare: an attempt queued without its event (before attempts carried it)
    const world = callbackWorld([aWebhookEndpoint({ id: 'whe_500' })]);
    world.sender.answer('whe_500', { kind: 'response', status: 500 });
    await world.log.append(settledEvent);
    const attempt: DeliveryAttempt = { tenantId: TENANT_ID, eventId: settledEvent.metadata.id, endpointId: 'whe_500', attempt: 1, firstAttemptAt: '2026-11-24T10:00:11.000Z', notBefore: '2026-11-24T10:00:11.000Z' };
    // Act
    expect(await attemptDelivery(attempt, world.deps)).toBe('retry_scheduled');
    // Assess
    expect(world.queue.scheduled).toEqual([expect.objectContaining({ attempt: 2, event: settledEvent })]);
  });

  it('sends what the log holds when a copy of the event with other data is published: its attempt carries nothing', async () => {
    // Prepare: two writers published one fact (one id), each with its own view of the payment
    const world = callbackWorld([aWebhookEndpoint({ id: 'whe_a' })]);
    const otherView = { ...settledEvent, data: { id: 'pay_1', status: 'settled', amount: '125.00', note: 'second writer' } };
    await fanOutEvent(settledEvent, world.deps);
    await fanOutEvent(otherView, world.deps);
    expect(world.queue.scheduled.map((attempt) => attempt.event)).toEqual([settledEvent, undefined]);
    // Act: the copy's attempt is handled first
    world.queue.scheduled.reverse();
    const outcomes = await world.drain();
    // Assess
    expect(outcomes).toEqual(['delivered', 'already_delivered']);
    expect(JSON.parse(world.sender.sent[0]?.body ?? 'null').data).toEqual(settledEvent.data);
  });

  it('reads the log rather than trust an event carried for another event id', async () => {
    const world = callbackWorld([aWebhookEndpoint({ id: 'whe_a' })]);
    await world.log.append(settledEvent);
    const stranger = domainEvent('payment.failed', TENANT_ID, '2026-11-24T10:00:10.000Z', { id: 'pay_2' }, ['pay_2']);
    const attempt: DeliveryAttempt = { tenantId: TENANT_ID, eventId: settledEvent.metadata.id, endpointId: 'whe_a', attempt: 1, firstAttemptAt: '2026-11-24T10:00:11.000Z', notBefore: '2026-11-24T10:00:11.000Z', event: stranger };
    expect(await attemptDelivery(attempt, world.deps)).toBe('delivered');
    expect(JSON.parse(world.sender.sent[0]?.body ?? 'null').id).toBe(settledEvent.metadata.id);
  });

  it('lets a copy take over an attempt whose sender died, once its lease is over', async () => {
    // Prepare: attempt 1 was claimed and its sender died before any answer was recorded
    const world = callbackWorld([aWebhookEndpoint({ id: 'whe_a' })]);
    await world.log.append(settledEvent);
    const attempt: DeliveryAttempt = { tenantId: TENANT_ID, eventId: settledEvent.metadata.id, endpointId: 'whe_a', attempt: 1, firstAttemptAt: '2026-11-24T10:00:11.000Z', notBefore: '2026-11-24T10:00:11.000Z' };
    expect(await world.log.claimAttempt(attempt, 1, '2026-11-24T10:00:11.000Z', '2026-11-24T09:59:41.000Z')).toEqual({ kind: 'claimed' });
    // Act
    const withinLease = await attemptDelivery(attempt, world.deps);
    world.clock.set(new Date(Date.parse('2026-11-24T10:00:11.000Z') + ATTEMPT_LEASE_MS + 1).toISOString());
    const afterLease = await attemptDelivery(attempt, world.deps);
    // Assess
    expect([withinLease, afterLease]).toEqual(['waiting', 'delivered']);
    expect(world.sender.sentTo()).toEqual(['whe_a']);
  });

  it('drops a copy of an attempt that finished without delivering: its retry is the only one', async () => {
    const world = callbackWorld([aWebhookEndpoint({ id: 'whe_500' })]);
    world.sender.answer('whe_500', { kind: 'response', status: 500 });
    await fanOutEvent(settledEvent, world.deps);
    const [attempt] = [...world.queue.scheduled];
    if (attempt === undefined) throw new Error('nothing scheduled');
    expect(await world.drain()).toEqual(['retry_scheduled']);
    expect(await attemptDelivery(attempt, world.deps)).toBe('duplicate');
    expect(world.sender.sentTo()).toEqual(['whe_500']);
  });

  it('disables an endpoint that answers 410 Gone and schedules nothing more', async () => {
    const world = callbackWorld([aWebhookEndpoint({ id: 'whe_gone' })]);
    world.sender.answer('whe_gone', { kind: 'response', status: 410 });
    await fanOutEvent(settledEvent, world.deps);
    expect(await world.drain()).toEqual(['disabled']);
    expect((await world.endpoints.get(TENANT_ID, 'whe_gone'))?.status).toBe('disabled');
    expect(world.queue.scheduled).toEqual([]);
  });

  it('drops an attempt for an endpoint deleted meanwhile', async () => {
    const world = callbackWorld([aWebhookEndpoint({ id: 'whe_a' })]);
    await fanOutEvent(settledEvent, world.deps);
    await world.endpoints.delete(TENANT_ID, 'whe_a');
    expect(await world.drain()).toEqual(['dropped']);
    expect(world.sender.sent).toEqual([]);
  });

  it('logs the event even when no endpoint subscribes', async () => {
    const world = callbackWorld([]);
    expect(await fanOutEvent(settledEvent, world.deps)).toBe(0);
    expect(world.log.events).toEqual([settledEvent]);
  });
});

describe('retryDelaySeconds', () => {
  it('backs off from seconds to hours, with ±20 % jitter', () => {
    expect([1, 2, 3, 4, 5, 6, 7].map((attempt) => retryDelaySeconds(attempt, () => 0.5))).toEqual([5, 300, 1800, 7200, 18000, 36000, 36000]);
    expect(retryDelaySeconds(2, () => 0)).toBe(240);
    expect(retryDelaySeconds(2, () => 0.999999)).toBe(360);
  });
});
