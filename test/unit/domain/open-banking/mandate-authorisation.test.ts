import { describe, expect, it } from 'vitest';
import type { Page } from '../../../../shared/domain/accounts/account';
import type { DomainEvent } from '../../../../shared/domain/events/domain-event';
import type { Mandate, PeriodUsage } from '../../../../shared/domain/mandates/mandate';
import type { MandatePaymentOutcome, MandateRepository, UsageClaim } from '../../../../shared/domain/mandates/ports';
import { storeTokens } from '../../../../shared/domain/open-banking/authorisation';
import { handleConsentCallback } from '../../../../shared/domain/open-banking/consent-callback';
import { completeMandateCallback, FundsNotAvailable, ObieMandateGateway, type VrpConsentTerms, type VrpGateway } from '../../../../shared/domain/open-banking/mandate-authorisation';
import type { ObiePaymentRecord } from '../../../../shared/domain/open-banking/payment-authorisation';
import type { AuthorisationRequest, BankTokens } from '../../../../shared/domain/open-banking/ports';
import { AT, anAccount, aPayment, InMemoryAccountRepository, RecordingEventPublisher, TENANT_ID } from '../../../support/domain-fakes';
import { fixedClock } from '../../../support/fakes';
import { anAspsp, fakeSealer, InMemoryAuthorisationSessionStore, InMemoryBankTokenStore, RecordingSettlementQueue, StaticAspspDirectory } from '../../../support/open-banking-fakes';
import { API_BASE_URL, countingSecrets } from '../accounts/obie-world';

/** The bank's VRP API, recording what Settled asked of it. */
class FakeVrpGateway implements VrpGateway {
  readonly calls: string[] = [];
  consents: { aspspId: string; terms: VrpConsentTerms; authorisation: AuthorisationRequest }[] = [];
  fundsAvailable = true;
  refreshed = 0;
  async createConsent(aspspId: string, terms: VrpConsentTerms, authorisation: AuthorisationRequest) {
    this.calls.push('createConsent');
    this.consents.push({ aspspId, terms, authorisation });
    return { bankConsentId: 'vrc-1', authorisationUrl: `https://bank.example/authorize?state=${authorisation.state}` };
  }
  async exchangeCode(_aspspId: string, code: string, authorisation: AuthorisationRequest): Promise<BankTokens> {
    this.calls.push(`exchangeCode:${code}:${authorisation.codeVerifier === this.consents[0]?.authorisation.codeVerifier ? 'verifier-ok' : 'verifier-bad'}`);
    return { accessToken: 'psu-access-1', refreshToken: 'psu-refresh-1', expiresAt: '2026-11-24T10:30:00.000Z' };
  }
  async refreshTokens(_aspspId: string, tokens: BankTokens): Promise<BankTokens> {
    this.refreshed += 1;
    this.calls.push(`refresh:${tokens.refreshToken ?? ''}`);
    return { accessToken: 'psu-access-2', refreshToken: 'psu-refresh-2', expiresAt: '2026-11-24T12:00:00.000Z' };
  }
  async confirmFunds(_aspspId: string, tokens: BankTokens, consentId: string, amount: number) {
    this.calls.push(`confirmFunds:${tokens.accessToken}:${consentId}:${amount}`);
    return this.fundsAvailable;
  }
  async submitPayment(_aspspId: string, tokens: BankTokens, consentId: string, _terms: unknown, instruction: { paymentId: string; amount: number; reference: string }) {
    this.calls.push(`submit:${tokens.accessToken}:${consentId}:${instruction.paymentId}:${instruction.amount}:${instruction.reference}`);
    return { bankPaymentId: 'vrp-1', status: { code: 'ACSP', settledStatus: 'pending' as const, reason: null, at: '2026-11-24T10:00:01.000Z' } };
  }
  async deleteConsent(aspspId: string, consentId: string) {
    this.calls.push(`delete:${aspspId}:${consentId}`);
  }
}

/** Mandates by id with their outbox, each update conditional on the version read (as the DynamoDB repository). */
class InMemoryMandates implements MandateRepository {
  readonly items = new Map<string, { mandate: Mandate; outbox: DomainEvent[] }>();
  async create(mandate: Mandate) {
    this.items.set(mandate.id, { mandate, outbox: [] });
  }
  async get(_tenantId: string, mandateId: string) {
    return this.items.get(mandateId);
  }
  async list(): Promise<Page<Mandate>> {
    return { data: [...this.items.values()].map((item) => item.mandate), nextCursor: null };
  }
  async usage(_mandate: Mandate, windows: readonly UsageClaim[]): Promise<PeriodUsage[]> {
    return windows.map((window) => ({ ...window, used: 0 }));
  }
  async update(previous: Mandate, next: Mandate, outbox: readonly DomainEvent[]) {
    const stored = this.items.get(previous.id);
    if (stored?.mandate.version !== previous.version) return false;
    this.items.set(next.id, { mandate: next, outbox: [...stored.outbox, ...outbox] });
    return true;
  }
  async clearOutbox(_tenantId: string, mandateId: string, published: readonly DomainEvent[]) {
    const stored = this.items.get(mandateId);
    if (stored !== undefined) stored.outbox = stored.outbox.filter((event) => !published.some((done) => done.metadata.id === event.metadata.id));
  }
  async createPayment(): Promise<MandatePaymentOutcome> {
    throw new Error('not used here');
  }
}

