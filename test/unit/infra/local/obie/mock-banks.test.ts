import { randomBytes, randomUUID } from 'node:crypto';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { type Server, createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SignJWT, createLocalJWKSet, base64url, jwtVerify } from 'jose';
import { fetch as undiciFetch } from 'undici';
import * as v from 'valibot';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AspspRegistryEntry } from '../../../../../shared/adapters/obie/configuration';
import { type MockBanks, startMockBanks } from '../../../../../infra/local/obie/mock-banks';
import { JsonObject, TokenSchema, at, waitUntil, TestTpp, control, openAccount, readAccount } from '../../../../support/obie-test-tpp';

/**
 * Drives both mock banks over the wire with a minimal TPP written here (undici + jose), not Settled's adapter: the
 * mocks must hold any client to the official specs, mutual TLS, private_key_jwt, signed request objects and
 * x-jws-signature, and move money between each other through the shared Faster Payments scheme.
 */
const BOOKING_DELAY_MS = 300;

const AIS_PERMISSIONS = ['ReadAccountsDetail', 'ReadBalances', 'ReadTransactionsDetail', 'ReadTransactionsCredits', 'ReadTransactionsDebits'];

describe('mock Open Banking banks', () => {
  let dataDir: string;
  let banks: MockBanks;
  let receiver: Server;
  let apiBaseUrl: string;
  const received: string[] = [];
  /** Every delivery attempt; the receiver answers 503 while `failures` is above zero. */
  const attempts: string[] = [];
  let failures = 0;
  let north: TestTpp;
  let south: TestTpp;
  const redirectUri = (): string => `${apiBaseUrl}/v1/consents/callback`;

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'mock-banks-'));
    receiver = createServer((request, response) => {
      let body = '';
      request.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
      request.on('end', () => {
        attempts.push(body);
        if (failures > 0) {
          failures -= 1;
          response.writeHead(503).end();
          return;
        }
        if (request.url === '/v1/bank-webhooks/obie' && request.headers['content-type'] === 'application/jwt') received.push(body);
        response.writeHead(202).end();
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    const address = receiver.address();
    apiBaseUrl = `http://127.0.0.1:${typeof address === 'object' && address !== null ? address.port : 0}`;
    banks = await startMockBanks({ dataDir, apiBaseUrl, bookingDelayMs: BOOKING_DELAY_MS, transactionPageSize: 5, notificationRetryDelaysMs: [20, 40, 80] });
    const entry = (id: string): AspspRegistryEntry => {
      const found = banks.registry.aspsps.find((a) => a.id === id);
      if (found === undefined) throw new Error(`no ${id}`);
      return found;
    };
    north = new TestTpp(banks, entry('mock-north'));
    south = new TestTpp(banks, entry('mock-south'));
  }, 60_000);

  afterAll(async () => {
    await banks.stop();
    await Promise.all([north.agent.close(), north.anonymousAgent.close(), south.agent.close(), south.anonymousAgent.close()]);
    await new Promise((resolve) => receiver.close(resolve));
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('describes both banks in a registry entry each, with Settled registered at both', () => {
    // Assess
    expect(banks.registry.aspsps.map((a) => [a.id, a.apiVersion, a.aggregatedPolling])).toEqual([
      ['mock-north', 'v3.1.11', true],
      ['mock-south', 'v4.0', false],
    ]);
    expect(north.entry.resourceBaseUrl).toMatch(/^https:\/\/127\.0\.0\.1:\d+\/open-banking\/v3\.1$/);
    expect(south.entry.resourceBaseUrl).toMatch(/^https:\/\/127\.0\.0\.1:\d+\/open-banking\/v4\.0$/);
    expect(south.entry.authorizationEndpoint).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/authorize$/);
  });

  it('serves discovery and JWKS without a client certificate but refuses the token endpoint and resources', async () => {
    // Prepare
    const before = banks.violations().length;
    // Act
    const jwks = await south.jwks();
    const discovery = await undiciFetch(`${south.entry.issuer}/.well-known/openid-configuration`, { dispatcher: south.anonymousAgent });
    const token = await south.token({ grant_type: 'client_credentials', scope: 'accounts' }, south.anonymousAgent);
    const resource = await south.call('GET', '/aisp/accounts', { token: 'whatever', agent: south.anonymousAgent });
    // Assess
    expect(jwks.keys).toHaveLength(1);
    expect(v.parse(JsonObject, await discovery.json()).token_endpoint).toBe(south.entry.tokenEndpoint);
    expect(token.status).toBe(401);
    expect(resource.status).toBe(401);
    expect(banks.violations().slice(before)).toEqual([expect.stringContaining('no client certificate'), expect.stringContaining('no client certificate')]);
  });

  it('refuses a client assertion signed with another key', async () => {
    // Prepare
    const before = banks.violations().length;
    const { privateKey } = await import('jose').then((jose) => jose.generateKeyPair('PS256'));
    const assertion = await new SignJWT({}).setProtectedHeader({ alg: 'PS256', kid: north.kid }).setIssuer(north.entry.clientId).setSubject(north.entry.clientId).setAudience(north.entry.tokenEndpoint).setJti(randomUUID()).setIssuedAt().setExpirationTime('2m').sign(privateKey);
    // Act
    const response = await undiciFetch(north.entry.tokenEndpoint, {
      method: 'POST',
      dispatcher: north.agent,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: 'client_credentials', scope: 'payments', client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer', client_assertion: assertion }).toString(),
    });
    // Assess
    expect(response.status).toBe(401);
    expect(at(await response.json(), 'error')).toBe('invalid_client');
    expect(banks.violations().slice(before)).toEqual([expect.stringContaining('invalid_client')]);
  });

  it('refuses a payment consent whose x-jws-signature is over another body, in the OB error shape', async () => {
    // Prepare
    const before = banks.violations().length;
    const token = await south.clientToken('payments');
    const body = southPaymentConsent('04020010000001', 'Inv 1', '1.00');
    // Act
    const answer = await south.call('POST', '/pisp/domestic-payment-consents', {
      token,
      body,
      idempotencyKey: randomUUID(),
      signature: await south.jwsSignature(JSON.stringify({ ...body, Risk: { PaymentContextCode: 'TransferToSelf' } })),
    });
    // Assess
    expect(answer.status).toBe(400);
    expect(at(answer.body, 'Errors', 0, 'ErrorCode')).toBe('U015');
    expect(banks.violations().slice(before)).toEqual([expect.stringContaining('x-jws-signature does not verify')]);
  });

  it('answers a schema-invalid consent with 400 naming the schema path, and records it', async () => {
    // Prepare
    const before = banks.violations().length;
    const token = await north.clientToken('accounts');
    // Act
    const answer = await north.call('POST', '/aisp/account-access-consents', { token, body: { Data: { Permissions: ['ReadEverything'] }, Risk: {} } });
    // Assess
    expect(answer.status).toBe(400);
    expect(at(answer.body, 'Errors', 0, 'ErrorCode')).toBe('UK.OBIE.Field.Invalid');
    expect(String(at(answer.body, 'Errors', 0, 'Message'))).toContain('CreateAccountAccessConsents request');
    expect(banks.violations().slice(before)).toEqual([expect.stringContaining('request/requestBody/Data/Permissions/0: must be equal to one of the allowed values')]);
  });

  it('runs the AIS flow at the v4.0 bank: consent, the PSU approves, token, accounts, balances, paged transactions, refresh, revocation', async () => {
    // Prepare
    const before = banks.violations().length;
    const account = await openAccount(banks, 'mock-south', 'Tenant Ltd', '0.00');
    for (let n = 1; n <= 7; n += 1) {
      const credit = await control(`${banks.banks[1]?.controlUrl ?? ''}/accounts/${account.accountId}/credits`, 'POST', { amount: `${n}.00`, reference: `Ref ${n}`, payerName: `Payer ${n}` });
      expect(credit.status).toBe(202);
    }
    await waitUntil(async () => ((await readAccount(banks, 'mock-south', account.accountId)).transactions.every((t) => t.status === 'booked') ? true : undefined), 'bookings');
    const clientToken = await south.clientToken('accounts');

    // Act: consent, page, approval naming the account, code exchange
    const consent = await south.call('POST', '/aisp/account-access-consents', { token: clientToken, body: { Data: { Permissions: AIS_PERMISSIONS }, Risk: {} } });
    const consentId = String(at(consent.body, 'Data', 'ConsentId'));
    const { url } = await south.authorisationUrl(consentId, 'accounts', redirectUri());
    const page = await fetch(url);
    const pageHtml = await page.text();
    const tokens = await south.authorise(consentId, 'accounts', redirectUri(), { sortCode: account.sortCode, accountNumber: account.accountNumber });
    const accounts = await south.call('GET', '/aisp/accounts', { token: tokens.access_token });
    const balances = await south.call('GET', `/aisp/accounts/${account.accountId}/balances`, { token: tokens.access_token });
    const pages: unknown[] = [];
    let next: string | undefined = `${south.entry.resourceBaseUrl}/aisp/accounts/${account.accountId}/transactions?fromBookingDateTime=2020-01-01T00:00:00Z`;
    while (next !== undefined) {
      const answer = await south.call('GET', next, { token: tokens.access_token });
      expect(answer.status, answer.text).toBe(200);
      await south.verifyResponseSignature(answer.text, answer.headers.get('x-jws-signature'));
      const transactions = at(answer.body, 'Data', 'Transaction');
      if (Array.isArray(transactions)) pages.push(...transactions);
      const link = at(answer.body, 'Links', 'Next');
      next = typeof link === 'string' ? link : undefined;
    }
    const refreshed = await south.token({ grant_type: 'refresh_token', refresh_token: tokens.refresh_token ?? '' });
    const revoked = await control(`${banks.banks[1]?.controlUrl ?? ''}/consents/${consentId}/revoke`, 'POST');
    const afterRevoke = await south.call('GET', '/aisp/accounts', { token: v.parse(TokenSchema, refreshed.body).access_token });

    // Assess
    expect(consent.status).toBe(201);
    expect(at(consent.body, 'Data', 'Status')).toBe('AWAU');
    expect(page.status).toBe(200);
    expect(pageHtml).toContain('ReadTransactionsDetail');
    expect(pageHtml).toContain('<form method="post"');
    expect(accounts.status).toBe(200);
    expect(at(accounts.body, 'Data', 'Account', 0, 'Account', 0, 'Identification')).toBe(`${account.sortCode}${account.accountNumber}`);
    expect(at(balances.body, 'Data', 'Balance', 0, 'Amount', 'Amount')).toBe('28.00');
    expect(pages).toHaveLength(7);
    expect(pages.map((t) => at(t, 'Status'))).toEqual(Array(7).fill('BOOK'));
    expect(pages.map((t) => at(t, 'TransactionInformation'))).toEqual(['Ref 1', 'Ref 2', 'Ref 3', 'Ref 4', 'Ref 5', 'Ref 6', 'Ref 7']);
    expect(pages.map((t) => at(t, 'TransactionMutability'))).toEqual(Array(7).fill('Immutable'));
    expect(at(pages[0], 'TransactionReference')).toMatch(/^MOCKFP/);
    expect(at(pages[0], 'DebtorAccount', 'Name')).toBe('Payer 1');
    expect(refreshed.status).toBe(200);
    expect(revoked.status).toBe(200);
    expect(afterRevoke.status).toBe(403);
    const revokedEvent = await waitUntil(async () => {
      for (const jwt of received) {
        const { payload } = await jwtVerify(jwt, createLocalJWKSet(await south.jwks()), { issuer: south.entry.issuer, audience: south.entry.clientId });
        if (at(payload, 'events', 'urn:uk:org:openbanking:events:consent-authorization-revoked', 'subject', 'http://openbanking.org.uk/rid') === consentId) return payload;
      }
      return undefined;
    }, 'the consent-authorization-revoked notification');
    expect(at(revokedEvent, 'events', 'urn:uk:org:openbanking:events:consent-authorization-revoked', 'subject', 'http://openbanking.org.uk/rty')).toBe('account-access-consent');
    expect(banks.violations().slice(before)).toEqual([]);
  });

  it('moves a payment from a payer at mock-north to a payee at mock-south: debit, pending then booked credit, pushed and polled events, ACSC', async () => {
    // Prepare
    const before = banks.violations().length;
    const payer = await openAccount(banks, 'mock-north', 'Pat Payer', '100.00');
    const payee = await openAccount(banks, 'mock-south', 'Merchant Ltd', '0.00');
    const aisConsent = await south.call('POST', '/aisp/account-access-consents', { token: await south.clientToken('accounts'), body: { Data: { Permissions: AIS_PERMISSIONS }, Risk: {} } });
    await south.authorise(String(at(aisConsent.body, 'Data', 'ConsentId')), 'accounts', redirectUri(), { sortCode: payee.sortCode, accountNumber: payee.accountNumber });
    const paymentsToken = await north.clientToken('payments');
    const consentBody = {
      Data: {
        Initiation: {
          InstructionIdentification: 'instr-1',
          EndToEndIdentification: 'e2e-north-south-1',
          LocalInstrument: 'UK.OBIE.FPS',
          InstructedAmount: { Amount: '42.50', Currency: 'GBP' },
          DebtorAccount: { SchemeName: 'UK.OBIE.SortCodeAccountNumber', Identification: `${payer.sortCode}${payer.accountNumber}`, Name: 'Pat Payer' },
          CreditorAccount: { SchemeName: 'UK.OBIE.SortCodeAccountNumber', Identification: `${payee.sortCode}${payee.accountNumber}`, Name: 'Merchant Ltd' },
          RemittanceInformation: { Reference: 'Inv-2024/42' },
        },
      },
      Risk: { PaymentContextCode: 'EcommerceGoods' },
    };

    // Act
    const consent = await north.call('POST', '/pisp/domestic-payment-consents', { token: paymentsToken, body: consentBody, idempotencyKey: randomUUID() });
    const consentId = String(at(consent.body, 'Data', 'ConsentId'));
    const { url } = await north.authorisationUrl(consentId, 'payments', redirectUri());
    const pageHtml = await (await fetch(url)).text();
    const psu = await north.authorise(consentId, 'payments', redirectUri());
    const paymentBody = { Data: { ConsentId: consentId, Initiation: consentBody.Data.Initiation }, Risk: consentBody.Risk };
    const idempotencyKey = randomUUID();
    const payment = await north.call('POST', '/pisp/domestic-payments', { token: psu.access_token, body: paymentBody, idempotencyKey });
    const replay = await north.call('POST', '/pisp/domestic-payments', { token: psu.access_token, body: paymentBody, idempotencyKey });
    const paymentId = String(at(payment.body, 'Data', 'DomesticPaymentId'));
    const pendingCredit = (await readAccount(banks, 'mock-south', payee.accountId)).transactions[0];
    const bookedCredit = await waitUntil(async () => {
      const credit = (await readAccount(banks, 'mock-south', payee.accountId)).transactions[0];
      return credit?.status === 'booked' ? credit : undefined;
    }, 'the booked credit');
    const payerAfter = await readAccount(banks, 'mock-north', payer.accountId);
    const status = await north.call('GET', `/pisp/domestic-payments/${paymentId}`, { token: paymentsToken });
    const consumed = await north.call('GET', `/pisp/domestic-payment-consents/${consentId}`, { token: paymentsToken });
    const transactionEvent = await waitUntil(async () => {
      for (const jwt of received) {
        const { payload } = await jwtVerify(jwt, createLocalJWKSet(await south.jwks()), { issuer: south.entry.issuer, audience: south.entry.clientId });
        const subject = at(payload, 'events', 'urn:uk:org:openbanking:events:resource-update', 'subject');
        if (at(subject, 'http://openbanking.org.uk/rid') === payee.accountId) return subject;
      }
      return undefined;
    }, 'the pushed transactions notification');
    const eventsToken = await north.clientToken('payments');
    const polled = await north.call('POST', '/events', { token: eventsToken, body: { returnImmediately: true, maxEvents: 50 } });
    const sets = v.parse(v.record(v.string(), v.string()), at(polled.body, 'sets'));
    const paymentEvents = [];
    for (const jwt of Object.values(sets)) {
      const { payload } = await jwtVerify(jwt, createLocalJWKSet(await north.jwks()), { issuer: north.entry.issuer, audience: north.entry.clientId });
      const subject = at(payload, 'events', 'urn:uk:org:openbanking:events:resource-update', 'subject');
      if (at(subject, 'http://openbanking.org.uk/rid') === paymentId) paymentEvents.push(at(subject, 'http://openbanking.org.uk/rty'));
    }
    const acknowledged = await north.call('POST', '/events', { token: eventsToken, body: { returnImmediately: true, ack: Object.keys(sets) } });

    // Assess
    expect(consent.status).toBe(201);
    expect(at(consent.body, 'Data', 'Status')).toBe('AwaitingAuthorisation');
    expect(pageHtml).toContain('£42.50');
    expect(pageHtml).toContain('Merchant Ltd');
    expect(pageHtml).toContain('Inv-2024/42');
    expect(payment.status).toBe(201);
    expect(at(payment.body, 'Data', 'Status')).toBe('AcceptedSettlementInProcess');
    expect(at(replay.body, 'Data', 'DomesticPaymentId')).toBe(paymentId);
    expect(pendingCredit).toMatchObject({ status: 'pending', creditDebit: 'Credit', amount: '42.50', reference: 'Inv-2024/42', endToEndIdentification: 'e2e-north-south-1' });
    expect(bookedCredit.transactionId).not.toBe(pendingCredit?.transactionId);
    expect(bookedCredit).toMatchObject({ reference: 'Inv-2024/42', endToEndIdentification: 'e2e-north-south-1', fasterPaymentsId: pendingCredit?.fasterPaymentsId });
    expect(payerAfter.balance).toEqual({ booked: '57.50', available: '57.50' });
    expect(payerAfter.transactions).toEqual([expect.objectContaining({ status: 'booked', creditDebit: 'Debit', amount: '42.50', reference: 'INV-2024/42' })]);
    expect(at(status.body, 'Data', 'Status')).toBe('AcceptedSettlementCompleted');
    expect(at(status.body, 'Data', 'Debtor', 'Identification')).toBe(`${payer.sortCode}${payer.accountNumber}`);
    expect(at(consumed.body, 'Data', 'Status')).toBe('Consumed');
    expect(at(transactionEvent, 'http://openbanking.org.uk/rty')).toBe('transactions');
    expect(paymentEvents).toContain('domestic-payment');
    expect(at(acknowledged.body, 'sets')).toEqual({});
    expect(banks.violations().slice(before)).toEqual([]);
  });

  it('rejects a payment the debtor cannot fund (RJCT with AM04 at the v4.0 bank), and a reused idempotency key with another body', async () => {
    // Prepare
    const before = banks.violations().length;
    const token = await south.clientToken('payments');
    const body = southPaymentConsent('04010010000099', 'Too much', '20000.00');
    const consent = await south.call('POST', '/pisp/domestic-payment-consents', { token, body, idempotencyKey: randomUUID() });
    const consentId = String(at(consent.body, 'Data', 'ConsentId'));
    const psu = await south.authorise(consentId, 'payments', redirectUri());
    const paymentBody = { Data: { ConsentId: consentId, Initiation: body.Data.Initiation }, Risk: body.Risk };
    const key = randomUUID();
    // Act
    const payment = await south.call('POST', '/pisp/domestic-payments', { token: psu.access_token, body: paymentBody, idempotencyKey: key });
    const reused = await south.call('POST', '/pisp/domestic-payments', { token: psu.access_token, body: { ...paymentBody, Risk: { PaymentContextCode: 'TransferToSelf' } }, idempotencyKey: key });
    const consumed = await south.call('GET', `/pisp/domestic-payment-consents/${consentId}`, { token });
    // Assess
    expect(consent.status).toBe(201);
    expect(payment.status).toBe(201);
    expect(at(payment.body, 'Data', 'Status')).toBe('RJCT');
    expect(at(payment.body, 'Data', 'StatusReason', 0, 'StatusReasonCode')).toBe('AM04');
    expect(reused.status).toBe(400);
    expect(at(consumed.body, 'Data', 'Status')).toBe('COND');
    expect(banks.violations().slice(before)).toEqual([expect.stringContaining('x-idempotency-key was already used with a different body')]);
  });

  it('shows v3.1.11 pending then booked transactions at mock-north, the reference upper-cased', async () => {
    // Prepare
    const before = banks.violations().length;
    const account = await openAccount(banks, 'mock-north', 'North Tenant', '0.00');
    const consent = await north.call('POST', '/aisp/account-access-consents', { token: await north.clientToken('accounts'), body: { Data: { Permissions: AIS_PERMISSIONS }, Risk: {} } });
    const tokens = await north.authorise(String(at(consent.body, 'Data', 'ConsentId')), 'accounts', redirectUri(), { sortCode: account.sortCode, accountNumber: account.accountNumber });
    // Act
    await control(`${banks.banks[0]?.controlUrl ?? ''}/accounts/${account.accountId}/credits`, 'POST', { amount: '9.99', reference: 'inv 7/a', payerName: 'Outside Payer', payerSortCode: '200000', payerAccountNumber: '55555555' });
    const pending = await north.call('GET', `/aisp/accounts/${account.accountId}/transactions`, { token: tokens.access_token });
    const booked = await waitUntil(async () => {
      const answer = await north.call('GET', `/aisp/accounts/${account.accountId}/transactions`, { token: tokens.access_token });
      return at(answer.body, 'Data', 'Transaction', 0, 'Status') === 'Booked' ? answer : undefined;
    }, 'the booked transaction');
    // Assess
    expect(at(pending.body, 'Data', 'Transaction', 0)).toMatchObject({ Status: 'Pending', TransactionMutability: 'Mutable', TransactionInformation: 'INV 7/A', Amount: { Amount: '9.99', Currency: 'GBP' } });
    expect(at(booked.body, 'Data', 'Transaction', 0)).toMatchObject({
      Status: 'Booked',
      TransactionInformation: 'INV 7/A',
      TransactionReference: at(pending.body, 'Data', 'Transaction', 0, 'TransactionReference'),
      DebtorAccount: { SchemeName: 'UK.OBIE.SortCodeAccountNumber', Identification: '20000055555555', Name: 'Outside Payer' },
    });
    expect(at(booked.body, 'Data', 'Transaction', 0, 'TransactionId')).not.toBe(at(pending.body, 'Data', 'Transaction', 0, 'TransactionId'));
    expect(at(booked.body, 'Data', 'Transaction', 1)).toBeUndefined();
    expect(banks.violations().slice(before)).toEqual([]);
  });

  it('holds the authorisation code to one use, its redirect_uri and its PKCE verifier; a rejection comes back as access_denied', async () => {
    // Prepare
    const before = banks.violations().length;
    const clientToken = await south.clientToken('accounts');
    const newConsent = async (): Promise<string> =>
      String(at((await south.call('POST', '/aisp/account-access-consents', { token: clientToken, body: { Data: { Permissions: AIS_PERMISSIONS }, Risk: {} } })).body, 'Data', 'ConsentId'));
    const approve = async (consentId: string, form: boolean): Promise<{ code: string; verifier: string }> => {
      const { url, verifier } = await south.authorisationUrl(consentId, 'accounts', redirectUri());
      const decision = await fetch(url, {
        method: 'POST',
        redirect: 'manual',
        headers: { 'content-type': form ? 'application/x-www-form-urlencoded' : 'application/json' },
        body: form ? 'outcome=approve&sortCode=&accountNumber=' : JSON.stringify({ outcome: 'approve' }),
      });
      return { code: new URL(decision.headers.get('location') ?? '').searchParams.get('code') ?? '', verifier };
    };
    const first = await approve(await newConsent(), true);
    const second = await approve(await newConsent(), false);
    const rejectedConsent = await newConsent();
    const rejection = await south.authorisationUrl(rejectedConsent, 'accounts', redirectUri());
    // Act
    const used = await south.token({ grant_type: 'authorization_code', code: first.code, redirect_uri: redirectUri(), code_verifier: first.verifier });
    const replayed = await south.token({ grant_type: 'authorization_code', code: first.code, redirect_uri: redirectUri(), code_verifier: first.verifier });
    const wrongVerifier = await south.token({ grant_type: 'authorization_code', code: second.code, redirect_uri: redirectUri(), code_verifier: randomBytes(32).toString('base64url') });
    const rejected = await fetch(rejection.url, { method: 'POST', redirect: 'manual', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'outcome=reject' });
    const rejectedStatus = await south.call('GET', `/aisp/account-access-consents/${rejectedConsent}`, { token: clientToken });
    const again = await fetch(rejection.url);
    // Assess
    expect(used.status).toBe(200);
    expect(replayed.status).toBe(400);
    expect(at(replayed.body, 'error')).toBe('invalid_grant');
    expect(wrongVerifier.status).toBe(400);
    expect(rejected.status).toBe(303);
    expect(Object.fromEntries(new URL(rejected.headers.get('location') ?? '').searchParams)).toEqual({ error: 'access_denied', state: rejection.state });
    expect(at(rejectedStatus.body, 'Data', 'Status')).toBe('RJCT');
    expect(again.status).toBe(400);
    expect(banks.violations().slice(before)).toEqual([
      expect.stringContaining('authorization code already used'),
      expect.stringContaining('code_verifier does not match'),
    ]);
  });

  it('refuses an authorisation request whose request object is not addressed to the bank', async () => {
    // Prepare
    const before = banks.violations().length;
    const consent = await north.call('POST', '/aisp/account-access-consents', { token: await north.clientToken('accounts'), body: { Data: { Permissions: AIS_PERMISSIONS }, Risk: {} } });
    const consentId = String(at(consent.body, 'Data', 'ConsentId'));
    const { url } = await south.authorisationUrl(consentId, 'accounts', redirectUri());
    const misdirected = new URL(north.entry.authorizationEndpoint);
    misdirected.search = new URL(url).search;
    misdirected.searchParams.set('client_id', north.entry.clientId);
    // Act
    const page = await fetch(misdirected);
    // Assess
    expect(page.status).toBe(400);
    expect(banks.violations().slice(before)).toEqual([expect.stringMatching(/^mock-north: authorize: /)]);
  });

  it('answers 403 once an account-access consent has expired, and shows it as EXPD at the v4.0 bank', async () => {
    // Prepare
    const before = banks.violations().length;
    const clientToken = await south.clientToken('accounts');
    const expiresAt = new Date(Date.now() + 700).toISOString();
    const consent = await south.call('POST', '/aisp/account-access-consents', { token: clientToken, body: { Data: { Permissions: AIS_PERMISSIONS, ExpirationDateTime: expiresAt }, Risk: {} } });
    const consentId = String(at(consent.body, 'Data', 'ConsentId'));
    const tokens = await south.authorise(consentId, 'accounts', redirectUri());
    const during = await south.call('GET', '/aisp/accounts', { token: tokens.access_token });
    await new Promise((resolve) => setTimeout(resolve, Date.parse(expiresAt) - Date.now() + 20));
    // Act
    const after = await south.call('GET', '/aisp/accounts', { token: tokens.access_token });
    const status = await south.call('GET', `/aisp/account-access-consents/${consentId}`, { token: clientToken });
    // Assess
    expect(during.status).toBe(200);
    expect(after.status).toBe(403);
    expect(at(after.body, 'Errors', 0, 'ErrorCode')).toBe('U009');
    expect(at(status.body, 'Data', 'Status')).toBe('EXPD');
    expect(banks.violations().slice(before)).toEqual([]);
  });

  it('pushes a notification again after a non-2xx answer until the receiver takes it', async () => {
    // Prepare
    const account = await openAccount(banks, 'mock-south', 'Retry Ltd', '0.00');
    const consent = await south.call('POST', '/aisp/account-access-consents', { token: await south.clientToken('accounts'), body: { Data: { Permissions: AIS_PERMISSIONS }, Risk: {} } });
    await south.authorise(String(at(consent.body, 'Data', 'ConsentId')), 'accounts', redirectUri(), { sortCode: account.sortCode, accountNumber: account.accountNumber });
    const attemptsBefore = attempts.length;
    const receivedBefore = received.length;
    failures = 2;
    // Act
    await control(`${banks.banks[1]?.controlUrl ?? ''}/accounts/${account.accountId}/credits`, 'POST', { amount: '1.00', reference: 'retry', payerName: 'Someone' });
    const delivered = await waitUntil(async () => (received.length > receivedBefore ? received[receivedBefore] : undefined), 'the delivery after two refusals');
    // Assess
    expect(attempts.slice(attemptsBefore, attemptsBefore + 3)).toEqual([delivered, delivered, delivered]);
    expect(failures).toBe(0);
  });

  it('expires access tokens after accessTokenTtlSeconds with a 401, and a refresh brings access back', async () => {
    // Prepare: a second pair of banks on a copy of the keys (no key generation), with one-second tokens
    const shortDir = mkdtempSync(join(tmpdir(), 'mock-banks-short-'));
    mkdirSync(join(shortDir, 'mock-banks'));
    copyFileSync(join(dataDir, 'mock-banks', 'pki.json'), join(shortDir, 'mock-banks', 'pki.json'));
    const short = await startMockBanks({ dataDir: shortDir, apiBaseUrl, accessTokenTtlSeconds: 1 });
    try {
      const entry = short.registry.aspsps.find((a) => a.id === 'mock-south');
      if (entry === undefined) throw new Error('no mock-south');
      const tpp = new TestTpp(short, entry);
      const consent = await tpp.call('POST', '/aisp/account-access-consents', { token: await tpp.clientToken('accounts'), body: { Data: { Permissions: AIS_PERMISSIONS }, Risk: {} } });
      const tokens = await tpp.authorise(String(at(consent.body, 'Data', 'ConsentId')), 'accounts', redirectUri());
      await new Promise((resolve) => setTimeout(resolve, 1100));
      // Act
      const expired = await tpp.call('GET', '/aisp/accounts', { token: tokens.access_token });
      const refreshed = v.parse(TokenSchema, (await tpp.token({ grant_type: 'refresh_token', refresh_token: tokens.refresh_token ?? '' })).body);
      const again = await tpp.call('GET', '/aisp/accounts', { token: refreshed.access_token });
      // Assess
      expect(tokens.expires_in).toBe(1);
      expect(expired.status).toBe(401);
      expect(expired.text).toBe('');
      expect(again.status).toBe(200);
      expect(short.violations()).toEqual([]);
      await Promise.all([tpp.agent.close(), tpp.anonymousAgent.close()]);
    } finally {
      await short.stop();
      rmSync(shortDir, { recursive: true, force: true });
    }
  });

  it('keeps keys, ports, accounts and consents across a restart on the same data directory', async () => {
    // Prepare
    const account = await openAccount(banks, 'mock-north', 'Kept Customer', '12.34');
    const consent = await north.call('POST', '/aisp/account-access-consents', { token: await north.clientToken('accounts'), body: { Data: { Permissions: AIS_PERMISSIONS }, Risk: {} } });
    const consentId = String(at(consent.body, 'Data', 'ConsentId'));
    const registry = banks.registry;
    const credentials = banks.credentials;
    await control(`${banks.banks[0]?.controlUrl ?? ''}/accounts/${account.accountId}/credits`, 'POST', { amount: '1.00', reference: 'owed', payerName: 'Someone' });
    // Act
    await banks.stop();
    banks = await startMockBanks({ dataDir, apiBaseUrl, bookingDelayMs: BOOKING_DELAY_MS });
    const owed = await waitUntil(async () => {
      const view = await readAccount(banks, 'mock-north', account.accountId);
      return view.transactions[0]?.status === 'booked' ? view : undefined;
    }, 'the booking owed before the restart');
    const kept = await readAccount(banks, 'mock-north', account.accountId);
    const keptConsent = await north.call('GET', `/aisp/account-access-consents/${consentId}`, { token: await north.clientToken('accounts') });
    // Assess
    expect(banks.registry).toEqual(registry);
    expect(banks.credentials).toEqual(credentials);
    expect(owed.transactions).toEqual([expect.objectContaining({ status: 'booked', amount: '1.00', reference: 'OWED' })]);
    expect(kept.balance.booked).toBe('13.34');
    expect(keptConsent.status).toBe(200);
    expect(at(keptConsent.body, 'Data', 'Status')).toBe('AwaitingAuthorisation');
    expect(banks.violations()).toEqual([]);
  }, 30_000);
});

const southPaymentConsent = (creditor: string, reference: string, amount: string) => ({
  Data: {
    Initiation: {
      InstructionIdentification: `instr-${randomUUID().slice(0, 8)}`,
      EndToEndIdentification: `e2e-${randomUUID().slice(0, 8)}`,
      InstructedAmount: { Amount: amount, Currency: 'GBP' },
      CreditorAccount: { SchemeName: 'UK.OBIE.SortCodeAccountNumber', Identification: creditor, Name: 'Someone' },
      RemittanceInformation: { Structured: [{ CreditorReferenceInformation: { Reference: reference } }] },
    },
  },
  Risk: { PaymentContextCode: 'EcommerceMerchantInitiatedPayment' },
});
