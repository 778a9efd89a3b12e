import { createHash } from 'node:crypto';
import { base64url, CompactSign, decodeProtectedHeader, flattenedVerify, SignJWT, importJWK } from 'jose';
import * as v from 'valibot';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ObieAccountInformationGateway } from '../../../../shared/adapters/obie/account-information';
import { ObieBankError, ObieClient, ObieResponseError, UnknownAspspError } from '../../../../shared/adapters/obie/client';
import type { AspspRegistryEntry } from '../../../../shared/adapters/obie/configuration';
import { ObieEventNotificationVerifier, ObieEventPollingGateway } from '../../../../shared/adapters/obie/event-notifications';
import { ObiePaymentInitiationGateway } from '../../../../shared/adapters/obie/payment-initiation';
import { OB_CRIT, OB_IAT, OB_ISS, OB_TAN } from '../../../../shared/adapters/obie/signing';
import { BankAccessDenied, type AuthorisationRequest, type DomesticPaymentInstruction } from '../../../../shared/domain/open-banking/ports';
import { BANKS, configurationWith, fixture, newKeyPair, NOW, SpecCheckingBanks, verifyTppJwt, type CapturedRequest, type KeyPair } from './support';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

let tpp: KeyPair;
let bankKey: KeyPair;
let banks: SpecCheckingBanks;

beforeAll(async () => {
  tpp = await newKeyPair('tpp-signing-1');
  bankKey = await newKeyPair('bank-signing-1');
});

const setup = () => {
  banks = new SpecCheckingBanks();
  const configuration = configurationWith(tpp);
  const client = new ObieClient(async () => configuration, { transport: banks, now: () => NOW });
  return { client, accounts: new ObieAccountInformationGateway(client), payments: new ObiePaymentInitiationGateway(client) };
};

afterEach(() => {
  // Every request any test built was held to its version's spec (the fake throws on the first violation too).
  expect(banks.violations).toEqual([]);
});

const authorisation: AuthorisationRequest = {
  state: 'state-7f3a9c',
  nonce: 'nonce-41b2',
  codeVerifier: 'verifier-0123456789abcdefghijklmnopqrstuvwxyzABCDEFG',
  redirectUri: 'https://api.settled.test/v1/consents/callback',
};

const inbound: DomesticPaymentInstruction = {
  paymentId: 'pay_01JDQ4ZK3V8N6W2M9T5R7Y1XCB',
  amount: 123450,
  currency: 'GBP',
  reference: 'INV-2041',
  creditor: { name: 'Acme Trading Ltd', sortCode: '040004', accountNumber: '12345678' },
  debtor: null,
};
const outbound: DomesticPaymentInstruction = {
  ...inbound,
  paymentId: 'pay_01JDQ4ZK3V8N6W2M9T5R7Y1XCC',
  amount: 5,
  debtor: { name: 'Acme Trading Ltd', sortCode: '040004', accountNumber: '12345678' },
  creditor: { name: 'Supplier Co', sortCode: '200000', accountNumber: '55555555' },
};

const PaymentBody = v.object({
  Data: v.object({ ConsentId: v.optional(v.string()), Initiation: v.record(v.string(), v.unknown()) }),
  Risk: v.record(v.string(), v.unknown()),
});

const onlyRequest = (operationId: string): CapturedRequest => {
  const requests = banks.requestsTo(operationId);
  expect(requests).toHaveLength(1);
  const [request] = requests;
  if (request === undefined) throw new Error(`no ${operationId}`);
  return request;
};

/** The detached JWS verifies over the exact body with the TPP's public key, with the OB crit claims, and fails on another body. */
const expectDetachedSignature = async (captured: CapturedRequest): Promise<void> => {
  const signature = captured.request.headers['x-jws-signature'];
  const body = captured.request.body;
  if (signature === undefined || body === undefined) throw new Error('no signature or body');
  const [protectedHeader, payload, sig] = signature.split('.');
  expect(payload).toBe('');
  const header = decodeProtectedHeader(signature);
  expect(header).toMatchObject({
    alg: 'PS256',
    kid: 'tpp-signing-1',
    typ: 'JOSE',
    cty: 'application/json',
    [OB_IAT]: Math.floor(NOW.getTime() / 1000),
    [OB_ISS]: '0015800001ZEZ1AAO/settled-software',
    [OB_TAN]: 'openbanking.org.uk',
    crit: [...OB_CRIT],
  });
  expect(header).not.toHaveProperty('b64');
  const key = await importJWK(tpp.publicJwk, 'PS256');
  const crit = Object.fromEntries(OB_CRIT.map((name) => [name, true]));
  const verified = await flattenedVerify({ protected: protectedHeader ?? '', payload: base64url.encode(body), signature: sig ?? '' }, key, { algorithms: ['PS256'], crit });
  expect(new TextDecoder().decode(verified.payload)).toBe(body);
  await expect(
    flattenedVerify({ protected: protectedHeader ?? '', payload: base64url.encode(body.replace('"GBP"', '"EUR"')), signature: sig ?? '' }, key, { algorithms: ['PS256'], crit }),
  ).rejects.toThrow();
};

