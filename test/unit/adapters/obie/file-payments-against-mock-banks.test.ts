import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type MockBankId, type MockBanks, startMockBanks } from '../../../../infra/local/obie/mock-banks';
import { createObieGateways, ObieBankError, obieConfigurationFrom, type ObieGateways } from '../../../../shared/adapters/obie';
import { BankRefusedFile, type FilePaymentState, type PaymentFile } from '../../../../shared/domain/open-banking/file-payments';
import type { AuthorisationRequest } from '../../../../shared/domain/open-banking/ports';
import { openAccount, readAccount, rejectNextFile, waitUntil } from '../../../support/obie-test-tpp';

/**
 * The file payment adapter and the mock banks, written apart to the payment initiation specs, over mutual TLS on
 * both versions: a consent and its uploaded file, the PSU's one authorisation on the bank's page, the file payment
 * (retried: paid once), its status followed to completed, the report file's per-item outcomes, the debits seen
 * through AIS; the bank's own limit and a whole-file rejection. The banks' record of breaches stays empty.
 */
const CASES = [
  { debtorBank: 'mock-north', payeeBank: 'mock-south', version: 'v3.1.11' },
  { debtorBank: 'mock-south', payeeBank: 'mock-north', version: 'v4.0' },
] as const satisfies readonly { debtorBank: MockBankId; payeeBank: MockBankId; version: string }[];

const LIMIT = 4;

