import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  idempotencyKey,
  ok,
  SettledApiError,
  SettledCallbackVerificationError,
  type SettledClient,
  type SettledEvent,
  verifySettledCallback,
} from '../../clients/typescript/src';
import { type RunningRuntime, startRuntime } from '../../infra/local/spawn-runtime';
import { startCallbackReceiver } from './callback-receiver';
import { eventually, settledClient } from './scenario';

/**
 * The typed client (clients/typescript, generated from docs/openapi.yaml) proven by its own use, over HTTP on the
 * local runtime and nothing else: the operator onboards a tenant, the tenant registers its endpoint, connects a
 * sandbox account and takes an inbound payment, the payer approves it on the sandbox bank, it settles, and the
 * tenant's endpoint receives `payment.settled`, verified with verifySettledCallback. Every answer is also checked
 * against the document (scenario.ts settledClient).
 */
describe('the typed client, end to end', () => {
  let runtime: RunningRuntime;
  let receiver: Awaited<ReturnType<typeof startCallbackReceiver>>;
  let tenant: SettledClient;
  let secret = '';
  let paymentId = '';
  let accountId = '';

  beforeAll(async () => {
    [runtime, receiver] = await Promise.all([startRuntime({ env: { SETTLED_SANDBOX_SETTLEMENT_DELAY_SECONDS: '1' } }), startCallbackReceiver()]);
    const operator = settledClient(runtime.url, runtime.adminToken);
    const created = await ok(operator.POST('/v1/admin/tenants', { body: { name: 'Typed Client Ltd' } }));
    tenant = settledClient(runtime.url, created.apiKey);
    const endpoint = await ok(tenant.POST('/v1/webhook-endpoints', { params: { header: idempotencyKey() }, body: { url: receiver.url, events: ['payment.settled'] } }));
    secret = endpoint.secret;
  }, 120_000);
  afterAll(async () => {
    await Promise.all([runtime?.stop(), receiver?.close()]);
  });

  it('takes a sandbox payment from creation to a verified payment.settled callback', async () => {
    // Prepare: a sandbox account
    const accountNumber = String(10_000_000 + Math.floor(Math.random() * 89_999_999));
    const account = await ok(
      tenant.POST('/v1/accounts', {
        params: { header: idempotencyKey() },
        body: { provider: 'sandbox', name: 'Typed Client Ltd', sortCode: '040004', accountNumber, currency: 'GBP', sandboxProfile: 'exact', openingBalance: '1000.00' },
      }),
    );
    // Act: an inbound payment (sent twice with one key: the same payment), approved by the payer on the sandbox bank
    const key = idempotencyKey();
    const request = { accountId: account.id, direction: 'inbound', amount: '125.00', currency: 'GBP' } as const;
    const payment = await ok(tenant.POST('/v1/payments', { params: { header: key }, body: request }));
    const replayed = await tenant.POST('/v1/payments', { params: { header: key }, body: request });
    paymentId = payment.id;
    accountId = account.id;
    const page = /^(?<base>.+)\/sandbox\/authorisations\/(?<bankPaymentId>[^/]+)$/.exec(String(payment.authorisationUrl))?.groups;
    if (page?.base === undefined || page.bankPaymentId === undefined) throw new Error(`Not a sandbox authorisation URL: ${String(payment.authorisationUrl)}`);
    const payer = settledClient(page.base);
    const decision = await ok(payer.POST('/sandbox/authorisations/{bankPaymentId}', { params: { path: { bankPaymentId: page.bankPaymentId } }, body: { outcome: 'approve' } }));
    const settled = await eventually(
      async () => {
        const current = await ok(tenant.GET('/v1/payments/{paymentId}', { params: { path: { paymentId: payment.id } } }));
        return current.status === 'settled' ? current : undefined;
      },
      30_000,
      'the payment to settle',
    );
    const callback = await eventually(async () => receiver.received.find((delivery) => delivery.json.type === 'payment.settled' && delivery.json.data.id === payment.id), 30_000, 'the payment.settled callback');
    const event: SettledEvent = verifySettledCallback(callback.body, callback.headers, secret);
    // Assess
    expect(payment.status).toBe('authorisation_required');
    expect(replayed.data?.id).toBe(payment.id);
    expect(replayed.response.headers.get('idempotent-replayed')).toBe('true');
    expect(decision).toEqual({ bankPaymentId: page.bankPaymentId, status: 'approved' });
    expect(settled).toMatchObject({ id: payment.id, status: 'settled', amount: '125.00', currency: 'GBP' });
    expect(event.type).toBe('payment.settled');
    expect(event.id).toBe(callback.headers['webhook-id']);
    if (event.type !== 'payment.settled') throw new Error(`Unexpected ${event.type}`);
    expect(event.data).toMatchObject({ id: payment.id, status: 'settled', amount: '125.00' });
    const logged = await ok(tenant.GET('/v1/events', { params: { query: { type: 'payment.settled' } } }));
    expect(logged.data.map((entry) => entry.id)).toContain(event.id);
  }, 60_000);

  it('refuses the same callback with a tampered body, or under another secret', async () => {
    // Prepare
    const callback = await eventually(async () => receiver.received.find((delivery) => delivery.json.type === 'payment.settled' && delivery.json.data.id === paymentId), 30_000, 'the payment.settled callback');
    const tampered = callback.body.replace('"125.00"', '"925.00"');
    // Act
    const verifyTampered = () => verifySettledCallback(tampered, callback.headers, secret);
    const verifyOtherSecret = () => verifySettledCallback(callback.body, callback.headers, `whsec_${Buffer.from('not the endpoint secret!').toString('base64')}`);
    // Assess
    expect(tampered).not.toBe(callback.body);
    expect(verifyTampered).toThrow(SettledCallbackVerificationError);
    expect(verifyOtherSecret).toThrow(SettledCallbackVerificationError);
    expect(verifySettledCallback(callback.body, callback.headers, secret).id).toBe(callback.headers['webhook-id']);
  });

  it('throws refusals as SettledApiError in the contract error shape', async () => {
    // Act
    const missing = await ok(tenant.GET('/v1/payments/{paymentId}', { params: { path: { paymentId: 'pay_01JD0000000000000000000000' } } })).catch((error: unknown) => error);
    const invalid = await ok(
      tenant.POST('/v1/payments', { params: { header: idempotencyKey() }, body: { accountId, direction: 'inbound', amount: 'twelve pounds', currency: 'GBP' } }),
    ).catch((error: unknown) => error);
    // Assess
    expect(missing).toBeInstanceOf(SettledApiError);
    expect(missing).toMatchObject({ status: 404, code: 'not_found' });
    expect(invalid).toBeInstanceOf(SettledApiError);
    expect(invalid).toMatchObject({ status: 400, code: 'validation_failed' });
    expect(invalid instanceof SettledApiError ? invalid.details.map((detail) => detail.path) : []).toContain('amount');
    expect(invalid instanceof SettledApiError ? invalid.requestId : undefined).toMatch(/.+/);
  });
});