const expectClientAssertion = async (captured: CapturedRequest, bank: AspspRegistryEntry): Promise<void> => {
  const form = captured.form;
  if (form === undefined) throw new Error('not a form');
  expect(captured.request.method).toBe('POST');
  expect(captured.request.headers['content-type']).toBe('application/x-www-form-urlencoded');
  expect(captured.request.tls.clientCertificatePem).toContain('BEGIN CERTIFICATE');
  expect(form.get('client_assertion_type')).toBe('urn:ietf:params:oauth:client-assertion-type:jwt-bearer');
  expect(form.get('client_id')).toBe(bank.clientId);
  const { payload, protectedHeader } = await verifyTppJwt(form.get('client_assertion') ?? '', tpp, { audience: bank.tokenEndpoint, issuer: bank.clientId });
  expect(protectedHeader).toMatchObject({ alg: 'PS256', kid: 'tpp-signing-1' });
  expect(payload.sub).toBe(bank.clientId);
  expect(payload.jti).toMatch(UUID);
  expect((payload.exp ?? 0) - (payload.iat ?? 0)).toBeLessThanOrEqual(300);
  expect((payload.exp ?? 0) - (payload.iat ?? 0)).toBeGreaterThan(0);
};

const expectAuthorisationUrl = async (url: string, bank: AspspRegistryEntry, scope: 'accounts' | 'payments', consentId: string): Promise<void> => {
  expect(url.startsWith(`${bank.authorizationEndpoint}?`)).toBe(true);
  expect(url).toContain(`scope=openid%20${scope}`);
  const query = new URL(url).searchParams;
  const challenge = createHash('sha256').update(authorisation.codeVerifier).digest('base64url');
  expect(Object.fromEntries([...query].filter(([name]) => name !== 'request'))).toEqual({
    client_id: bank.clientId,
    response_type: 'code',
    scope: `openid ${scope}`,
    redirect_uri: authorisation.redirectUri,
    state: authorisation.state,
    nonce: authorisation.nonce,
    code_challenge: challenge,
    code_challenge_method: 'S256',
  });
  const { payload } = await verifyTppJwt(query.get('request') ?? '', tpp, { audience: bank.issuer, issuer: bank.clientId });
  expect(payload).toMatchObject({
    client_id: bank.clientId,
    response_type: 'code',
    scope: `openid ${scope}`,
    redirect_uri: authorisation.redirectUri,
    state: authorisation.state,
    nonce: authorisation.nonce,
    code_challenge: challenge,
    code_challenge_method: 'S256',
    claims: { id_token: { openbanking_intent_id: { value: consentId, essential: true } } },
  });
  expect((payload.exp ?? 0) - (payload.iat ?? 0)).toBeLessThanOrEqual(3600);
  expect(url).not.toContain(authorisation.codeVerifier);
};

const expectFapiHeaders = (captured: CapturedRequest, accessToken: string): void => {
  const headers = captured.request.headers;
  expect(headers.authorization).toBe(`Bearer ${accessToken}`);
  expect(headers['x-fapi-interaction-id']).toMatch(UUID);
  expect(headers['x-fapi-financial-id']).toBe(captured.bank.financialId);
  expect(captured.request.tls).toEqual({
    serverCaPem: captured.bank.serverCaPem,
    clientCertificatePem: expect.stringContaining('transport') as unknown,
    clientKeyPem: expect.stringContaining('transport') as unknown,
  });
};

const iso = NOW.toISOString();
const consentResponse = (bank: AspspRegistryEntry, captured: CapturedRequest, consentId: string) => {
  const body = v.parse(PaymentBody, captured.json);
  return {
    status: 201,
    body: {
      Data: {
        ConsentId: consentId,
        CreationDateTime: iso,
        Status: bank.apiVersion === 'v3.1.11' ? 'AwaitingAuthorisation' : 'AWAU',
        StatusUpdateDateTime: iso,
        Initiation: body.Data.Initiation,
      },
      Risk: body.Risk,
      Links: { Self: `${bank.resourceBaseUrl}/pisp/domestic-payment-consents/${consentId}` },
      Meta: {},
    },
  };
};

const paymentResponse = (bank: AspspRegistryEntry, initiation: unknown, status: string, extra: Record<string, unknown> = {}) => ({
  Data: {
    DomesticPaymentId: 'dp-0001',
    ConsentId: 'pc-0001',
    CreationDateTime: iso,
    Status: status,
    StatusUpdateDateTime: '2026-11-30T11:00:05+01:00',
    Initiation: initiation,
    ...extra,
  },
  Links: { Self: `${bank.resourceBaseUrl}/pisp/domestic-payments/dp-0001` },
  Meta: {},
});

