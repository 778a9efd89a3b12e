import * as v from 'valibot';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCallbackReceiver } from './callback-receiver';
import { type RunningRuntime, startRuntime } from '../../infra/local/spawn-runtime';
import { connectAccount, eventually, idle, onboardTenant, paymentWithStatus, type Tenant, validatedFetch } from './scenario';

const StatsSchema = v.object({ dynamodb: v.object({ byFunction: v.record(v.string(), v.number()) }) });

/**
 * Refunds and Confirmation of Payee over HTTP on the local runtime: an inbound payment settled on the sandbox bank,
 * two concurrent refunds that together pass what it settled (one 201, one 422), the winner settled by its booked
 * debit; outbound payments the sandbox bank's CoP rules stop, warn about, or let through.
 */
describe('refunds and Confirmation of Payee', () => {
  let runtime: RunningRuntime;
  let receiver: Awaited<ReturnType<typeof startCallbackReceiver>>;
  let tenant: Tenant;
  let account: Awaited<ReturnType<typeof connectAccount>>;

  beforeAll(async () => {
    // The periodic bank sync would add table requests in the middle of a count: off.
    [runtime, receiver] = await Promise.all([startRuntime({ env: { SETTLED_BANK_SYNC_INTERVAL_SECONDS: '0' } }), startCallbackReceiver()]);
    tenant = await onboardTenant(runtime);
    expect((await tenant.post('/v1/webhook-endpoints', { url: receiver.url })).status).toBe(201);
    account = await connectAccount(tenant, 'exact', '1000.00');
  });

  afterAll(async () => {
    await runtime?.stop();
    await receiver?.close();
  });

  const approve = async (authorisationUrl: unknown) => {
    const answer = await validatedFetch(String(authorisationUrl), { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"outcome":"approve"}' });
    expect(answer.status).toBe(200);
  };
  const callbackFor = (paymentId: string, type: string) =>
    eventually(async () => receiver.received.find((callback) => callback.json.type === type && callback.json.data.id === paymentId), 20_000, `${type} callback`);
  const putItems = async () => {
    const stats = v.parse(StatsSchema, await (await validatedFetch(`${runtime.url}/_local/stats`)).json());
    return stats.dynamodb.byFunction['payments-api.PutItem'] ?? 0;
  };
  const outbound = (name: string, accountNumber: string, extra: Record<string, unknown> = {}) =>
    tenant.post('/v1/payments', { accountId: account.id, direction: 'outbound', amount: '12.00', currency: 'GBP', counterparty: { name, sortCode: '200000', accountNumber }, ...extra });

  it('refunds a settled inbound payment once when two refunds at the same moment would pass what it settled, and the refund settles', async () => {
    // Prepare: an inbound payment the payer approves, settled by its booked credit (which names the payer's account)
    const created = await tenant.post('/v1/payments', { accountId: account.id, direction: 'inbound', amount: '100.00', currency: 'GBP' });
    expect(created.status).toBe(201);
    await approve(created.body.authorisationUrl);
    const original = await paymentWithStatus(tenant, String(created.body.id), 'settled');

    // Act: 60.00 and 70.00 at once
    const [first, second] = await Promise.all([
      tenant.post(`/v1/payments/${original.id}/refunds`, { amount: '60.00', reference: 'REFUND A' }),
      tenant.post(`/v1/payments/${original.id}/refunds`, { amount: '70.00', reference: 'REFUND B' }),
    ]);

    // Assess: exactly one 201 and one 422
    expect([first.status, second.status].sort()).toEqual([201, 422]);
    const won = first.status === 201 ? first : second;
    const lost = first.status === 201 ? second : first;
    const wonAmount = won === first ? '60.00' : '70.00';
    expect(lost.body.error).toMatchObject({ code: 'refund_exceeds_settled', details: [{ path: 'amount', message: `at most ${won === first ? '40.00' : '30.00'} can still be refunded` }] });
    expect(won.body).toMatchObject({
      direction: 'outbound',
      amount: wonAmount,
      refundOf: original.id,
      status: 'authorisation_required',
      counterparty: { sortCode: '040075', accountNumber: expect.stringMatching(/^\d{7}7$/), verification: { result: 'match' } },
    });
    // The refund goes through the sandbox bank like any outbound payment, and its booked debit settles it.
    await approve(won.body.authorisationUrl);
    const refund = await paymentWithStatus(tenant, String(won.body.id), 'settled');
    expect(refund.settlement).toMatchObject({ amountSettled: wonAmount });
    expect((await callbackFor(String(won.body.id), 'payment.settled')).json.data).toMatchObject({ id: won.body.id, refundOf: original.id });
    // What is left can still be refunded; past it, nothing more.
    const rest = await tenant.post(`/v1/payments/${original.id}/refunds`, {}, `rest-of-${String(original.id)}`);
    expect(rest).toMatchObject({ status: 201, body: { amount: won === first ? '40.00' : '30.00', refundOf: original.id } });
    expect((await tenant.post(`/v1/payments/${original.id}/refunds`, { amount: '0.01' })).body.error).toMatchObject({ code: 'refund_exceeds_settled' });
    expect((await tenant.get(`/v1/payments/${original.id}`)).body).toMatchObject({ status: 'settled', refunded: '100.00' });
    // A retry with the same Idempotency-Key answers the first response again (nothing is left to refund by now).
    expect(await tenant.post(`/v1/payments/${original.id}/refunds`, {}, `rest-of-${String(original.id)}`)).toMatchObject({ status: 201, body: rest.body });
  });

  it('refuses refunds of an outbound or unsettled payment (409) and of an unknown one (404)', async () => {
    const unsettled = await tenant.post('/v1/payments', { accountId: account.id, direction: 'inbound', amount: '5.00', currency: 'GBP' });
    expect((await tenant.post(`/v1/payments/${String(unsettled.body.id)}/refunds`, {})).body.error).toMatchObject({ code: 'payment_not_settled' });
    const paid = await outbound('J Smith', '55779911');
    const refused = await tenant.post(`/v1/payments/${String(paid.body.id)}/refunds`, {});
    expect(refused.status).toBe(409);
    expect(refused.body.error.code).toBe('payment_not_refundable');
    expect((await tenant.post('/v1/payments/pay_00000000000000000000000000/refunds', {})).status).toBe(404);
    // Another tenant's payment is unknown here.
    const other = await onboardTenant(runtime, 'Other Ltd');
    expect((await other.post(`/v1/payments/${String(unsettled.body.id)}/refunds`, {})).status).toBe(404);
  });

  it('stops an outbound payment whose payee name does not match: failed, payee_name_mismatch, never sent to the bank, payment.failed', async () => {
    // Prepare: what a payment that is sent costs payments-api in PutItem (the idempotency reservation and the sandbox bank's record)
    await idle(runtime);
    const beforeSent = await putItems();
    expect((await outbound('J Smith', '55779911')).status).toBe(201);
    const sentPuts = (await putItems()) - beforeSent;
    // Act
    const before = await putItems();
    const stopped = await outbound('Sam Smith', '12349999');
    // Assess
    expect(stopped.status).toBe(201);
    expect(stopped.body).toMatchObject({ status: 'failed', failureReason: 'payee_name_mismatch', authorisationUrl: null, counterparty: { name: 'Sam Smith', verification: { result: 'no_match' } } });
    // One PutItem fewer: the sandbox bank was never asked to record it.
    expect((await putItems()) - before).toBe(sentPuts - 1);
    expect((await callbackFor(String(stopped.body.id), 'payment.failed')).json.data).toMatchObject({ status: 'failed', failureReason: 'payee_name_mismatch' });
    expect((await tenant.get(`/v1/payments/${String(stopped.body.id)}`)).body).toMatchObject({ status: 'failed', authorisationUrl: null });
  });

  it('answers a close match with the suggested name, sends a mismatch the tenant accepts, and sends an unavailable answer', async () => {
    const close = await outbound('J Example', '12349999');
    expect(close.body).toMatchObject({ status: 'failed', failureReason: 'payee_name_mismatch', counterparty: { verification: { result: 'close_match', suggestedName: 'Jordan Example' } } });

    const accepted = await outbound('Sam Smith', '12349999', { confirmationOfPayee: 'proceed_on_mismatch' });
    expect(accepted.body).toMatchObject({ status: 'authorisation_required', failureReason: null, counterparty: { verification: { result: 'no_match' } } });
    await approve(accepted.body.authorisationUrl);
    await paymentWithStatus(tenant, String(accepted.body.id), 'settled');

    const unavailable = await outbound('Anyone At All', '12340000');
    expect(unavailable.body).toMatchObject({ status: 'authorisation_required', counterparty: { verification: { result: 'unavailable' } } });
    await approve(unavailable.body.authorisationUrl);
    await paymentWithStatus(tenant, String(unavailable.body.id), 'settled');

    const matched = await outbound('jordan example', '12349999');
    expect(matched.body).toMatchObject({ status: 'authorisation_required', counterparty: { verification: { result: 'match' } } });
    // A policy outside the contract is a 400.
    expect((await outbound('Sam Smith', '12349999', { confirmationOfPayee: 'maybe' })).status).toBe(400);
  });
});
