import { describe, expect, it } from 'vitest';
import { reconfirmConsent, revokeConsent, revokeConsentByBank } from '../../../../shared/domain/accounts/consents';
import { NotFoundError, UnprocessableError, ValidationError } from '../../../../shared/domain/errors';
import { sessionFor } from '../../../../shared/domain/open-banking/authorisation';
import { anAccount, TENANT_ID } from '../../../support/domain-fakes';
import { aBankAccount, fakeSealer } from '../../../support/open-banking-fakes';
import { API_BASE_URL, obieWorld } from './obie-world';

describe('connectObieAccount', () => {
  it('refuses a bank the registry does not list with 422 unknown_aspsp, asking the bank nothing', async () => {
    const world = obieWorld();
    const error = await world.connect({ aspspId: 'no-such-bank' }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(UnprocessableError);
    expect(error).toMatchObject({ code: 'unknown_aspsp' });
    expect(world.gateway.calls).toEqual([]);
    expect(world.accounts.accounts).toEqual([]);
  });

  it('creates the consent at the bank and stores the account awaiting authorisation with a single-use session', async () => {
    // Act
    const world = obieWorld();
    const account = await world.connect({ redirectUrl: 'https://tenant.example/connected' });
    // Assess
    expect(account).toMatchObject({
      status: 'awaiting_authorisation',
      provider: 'obie',
      aspspId: 'mock-v4',
      sortCode: null,
      bankAccountId: null,
      consent: { status: 'awaiting_authorisation', bankConsentId: 'bank-consent-1' },
    });
    expect(account.consent.authorisationUrl).toMatch(/^http:\/\/127\.0\.0\.1:8080\/authorize\?consent=bank-consent-1/);
    expect(await world.accounts.get(TENANT_ID, account.id)).toEqual(account);
    const [request] = world.gateway.callsOf('createAccessConsent');
    expect(request?.detail).toMatchObject({ redirectUri: `${API_BASE_URL}/v1/consents/callback` });
    const session = world.sessions.sessions.get(world.stateOf(account.id));
    expect(session).toMatchObject({
      purpose: 'account-access',
      tenantId: TENANT_ID,
      subjectId: account.id,
      aspspId: 'mock-v4',
      bankConsentId: 'bank-consent-1',
      redirectUrl: 'https://tenant.example/connected',
      createdAt: '2026-11-24T10:00:00.000Z',
      expiresAt: '2026-11-24T11:00:00.000Z',
      usedAt: null,
    });
    // The PKCE verifier is kept sealed, never as it was sent.
    const verifier = (request?.detail as { codeVerifier: string }).codeVerifier;
    expect(session?.sealedCodeVerifier).not.toContain(verifier);
  });
});

describe('the consent callback (account access)', () => {
  it('exchanges the code with the PKCE verifier, connects the first account in the currency and opens it at its booked balance', async () => {
    // Prepare
    const world = obieWorld();
    world.gateway.accounts = [aBankAccount({ bankAccountId: 'eur', currency: 'EUR' }), aBankAccount({ bankAccountId: 'no-number', sortCode: null, accountNumber: null, iban: 'GB00' }), aBankAccount()];
    const account = await world.connect();
    const verifier = (world.gateway.callsOf('createAccessConsent')[0]?.detail as { codeVerifier: string }).codeVerifier;
    // Act
    const result = await world.callback({ state: world.stateOf(account.id), code: 'the-code' });
    // Assess
    expect(result.outcome.kind).toBe('connected');
    expect(world.gateway.callsOf('exchangeCode')[0]?.detail).toEqual({ code: 'the-code', codeVerifier: verifier, redirectUri: `${API_BASE_URL}/v1/consents/callback` });
    const stored = await world.accounts.get(TENANT_ID, account.id);
    expect(stored).toMatchObject({
      status: 'active',
      sortCode: '601613',
      accountNumber: '31926819',
      bankAccountId: 'bank-acc-1',
      openingBalance: 250_000,
      syncCursor: '2026-11-24T09:59:00.000Z',
      connectedAt: '2026-11-24T09:59:00.000Z',
      consent: { status: 'authorised', authorisationUrl: null, reconfirmBy: '2027-02-22T10:00:00.000Z' },
      version: 2,
    });
    expect(world.accounts.connections.map((connected) => connected.id)).toEqual([account.id]);
    const tokens = world.tokens.stored.get(`${TENANT_ID}|${account.consent.id}`);
    expect(tokens?.version).toBe(1);
    expect(tokens?.sealed).not.toContain('access-code-the-code');
  });

  it('connects the account the request named by sort code and number', async () => {
    const world = obieWorld();
    world.gateway.accounts = [aBankAccount(), aBankAccount({ bankAccountId: 'second', sortCode: '601613', accountNumber: '99990000' })];
    const account = await world.connect({ sortCode: '601613', accountNumber: '99990000' });
    await world.callback({ state: world.stateOf(account.id), code: 'c' });
    expect(await world.accounts.get(TENANT_ID, account.id)).toMatchObject({ status: 'active', bankAccountId: 'second' });
  });

  it('a replayed state is refused with invalid_state and changes nothing', async () => {
    // Prepare
    const world = obieWorld();
    const account = await world.connect();
    const state = world.stateOf(account.id);
    await world.callback({ state, code: 'c' });
    const after = await world.accounts.get(TENANT_ID, account.id);
    const tokensAfter = world.tokens.stored.get(`${TENANT_ID}|${account.consent.id}`);
    // Act
    const replay = await world.callback({ state, code: 'c' }).catch((caught: unknown) => caught);
    const rejectedReplay = await world.callback({ state, error: 'access_denied' }).catch((caught: unknown) => caught);
    // Assess
    expect(replay).toBeInstanceOf(ValidationError);
    expect(replay).toMatchObject({ code: 'invalid_state' });
    expect(rejectedReplay).toMatchObject({ code: 'invalid_state' });
    expect(world.gateway.callsOf('exchangeCode')).toHaveLength(1);
    expect(await world.accounts.get(TENANT_ID, account.id)).toEqual(after);
    expect(world.tokens.stored.get(`${TENANT_ID}|${account.consent.id}`)).toEqual(tokensAfter);
  });

  it('refuses an unknown or expired state, asking the bank nothing', async () => {
    const world = obieWorld();
    const account = await world.connect();
    await expect(world.callback({ state: 'made-up', code: 'c' })).rejects.toMatchObject({ code: 'invalid_state' });
    world.clock.set('2026-11-24T11:00:00.000Z');
    await expect(world.callback({ state: world.stateOf(account.id), code: 'c' })).rejects.toMatchObject({ code: 'invalid_state' });
    expect(world.gateway.callsOf('exchangeCode')).toEqual([]);
    expect((await world.accounts.get(TENANT_ID, account.id))?.status).toBe('awaiting_authorisation');
  });

  it('the customer refusing at the bank rejects the consent; the account stays unusable and no code is exchanged', async () => {
    const world = obieWorld();
    const account = await world.connect({ redirectUrl: 'https://tenant.example/back' });
    const result = await world.callback({ state: world.stateOf(account.id), error: 'access_denied' });
    expect(result).toMatchObject({ redirectUrl: 'https://tenant.example/back', outcome: { kind: 'failed', reason: 'consent_rejected', accountId: account.id } });
    expect(await world.accounts.get(TENANT_ID, account.id)).toMatchObject({
      status: 'disconnected',
      consent: { status: 'rejected', statusReason: 'access_denied', authorisationUrl: null },
    });
    expect(world.gateway.callsOf('exchangeCode')).toEqual([]);
  });

  it('rejects the consent when the bank offers no account that fits, and stores no tokens', async () => {
    const world = obieWorld();
    world.gateway.accounts = [aBankAccount({ currency: 'EUR' })];
    const account = await world.connect();
    const result = await world.callback({ state: world.stateOf(account.id), code: 'c' });
    expect(result.outcome).toMatchObject({ kind: 'failed', reason: 'no_matching_account' });
    expect(await world.accounts.get(TENANT_ID, account.id)).toMatchObject({ status: 'disconnected', consent: { status: 'rejected', statusReason: 'no_matching_account' } });
    expect(world.tokens.stored.size).toBe(0);
  });

  it('claims a payment session and answers not found while no payments flow is plugged in', async () => {
    const world = obieWorld();
    const session = await sessionFor(
      { state: 'pay-state', nonce: 'n', codeVerifier: 'v', redirectUri: `${API_BASE_URL}/v1/consents/callback` },
      { purpose: 'payment', tenantId: TENANT_ID, subjectId: 'pay_1', aspspId: 'mock-v4', bankConsentId: 'pc-1', redirectUrl: null },
      { sealer: fakeSealer, clock: world.clock },
    );
    await world.sessions.create(session);
    await expect(world.callback({ state: 'pay-state', code: 'c' })).rejects.toBeInstanceOf(NotFoundError);
    expect(world.sessions.sessions.get('pay-state')?.usedAt).not.toBeNull();
    expect(world.gateway.calls).toEqual([]);
  });
});

describe('reconfirmConsent', () => {
  it('sandbox: moves reconfirmBy 90 days from now at once', async () => {
    const world = obieWorld('2027-02-20T10:00:00.000Z');
    world.accounts.put(anAccount());
    const account = await reconfirmConsent(
      { tenantId: TENANT_ID, consentId: 'con_01JD0000000000000000000001', redirectUrl: null },
      { ...world.deps, startObieReconfirmation: world.startObieReconfirmation },
    );
    expect(account.consent.reconfirmBy).toBe('2027-05-21T10:00:00.000Z');
    expect(world.gateway.calls).toEqual([]);
  });

  it('obie: a new consent at the bank; the old one serves until authorised, then is replaced and deleted at the bank', async () => {
    // Prepare
    const world = obieWorld();
    const connected = await world.connected();
    world.clock.set('2027-02-15T10:00:00.000Z');
    // Act
    const pending = await reconfirmConsent(
      { tenantId: TENANT_ID, consentId: connected.consent.id, redirectUrl: null },
      { ...world.deps, startObieReconfirmation: world.startObieReconfirmation },
    );
    // Assess: still authorised under the old bank consent, with a new authorisation URL.
    expect(pending).toMatchObject({ status: 'active', consent: { status: 'authorised', bankConsentId: 'bank-consent-1', pendingBankConsentId: 'bank-consent-2' } });
    expect(pending.consent.authorisationUrl).toContain('consent=bank-consent-2');
    // Act: the customer authorises the new consent.
    const result = await world.callback({ state: world.stateOf(connected.id), code: 'c2' });
    // Assess
    expect(result.outcome.kind).toBe('reconfirmed');
    expect(await world.accounts.get(TENANT_ID, connected.id)).toMatchObject({
      status: 'active',
      bankAccountId: 'bank-acc-1',
      openingBalance: 250_000,
      consent: { status: 'authorised', bankConsentId: 'bank-consent-2', pendingBankConsentId: null, authorisationUrl: null, reconfirmBy: '2027-05-16T10:00:00.000Z' },
    });
    expect(world.gateway.callsOf('deleteAccessConsent').map((call) => call.detail)).toEqual(['bank-consent-1']);
    expect(world.tokens.stored.get(`${TENANT_ID}|${connected.consent.id}`)?.version).toBe(2);
    expect(world.gateway.callsOf('getBookedBalance')).toHaveLength(1);
  });

  it('refuses a revoked consent with 409 consent_revoked', async () => {
    const world = obieWorld();
    world.accounts.put(anAccount({ consent: { ...anAccount().consent, status: 'revoked' } }));
    await expect(
      reconfirmConsent({ tenantId: TENANT_ID, consentId: 'con_01JD0000000000000000000001', redirectUrl: null }, { ...world.deps, startObieReconfirmation: world.startObieReconfirmation }),
    ).rejects.toMatchObject({ code: 'consent_revoked' });
  });
});

describe('revokeConsent', () => {
  it('revokes here, tells the bank once, and a second revoke changes nothing and tells nobody', async () => {
    const world = obieWorld();
    const connected = await world.connected();
    const first = await revokeConsent({ tenantId: TENANT_ID, consentId: connected.consent.id }, world.deps);
    const second = await revokeConsent({ tenantId: TENANT_ID, consentId: connected.consent.id }, world.deps);
    expect(first).toMatchObject({ status: 'disconnected', consent: { status: 'revoked', statusReason: 'revoked_by_tenant' } });
    expect(second).toEqual(first);
    expect(world.gateway.callsOf('deleteAccessConsent').map((call) => call.detail)).toEqual(['bank-consent-1']);
  });

  it('stays revoked when the bank cannot be told, and logs it without secrets', async () => {
    const world = obieWorld();
    const connected = await world.connected();
    world.gateway.failures.set('deleteAccessConsent', new Error('bank down'));
    const account = await revokeConsent({ tenantId: TENANT_ID, consentId: connected.consent.id }, world.deps);
    expect(account.consent.status).toBe('revoked');
    expect(world.warnings).toEqual([{ message: expect.stringContaining('could not be told'), details: { consentId: connected.consent.id, aspspId: 'mock-v4', error: 'Error' } }]);
  });

  it('answers an unknown consent as not found', async () => {
    const world = obieWorld();
    await expect(revokeConsent({ tenantId: TENANT_ID, consentId: 'con_x' }, world.deps)).rejects.toBeInstanceOf(NotFoundError);
  });
});

describe('revokeConsentByBank', () => {
  it('revokes the consent the bank names, keeping its reason', async () => {
    const world = obieWorld();
    const connected = await world.connected();
    await revokeConsentByBank({ aspspId: 'mock-v4', bankConsentId: 'bank-consent-1', reason: 'customer withdrew consent' }, world.deps);
    expect(await world.accounts.get(TENANT_ID, connected.id)).toMatchObject({ consent: { status: 'revoked', statusReason: 'customer withdrew consent' } });
    expect(world.gateway.callsOf('deleteAccessConsent')).toEqual([]);
  });

  it('ignores a consent it does not know, and one at another bank', async () => {
    const world = obieWorld();
    const connected = await world.connected();
    expect(await revokeConsentByBank({ aspspId: 'mock-v4', bankConsentId: 'unknown', reason: null }, world.deps)).toBeUndefined();
    await revokeConsentByBank({ aspspId: 'other-bank', bankConsentId: 'bank-consent-1', reason: null }, world.deps);
    expect((await world.accounts.get(TENANT_ID, connected.id))?.consent.status).toBe('authorised');
  });
});