class InMemoryRecords {
  readonly records = new Map<string, ObiePaymentRecord>();
  async create(record: ObiePaymentRecord) {
    this.records.set(record.bankPaymentId, record);
  }
  async get(bankPaymentId: string) {
    return this.records.get(bankPaymentId);
  }
  async update(previous: ObiePaymentRecord, next: ObiePaymentRecord) {
    if (this.records.get(previous.bankPaymentId)?.version !== previous.version) return false;
    this.records.set(next.bankPaymentId, next);
    return true;
  }
}

const obieAccount = anAccount({ id: 'acc_ob', provider: 'obie', aspspId: 'mock-v4', name: 'Acme Ltd', sortCode: '040210', accountNumber: '12345678' });

const world = () => {
  const clock = fixedClock(AT);
  const vrp = new FakeVrpGateway();
  const sessions = new InMemoryAuthorisationSessionStore();
  const tokens = new InMemoryBankTokenStore();
  const mandates = new InMemoryMandates();
  const events = new RecordingEventPublisher();
  const records = new InMemoryRecords();
  const settlements = new RecordingSettlementQueue();
  const accounts = new InMemoryAccountRepository();
  const warnings: string[] = [];
  const directory = new StaticAspspDirectory([anAspsp(), anAspsp({ id: 'mock-v3', apiVersion: 'v3.1.11' })]);
  const gateway = new ObieMandateGateway({ vrp, accounts, directory, sessions, tokens, sealer: fakeSealer, records, settlements, secrets: countingSecrets(), clock, apiBaseUrl: API_BASE_URL, log: { warn: (message: string) => void warnings.push(message) } });
  const callbackDeps = { vrp, tokens, sealer: fakeSealer, mandates, events, clock, apiBaseUrl: API_BASE_URL };
  const callback = (query: { state: string; code: string | null; error: string | null }) =>
    handleConsentCallback(query, { sessions, completeAccountAccess: () => Promise.reject(new Error('no')), rejectAccountAccess: () => Promise.reject(new Error('no')), completeMandate: (session, q) => completeMandateCallback(session, q, callbackDeps), now: () => clock.now() });
  return { warnings, clock, vrp, sessions, tokens, mandates, events, records, settlements, accounts, gateway, callback };
};

const draftMandate = {
  id: 'man_1',
  tenantId: TENANT_ID,
  accountId: obieAccount.id,
  type: 'sweeping' as const,
  currency: 'GBP',
  reference: 'SWEEP',
  counterparty: null,
  limits: { maxPerPayment: 5_000, periods: [{ period: 'month' as const, maxAmount: 6_000, alignment: 'calendar' as const }] },
  validFrom: null,
  validTo: null,
  status: 'authorisation_required' as const,
  provider: 'obie' as const,
  createdAt: AT,
  updatedAt: AT,
  activatedAt: null,
  revokedAt: null,
  version: 1,
};

/** A mandate created at the fake bank and stored, awaiting the payer. */
const createdMandate = async (w: ReturnType<typeof world>): Promise<Mandate> => {
  const atBank = await w.gateway.createMandate(draftMandate, obieAccount);
  const mandate: Mandate = { ...draftMandate, ...atBank };
  await w.mandates.create(mandate);
  return mandate;
};