describe.each(BANKS)('Open Banking gateway against a $apiVersion bank', (bank) => {
  const version = bank.apiVersion;
  const root = new URL(bank.resourceBaseUrl).pathname;

  it('creates a domestic payment consent: client-credentials token, signed spec-valid request, signed request object', async () => {
    const { payments } = setup();
    banks.on((captured) => (captured.operationId === 'CreateDomesticPaymentConsents' ? consentResponse(bank, captured, 'pc-0001') : undefined));
    const created = await payments.createPaymentConsent(bank.id, inbound, authorisation);
    expect(created.bankConsentId).toBe('pc-0001');

    const token = onlyRequest('token');
    await expectClientAssertion(token, bank);
    expect(token.form?.get('grant_type')).toBe('client_credentials');
    expect(token.form?.get('scope')).toBe('payments');

    const consent = onlyRequest('CreateDomesticPaymentConsents');
    expect(consent.url.pathname).toBe(`${root}/pisp/domestic-payment-consents`);
    expectFapiHeaders(consent, 'access-1');
    expect(consent.request.headers['x-idempotency-key']).toMatch(/^\S{1,40}$/);
    await expectDetachedSignature(consent);
    const body = v.parse(PaymentBody, consent.json);
    expect(body.Data.Initiation).toEqual({
      InstructionIdentification: inbound.paymentId,
      EndToEndIdentification: inbound.paymentId,
      InstructedAmount: { Amount: '1234.50', Currency: 'GBP' },
      CreditorAccount: { SchemeName: 'UK.OBIE.SortCodeAccountNumber', Identification: '04000412345678', Name: 'Acme Trading Ltd' },
      RemittanceInformation: version === 'v3.1.11' ? { Reference: 'INV-2041' } : { Structured: [{ CreditorReferenceInformation: { Reference: 'INV-2041' } }] },
    });
    expect(body.Risk).toEqual({ PaymentContextCode: version === 'v3.1.11' ? 'EcommerceServices' : 'EcommerceMerchantInitiatedPayment' });
    await expectAuthorisationUrl(created.authorisationUrl, bank, 'payments', 'pc-0001');
  });

  it('submits the payment with the consent’s Initiation byte for byte, keyed by the payment id, and maps its status', async () => {
    const { payments } = setup();
    banks.on((captured) => (captured.operationId === 'CreateDomesticPaymentConsents' ? consentResponse(bank, captured, 'pc-0001') : undefined));
    banks.on((captured) => {
      if (captured.operationId !== 'CreateDomesticPayments') return undefined;
      const body = v.parse(PaymentBody, captured.json);
      const reason = version === 'v4.0' ? { StatusReason: [{ StatusReasonCode: 'U001', StatusReasonDescription: 'Held for review' }] } : {};
      return { status: 201, body: paymentResponse(bank, body.Data.Initiation, version === 'v3.1.11' ? 'AcceptedSettlementInProcess' : 'ACSP', reason) };
    });
    await payments.createPaymentConsent(bank.id, outbound, authorisation);
    const tokens = { accessToken: 'psu-access', refreshToken: null, expiresAt: '2026-11-30T10:05:00.000Z' };
    const submitted = await payments.submitPayment(bank.id, tokens, 'pc-0001', outbound);
    expect(submitted).toEqual({
      bankPaymentId: 'dp-0001',
      status: { code: 'ACSP', settledStatus: 'executed', reason: version === 'v4.0' ? 'U001: Held for review' : null, at: '2026-11-30T10:00:05.000Z' },
    });
    const consent = v.parse(PaymentBody, onlyRequest('CreateDomesticPaymentConsents').json);
    const paymentRequest = onlyRequest('CreateDomesticPayments');
    const payment = v.parse(PaymentBody, paymentRequest.json);
    expect(JSON.stringify(payment.Data.Initiation)).toBe(JSON.stringify(consent.Data.Initiation));
    expect(JSON.stringify(payment.Risk)).toBe(JSON.stringify(consent.Risk));
    expect(payment.Data.ConsentId).toBe('pc-0001');
    expect(payment.Data.Initiation.DebtorAccount).toEqual({ SchemeName: 'UK.OBIE.SortCodeAccountNumber', Identification: '04000412345678', Name: 'Acme Trading Ltd' });
    expect(payment.Data.Initiation.InstructedAmount).toEqual({ Amount: '0.05', Currency: 'GBP' });
    expect(payment.Risk).toEqual({ PaymentContextCode: 'TransferToThirdParty' });
    expect(paymentRequest.request.headers['x-idempotency-key']).toBe(outbound.paymentId);
    expectFapiHeaders(paymentRequest, 'psu-access');
    await expectDetachedSignature(paymentRequest);
  });

  it('exchanges the code with the PKCE verifier and reads payment status with a cached client token', async () => {
    const { payments } = setup();
    const tokens = await payments.exchangeCode(bank.id, 'code-123', authorisation);
    expect(tokens).toEqual({ accessToken: 'access-1', refreshToken: 'refresh-1', expiresAt: '2026-11-30T10:05:00.000Z' });
    const exchange = onlyRequest('token');
    await expectClientAssertion(exchange, bank);
    expect(Object.fromEntries(exchange.form ?? [])).toMatchObject({
      grant_type: 'authorization_code',
      code: 'code-123',
      redirect_uri: authorisation.redirectUri,
      code_verifier: authorisation.codeVerifier,
    });

    const official = version === 'v3.1.11' ? fixture('v3.1.11/domestic-payments__03-response.json') : undefined;
    banks.on((captured) =>
      captured.operationId === 'GetDomesticPaymentsDomesticPaymentId'
        ? { status: 200, body: official ?? paymentResponse(bank, { InstructionIdentification: 'i', EndToEndIdentification: 'e', InstructedAmount: { Amount: '1.00', Currency: 'GBP' }, CreditorAccount: { SchemeName: 'UK.OBIE.SortCodeAccountNumber', Identification: '04000412345678', Name: 'A' } }, 'RJCT', { StatusReason: [{ StatusReasonCode: 'U002', StatusReasonDescription: 'Fraud check failed' }] }) }
        : undefined,
    );
    const first = await payments.getPaymentStatus(bank.id, 'dp-0001');
    await payments.getPaymentStatus(bank.id, 'dp-0001');
    if (version === 'v4.0') expect(first).toMatchObject({ code: 'RJCT', settledStatus: 'rejected', reason: 'U002: Fraud check failed' });
    else expect(first).toMatchObject({ code: 'ACSP', settledStatus: 'executed', reason: null });
    const reads = banks.requestsTo('GetDomesticPaymentsDomesticPaymentId');
    expect(reads).toHaveLength(2);
    expect(reads[0]?.url.pathname).toBe(`${root}/pisp/domestic-payments/dp-0001`);
    // One client-credentials token for both reads (plus the earlier code exchange).
    expect(banks.requestsTo('token').filter((captured) => captured.form?.get('grant_type') === 'client_credentials')).toHaveLength(1);
  });

  it('creates an account-access consent for accounts, balances and detailed transactions', async () => {
    const { accounts } = setup();
    banks.on((captured) => {
      if (captured.operationId !== 'CreateAccountAccessConsents') return undefined;
      return {
        status: 201,
        body: {
          Data: {
            ConsentId: 'aac-0001',
            CreationDateTime: iso,
            Status: version === 'v3.1.11' ? 'AwaitingAuthorisation' : 'AWAU',
            StatusUpdateDateTime: iso,
            Permissions: ['ReadAccountsDetail', 'ReadBalances', 'ReadTransactionsCredits', 'ReadTransactionsDebits', 'ReadTransactionsDetail'],
            ExpirationDateTime: '2027-02-28T10:00:00+00:00',
          },
          Risk: {},
          Links: { Self: `${bank.resourceBaseUrl}/aisp/account-access-consents/aac-0001` },
          Meta: {},
        },
      };
    });
    const created = await accounts.createAccessConsent(bank.id, authorisation, { expiresAt: '2027-02-28T10:00:00Z' });
    expect(created.bankConsentId).toBe('aac-0001');
    const request = onlyRequest('CreateAccountAccessConsents');
    expect(request.json).toEqual({
      Data: { Permissions: ['ReadAccountsDetail', 'ReadBalances', 'ReadTransactionsCredits', 'ReadTransactionsDebits', 'ReadTransactionsDetail'], ExpirationDateTime: '2027-02-28T10:00:00.000Z' },
      Risk: {},
    });
    expectFapiHeaders(request, 'access-1');
    expect(onlyRequest('token').form?.get('scope')).toBe('accounts');
    await expectAuthorisationUrl(created.authorisationUrl, bank, 'accounts', 'aac-0001');
  });

  it('refreshes tokens, keeping the refresh token when the bank rotates none', async () => {
    const { accounts } = setup();
    banks.on((captured) => (captured.operationId === 'token' ? { status: 200, body: { access_token: 'new-access', token_type: 'Bearer', expires_in: 600 } } : undefined));
    const refreshed = await accounts.refreshTokens(bank.id, { accessToken: 'old', refreshToken: 'refresh-old', expiresAt: iso });
    expect(refreshed).toEqual({ accessToken: 'new-access', refreshToken: 'refresh-old', expiresAt: '2026-11-30T10:10:00.000Z' });
    expect(Object.fromEntries(onlyRequest('token').form ?? [])).toMatchObject({ grant_type: 'refresh_token', refresh_token: 'refresh-old' });
    await expect(accounts.refreshTokens(bank.id, { accessToken: 'old', refreshToken: null, expiresAt: iso })).rejects.toThrow(BankAccessDenied);
  });

  it('turns invalid_grant at the token endpoint into BankAccessDenied', async () => {
    const { accounts } = setup();
    banks.on((captured) => (captured.operationId === 'token' ? { status: 400, body: { error: 'invalid_grant', error_description: 'refresh token revoked' } } : undefined));
    await expect(accounts.refreshTokens(bank.id, { accessToken: 'old', refreshToken: 'refresh-old', expiresAt: iso })).rejects.toThrow(BankAccessDenied);
  });

  it('lists the accounts behind the consent', async () => {
    const { accounts } = setup();
    const kind = version === 'v4.0' ? { AccountCategory: 'Business', AccountTypeCode: 'CACC' } : { AccountType: 'Business', AccountSubType: 'CurrentAccount' };
    const body = {
      Data: {
        Account: [
          { AccountId: 'acc-1', Status: 'Enabled', Currency: 'GBP', ...kind, Nickname: 'Main', Account: [{ SchemeName: 'UK.OBIE.SortCodeAccountNumber', Identification: '04000412345678', Name: 'Acme Trading Ltd' }] },
          { AccountId: 'acc-2', Currency: 'EUR', Nickname: 'Euro', Account: [{ SchemeName: 'UK.OBIE.IBAN', Identification: 'GB33BUKB20201555555555' }] },
        ],
      },
      Links: { Self: `${bank.resourceBaseUrl}/aisp/accounts` },
      Meta: {},
    };
    banks.on((captured) => (captured.operationId === 'GetAccounts' ? { status: 200, body } : undefined));
    const listed = await accounts.listAccounts(bank.id, { accessToken: 'psu', refreshToken: null, expiresAt: iso });
    expect(listed).toEqual([
      { bankAccountId: 'acc-1', currency: 'GBP', name: 'Acme Trading Ltd', sortCode: '040004', accountNumber: '12345678', iban: null },
      { bankAccountId: 'acc-2', currency: 'EUR', name: 'Euro', sortCode: null, accountNumber: null, iban: 'GB33BUKB20201555555555' },
    ]);
    expectFapiHeaders(onlyRequest('GetAccounts'), 'psu');
  });

  it('reads the booked balance, negative when overdrawn', async () => {
    const { accounts } = setup();
    const body =
      version === 'v4.0'
        ? fixture('v4.0/Balances__01-get-balances-response.json')
        : {
            Data: {
              Balance: [
                { AccountId: 'acc-1', CreditDebitIndicator: 'Credit', Type: 'InterimAvailable', DateTime: iso, Amount: { Amount: '900.00', Currency: 'GBP' } },
                { AccountId: 'acc-1', CreditDebitIndicator: 'Credit', Type: 'ClosingBooked', DateTime: '2026-11-29T23:59:59+00:00', Amount: { Amount: '812.34', Currency: 'GBP' } },
              ],
            },
            Links: { Self: `${bank.resourceBaseUrl}/aisp/accounts/acc-1/balances` },
            Meta: {},
          };
    banks.on((captured) => (captured.operationId === 'GetAccountsAccountIdBalances' ? { status: 200, body } : undefined));
    const balance = await accounts.getBookedBalance(bank.id, { accessToken: 'psu', refreshToken: null, expiresAt: iso }, 'acc-1');
    expect(balance).toEqual(
      version === 'v4.0' ? { amount: -5736, currency: 'GBP', at: '2017-05-02T14:22:09.000Z' } : { amount: 81234, currency: 'GBP', at: '2026-11-29T23:59:59.000Z' },
    );
    expect(onlyRequest('GetAccountsAccountIdBalances').url.pathname).toBe(`${root}/aisp/accounts/acc-1/balances`);
  });

  it('fetches transactions since a time, following Links.Next to the last page', async () => {
    const { accounts } = setup();
    const entry = (id: string, status: string, booked: string) => ({
      AccountId: 'acc-1',
      TransactionId: id,
      CreditDebitIndicator: 'Credit',
      Status: status,
      BookingDateTime: booked,
      Amount: { Amount: '10.00', Currency: 'GBP' },
      TransactionInformation: `REF ${id}`,
    });
    const [booked, pending] = version === 'v3.1.11' ? ['Booked', 'Pending'] : ['BOOK', 'PDNG'];
    // Pages are time windows: the spec allows no query parameter but the booking-time filters (a `page=` would
    // be refused), so the bank's Links.Next here moves fromBookingDateTime on.
    const pages: Record<string, { entries: unknown[]; next?: string }> = {
      '2026-11-29T07:00:00.000Z': { entries: [entry('t1', booked, '2026-11-29T09:00:00+00:00'), entry('t2', booked, '2026-11-30T08:00:00+00:00')], next: '2026-11-30T09:00:00Z' },
      '2026-11-30T09:00:00Z': { entries: [entry('t3', pending, '2026-12-02T00:00:00+00:00')], next: '2026-12-02T00:00:01Z' },
      '2026-12-02T00:00:01Z': { entries: [entry('t4', booked, '2026-11-29T12:00:00+00:00')] },
    };
    banks.on((captured) => {
      if (captured.operationId !== 'GetAccountsAccountIdTransactions') return undefined;
      const from = captured.url.searchParams.get('fromBookingDateTime') ?? '';
      const page = pages[from];
      if (page === undefined) throw new Error(`unexpected page ${from}`);
      const link = (at: string) => `${bank.resourceBaseUrl}/aisp/accounts/acc-1/transactions?fromBookingDateTime=${encodeURIComponent(at)}`;
      return { status: 200, body: { Data: { Transaction: page.entries }, Links: { Self: link(from), ...(page.next === undefined ? {} : { Next: link(page.next) }) }, Meta: { TotalPages: 3 } } };
    });
    const batch = await accounts.fetchTransactions(bank.id, { accessToken: 'psu', refreshToken: null, expiresAt: iso }, { bankAccountId: 'acc-1', sortCode: '040004', accountNumber: '12345678' }, '2026-11-29T08:00:00+01:00');
    expect(batch.transactions.map((transaction) => [transaction.bankTransactionId, transaction.status, transaction.provider, transaction.sortCode])).toEqual([
      ['t1', 'booked', 'obie', '040004'],
      ['t2', 'booked', 'obie', '040004'],
      ['t3', 'pending', 'obie', '040004'],
      ['t4', 'booked', 'obie', '040004'],
    ]);
    // The latest BOOKED time: the pending entry's expected booking date lies ahead and would skip entries.
    expect(batch.latestBookingDateTime).toBe('2026-11-30T08:00:00.000Z');
    const reads = banks.requestsTo('GetAccountsAccountIdTransactions');
    expect(reads).toHaveLength(3);
    expect(reads[0]?.url.searchParams.get('fromBookingDateTime')).toBe('2026-11-29T07:00:00.000Z');
    expect(reads.map((read) => read.url.searchParams.get('fromBookingDateTime'))).toEqual(['2026-11-29T07:00:00.000Z', '2026-11-30T09:00:00Z', '2026-12-02T00:00:01Z']);
  });

  it('stops at a Links.Next that loops back, and refuses one that leaves the bank', async () => {
    const { accounts } = setup();
    const self = `${bank.resourceBaseUrl}/aisp/accounts/acc-1/transactions`;
    let next = self;
    banks.on((captured) =>
      captured.operationId === 'GetAccountsAccountIdTransactions'
        ? {
            status: 200,
            body: {
              Data: { Transaction: [{ AccountId: 'acc-1', TransactionId: 'loop-1', CreditDebitIndicator: 'Credit', Status: bank.apiVersion === 'v4.0' ? 'BOOK' : 'Booked', BookingDateTime: iso, Amount: { Amount: '1.00', Currency: 'GBP' } }] },
              Links: { Self: self, Next: next },
            },
          }
        : undefined,
    );
    const fetch = () => accounts.fetchTransactions(bank.id, { accessToken: 'psu', refreshToken: null, expiresAt: iso }, { bankAccountId: 'acc-1', sortCode: '040004', accountNumber: '12345678' }, null);
    // Next pointing back at the first page: read once, then the walk ends with what it read.
    expect((await fetch()).transactions.map((transaction) => transaction.bankTransactionId)).toEqual(['loop-1']);
    expect(banks.requestsTo('GetAccountsAccountIdTransactions')).toHaveLength(1);
    next = 'https://elsewhere.test/open-banking/v4.0/aisp/accounts/acc-1/transactions';
    await expect(fetch()).rejects.toThrow(ObieResponseError);
    expect(banks.captured.some((captured) => captured.url.host === 'elsewhere.test')).toBe(false);
  });

  it('deletes the account-access consent with a client-credentials token', async () => {
    const { accounts } = setup();
    banks.on((captured) => (captured.operationId === 'DeleteAccountAccessConsentsConsentId' ? { status: 204 } : undefined));
    await accounts.deleteAccessConsent(bank.id, 'aac-0001');
    const request = onlyRequest('DeleteAccountAccessConsentsConsentId');
    expect(request.request.method).toBe('DELETE');
    expect(request.url.pathname).toBe(`${root}/aisp/account-access-consents/aac-0001`);
    expect(request.request.headers['x-idempotency-key']).toBeUndefined();
    expectFapiHeaders(request, 'access-1');
  });

  it('maps 401/403 to BankAccessDenied and other failures to an error naming bank, operation, status and OB codes, never the token', async () => {
    const { accounts } = setup();
    // v3.1.11 error codes are UK.OBIE.* names, v4.0 ones 4-letter codes.
    const [forbidden, invalid] = version === 'v3.1.11' ? ['UK.OBIE.Resource.ConsentMismatch', 'UK.OBIE.Field.Invalid'] : ['U018', 'U009'];
    banks.on((captured) => (captured.operationId === 'GetAccounts' ? { status: 403, body: { Code: '403', Message: 'Forbidden', Errors: [{ ErrorCode: forbidden, Message: 'revoked' }] } } : undefined));
    const tokens = { accessToken: 'secret-access-token', refreshToken: null, expiresAt: iso };
    await expect(accounts.listAccounts(bank.id, tokens)).rejects.toThrow(BankAccessDenied);
    banks.on((captured) => (captured.operationId === 'GetAccounts' ? { status: 400, body: { Code: '400', Message: 'Bad', Errors: [{ ErrorCode: invalid, Message: 'x' }] } } : undefined));
    const failure = await accounts.listAccounts(bank.id, tokens).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(ObieBankError);
    expect(failure).toMatchObject({ aspspId: bank.id, operation: 'GetAccounts', status: 400, errorCodes: [invalid] });
    expect(String(failure)).not.toContain('secret-access-token');
    await expect(accounts.listAccounts('no-such-bank', tokens)).rejects.toThrow(UnknownAspspError);
  });

  it('retries once with a fresh client-credentials token when the bank refuses the cached one', async () => {
    const { payments } = setup();
    let refusals = 1;
    banks.on((captured) => {
      if (captured.operationId !== 'GetDomesticPaymentsDomesticPaymentId') return undefined;
      if (refusals > 0) {
        refusals -= 1;
        return { status: 401, body: { Code: '401', Message: 'expired', Errors: [{ ErrorCode: version === 'v3.1.11' ? 'UK.OBIE.Unauthorized' : 'U020', Message: 'expired' }] } };
      }
      return { status: 200, body: paymentResponse(bank, { InstructionIdentification: 'i', EndToEndIdentification: 'e', InstructedAmount: { Amount: '1.00', Currency: 'GBP' }, CreditorAccount: { SchemeName: 'UK.OBIE.SortCodeAccountNumber', Identification: '04000412345678', Name: 'A' } }, version === 'v4.0' ? 'ACCC' : 'AcceptedCreditSettlementCompleted') };
    });
    expect((await payments.getPaymentStatus(bank.id, 'dp-0001')).settledStatus).toBe('executed');
    const reads = banks.requestsTo('GetDomesticPaymentsDomesticPaymentId');
    expect(reads.map((read) => read.request.headers.authorization)).toEqual(['Bearer access-1', 'Bearer access-2']);
  });

  it('polls aggregated events, acknowledging processed jtis, each SET verified like a push', async () => {
    const { client } = setup();
    const signEvent = async (jti: string, kid: string) =>
      new SignJWT({
        events: {
          'urn:uk:org:openbanking:events:resource-update': {
            subject: {
              subject_type: 'http://openbanking.org.uk/rid_http://openbanking.org.uk/rty',
              'http://openbanking.org.uk/rid': 'acc-1',
              'http://openbanking.org.uk/rty': 'transactions',
              'http://openbanking.org.uk/rlk': [{ version: version === 'v4.0' ? 'v4.0' : 'v3.1', link: `${bank.resourceBaseUrl}/aisp/accounts/acc-1/transactions` }],
            },
          },
        },
        txn: 'txn-1',
        toe: Math.floor(NOW.getTime() / 1000),
      })
        .setProtectedHeader({ alg: 'PS256', kid, typ: 'JWT' })
        .setIssuer(bank.issuer)
        .setAudience(bank.clientId)
        .setSubject(`${bank.resourceBaseUrl}/aisp/accounts/acc-1`)
        .setJti(jti)
        .setIssuedAt(Math.floor(NOW.getTime() / 1000) - 30)
        .sign(await importJWK(kid === bankKey.publicJwk.kid ? bankKey.privateJwk : tpp.privateJwk, 'PS256'));
    const good = await signEvent('jti-good', bankKey.publicJwk.kid);
    const forged = await signEvent('jti-forged', bankKey.publicJwk.kid.replace('bank', 'evil'));
    banks.on((captured) => (captured.operationId === 'CreateEvents' ? { status: 200, body: { moreAvailable: false, sets: { 'jti-good': good, 'jti-forged': forged } } } : undefined));
    const verifier = new ObieEventNotificationVerifier(client, { fetchJwks: async () => ({ keys: [bankKey.publicJwk] }) });
    const polling = new ObieEventPollingGateway(client, verifier);
    const polled = await polling.poll(bank.id, ['jti-done-1', 'jti-done-2']);
    expect(polled).toEqual({
      moreAvailable: false,
      notifications: [{ aspspId: bank.id, jti: 'jti-good', issuedAt: '2026-11-30T09:59:30.000Z', events: [{ kind: 'resource-update', resourceType: 'transactions', resourceId: 'acc-1' }] }],
    });
    const [first] = banks.requestsTo('CreateEvents');
    expect(first?.url.pathname).toBe(`${root}/events`);
    expect(first?.json).toEqual({ maxEvents: 50, returnImmediately: true, ack: ['jti-done-1', 'jti-done-2'] });
    // The forged SET is reported back to the bank on the next poll, not acknowledged.
    await polling.poll(bank.id, []);
    const second = banks.requestsTo('CreateEvents')[1];
    expect(second?.json).toMatchObject({ setErrs: { 'jti-forged': { err: 'authentication_failed' } } });
    expect(second?.json).not.toHaveProperty('ack');
  });
});

