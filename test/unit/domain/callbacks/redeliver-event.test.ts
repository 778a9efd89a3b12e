import { describe, expect, it } from 'vitest';
import { attemptDelivery, fanOutEvent } from '../../../../shared/domain/callbacks/deliver-event';
import type { DeliveryAttempt, DeliveryQueue } from '../../../../shared/domain/callbacks/delivery-attempt';
import { redeliverEvent } from '../../../../shared/domain/callbacks/redeliver-event';
import type { WebhookEndpoint } from '../../../../shared/domain/callbacks/webhook-endpoint';
import { ConflictError, NotFoundError, UnprocessableError } from '../../../../shared/domain/errors';
import { domainEvent } from '../../../../shared/domain/events/domain-event';
import { aWebhookEndpoint, InMemoryEventLog, InMemoryWebhookEndpointRepository, OTHER_TENANT_ID, ScriptedCallbackSender, TENANT_ID } from '../../../support/domain-fakes';
import { fixedClock, sequentialIds } from '../../../support/fakes';

const settledEvent = domainEvent('payment.settled', TENANT_ID, '2026-11-24T10:00:10.000Z', { id: 'pay_1', status: 'settled', amount: '125.00' }, ['pay_1', 'txn_1']);
const otherTenantsEvent = domainEvent('payment.settled', OTHER_TENANT_ID, '2026-11-24T10:00:10.000Z', { id: 'pay_2', status: 'settled', amount: '1.00' }, ['pay_2']);

class RecordingDeliveryQueue implements DeliveryQueue {
  readonly scheduled: DeliveryAttempt[] = [];
  async schedule(attempts: readonly DeliveryAttempt[]): Promise<void> {
    this.scheduled.push(...attempts);
  }
}

const world = async (endpoints: readonly WebhookEndpoint[]) => {
  const log = new InMemoryEventLog();
  await log.append(settledEvent);
  await log.append(otherTenantsEvent);
  const repository = new InMemoryWebhookEndpointRepository(endpoints);
  const sender = new ScriptedCallbackSender();
  const clock = fixedClock('2026-11-24T10:05:00.000Z');
  const queue = new RecordingDeliveryQueue();
  const ids = sequentialIds();
  const deliverDeps = { log, endpoints: repository, sender, clock, deliveries: queue, random: () => 0.5, retryScale: 1 };
  const redeliver = (endpointId: string, eventId: string, tenantId = TENANT_ID) =>
    redeliverEvent({ tenantId, endpointId, eventId }, { endpoints: repository, log, deliveries: queue, ids, clock });
  /** What the callback-deliverer does with each queued message, in order. */
  const drain = async () => {
    const outcomes: string[] = [];
    for (const attempt of queue.scheduled.splice(0)) outcomes.push(await attemptDelivery(attempt, deliverDeps));
    return outcomes;
  };
  return { log, sender, clock, queue, redeliver, drain, deliverDeps };
};