describe('mandates on Open Banking accounts', () => {
  it('creates the VRP consent with the limits and the tenant account as creditor, and a mandate session for the callback', async () => {
    const w = world();
    const mandate = await createdMandate(w);
    expect(mandate).toMatchObject({ bankMandateId: 'vrc-1', authorisationUrl: expect.stringContaining('https://bank.example/authorize') });
    expect(w.vrp.consents[0]?.terms).toMatchObject({ mandateId: 'man_1', limits: draftMandate.limits, creditor: { name: 'Acme Ltd', sortCode: '040210', accountNumber: '12345678' } });
    const [session] = [...w.sessions.sessions.values()];
    expect(session).toMatchObject({ purpose: 'mandate', subjectId: 'man_1', bankConsentId: 'vrc-1', aspspId: 'mock-v4', usedAt: null });
  });

  it('refuses an account at a v3.1.11 bank with a 400 naming v4.0, and asks the bank nothing', async () => {
    const w = world();
    await expect(w.gateway.createMandate(draftMandate, { ...obieAccount, aspspId: 'mock-v3' })).rejects.toMatchObject({ code: 'validation_failed', message: expect.stringContaining('v4.0') });
    expect(w.vrp.calls).toEqual([]);
  });

  it('completes the callback: code exchanged with the session verifier, tokens sealed and stored, mandate active with mandate.activated once', async () => {
    const w = world();
    const mandate = await createdMandate(w);
    const state = [...w.sessions.sessions.values()][0]?.state ?? '';

    const result = await w.callback({ state, code: 'code-1', error: null });

    expect(result.outcome).toEqual({ kind: 'mandate', mandateId: mandate.id, status: 'active' });
    expect(w.vrp.calls).toContain('exchangeCode:code-1:verifier-ok');
    const stored = await w.tokens.get(TENANT_ID, 'vrc-1');
    if (stored === undefined) throw new Error('no tokens stored');
    expect(JSON.parse(await fakeSealer.open(stored.sealed, { tenantId: TENANT_ID, consentId: 'vrc-1' }))).toEqual({ accessToken: 'psu-access-1', refreshToken: 'psu-refresh-1', expiresAt: '2026-11-24T10:30:00.000Z' });
    expect(w.mandates.items.get(mandate.id)?.mandate).toMatchObject({ status: 'active', activatedAt: AT, version: 2 });
    expect(w.mandates.items.get(mandate.id)?.outbox).toEqual([]);
    expect(w.events.published.map((event) => event.type)).toEqual(['mandate.activated']);
    await expect(w.callback({ state, code: 'code-1', error: null })).rejects.toMatchObject({ code: 'invalid_state' });
    expect(w.events.published).toHaveLength(1);
  });

  it('rejects the mandate when the payer refused at the bank, storing no tokens', async () => {
    const w = world();
    const mandate = await createdMandate(w);
    const state = [...w.sessions.sessions.values()][0]?.state ?? '';
    const result = await w.callback({ state, code: null, error: 'access_denied' });
    expect(result.outcome).toEqual({ kind: 'mandate', mandateId: mandate.id, status: 'rejected' });
    expect(await w.tokens.get(TENANT_ID, 'vrc-1')).toBeUndefined();
    expect(w.events.published).toEqual([]);
  });

  it('pays with refreshed payer tokens: funds confirmed, the VRP submitted under the payment id, the record and the bank report kept', async () => {
    const w = world();
    const mandate = { ...(await createdMandate(w)), status: 'active' as const };
    // Tokens that expire within the refresh margin: refreshed first, the new ones stored.
    await storeTokens({ tenantId: TENANT_ID, consentId: 'vrc-1' }, { accessToken: 'old', refreshToken: 'r-0', expiresAt: '2026-11-24T10:00:30.000Z' }, null, { tokens: w.tokens, sealer: fakeSealer });
    const bankPaymentId = w.gateway.nextPaymentId();
    const payment = aPayment({ id: 'pay_1', accountId: obieAccount.id, provider: 'obie', direction: 'inbound', amount: 4_000, reference: 'REF-1', bankPaymentId, mandateId: mandate.id });

    await w.gateway.executePayment(mandate, payment, obieAccount);

    expect(w.vrp.calls.slice(-3)).toEqual(['refresh:r-0', 'confirmFunds:psu-access-2:vrc-1:4000', 'submit:psu-access-2:vrc-1:pay_1:4000:REF-1']);
    expect(w.records.records.get(bankPaymentId)).toMatchObject({ paymentId: 'pay_1', aspspId: 'mock-v4', bankConsentId: 'vrc-1', domesticPaymentId: 'vrp-1' });
    expect(w.settlements.messages).toEqual([{ kind: 'payment_status', report: expect.objectContaining({ provider: 'obie', bankPaymentId, status: 'authorised' }) }]);
  });

  it('submits nothing when the bank says funds are not available', async () => {
    const w = world();
    const mandate = { ...(await createdMandate(w)), status: 'active' as const };
    await storeTokens({ tenantId: TENANT_ID, consentId: 'vrc-1' }, { accessToken: 'a', refreshToken: 'r', expiresAt: '2026-11-24T12:00:00.000Z' }, null, { tokens: w.tokens, sealer: fakeSealer });
    w.vrp.fundsAvailable = false;
    const payment = aPayment({ id: 'pay_2', provider: 'obie', bankPaymentId: w.gateway.nextPaymentId(), mandateId: mandate.id });
    await expect(w.gateway.executePayment(mandate, payment, obieAccount)).rejects.toBeInstanceOf(FundsNotAvailable);
    expect(w.vrp.calls.some((call) => call.startsWith('submit'))).toBe(false);
    expect(w.settlements.messages).toEqual([]);
  });

  it('deletes the consent at the account bank on revoke', async () => {
    const w = world();
    await w.accounts.create(obieAccount);
    const mandate = await createdMandate(w);
    await w.gateway.revokeMandate({ ...mandate, status: 'revoked' });
    expect(w.vrp.calls.at(-1)).toBe('delete:mock-v4:vrc-1');
    expect(w.warnings).toEqual([]);
  });

  it('keeps a revocation when the bank cannot delete the consent: logged, not thrown', async () => {
    const w = world();
    await w.accounts.create(obieAccount);
    const mandate = await createdMandate(w);
    w.vrp.deleteConsent = () => Promise.reject(new Error('bank down'));
    await expect(w.gateway.revokeMandate({ ...mandate, status: 'revoked' })).resolves.toBeUndefined();
    expect(w.warnings).toEqual([expect.stringContaining('could not be deleted')]);
  });
});
