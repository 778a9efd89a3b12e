import { decodeJwt } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningRuntime, startRuntime, tempDataDir } from '../../infra/local/spawn-runtime';
import { startCallbackReceiver } from './callback-receiver';
import { eventually, idle, mockBanks, onboardTenant, paymentWithStatus, positionOf, type Tenant, validatedFetch } from './scenario';

/**
 * Variable recurring payments on an Open Banking account, over HTTP on the local runtime: the mandate is a
 * domestic-vrp-consent at the v4.0 mock bank (its ControlParameters the limits), authorised once on the bank's page,
 * completed by Settled's consent callback; each payment is the exact-limit write, then a funds confirmation and a
 * domestic VRP with the payer's token; the bank's booked credit settles it through the normal loop. The bank
 * validates every request against the official VRP spec and records any breach.
 */
describe('mandates (VRP) on Open Banking accounts', () => {
  let runtime: RunningRuntime;
  let receiver: Awaited<ReturnType<typeof startCallbackReceiver>>;
  let tenant: Tenant;
  let banks: Awaited<ReturnType<typeof mockBanks>>;

  beforeAll(async () => {
    [runtime, receiver] = await Promise.all([
      startRuntime({ dataDir: tempDataDir(), env: { SETTLED_MOCK_BANK_BOOKING_DELAY_MS: '300', SETTLED_BANK_SYNC_INTERVAL_SECONDS: '0', SETTLED_CALLBACK_RETRY_SCALE: '0.2' } }),
      startCallbackReceiver(),
    ]);
    tenant = await onboardTenant(runtime);
    expect((await tenant.post('/v1/webhook-endpoints', { url: receiver.url })).status).toBe(201);
    banks = await mockBanks(runtime);
  }, 120_000);

  afterAll(async () => {
    await runtime?.stop();
    await receiver?.close();
  });

  /** Follows the bank's redirect to Settled's callback as a browser would. */
  const returnToSettled = (location: string) => validatedFetch(location, { redirect: 'manual', headers: { accept: 'text/html' } });

  /** A tenant account at `aspspId`, connected through the AIS consent flow; its id and opening balance (minor units). */
  const connectedAccount = async (aspspId: string) => {
    const created = await tenant.post('/v1/accounts', { provider: 'obie', aspspId, name: 'Acme Ltd', currency: 'GBP' });
    expect(created.status).toBe(201);
    const landed = await returnToSettled(await banks.decide(String(created.body.consent.authorisationUrl)));
    expect(landed.status).toBe(200);
    const account = await tenant.get(`/v1/accounts/${String(created.body.id)}`);
    expect(account.body).toMatchObject({ status: 'active' });
    return { id: String(created.body.id), opening: Math.round(Number(account.body.openingBalance) * 100) };
  };

  /** The consent id the authorisation URL's signed request object asks the bank to authorise. */
  const consentIdOf = (authorisationUrl: string): string => {
    const request = new URL(authorisationUrl).searchParams.get('request') ?? '';
    const claims = decodeJwt(request).claims as { id_token: { openbanking_intent_id: { value: string } } };
    return claims.id_token.openbanking_intent_id.value;
  };

  it('authorises a mandate at the v4.0 bank, pulls a payment that settles, refuses one over the limit without asking the bank, and revokes the consent there', async () => {
    // Prepare
    const account = await connectedAccount('mock-south');
    const created = await tenant.post('/v1/mandates', {
      accountId: account.id,
      type: 'sweeping',
      currency: 'GBP',
      reference: 'SWEEP OB',
      limits: { maxPerPayment: '50.00', periods: [{ period: 'month', maxAmount: '60.00', alignment: 'calendar' }] },
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ status: 'authorisation_required' });
    const mandateId = String(created.body.id);
    const authorisationUrl = String(created.body.authorisationUrl);
    expect(authorisationUrl.startsWith(banks.bank('mock-south').authorizationEndpoint)).toBe(true);
    const consentId = consentIdOf(authorisationUrl);
    expect(await banks.control('mock-south', `/consents/${consentId}`)).toMatchObject({ kind: 'domestic-vrp' });
    const early = await tenant.post(`/v1/mandates/${mandateId}/payments`, { amount: '1.00' });
    expect(early.status).toBe(409);

    // Act: the payer approves at their bank and comes back to Settled
    const page = await banks.bankFetch(authorisationUrl);
    expect(page.status).toBe(200);
    const back = await banks.decide(authorisationUrl);
    const landed = await returnToSettled(back);

    // Assess
    expect(landed.status).toBe(200);
    expect(await landed.text()).toContain('Payments authorised');
    const active = await tenant.get(`/v1/mandates/${mandateId}`);
    expect(active.body).toMatchObject({ status: 'active', activatedAt: expect.any(String) });
    await eventually(async () => receiver.received.find((callback) => callback.json.type === 'mandate.activated' && callback.json.data.id === mandateId), 20_000, 'mandate.activated callback');
    const replayed = await validatedFetch(back, { redirect: 'manual' });
    expect(replayed.status).toBe(400);

    // Act: one payment within the limits, one over the month's
    const first = await tenant.post(`/v1/mandates/${mandateId}/payments`, { amount: '40.00', invoiceId: 'INV-VRP-1' });
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({ mandateId, direction: 'inbound', status: 'authorised', amount: '40.00' });
    const paymentId = String(first.body.id);
    const over = await tenant.post(`/v1/mandates/${mandateId}/payments`, { amount: '30.00', invoiceId: 'INV-VRP-2' });

    // Assess
    expect(over.status).toBe(422);
    expect(over.body.error.code).toBe('mandate_limit_exceeded');
    expect(over.body.error.details).toEqual([{ path: 'limits.periods[0]', message: expect.stringContaining('remaining 20.00') }]);
    const settled = await paymentWithStatus(tenant, paymentId, 'settled');
    expect(settled.settlement).toMatchObject({ amountSettled: '40.00', overpaidBy: '0.00', matchedBy: 'reference' });
    await eventually(async () => receiver.received.find((callback) => callback.json.type === 'payment.settled' && callback.json.data.id === paymentId), 20_000, 'payment.settled callback');
    await idle(runtime);
    expect(await positionOf(tenant, account.id)).toMatchObject({ settledBalance: ((account.opening + 4_000) / 100).toFixed(2), pendingInbound: '0.00' });
    expect((await tenant.get('/v1/payments?invoiceId=INV-VRP-2')).body.data).toEqual([]);
    // At the bank: the payer's account was debited once, 40.00, and nothing of the refused payment.
    const atBank = (await banks.control('mock-south', '/accounts')).accounts as { accountId: string; transactions: { creditDebit: string; amount: string }[] }[];
    const payerDebits = atBank.flatMap((entry) => entry.transactions).filter((transaction) => transaction.creditDebit === 'Debit');
    expect(payerDebits.map((transaction) => transaction.amount)).toEqual(['40.00']);

    expect(await banks.control('mock-south', `/consents/${consentId}`)).toMatchObject({ status: 'AUTH' });

    // Act: revoke
    const revoked = await tenant.post(`/v1/mandates/${mandateId}/revoke`, {});

    // Assess: revoked here, and the consent deleted at the bank
    expect(revoked.status).toBe(200);
    expect(revoked.body).toMatchObject({ status: 'revoked' });
    await eventually(async () => ((await banks.control('mock-south', `/consents/${consentId}`)).status === 'RJCT' ? true : undefined), 10_000, 'the consent revoked at the bank');
    expect(await banks.violations()).toEqual([]);
  });

  it('answers 400 for a mandate on an account at the v3.1.11 bank: VRP needs v4.0 here', async () => {
    const account = await connectedAccount('mock-north');
    const refused = await tenant.post('/v1/mandates', {
      accountId: account.id,
      type: 'commercial',
      currency: 'GBP',
      limits: { maxPerPayment: '10.00', periods: [] },
    });
    expect(refused.status).toBe(400);
    expect(refused.body.error.message).toContain('v4.0');
    expect((await tenant.get('/v1/mandates')).body.data.map((mandate: { accountId: string }) => mandate.accountId)).not.toContain(account.id);
    expect(await banks.violations()).toEqual([]);
  });
});
