import { describe, expect, it } from 'vitest';
import { CallbackDeliveryError, deliverEvent } from '../../../../shared/domain/callbacks/deliver-event';
import type { WebhookEndpoint } from '../../../../shared/domain/callbacks/webhook-endpoint';
import { domainEvent } from '../../../../shared/domain/events/domain-event';
import {
  aWebhookEndpoint,
  InMemoryEventLog,
  InMemoryWebhookEndpointRepository,
  OTHER_TENANT_ID,
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
  return { log, endpoints: repository, sender, deps: { log, endpoints: repository, sender, clock } };
};

/** The error `promise` rejects with (failing the test if it resolves). */
const rejectionOf = async (promise: Promise<unknown>): Promise<unknown> => {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected a rejection');
};

describe('deliverEvent', () => {
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
    const result = await deliverEvent(settledEvent, world.deps);
    // Assess
    expect(result).toEqual({ delivered: 2, skipped: 0 });
    expect(world.sender.sentTo().sort()).toEqual(['whe_all', 'whe_settled']);
    expect(world.log.events).toEqual([settledEvent]);
    expect(await world.log.wasDelivered(TENANT_ID, settledEvent.metadata.id, 'whe_all')).toBe(true);
    expect(await world.log.wasDelivered(TENANT_ID, settledEvent.metadata.id, 'whe_settled')).toBe(true);
  });

  it('sends { id, type, createdAt, data } with the event id as the webhook id', async () => {
    // Prepare
    const world = callbackWorld([aWebhookEndpoint()]);
    // Act
    await deliverEvent(settledEvent, world.deps);
    // Assess
    const [sent] = world.sender.sent;
    expect(sent?.eventId).toBe(settledEvent.metadata.id);
    expect(JSON.parse(sent?.body ?? 'null')).toEqual({
      id: settledEvent.metadata.id,
      type: 'payment.settled',
      createdAt: '2026-11-24T10:00:10.000Z',
      data: { id: 'pay_1', status: 'settled', amount: '125.00' },
    });
  });

  it('throws after delivering to the others when an endpoint answers 500 or times out', async () => {
    // Prepare
    const world = callbackWorld([aWebhookEndpoint({ id: 'whe_ok' }), aWebhookEndpoint({ id: 'whe_500' }), aWebhookEndpoint({ id: 'whe_slow' })]);
    world.sender.answer('whe_500', { kind: 'response', status: 500 }).answer('whe_slow', { kind: 'timeout' });
    // Act
    const error = await rejectionOf(deliverEvent(settledEvent, world.deps));
    // Assess
    expect(error).toBeInstanceOf(CallbackDeliveryError);
    expect(error instanceof CallbackDeliveryError ? [...error.failures].sort((a, b) => a.endpointId.localeCompare(b.endpointId)) : []).toEqual([
      { endpointId: 'whe_500', result: 'HTTP 500' },
      { endpointId: 'whe_slow', result: 'timeout' },
    ]);
    expect(world.sender.sentTo().sort()).toEqual(['whe_500', 'whe_ok', 'whe_slow']);
    expect(await world.log.wasDelivered(TENANT_ID, settledEvent.metadata.id, 'whe_ok')).toBe(true);
    expect(await world.log.wasDelivered(TENANT_ID, settledEvent.metadata.id, 'whe_500')).toBe(false);
  });

  it('on a retry, skips the endpoints that already have the event and logs it only once', async () => {
    // Prepare
    const world = callbackWorld([aWebhookEndpoint({ id: 'whe_ok' }), aWebhookEndpoint({ id: 'whe_flaky' })]);
    world.sender.answer('whe_flaky', { kind: 'response', status: 503 });
    await expect(deliverEvent(settledEvent, world.deps)).rejects.toBeInstanceOf(CallbackDeliveryError);
    // Act
    const retried = await deliverEvent(settledEvent, world.deps);
    // Assess
    expect(retried).toEqual({ delivered: 1, skipped: 1 });
    expect(world.sender.sentTo()).toEqual(expect.arrayContaining(['whe_ok', 'whe_flaky']));
    expect(world.sender.sentTo().filter((id) => id === 'whe_ok')).toHaveLength(1);
    expect(world.sender.sentTo().filter((id) => id === 'whe_flaky')).toHaveLength(2);
    expect(world.log.events).toHaveLength(1);
  });

  it('disables an endpoint that answers 410 Gone, without failing the delivery', async () => {
    // Prepare
    const world = callbackWorld([aWebhookEndpoint({ id: 'whe_gone' })]);
    world.sender.answer('whe_gone', { kind: 'response', status: 410 });
    // Act
    const result = await deliverEvent(settledEvent, world.deps);
    // Assess
    expect(result).toEqual({ delivered: 0, skipped: 0 });
    expect(await world.endpoints.get(TENANT_ID, 'whe_gone')).toMatchObject({ status: 'disabled', disabledReason: 'The endpoint answered 410 Gone.' });
    expect(await world.log.wasDelivered(TENANT_ID, settledEvent.metadata.id, 'whe_gone')).toBe(false);
    // Act: the next event does not go there any more
    await deliverEvent(domainEvent('payment.failed', TENANT_ID, '2026-11-24T10:01:00.000Z', { id: 'pay_2' }, ['pay_2', 'failed']), world.deps);
    // Assess
    expect(world.sender.sent).toHaveLength(1);
  });

  it.each([
    [{ kind: 'response', status: 301 } as const, 'HTTP 301'],
    [{ kind: 'response', status: 404 } as const, 'HTTP 404'],
    [{ kind: 'refused', reason: 'private address' } as const, 'refused'],
  ])('counts %o as not delivered, to be retried', async (answer, result) => {
    // Prepare
    const world = callbackWorld([aWebhookEndpoint({ id: 'whe_1' })]);
    world.sender.answer('whe_1', answer);
    // Act
    const error = await rejectionOf(deliverEvent(settledEvent, world.deps));
    // Assess
    expect(error).toBeInstanceOf(CallbackDeliveryError);
    expect(error).toMatchObject({ failures: [{ endpointId: 'whe_1', result }] });
  });

  it('logs the event even when no endpoint subscribes', async () => {
    // Prepare
    const world = callbackWorld([]);
    // Act
    const result = await deliverEvent(settledEvent, world.deps);
    // Assess
    expect(result).toEqual({ delivered: 0, skipped: 0 });
    expect(world.log.events).toEqual([settledEvent]);
  });
});