describe('bank response signatures', () => {
  const bank = BANKS[1];
  const signAsBank = async (body: string, key: KeyPair): Promise<string> => {
    const jws = await new CompactSign(new TextEncoder().encode(body))
      .setProtectedHeader({ alg: 'PS256', kid: key.privateJwk.kid, typ: 'JOSE', cty: 'application/json', [OB_IAT]: Math.floor(NOW.getTime() / 1000), [OB_ISS]: bank.issuer, [OB_TAN]: 'openbanking.org.uk', crit: [...OB_CRIT] })
      .sign(await importJWK(key.privateJwk, 'PS256'), { crit: Object.fromEntries(OB_CRIT.map((name) => [name, true])) });
    const [header, , signature] = jws.split('.');
    return `${header ?? ''}..${signature ?? ''}`;
  };
  const answerSigned = (key: KeyPair, tamper = false) => (captured: CapturedRequest) =>
    captured.operationId === 'CreateDomesticPaymentConsents'
      ? { ...consentResponse(bank, captured, 'pc-0001'), headers: { 'x-jws-signature': async (body: string) => signAsBank(tamper ? body.replace('pc-0001', 'pc-0002') : body, key) } }
      : undefined;

  it('accepts a response the bank signed with a key from its JWKS, reading the JWKS once', async () => {
    const { payments } = setup();
    banks.on((captured) => (captured.operationId === 'jwks' ? { status: 200, body: { keys: [bankKey.publicJwk] } } : undefined));
    banks.on(answerSigned(bankKey));
    expect((await payments.createPaymentConsent(bank.id, inbound, authorisation)).bankConsentId).toBe('pc-0001');
    expect((await payments.createPaymentConsent(bank.id, inbound, authorisation)).bankConsentId).toBe('pc-0001');
    expect(banks.requestsTo('jwks')).toHaveLength(1);
  });

  it('refuses a response whose signature does not cover its body, or comes from another key', async () => {
    const { payments } = setup();
    banks.on((captured) => (captured.operationId === 'jwks' ? { status: 200, body: { keys: [bankKey.publicJwk] } } : undefined));
    banks.on(answerSigned(bankKey, true));
    await expect(payments.createPaymentConsent(bank.id, inbound, authorisation)).rejects.toThrow(/x-jws-signature does not verify/);
    banks.on(answerSigned(tpp));
    await expect(payments.createPaymentConsent(bank.id, inbound, authorisation)).rejects.toThrow(ObieResponseError);
  });
});