describe('redeliverEvent', () => {
  it('queues one attempt for that endpoint, carrying the event and its own redelivery id, and answers it queued', async () => {
    // Prepare
    const w = await world([aWebhookEndpoint({ id: 'whe_a' }), aWebhookEndpoint({ id: 'whe_b' })]);
    // Act
    const redelivery = await w.redeliver('whe_a', settledEvent.metadata.id);
    // Assess
    expect(redelivery).toEqual({ id: 'rdl_00000000000000000000000001', endpointId: 'whe_a', eventId: settledEvent.metadata.id, status: 'queued', createdAt: '2026-11-24T10:05:00.000Z' });
    expect(w.queue.scheduled).toEqual([
      {
        tenantId: TENANT_ID,
        eventId: settledEvent.metadata.id,
        endpointId: 'whe_a',
        attempt: 1,
        firstAttemptAt: '2026-11-24T10:05:00.000Z',
        notBefore: '2026-11-24T10:05:00.000Z',
        event: settledEvent,
        redeliveryId: 'rdl_00000000000000000000000001',
      },
    ]);
  });

  it('sends an event already delivered again, to that endpoint only, with the same body, and leaves the first delivery as it was', async () => {
    // Prepare: the event was delivered to both endpoints
    const w = await world([aWebhookEndpoint({ id: 'whe_a' }), aWebhookEndpoint({ id: 'whe_b' })]);
    w.log.events.splice(0);
    await fanOutEvent(settledEvent, w.deliverDeps);
    expect(await w.drain()).toEqual(['delivered', 'delivered']);
    // Act
    await w.redeliver('whe_a', settledEvent.metadata.id);
    const outcomes = await w.drain();
    // Assess
    expect(outcomes).toEqual(['delivered']);
    expect(w.sender.sent.map((sent) => [sent.endpointId, sent.eventId])).toEqual([
      ['whe_a', settledEvent.metadata.id],
      ['whe_b', settledEvent.metadata.id],
      ['whe_a', settledEvent.metadata.id],
    ]);
    expect(w.sender.sent[2]?.body).toBe(w.sender.sent[0]?.body);
    // A late copy of the first delivery still finds it delivered: the redelivery did not reopen it.
    await fanOutEvent(settledEvent, w.deliverDeps);
    expect(await w.drain()).toEqual(['already_delivered', 'already_delivered']);
  });

  it('sends each accepted redelivery once, even when its message is handled twice', async () => {
    // Prepare
    const w = await world([aWebhookEndpoint({ id: 'whe_a' })]);
    await w.redeliver('whe_a', settledEvent.metadata.id);
    await w.redeliver('whe_a', settledEvent.metadata.id);
    const [first] = w.queue.scheduled;
    if (first === undefined) throw new Error('nothing queued');
    w.queue.scheduled.push(first); // SQS delivers a message at least once
    // Act
    const outcomes = await w.drain();
    // Assess: two redeliveries, two sends; the copy of the first is turned away
    expect(outcomes).toEqual(['delivered', 'delivered', 'already_delivered']);
    expect(w.sender.sentTo()).toEqual(['whe_a', 'whe_a']);
  });

  it('retries a refused redelivery with backoff under the same redelivery id until the endpoint accepts it', async () => {
    // Prepare
    const w = await world([aWebhookEndpoint({ id: 'whe_a' })]);
    w.sender.answer('whe_a', { kind: 'response', status: 503 });
    const redelivery = await w.redeliver('whe_a', settledEvent.metadata.id);
    // Act
    expect(await w.drain()).toEqual(['retry_scheduled']);
    const [retry] = w.queue.scheduled;
    w.clock.set(retry?.notBefore ?? 'never');
    const outcomes = await w.drain();
    // Assess
    expect(retry).toMatchObject({ attempt: 2, redeliveryId: redelivery.id, endpointId: 'whe_a' });
    expect(Date.parse(retry?.notBefore ?? '')).toBeGreaterThan(Date.parse('2026-11-24T10:05:00.000Z'));
    expect(outcomes).toEqual(['delivered']);
    expect(w.sender.sentTo()).toEqual(['whe_a', 'whe_a']);
  });

  it('answers webhook_endpoint_not_found for an unknown endpoint and for another tenant’s, queueing nothing', async () => {
    // Prepare
    const w = await world([aWebhookEndpoint({ id: 'whe_theirs', tenantId: OTHER_TENANT_ID })]);
    // Act
    const unknown = await w.redeliver('whe_missing', settledEvent.metadata.id).catch((error: unknown) => error);
    const theirs = await w.redeliver('whe_theirs', settledEvent.metadata.id).catch((error: unknown) => error);
    // Assess
    for (const error of [unknown, theirs]) {
      expect(error).toBeInstanceOf(NotFoundError);
      expect(error).toMatchObject({ code: 'webhook_endpoint_not_found' });
    }
    expect(w.queue.scheduled).toEqual([]);
  });

  it('answers event_not_found for an unknown event and for another tenant’s, queueing nothing', async () => {
    // Prepare
    const w = await world([aWebhookEndpoint({ id: 'whe_a' })]);
    // Act
    const unknown = await w.redeliver('whe_a', 'evt_missing').catch((error: unknown) => error);
    const theirs = await w.redeliver('whe_a', otherTenantsEvent.metadata.id).catch((error: unknown) => error);
    // Assess
    for (const error of [unknown, theirs]) {
      expect(error).toBeInstanceOf(NotFoundError);
      expect(error).toMatchObject({ code: 'event_not_found' });
    }
    expect(w.queue.scheduled).toEqual([]);
  });

  it('refuses an event type the endpoint does not receive (422) and a disabled endpoint (409)', async () => {
    // Prepare
    const w = await world([
      aWebhookEndpoint({ id: 'whe_failed_only', events: ['payment.failed'] }),
      aWebhookEndpoint({ id: 'whe_gone', status: 'disabled', disabledReason: 'The endpoint answered 410 Gone.' }),
    ]);
    // Act
    const unsubscribed = await w.redeliver('whe_failed_only', settledEvent.metadata.id).catch((error: unknown) => error);
    const disabled = await w.redeliver('whe_gone', settledEvent.metadata.id).catch((error: unknown) => error);
    // Assess
    expect(unsubscribed).toBeInstanceOf(UnprocessableError);
    expect(unsubscribed).toMatchObject({ code: 'event_not_subscribed' });
    expect(disabled).toBeInstanceOf(ConflictError);
    expect(disabled).toMatchObject({ code: 'webhook_endpoint_disabled' });
    expect(w.queue.scheduled).toEqual([]);
  });
});
