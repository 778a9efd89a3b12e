import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCallbackReceiver } from './callback-receiver';
import { type RunningRuntime, startRuntime } from '../../infra/local/spawn-runtime';
import { connectAccount, eventually, idle, onboardTenant, paymentWithStatus, type Tenant, validatedFetch } from './scenario';

/** POST /v1/webhook-endpoints/{endpointId}/redeliveries over HTTP: an event sent again, once per accepted request. */
describe('event redelivery', () => {
  let runtime: RunningRuntime;
  let receiver: Awaited<ReturnType<typeof startCallbackReceiver>>;
  let tenant: Tenant;
  let endpointId: string;
  let endpointSecret: string;
  let settledEventId: string;

  beforeAll(async () => {
    [runtime, receiver] = await Promise.all([startRuntime(), startCallbackReceiver()]);
    tenant = await onboardTenant(runtime);
    const endpoint = await tenant.post('/v1/webhook-endpoints', { url: receiver.url });
    expect(endpoint.status).toBe(201);
    endpointId = String(endpoint.body.id);
    endpointSecret = String(endpoint.body.secret);
    // A sandbox payment settles, and its payment.settled event reaches the endpoint once.
    const account = await connectAccount(tenant, 'exact');
    const created = await tenant.post('/v1/payments', { accountId: account.id, direction: 'inbound', amount: '7.00', currency: 'GBP' });
    expect(created.status).toBe(201);
    await validatedFetch(String(created.body.authorisationUrl), { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"outcome":"approve"}' });
    await paymentWithStatus(tenant, String(created.body.id), 'settled');
    const first = await eventually(
      async () => receiver.received.find((callback) => callback.json.type === 'payment.settled' && callback.json.data.id === created.body.id),
      20_000,
      'the payment.settled callback',
    );
    settledEventId = first.json.id;
    await idle(runtime);
  });

  afterAll(async () => {
    await runtime?.stop();
    await receiver?.close();
  });

  const copiesOf = (eventId: string) => receiver.received.filter((callback) => callback.json.id === eventId);

  it('sends the event again to the endpoint, same webhook-id and body, freshly signed; the same Idempotency-Key sends nothing more', async () => {
    // Prepare
    expect(copiesOf(settledEventId)).toHaveLength(1);
    // Act
    const accepted = await tenant.post(`/v1/webhook-endpoints/${endpointId}/redeliveries`, { eventId: settledEventId }, 'redeliver-settled-1');
    const again = await eventually(async () => copiesOf(settledEventId)[1], 20_000, 'the redelivered callback');
    // Assess
    expect(accepted.status).toBe(202);
    expect(accepted.body).toEqual({ id: expect.stringMatching(/^rdl_[0-9A-Z]{26}$/), endpointId, eventId: settledEventId, status: 'queued', createdAt: expect.any(String) });
    const [first] = copiesOf(settledEventId);
    expect(again.headers['webhook-id']).toBe(settledEventId);
    expect(again.headers['webhook-id']).toBe(first?.headers['webhook-id']);
    expect(again.json).toEqual(first?.json);
    expect(() => new Webhook(endpointSecret).verify(again.body, again.headers)).not.toThrow();

    // Act: the same request again (a client retry) answers the first 202 and queues nothing
    const replayed = await tenant.post(`/v1/webhook-endpoints/${endpointId}/redeliveries`, { eventId: settledEventId }, 'redeliver-settled-1');
    await idle(runtime);
    // Assess
    expect(replayed.status).toBe(202);
    expect(replayed.body).toEqual(accepted.body);
    expect(copiesOf(settledEventId)).toHaveLength(2);
  });

  it('sends each new redelivery request once more', async () => {
    // Prepare
    const before = copiesOf(settledEventId).length;
    // Act
    const [one, two] = await Promise.all([
      tenant.post(`/v1/webhook-endpoints/${endpointId}/redeliveries`, { eventId: settledEventId }),
      tenant.post(`/v1/webhook-endpoints/${endpointId}/redeliveries`, { eventId: settledEventId }),
    ]);
    await idle(runtime);
    // Assess
    expect([one?.status, two?.status]).toEqual([202, 202]);
    expect(one?.body.id).not.toBe(two?.body.id);
    expect(copiesOf(settledEventId)).toHaveLength(before + 2);
  });

  it('answers 404 for an unknown endpoint or event, 422 for an event type the endpoint does not receive, 400 for a bad body', async () => {
    // Prepare
    const failedOnly = await tenant.post('/v1/webhook-endpoints', { url: receiver.url, events: ['payment.failed'] });
    const before = receiver.received.length;
    // Act
    const noEndpoint = await tenant.post('/v1/webhook-endpoints/whe_00000000000000000000000000/redeliveries', { eventId: settledEventId });
    const noEvent = await tenant.post(`/v1/webhook-endpoints/${endpointId}/redeliveries`, { eventId: 'evt_00000000000000000000000000' });
    const unsubscribed = await tenant.post(`/v1/webhook-endpoints/${String(failedOnly.body.id)}/redeliveries`, { eventId: settledEventId });
    const badBody = await tenant.post(`/v1/webhook-endpoints/${endpointId}/redeliveries`, { eventId: 'pay_1', extra: true });
    await idle(runtime);
    // Assess
    expect(noEndpoint).toMatchObject({ status: 404, body: { error: { code: 'webhook_endpoint_not_found' } } });
    expect(noEvent).toMatchObject({ status: 404, body: { error: { code: 'event_not_found' } } });
    expect(unsubscribed).toMatchObject({ status: 422, body: { error: { code: 'event_not_subscribed' } } });
    expect(badBody).toMatchObject({ status: 400, body: { error: { code: 'validation_failed' } } });
    expect(receiver.received.length).toBe(before);
  });
});
