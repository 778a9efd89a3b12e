import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { exportJWK, generateKeyPair, importJWK, type JWK, SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningRuntime, startRuntime, tempDataDir } from '../../infra/local/spawn-runtime';
import { startCallbackReceiver } from './callback-receiver';
import { eventually, idle, mockBanks, onboardTenant, paymentWithStatus, positionOf, type Tenant, validatedFetch } from './scenario';

/**
 * Issue 9's acceptance, over HTTP on the local runtime with its two mock Open Banking banks: mock-south speaks v4.0
 * and pushes event notifications, mock-north speaks v3.1.11 and offers aggregated polling; both validate every
 * request Settled sends against the official OpenAPI files and record any breach. The scheduled sweep is off, so
 * whatever Settled fetches here it fetched because a bank said so (or a payment poll was due).
 */
describe('real banks through Open Banking UK', () => {
  let runtime: RunningRuntime;
  let receiver: Awaited<ReturnType<typeof startCallbackReceiver>>;
  let tenant: Tenant;
  let banks: Awaited<ReturnType<typeof mockBanks>>;
  let dataDir: string;
  let accountId = '';
  let consentId = '';
  let opening = 0;

  beforeAll(async () => {
    dataDir = tempDataDir();
    [runtime, receiver] = await Promise.all([
      startRuntime({ dataDir, env: { SETTLED_MOCK_BANK_BOOKING_DELAY_MS: '300', SETTLED_BANK_SYNC_INTERVAL_SECONDS: '0', SETTLED_CALLBACK_RETRY_SCALE: '0.2' } }),
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

  /** Follows the bank's redirect to Settled's callback as a browser would (one hop, so the 303 is seen). */
  const returnToSettled = (location: string) => validatedFetch(location, { redirect: 'manual', headers: { accept: 'text/html' } });

  const callbackFor = (paymentId: string, type: string) =>
    eventually(async () => receiver.received.find((callback) => callback.json.type === type && callback.json.data.id === paymentId), 20_000, `${type} callback`);

  it('lists the banks the deployment is configured for', async () => {
    const response = await tenant.get('/v1/aspsps');
    expect(response.status).toBe(200);
    expect(response.body.data).toEqual([
      expect.objectContaining({ id: 'mock-north', name: 'Mock North Bank', apiVersion: 'v3.1.11', aggregatedPolling: true }),
      expect.objectContaining({ id: 'mock-south', name: 'Mock South Bank', apiVersion: 'v4.0', aggregatedPolling: false }),
    ]);
  });

  it('connects an account at the v4.0 bank through the consent flow; a replayed state changes nothing', async () => {
    // Prepare
    const created = await tenant.post('/v1/accounts', { provider: 'obie', aspspId: 'mock-south', name: 'Acme Ltd', currency: 'GBP' });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ status: 'awaiting_authorisation', provider: 'obie', aspspId: 'mock-south', consent: { status: 'awaiting_authorisation' } });
    accountId = String(created.body.id);
    consentId = String(created.body.consent.id);
    const page = await banks.bankFetch(String(created.body.consent.authorisationUrl));
    expect(page.status).toBe(200);

    // Act
    const back = await banks.decide(String(created.body.consent.authorisationUrl));
    const landed = await returnToSettled(back);

    // Assess
    expect(landed.status).toBe(200);
    expect(await landed.text()).toContain('Account connected');
    const account = await tenant.get(`/v1/accounts/${accountId}`);
    expect(account.body).toMatchObject({ status: 'active', sortCode: expect.stringMatching(/^0402\d{2}$/), accountNumber: expect.stringMatching(/^\d{8}$/), consent: { status: 'authorised' } });
    opening = Math.round(Number(account.body.openingBalance) * 100);
    expect(opening).toBeGreaterThan(0);

    const replayed = await validatedFetch(back, { redirect: 'manual' });
    expect(replayed.status).toBe(400);
    expect(await replayed.json()).toMatchObject({ error: { code: 'invalid_state' } });
    expect((await tenant.get(`/v1/accounts/${accountId}`)).body).toEqual(account.body);
  });

  it('settles an inbound payment the payer authorised at the v3.1.11 bank, from the booked credit the v4.0 bank announced', async () => {
    // Prepare
    const redirectUrl = `${receiver.url}/thanks`;
    const created = await tenant.post('/v1/payments', { accountId, direction: 'inbound', amount: '125.00', currency: 'GBP', invoiceId: 'INV-OB-1', redirectUrl });
    expect(created.status).toBe(201);
    const paymentId = String(created.body.id);
    const choice = await validatedFetch(String(created.body.authorisationUrl));
    expect(choice.status).toBe(200);
    const html = await choice.text();
    expect(html).toContain('£125.00');
    expect(html).toContain('Mock North Bank');
    expect(html).toContain('Mock South Bank');

    // Act: the payer picks their bank, authorises there, and comes back
    const chosen = await validatedFetch(String(created.body.authorisationUrl), {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'aspspId=mock-north',
      redirect: 'manual',
    });
    expect(chosen.status).toBe(303);
    const bankPage = chosen.headers.get('location') ?? '';
    expect(bankPage.startsWith(banks.bank('mock-north').authorizationEndpoint)).toBe(true);
    const landed = await returnToSettled(await banks.decide(bankPage));

    // Assess
    expect(landed.status).toBe(303);
    expect(landed.headers.get('location')).toBe(`${redirectUrl}?paymentId=${paymentId}&status=authorised`);
    const settled = await paymentWithStatus(tenant, paymentId, 'settled');
    expect(settled.settlement).toMatchObject({ amountSettled: '125.00', overpaidBy: '0.00', matchedBy: 'reference' });
    await callbackFor(paymentId, 'payment.settled');
    await idle(runtime);
    expect(await positionOf(tenant, accountId)).toMatchObject({ settledBalance: ((opening + 12_500) / 100).toFixed(2), pendingInbound: '0.00' });
    const transactions = await tenant.get(`/v1/accounts/${accountId}/transactions`);
    expect(transactions.body.data).toEqual([
      expect.objectContaining({ status: 'booked', creditDebitIndicator: 'credit', amount: '125.00', reference: settled.reference, reconciliation: expect.objectContaining({ status: 'matched', paymentIds: [paymentId] }) }),
    ]);
  });

  it('settles an outbound payment from the tenant account the same way', async () => {
    // Prepare: the payee banks at mock-north
    const payee = await banks.control('mock-north', '/accounts', { name: 'Jordan Example', balance: '0.00' });
    const before = await positionOf(tenant, accountId);
    const created = await tenant.post('/v1/payments', {
      accountId,
      direction: 'outbound',
      amount: '40.00',
      currency: 'GBP',
      reference: 'SUPPLIER 77',
      counterparty: { name: 'Jordan Example', sortCode: payee.sortCode, accountNumber: payee.accountNumber },
    });
    expect(created.status).toBe(201);
    const paymentId = String(created.body.id);
    expect(String(created.body.authorisationUrl).startsWith(banks.bank('mock-south').authorizationEndpoint)).toBe(true);

    // Act: the tenant authorises at its own bank
    const landed = await returnToSettled(await banks.decide(String(created.body.authorisationUrl)));

    // Assess
    expect(landed.status).toBe(200);
    expect(await landed.text()).toContain('Payment authorised');
    await paymentWithStatus(tenant, paymentId, 'settled');
    await callbackFor(paymentId, 'payment.settled');
    await idle(runtime);
    expect(await positionOf(tenant, accountId)).toMatchObject({
      settledBalance: ((Math.round(Number(before?.settledBalance) * 100) - 4_000) / 100).toFixed(2),
      pendingOutbound: '0.00',
    });
    const credited = await banks.control('mock-north', `/accounts/${String(payee.accountId)}`);
    expect(credited.balance).toMatchObject({ booked: '40.00' });
  });

  /** An event notification signed as mock-south signs them (its key is in the runtime's data folder). */
  const southNotification = async (claims: { jti: string; rty: string; rid: string }, key?: JWK) => {
    const pki = JSON.parse(readFileSync(join(dataDir, 'mock-banks', 'pki.json'), 'utf8')) as { bankSigning: Record<string, JWK & { kid: string }> };
    const signing = key ?? pki.bankSigning['mock-south'];
    if (signing === undefined) throw new Error('no mock-south key');
    const aspsps = await tenant.get('/v1/aspsps');
    const issuer = String((aspsps.body.data as { id: string; issuer: string }[]).find((aspsp) => aspsp.id === 'mock-south')?.issuer);
    const now = Math.floor(Date.now() / 1000);
    return new SignJWT({
      txn: randomUUID(),
      toe: now,
      events: {
        'urn:uk:org:openbanking:events:resource-update': {
          subject: {
            subject_type: 'http://openbanking.org.uk/rid_http://openbanking.org.uk/rty',
            'http://openbanking.org.uk/rid': claims.rid,
            'http://openbanking.org.uk/rty': claims.rty,
            'http://openbanking.org.uk/rlk': [{ version: 'v4.0', link: `https://bank.example/open-banking/v4.0/aisp/accounts/${claims.rid}/transactions` }],
          },
        },
      },
    })
      .setProtectedHeader({ alg: 'PS256', kid: String(signing.kid), typ: 'JWT' })
      .setIssuer(issuer)
      .setAudience('settled-local-mock-south')
      .setSubject(`https://bank.example/${claims.rid}`)
      .setIssuedAt(now)
      .setJti(claims.jti)
      .sign(await importJWK(signing, 'PS256'));
  };

  const postNotification = (jwt: string) =>
    validatedFetch(`${runtime.url}/v1/bank-webhooks/obie`, { method: 'POST', headers: { 'content-type': 'application/jwt', 'x-fapi-interaction-id': randomUUID() }, body: jwt });

  it('refuses a notification with a bad signature, and takes a replayed jti once', async () => {
    // Signed with a key that is not the bank's, under the bank's key id.
    const stranger = await generateKeyPair('PS256', { extractable: true });
    const strangerJwk = { ...(await exportJWK(stranger.privateKey)), kid: 'mock-south-signing-1' };
    const forged = await postNotification(await southNotification({ jti: randomUUID(), rty: 'transactions', rid: 'ACC-UNKNOWN' }, strangerJwk));
    expect(forged.status).toBe(401);
    const garbage = await postNotification('not.a.jwt');
    expect(garbage.status).toBe(401);

    const jti = randomUUID();
    const token = await southNotification({ jti, rty: 'transactions', rid: 'ACC-UNKNOWN' });
    const first = await postNotification(token);
    expect(first.status).toBe(202);
    expect(await first.json()).toEqual({ received: 1 });
    const replay = await postNotification(token);
    expect(replay.status).toBe(202);
    expect(await replay.json()).toEqual({ received: 0 });
  });

  it('stops retrieval once the consent is revoked: 403, and nothing fetched however the bank calls', async () => {
    // Prepare
    const logBefore = await tenant.get(`/v1/consents/${consentId}/access-log?limit=500`);
    const positionBefore = await positionOf(tenant, accountId);

    // Act
    const revoked = await tenant.post(`/v1/consents/${consentId}/revoke`, {});
    expect(revoked.status).toBe(200);
    expect(revoked.body).toMatchObject({ consent: { status: 'revoked' } });

    // Assess
    const refused = await tenant.get(`/v1/accounts/${accountId}/transactions`);
    expect(refused.status).toBe(403);
    expect(refused.body).toMatchObject({ error: { code: 'consent_revoked' } });
    const details = await tenant.get(`/v1/accounts/${accountId}`);
    const atBank = await banks.control('mock-south', '/accounts');
    const mine = (atBank.accounts as { accountId: string; sortCode: string; accountNumber: string }[]).find(
      (candidate) => candidate.sortCode === details.body.sortCode && candidate.accountNumber === details.body.accountNumber,
    );
    if (mine === undefined) throw new Error('the tenant account is not at mock-south');
    await banks.control('mock-south', `/accounts/${mine.accountId}/credits`, { amount: '9.99', reference: 'AFTER REVOKE', payerName: 'Late Payer' });
    const notified = await postNotification(await southNotification({ jti: randomUUID(), rty: 'transactions', rid: mine.accountId }));
    expect(notified.status).toBe(202);
    await idle(runtime);
    const logAfter = await tenant.get(`/v1/consents/${consentId}/access-log?limit=500`);
    expect(logAfter.body.data).toHaveLength((logBefore.body.data as unknown[]).length);
    expect(await positionOf(tenant, accountId)).toMatchObject({ settledBalance: positionBefore?.settledBalance });
  });

  it('sent the banks only requests that their official schemas, JWS and mutual TLS rules accept', async () => {
    expect(await banks.violations()).toEqual([]);
  });
});

