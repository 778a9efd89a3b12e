import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type MockBanks, startMockBanks } from '../../../../infra/local/obie/mock-banks';
import { ObieClient, obieConfigurationFrom } from '../../../../shared/adapters/obie';
import { ObieVrpGateway, type VrpConsentTerms } from '../../../../shared/adapters/obie/vrp';
import type { AuthorisationRequest } from '../../../../shared/domain/open-banking/ports';
import { openAccount, readAccount } from '../../../support/obie-test-tpp';

/**
 * Settled's VRP adapter and the v4.0 mock bank, written apart to specs/v4.0/vrp-openapi.json, talking over mutual
 * TLS: a consent with ControlParameters from a mandate's limits, the payer's one authorisation, funds confirmation,
 * a payment with the refreshed payer tokens. The bank's record of spec, JWS, mTLS or client-auth breaches stays empty.
 */
describe('the VRP adapter against the v4.0 mock bank', () => {
  let banks: MockBanks;
  let vrp: ObieVrpGateway;
  let dataDir: string;

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'settled-vrp-'));
    banks = await startMockBanks({ dataDir, apiBaseUrl: 'http://127.0.0.1:9', bookingDelayMs: 50, notificationRetryDelaysMs: [] });
    vrp = new ObieVrpGateway(new ObieClient(obieConfigurationFrom(async () => JSON.stringify(banks.registry), async () => JSON.stringify(banks.credentials))));
  });
  afterAll(async () => {
    await banks?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('creates the consent from the limits, is authorised once, and pulls a payment into the tenant account', async () => {
    // Prepare: the tenant's account at mock-north, the payer's at mock-south
    const tenant = await openAccount(banks, 'mock-north', 'Acme Ltd', '0.00');
    const payer = await openAccount(banks, 'mock-south', 'P Payer', '300.00');
    const terms: VrpConsentTerms = {
      mandateId: 'man_01JD0000000000000000000001',
      type: 'sweeping',
      currency: 'GBP',
      limits: { maxPerPayment: 10_000, periods: [{ period: 'month', maxAmount: 25_000, alignment: 'calendar' }, { period: 'fortnight', maxAmount: 20_000, alignment: 'consent' }] },
      validFrom: null,
      validTo: new Date(Date.now() + 86_400_000).toISOString(),
      reference: 'SWEEP',
      creditor: { name: 'Acme Ltd', sortCode: tenant.sortCode, accountNumber: tenant.accountNumber },
    };
    const authorisation: AuthorisationRequest = { state: `state-${'s'.repeat(40)}`, nonce: 'nonce-1', codeVerifier: 'v'.padEnd(64, 'x'), redirectUri: 'http://127.0.0.1:9/v1/consents/callback' };

    // Act
    const consent = await vrp.createConsent('mock-south', terms, authorisation);
    const before = await vrp.consentStatus('mock-south', consent.bankConsentId);
    const decided = await fetch(consent.authorisationUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ outcome: 'approve', sortCode: payer.sortCode, accountNumber: payer.accountNumber }),
      redirect: 'manual',
    });
    const back = new URL(decided.headers.get('location') ?? '');
    const tokens = await vrp.refreshTokens('mock-south', await vrp.exchangeCode('mock-south', back.searchParams.get('code') ?? '', authorisation));
    const funds = await vrp.confirmFunds('mock-south', tokens, consent.bankConsentId, 10_000, 'GBP', 'STABC12345');
    const paid = await vrp.submitPayment('mock-south', tokens, consent.bankConsentId, terms, { paymentId: 'pay_01JD0000000000000000000001', amount: 10_000, reference: 'STABC12345' });
    const again = await vrp.submitPayment('mock-south', tokens, consent.bankConsentId, terms, { paymentId: 'pay_01JD0000000000000000000001', amount: 10_000, reference: 'STABC12345' });

    // Assess
    expect(before).toBe('awaiting_authorisation');
    expect(decided.status).toBe(303);
    expect(await vrp.consentStatus('mock-south', consent.bankConsentId)).toBe('approved');
    expect(funds).toBe(true);
    expect(paid.bankPaymentId).toMatch(/^vrp-/);
    // The same payment id is the same payment at the bank (x-idempotency-key), never a second pull.
    expect(again.bankPaymentId).toBe(paid.bankPaymentId);
    await new Promise((resolve) => setTimeout(resolve, 300));
    const credited = await readAccount(banks, 'mock-north', tenant.accountId);
    expect(credited.balance.booked).toBe('100.00');
    expect(credited.transactions.filter((t) => t.status === 'booked')).toEqual([expect.objectContaining({ creditDebit: 'Credit', amount: '100.00', reference: 'STABC12345' })]);

    // Act: Settled revokes the consent at the bank (DELETE, client credentials)
    await vrp.deleteConsent('mock-south', consent.bankConsentId);

    // Assess: the consent is over, and no payment is taken under it any more
    expect(await vrp.consentStatus('mock-south', consent.bankConsentId)).toBe('revoked');
    await expect(vrp.submitPayment('mock-south', tokens, consent.bankConsentId, terms, { paymentId: 'pay_01JD0000000000000000000002', amount: 1_000, reference: 'STABC12346' })).rejects.toThrow();
    expect(banks.violations()).toEqual([]);
  }, 60_000);
});