describe('the file payment adapter against the mock banks', () => {
  let banks: MockBanks;
  let obie: ObieGateways;
  let dataDir: string;
  let request = 0;
  let files = 0;

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'settled-files-'));
    banks = await startMockBanks({ dataDir, apiBaseUrl: 'http://127.0.0.1:9', bookingDelayMs: 50, notificationRetryDelaysMs: [], fileTransactionLimits: { 'mock-north': LIMIT, 'mock-south': LIMIT } });
    obie = createObieGateways(obieConfigurationFrom(async () => JSON.stringify(banks.registry), async () => JSON.stringify(banks.credentials)));
  }, 60_000);

  afterAll(async () => {
    await banks?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  const authorisation = (): AuthorisationRequest => {
    request += 1;
    return { state: `state-${request}-${'s'.repeat(40)}`, nonce: `nonce-${request}`, codeVerifier: `v${request}`.padEnd(64, 'x'), redirectUri: 'http://127.0.0.1:9/v1/consents/callback' };
  };

  const approve = async (authorisationUrl: string, body: Record<string, string> = {}): Promise<URL> => {
    const response = await fetch(authorisationUrl, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ outcome: 'approve', ...body }), redirect: 'manual' });
    expect(response.status).toBe(303);
    return new URL(response.headers.get('location') ?? '');
  };

  const newFile = (tenant: { sortCode: string; accountNumber: string }, items: PaymentFile['items']): PaymentFile => {
    files += 1;
    return { fileId: `pof_${String(files).padStart(4, '0')}`, currency: 'GBP', debtor: { name: 'Acme Ltd', sortCode: tenant.sortCode, accountNumber: tenant.accountNumber }, items };
  };

  /** Consent, upload, the PSU's approval and the code exchange: the file payment's tokens. */
  const authorised = async (bankId: string, file: PaymentFile) => {
    const auth = authorisation();
    const consent = await obie.files.createFileConsent(bankId, file, auth);
    const page = await fetch(consent.authorisationUrl);
    const pageText = await page.text();
    const back = await approve(consent.authorisationUrl);
    expect(back.searchParams.get('state')).toBe(auth.state);
    const tokens = await obie.files.exchangeCode(bankId, back.searchParams.get('code') ?? '', auth);
    return { consent, tokens, pageText };
  };

  const finalState = (bankId: string, filePaymentId: string): Promise<FilePaymentState> =>
    waitUntil(async () => {
      const state = await obie.files.getFilePayment(bankId, filePaymentId);
      return state.status.settledStatus === 'authorised' ? undefined : state;
    }, `file ${filePaymentId} final`, 8000);

  describe.each(CASES)('$version (debtor at $debtorBank)', ({ debtorBank, payeeBank, version }) => {
    it(`pays a file once, each item as a domestic payment (an unknown payee account rejected AC01), the report and AIS showing each`, async () => {
      // Prepare: the tenant's account at the debtor bank, two payees at the other member bank, one at an outside bank
      const tenant = await openAccount(banks, debtorBank, 'Acme Ltd', '1000.00');
      const payeeA = await openAccount(banks, payeeBank, 'A Payee', '0.00');
      const payeeB = await openAccount(banks, payeeBank, 'B Payee', '0.00');
      const memberSortCode = payeeA.sortCode;
      const file = newFile(tenant, [
        { paymentId: `pay_${version}_a`, amount: 12_345, reference: 'PAYOUT A1', creditor: { name: 'A Payee', sortCode: payeeA.sortCode, accountNumber: payeeA.accountNumber } },
        { paymentId: `pay_${version}_b`, amount: 1_000, reference: 'PAYOUT B2', creditor: { name: 'B Payee', sortCode: payeeB.sortCode, accountNumber: payeeB.accountNumber } },
        { paymentId: `pay_${version}_c`, amount: 2_500, reference: 'PAYOUT C3', creditor: { name: 'C Outside', sortCode: '200000', accountNumber: '12345678' } },
        { paymentId: `pay_${version}_d`, amount: 700, reference: 'PAYOUT D4', creditor: { name: 'D Nobody', sortCode: memberSortCode, accountNumber: '99999999' } },
      ]);

      // Act
      const { consent, tokens, pageText } = await authorised(debtorBank, file);
      const submitted = await obie.files.submitFilePayment(debtorBank, tokens, consent.bankConsentId, file);
      const retried = await obie.files.submitFilePayment(debtorBank, tokens, consent.bankConsentId, file);
      const done = await finalState(debtorBank, submitted.filePaymentId);

      // Assess: the page asked for the whole file at once
      expect(pageText).toContain('4 payments, total £165.45');
      // Accepted whole, in process; a retry with the same file id is the same file payment
      expect(submitted.status).toMatchObject({ code: 'PDNG', settledStatus: 'authorised' });
      expect(retried.filePaymentId).toBe(submitted.filePaymentId);
      expect(done.status).toMatchObject({ code: 'INCO', settledStatus: 'executed' });
      expect(done.items).toEqual([
        { paymentId: `pay_${version}_a`, status: 'executed', reason: null },
        { paymentId: `pay_${version}_b`, status: 'executed', reason: null },
        { paymentId: `pay_${version}_c`, status: 'executed', reason: null },
        { paymentId: `pay_${version}_d`, status: 'rejected', reason: 'AC01' },
      ]);
      // Paid once: three debits (the AC01 item booked nothing), the payees at the member bank credited
      const debited = await readAccount(banks, debtorBank, tenant.accountId);
      expect(debited.balance.booked).toBe('841.55');
      expect(debited.transactions.filter((t) => t.creditDebit === 'Debit').map((t) => [t.status, t.amount, t.endToEndIdentification])).toEqual([
        ['booked', '123.45', `pay_${version}_a`],
        ['booked', '10.00', `pay_${version}_b`],
        ['booked', '25.00', `pay_${version}_c`],
      ]);
      expect((await readAccount(banks, payeeBank, payeeA.accountId)).balance.booked).toBe('123.45');
      expect((await readAccount(banks, payeeBank, payeeB.accountId)).balance.booked).toBe('10.00');

      // Act: the tenant's transactions through AIS
      const ais = authorisation();
      const access = await obie.accounts.createAccessConsent(debtorBank, ais, { expiresAt: null });
      const aisBack = await approve(access.authorisationUrl, { sortCode: tenant.sortCode, accountNumber: tenant.accountNumber });
      const aisTokens = await obie.accounts.exchangeCode(debtorBank, aisBack.searchParams.get('code') ?? '', ais);
      const batch = await obie.accounts.fetchTransactions(debtorBank, aisTokens, { bankAccountId: tenant.accountId, sortCode: tenant.sortCode, accountNumber: tenant.accountNumber }, null);

      // Assess: each executed item's debit, with its reference (in booking order, which the scheme does not fix)
      const debits = batch.transactions.filter((t) => t.status === 'booked' && t.creditDebitIndicator === 'debit').map((t) => [t.amount, t.reference]);
      expect(debits.sort((a, b) => String(a[1]).localeCompare(String(b[1])))).toEqual([
        [12_345, 'PAYOUT A1'],
        [1_000, 'PAYOUT B2'],
        [2_500, 'PAYOUT C3'],
      ]);
      expect(banks.violations()).toEqual([]);
    }, 60_000);

    it(`a file over the bank's own limit is refused (BankRefusedFile), and the limit is the registry's`, async () => {
      const tenant = await openAccount(banks, debtorBank, 'Acme Ltd', '1000.00');
      const payee = await openAccount(banks, payeeBank, 'A Payee', '0.00');
      const items = Array.from({ length: LIMIT + 1 }, (_, index) => ({
        paymentId: `pay_${version}_over_${index}`,
        amount: 100,
        reference: `OVER ${index}`,
        creditor: { name: 'A Payee', sortCode: payee.sortCode, accountNumber: payee.accountNumber },
      }));

      const refusal = await obie.files.createFileConsent(debtorBank, newFile(tenant, items), authorisation()).then(
        () => undefined,
        (error: unknown) => error,
      );

      expect(await obie.files.fileLimit(debtorBank)).toBe(LIMIT);
      expect(refusal).toBeInstanceOf(BankRefusedFile);
      expect(refusal).toMatchObject({ reason: 'file_over_bank_limit' });
      expect(banks.violations()).toEqual([]);
    }, 60_000);

    it(`a retried consent creation (same file, same authorisation attempt) is the same consent with its one file`, async () => {
      const tenant = await openAccount(banks, debtorBank, 'Acme Ltd', '1000.00');
      const payee = await openAccount(banks, payeeBank, 'A Payee', '0.00');
      const file = newFile(tenant, [{ paymentId: `pay_${version}_retry`, amount: 4_200, reference: 'RETRY', creditor: { name: 'A Payee', sortCode: payee.sortCode, accountNumber: payee.accountNumber } }]);
      const auth = authorisation();

      const first = await obie.files.createFileConsent(debtorBank, file, auth);
      const again = await obie.files.createFileConsent(debtorBank, file, auth);
      const back = await approve(again.authorisationUrl);
      const tokens = await obie.files.exchangeCode(debtorBank, back.searchParams.get('code') ?? '', auth);
      const submitted = await obie.files.submitFilePayment(debtorBank, tokens, again.bankConsentId, file);
      const done = await finalState(debtorBank, submitted.filePaymentId);

      expect(again.bankConsentId).toBe(first.bankConsentId);
      expect(done.items).toEqual([{ paymentId: `pay_${version}_retry`, status: 'executed', reason: null }]);
      expect((await readAccount(banks, debtorBank, tenant.accountId)).balance.booked).toBe('958.00');
      expect(banks.violations()).toEqual([]);
    }, 60_000);

    it(`a refusal that is not a business rule stays an ObieBankError (a file in a currency the bank cannot pay)`, async () => {
      const tenant = await openAccount(banks, debtorBank, 'Acme Ltd', '1000.00');
      const payee = await openAccount(banks, payeeBank, 'A Payee', '0.00');
      const file: PaymentFile = { ...newFile(tenant, [{ paymentId: `pay_${version}_eur`, amount: 100, reference: 'EURO', creditor: { name: 'A Payee', sortCode: payee.sortCode, accountNumber: payee.accountNumber } }]), currency: 'EUR' };

      const refusal = await obie.files.createFileConsent(debtorBank, file, authorisation()).then(
        () => undefined,
        (error: unknown) => error,
      );

      expect(refusal).toBeInstanceOf(ObieBankError);
      expect(refusal).not.toBeInstanceOf(BankRefusedFile);
      expect(refusal).toMatchObject({ status: 400, operation: 'CreateFilePaymentConsentsConsentIdFile' });
      expect(banks.violations()).toEqual([]);
    }, 60_000);

    it(`a file the bank rejects whole pays nothing, and its report rejects every item with the bank's reason`, async () => {
      const tenant = await openAccount(banks, debtorBank, 'Acme Ltd', '1000.00');
      const payee = await openAccount(banks, payeeBank, 'A Payee', '0.00');
      const file = newFile(tenant, [
        { paymentId: `pay_${version}_rj_a`, amount: 5_000, reference: 'REJ A', creditor: { name: 'A Payee', sortCode: payee.sortCode, accountNumber: payee.accountNumber } },
        { paymentId: `pay_${version}_rj_b`, amount: 6_000, reference: 'REJ B', creditor: { name: 'A Payee', sortCode: payee.sortCode, accountNumber: payee.accountNumber } },
      ]);
      await rejectNextFile(banks, debtorBank, 'FF05', 'Bulk file refused');

      const { consent, tokens } = await authorised(debtorBank, file);
      const submitted = await obie.files.submitFilePayment(debtorBank, tokens, consent.bankConsentId, file);
      const state = await obie.files.getFilePayment(debtorBank, submitted.filePaymentId);

      expect(submitted.status).toMatchObject({ code: 'INFA', settledStatus: 'rejected', reason: version === 'v4.0' ? 'FF05: Bulk file refused' : 'FF05' });
      expect(state.status).toMatchObject({ code: 'INFA', settledStatus: 'rejected', reason: expect.stringMatching(/^FF05/) });
      expect(state.items).toEqual([
        { paymentId: `pay_${version}_rj_a`, status: 'rejected', reason: 'FF05' },
        { paymentId: `pay_${version}_rj_b`, status: 'rejected', reason: 'FF05' },
      ]);
      await new Promise((resolve) => setTimeout(resolve, 200));
      const account = await readAccount(banks, debtorBank, tenant.accountId);
      expect(account.balance.booked).toBe('1000.00');
      expect(account.transactions).toEqual([]);
      expect(banks.violations()).toEqual([]);
    }, 60_000);

    it(`a file whose total is over the available balance is rejected whole (AM04), no item paid`, async () => {
      const tenant = await openAccount(banks, debtorBank, 'Acme Ltd', '100.00');
      const payee = await openAccount(banks, payeeBank, 'A Payee', '0.00');
      // Each item alone is covered; together they are not.
      const file = newFile(tenant, [
        { paymentId: `pay_${version}_nf_a`, amount: 6_000, reference: 'NF A', creditor: { name: 'A Payee', sortCode: payee.sortCode, accountNumber: payee.accountNumber } },
        { paymentId: `pay_${version}_nf_b`, amount: 6_000, reference: 'NF B', creditor: { name: 'A Payee', sortCode: payee.sortCode, accountNumber: payee.accountNumber } },
      ]);

      const { consent, tokens } = await authorised(debtorBank, file);
      const submitted = await obie.files.submitFilePayment(debtorBank, tokens, consent.bankConsentId, file);
      const state = await obie.files.getFilePayment(debtorBank, submitted.filePaymentId);

      expect(submitted.status.settledStatus).toBe('rejected');
      expect(state.items.map((item) => [item.status, item.reason])).toEqual([
        ['rejected', 'AM04'],
        ['rejected', 'AM04'],
      ]);
      expect((await readAccount(banks, debtorBank, tenant.accountId)).transactions).toEqual([]);
      expect(banks.violations()).toEqual([]);
    }, 60_000);
  });
});
