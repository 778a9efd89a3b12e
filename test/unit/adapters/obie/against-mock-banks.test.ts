import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type MockBanks, startMockBanks } from '../../../../infra/local/obie/mock-banks';
import { createObieGateways, obieConfigurationFrom, type ObieGateways } from '../../../../shared/adapters/obie';
import type { AuthorisationRequest } from '../../../../shared/domain/open-banking/ports';

/**
 * The gateway adapter and the mock banks were written apart, each to the official specs: here they talk to each
 * other over real mutual TLS, and the banks' record of every spec, JWS, mTLS or client-auth breach must stay empty.
 */
describe('the Open Banking gateway against the mock banks', () => {
  let banks: MockBanks;
  let obie: ObieGateways;
  let dataDir: string;
  let request = 0;

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'settled-obie-'));
    banks = await startMockBanks({ dataDir, apiBaseUrl: 'http://127.0.0.1:9', bookingDelayMs: 50, notificationRetryDelaysMs: [] });
    obie = createObieGateways(
      obieConfigurationFrom(
        async () => JSON.stringify(banks.registry),
        async () => JSON.stringify(banks.credentials),
      ),
    );
  });

  afterAll(async () => {
    await banks?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  const authorisation = (): AuthorisationRequest => {
    request += 1;
    return { state: `state-${request}-${'s'.repeat(40)}`, nonce: `nonce-${request}`, codeVerifier: `v${request}`.padEnd(64, 'x'), redirectUri: 'http://127.0.0.1:9/v1/consents/callback' };
  };

  /** The PSU approves on the bank's page; the bank answers 303 to the redirect URI with the code. */
  const approve = async (authorisationUrl: string, body: Record<string, string> = {}): Promise<URL> => {
    const response = await fetch(authorisationUrl, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ outcome: 'approve', ...body }), redirect: 'manual' });
    expect(response.status).toBe(303);
    return new URL(response.headers.get('location') ?? '');
  };

  it('connects an account at the v4.0 bank, reads its balance and pages through its transactions', async () => {
    const auth = authorisation();
    const consent = await obie.accounts.createAccessConsent('mock-south', auth, { expiresAt: null });
    const back = await approve(consent.authorisationUrl);
    expect(back.searchParams.get('state')).toBe(auth.state);
    const tokens = await obie.accounts.exchangeCode('mock-south', back.searchParams.get('code') ?? '', auth);
    const [account] = await obie.accounts.listAccounts('mock-south', tokens);
    expect(account).toMatchObject({ currency: 'GBP', sortCode: expect.stringMatching(/^0402/) });
    if (account === undefined || account.sortCode === null || account.accountNumber === null) throw new Error('no account');
    expect(await obie.accounts.getBookedBalance('mock-south', tokens, account.bankAccountId)).toMatchObject({ amount: 1_000_000, currency: 'GBP' });

    const control = banks.banks.find((bank) => bank.id === 'mock-south')?.controlUrl ?? '';
    for (let i = 0; i < 30; i += 1) {
      const credit = await fetch(`${control}/accounts/${account.bankAccountId}/credits`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ amount: `${i + 1}.05`, reference: `INV ${i}`, payerName: 'J Smith' }),
      });
      expect(credit.status).toBe(202);
    }
    await new Promise((resolve) => setTimeout(resolve, 400));
    const batch = await obie.accounts.fetchTransactions('mock-south', tokens, { bankAccountId: account.bankAccountId, sortCode: account.sortCode, accountNumber: account.accountNumber }, null);
    const booked = batch.transactions.filter((transaction) => transaction.status === 'booked');
    expect(booked).toHaveLength(30);
    expect(booked.map((transaction) => transaction.amount).sort((a, b) => a - b)[0]).toBe(105);
    expect(booked[0]).toMatchObject({ provider: 'obie', creditDebitIndicator: 'credit', sortCode: account.sortCode, reference: expect.stringMatching(/^INV \d+$/) });
    expect(batch.latestBookingDateTime).not.toBeNull();
    expect(banks.violations()).toEqual([]);
  });

  it('pays from the v3.1.11 bank into the v4.0 bank and follows the payment status to completed', async () => {
    const authPayee = authorisation();
    const payeeConsent = await obie.accounts.createAccessConsent('mock-south', authPayee, { expiresAt: null });
    const payeeBack = await approve(payeeConsent.authorisationUrl);
    const payeeTokens = await obie.accounts.exchangeCode('mock-south', payeeBack.searchParams.get('code') ?? '', authPayee);
    const [payee] = await obie.accounts.listAccounts('mock-south', payeeTokens);
    if (payee?.sortCode == null || payee.accountNumber == null) throw new Error('no payee account');

    const instruction = { paymentId: 'pay_01JD0000000000000000000042', amount: 12_550, currency: 'GBP', reference: 'ST7KQ2M9XR4', creditor: { name: 'Acme Ltd', sortCode: payee.sortCode, accountNumber: payee.accountNumber }, debtor: null };
    const auth = authorisation();
    const consent = await obie.payments.createPaymentConsent('mock-north', instruction, auth);
    const back = await approve(consent.authorisationUrl);
    const tokens = await obie.payments.exchangeCode('mock-north', back.searchParams.get('code') ?? '', auth);
    const submitted = await obie.payments.submitPayment('mock-north', tokens, consent.bankConsentId, instruction);
    expect(submitted.status).toMatchObject({ code: 'ACSP', settledStatus: 'executed' });
    const again = await obie.payments.submitPayment('mock-north', tokens, consent.bankConsentId, instruction);
    expect(again.bankPaymentId).toBe(submitted.bankPaymentId);

    await new Promise((resolve) => setTimeout(resolve, 400));
    expect(await obie.payments.getPaymentStatus('mock-north', submitted.bankPaymentId)).toMatchObject({ code: 'ACSC', settledStatus: 'executed' });
    const polled = await obie.polling.poll('mock-north', []);
    expect(polled.notifications.flatMap((notification) => notification.events)).toContainEqual({ kind: 'resource-update', resourceType: 'domestic-payment', resourceId: submitted.bankPaymentId });

    const credited = await obie.accounts.fetchTransactions('mock-south', payeeTokens, { bankAccountId: payee.bankAccountId, sortCode: payee.sortCode, accountNumber: payee.accountNumber }, null);
    expect(credited.transactions.filter((transaction) => transaction.status === 'booked')).toEqual([
      expect.objectContaining({ amount: 12_550, creditDebitIndicator: 'credit', reference: 'ST7KQ2M9XR4' }),
    ]);
    expect(banks.violations()).toEqual([]);
  });
});