describe('the spec-checking fake bank', () => {
  it('refuses what a real bank would: a payment without its signature or Risk, a v3.1.11 field in a v4.0 body', async () => {
    const { payments } = setup();
    const validator = await (await import('./support')).validatorFor('v4.0');
    const initiation = { InstructionIdentification: 'i', EndToEndIdentification: 'e', InstructedAmount: { Amount: '1.00', Currency: 'GBP' }, CreditorAccount: { SchemeName: 'UK.OBIE.SortCodeAccountNumber', Identification: '04000412345678', Name: 'A' } };
    const headers = { authorization: 'Bearer x', 'x-idempotency-key': 'k', 'content-type': 'application/json; charset=utf-8', 'x-jws-signature': 'h..s' };
    const path = '/open-banking/v4.0/pisp/domestic-payments';
    expect(validator.validateRequest({ method: 'POST', path, headers, body: { Data: { ConsentId: 'c', Initiation: initiation }, Risk: {} } }).violations).toEqual([]);
    const { 'x-jws-signature': _signature, ...unsigned } = headers;
    expect(validator.validateRequest({ method: 'POST', path, headers: unsigned, body: { Data: { ConsentId: 'c', Initiation: initiation }, Risk: {} } }).violations).not.toEqual([]);
    expect(validator.validateRequest({ method: 'POST', path, headers, body: { Data: { ConsentId: 'c', Initiation: initiation } } }).violations).not.toEqual([]);
    expect(
      validator.validateRequest({ method: 'POST', path, headers, body: { Data: { ConsentId: 'c', Initiation: initiation }, Risk: { PaymentContextCode: 'EcommerceServices' } } }).violations,
    ).not.toEqual([]);
    expect(payments).toBeInstanceOf(ObiePaymentInitiationGateway);
  });
});
