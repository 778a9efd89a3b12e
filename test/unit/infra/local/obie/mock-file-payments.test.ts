import { createHash, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AspspRegistryEntry } from '../../../../../shared/adapters/obie/configuration';
import * as v from 'valibot';
import { type MockBanks, startMockBanks } from '../../../../../infra/local/obie/mock-banks';
import { BankStateSchema, emptyBankState } from '../../../../../infra/local/obie/mock-bank/state';
import { type AccountView, at, openAccount, readAccount, TestTpp, waitUntil } from '../../../../support/obie-test-tpp';

/**
 * The mock banks' file payments over the wire, every request and response held to the version's payment initiation
 * spec (the file and report formats filled in for the spec's empty File placeholder): the bank's own file limit, a
 * file that does not match its consent (hash, count, sum), one upload per consent, no authorisation before the file,
 * and a file paid across a restart of the banks. The refusals are normal answers: violations() stays empty.
 */
const REDIRECT = 'http://127.0.0.1:9/v1/consents/callback';
const VERSIONS = [
  { bankId: 'mock-north', version: 'v3.1.11', fileType: 'UK.OBIE.PaymentInitiation.3.1', rulesCode: 'UK.OBIE.Rules.FailsControlParameters', limit: 3 },
  { bankId: 'mock-south', version: 'v4.0', fileType: 'UK.OBIE.PaymentInitiation.4.0', rulesCode: 'U014', limit: 5 },
] as const;
type Case = (typeof VERSIONS)[number];

const tppFor = (banks: MockBanks, bankId: string): TestTpp => {
  const entry = banks.registry.aspsps.find((aspsp): aspsp is AspspRegistryEntry => aspsp.id === bankId);
  if (entry === undefined) throw new Error(`no ${bankId}`);
  return new TestTpp(banks, entry);
};

const item = (version: Case['version'], id: string, amount: string, payee: AccountView) => ({
  InstructionIdentification: id,
  EndToEndIdentification: id,
  InstructedAmount: { Amount: amount, Currency: 'GBP' },
  CreditorAccount: { SchemeName: 'UK.OBIE.SortCodeAccountNumber', Identification: `${payee.sortCode}${payee.accountNumber}`, Name: 'A Payee' },
  RemittanceInformation: version === 'v3.1.11' ? { Reference: `REF ${id}` } : { Structured: [{ CreditorReferenceInformation: { Reference: `REF ${id}` } }] },
});

/** A file of `amounts` to `payee`, and the consent body describing it (overrides make it lie). */
const fileAndConsent = (c: Case, debtor: AccountView, payee: AccountView, amounts: readonly string[], overrides: Record<string, unknown> = {}) => {
  const text = JSON.stringify({ Data: { DomesticPayments: amounts.map((amount, index) => item(c.version, `pay_${randomUUID().slice(0, 8)}_${index}`, amount, payee)) } });
  const total = amounts.reduce((sum, amount) => sum + Math.round(Number(amount) * 100), 0);
  const initiation = {
    FileType: c.fileType,
    FileHash: createHash('sha256').update(text).digest('base64'),
    FileReference: `file-${randomUUID().slice(0, 8)}`,
    NumberOfTransactions: String(amounts.length),
    ControlSum: total / 100,
    DebtorAccount: { SchemeName: 'UK.OBIE.SortCodeAccountNumber', Identification: `${debtor.sortCode}${debtor.accountNumber}`, Name: 'Acme Ltd' },
    ...overrides,
  };
  return { text, consent: { Data: { Initiation: initiation } }, initiation };
};

const errorCodes = (body: unknown): unknown[] => {
  const errors = at(body, 'Errors');
  return Array.isArray(errors) ? errors.map((error) => at(error, 'ErrorCode')) : [];
};

describe('the mock banks file payments', () => {
  let dataDir: string;
  let banks: MockBanks;

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'mock-files-'));
    banks = await startMockBanks({ dataDir, apiBaseUrl: 'http://127.0.0.1:9', bookingDelayMs: 50, notificationRetryDelaysMs: [], fileTransactionLimits: { 'mock-north': 3, 'mock-south': 5 } });
  }, 60_000);

  afterAll(async () => {
    await banks?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it.each(VERSIONS)('$version: holds a consent to the bank\'s own file limit, written into its registry entry', async (c) => {
    const tpp = tppFor(banks, c.bankId);
    const debtor = await openAccount(banks, c.bankId, 'Acme Ltd', '100.00');
    const payee = await openAccount(banks, c.bankId, 'A Payee', '0.00');
    const token = await tpp.clientToken('payments');
    const atLimit = fileAndConsent(c, debtor, payee, Array.from({ length: c.limit }, () => '1.00'));
    const overLimit = fileAndConsent(c, debtor, payee, Array.from({ length: c.limit + 1 }, () => '1.00'));

    const accepted = await tpp.call('POST', '/pisp/file-payment-consents', { token, body: atLimit.consent, idempotencyKey: randomUUID() });
    const refused = await tpp.call('POST', '/pisp/file-payment-consents', { token, body: overLimit.consent, idempotencyKey: randomUUID() });

    expect(tpp.entry.fileTransactionLimit).toBe(c.limit);
    expect(accepted.status).toBe(201);
    expect(at(accepted.body, 'Data', 'Status')).toBe(c.version === 'v3.1.11' ? 'AwaitingUpload' : 'AWUP');
    expect(refused.status).toBe(400);
    expect(errorCodes(refused.body)).toEqual([c.rulesCode]);
    expect(at(refused.body, 'Errors', 0, 'Path')).toBe('Data.Initiation.NumberOfTransactions');
    expect(banks.violations()).toEqual([]);
    await Promise.all([tpp.agent.close(), tpp.anonymousAgent.close()]);
  });

  it('refuses a file that does not match its consent: other bytes than FileHash, another count, another total', async () => {
    const c = VERSIONS[1];
    const tpp = tppFor(banks, c.bankId);
    const debtor = await openAccount(banks, c.bankId, 'Acme Ltd', '100.00');
    const payee = await openAccount(banks, c.bankId, 'A Payee', '0.00');
    const token = await tpp.clientToken('payments');
    const upload = async (file: ReturnType<typeof fileAndConsent>, text = file.text) => {
      const consent = await tpp.call('POST', '/pisp/file-payment-consents', { token, body: file.consent, idempotencyKey: randomUUID() });
      expect(consent.status).toBe(201);
      return tpp.call('POST', `/pisp/file-payment-consents/${String(at(consent.body, 'Data', 'ConsentId'))}/file`, { token, rawBody: text, idempotencyKey: randomUUID() });
    };

    // The same JSON document, other bytes: the hash is over the bytes
    const reformatted = fileAndConsent(c, debtor, payee, ['1.00', '2.50']);
    const hashRefused = await upload(reformatted, JSON.stringify(JSON.parse(reformatted.text), null, 1));
    // Two items against a consent of three, with the right hash
    const counted = fileAndConsent(c, debtor, payee, ['1.00', '2.50']);
    const countRefused = await upload({ ...counted, consent: { Data: { Initiation: { ...counted.initiation, NumberOfTransactions: '3' } } } });
    const summed = fileAndConsent(c, debtor, payee, ['1.00', '2.50'], { ControlSum: 3.51 });
    const sumRefused = await upload(summed);

    for (const [answer, path] of [
      [hashRefused, 'Data.Initiation.FileHash'],
      [countRefused, 'Data.Initiation.NumberOfTransactions'],
      [sumRefused, 'Data.Initiation.ControlSum'],
    ] as const) {
      expect(answer.status).toBe(400);
      expect(errorCodes(answer.body)).toEqual([c.rulesCode]);
      expect(at(answer.body, 'Errors', 0, 'Path')).toBe(path);
    }
    expect(banks.violations()).toEqual([]);
    await Promise.all([tpp.agent.close(), tpp.anonymousAgent.close()]);
  });

  it('takes one file per consent, and no authorisation before it: the page says so', async () => {
    const c = VERSIONS[0];
    const tpp = tppFor(banks, c.bankId);
    const debtor = await openAccount(banks, c.bankId, 'Acme Ltd', '100.00');
    const payee = await openAccount(banks, 'mock-south', 'A Payee', '0.00');
    const token = await tpp.clientToken('payments');
    const file = fileAndConsent(c, debtor, payee, ['10.00', '234.56']);
    const consent = await tpp.call('POST', '/pisp/file-payment-consents', { token, body: file.consent, idempotencyKey: randomUUID() });
    const consentId = String(at(consent.body, 'Data', 'ConsentId'));
    const { url } = await tpp.authorisationUrl(consentId, 'payments', REDIRECT);

    // Act: the PSU reaches the page before the file is there
    const earlyPage = await fetch(url);
    const earlyApprove = await fetch(url, { method: 'POST', redirect: 'manual', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ outcome: 'approve' }) });
    // Then the file, twice with another key (refused), once more with the same key (the first answer again)
    const uploadKey = randomUUID();
    const first = await tpp.call('POST', `/pisp/file-payment-consents/${consentId}/file`, { token, rawBody: file.text, idempotencyKey: uploadKey });
    const second = await tpp.call('POST', `/pisp/file-payment-consents/${consentId}/file`, { token, rawBody: file.text, idempotencyKey: randomUUID() });
    const replayed = await tpp.call('POST', `/pisp/file-payment-consents/${consentId}/file`, { token, rawBody: file.text, idempotencyKey: uploadKey });
    const stored = await tpp.call('GET', `/pisp/file-payment-consents/${consentId}/file`, { token });
    const status = await tpp.call('GET', `/pisp/file-payment-consents/${consentId}`, { token });
    const page = await fetch((await tpp.authorisationUrl(consentId, 'payments', REDIRECT)).url);

    // Assess
    expect(earlyPage.status).toBe(400);
    expect(await earlyPage.text()).toContain('has not been uploaded');
    expect(earlyApprove.status).toBe(400);
    expect(first.status).toBe(200);
    expect(second.status).toBe(400);
    expect(errorCodes(second.body)).toEqual(['UK.OBIE.Resource.InvalidConsentStatus']);
    expect(replayed.status).toBe(200);
    expect(stored.text).toBe(file.text);
    expect(at(status.body, 'Data', 'Status')).toBe('AwaitingAuthorisation');
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('2 payments, total £244.56');
    expect(banks.violations()).toEqual([]);
    await Promise.all([tpp.agent.close(), tpp.anonymousAgent.close()]);
  });
});

describe('a file payment across a restart of the mock banks', () => {
  it('completes every item after the banks stop mid-file and start again on the same data', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'mock-files-restart-'));
    const options = { dataDir, apiBaseUrl: 'http://127.0.0.1:9', bookingDelayMs: 1500, notificationRetryDelaysMs: [] };
    const c = VERSIONS[1];
    let banks = await startMockBanks(options);
    let tpp = tppFor(banks, c.bankId);
    try {
      // Prepare: a file authorised by the PSU
      const debtor = await openAccount(banks, c.bankId, 'Acme Ltd', '100.00');
      const payee = await openAccount(banks, 'mock-north', 'A Payee', '0.00');
      const token = await tpp.clientToken('payments');
      const file = fileAndConsent(c, debtor, payee, ['10.00', '5.25', '1.00']);
      const consent = await tpp.call('POST', '/pisp/file-payment-consents', { token, body: file.consent, idempotencyKey: randomUUID() });
      const consentId = String(at(consent.body, 'Data', 'ConsentId'));
      expect((await tpp.call('POST', `/pisp/file-payment-consents/${consentId}/file`, { token, rawBody: file.text, idempotencyKey: randomUUID() })).status).toBe(200);
      const psu = await tpp.authorise(consentId, 'payments', REDIRECT);

      // Act: submit, stop before the scheme books, start again on the same data
      const submitted = await tpp.call('POST', '/pisp/file-payments', { token: psu.access_token, body: { Data: { ConsentId: consentId, Initiation: file.initiation } }, idempotencyKey: randomUUID() });
      const filePaymentId = String(at(submitted.body, 'Data', 'FilePaymentId'));
      await Promise.all([tpp.agent.close(), tpp.anonymousAgent.close()]);
      await banks.stop();
      expect(banks.violations()).toEqual([]);
      banks = await startMockBanks(options);
      tpp = tppFor(banks, c.bankId);
      const pendingAfterRestart = await readAccount(banks, c.bankId, debtor.accountId);
      const clientToken = await tpp.clientToken('payments');
      const completed = await waitUntil(async () => {
        const answer = await tpp.call('GET', `/pisp/file-payments/${filePaymentId}`, { token: clientToken });
        return at(answer.body, 'Data', 'Status') === 'INCO' ? answer : undefined;
      }, 'the file completed', 6000);
      const report = await tpp.call('GET', `/pisp/file-payments/${filePaymentId}/report-file`, { token: clientToken });

      // Assess
      expect(submitted.status).toBe(201);
      expect(at(submitted.body, 'Data', 'Status')).toBe('PDNG');
      expect(pendingAfterRestart.transactions.map((t) => t.status)).toEqual(['pending', 'pending', 'pending']);
      expect(at(completed.body, 'Data', 'Status')).toBe('INCO');
      const entries = at(report.body, 'Data', 'DomesticPayments');
      expect(Array.isArray(entries) ? entries.map((entry) => at(entry, 'Status')) : entries).toEqual(['ACSC', 'ACSC', 'ACSC']);
      const account = await readAccount(banks, c.bankId, debtor.accountId);
      expect(account.balance.booked).toBe('83.75');
      expect(account.transactions.map((t) => t.status)).toEqual(['booked', 'booked', 'booked']);
      expect(banks.violations()).toEqual([]);
    } finally {
      // Already closed when the test stopped between the two runs.
      await Promise.all([tpp.agent.close(), tpp.anonymousAgent.close()]).catch(() => undefined);
      await banks.stop();
      rmSync(dataDir, { recursive: true, force: true });
    }
  }, 60_000);
});

describe('a state.json written before file payments', () => {
  it('loads, each bank with its own empty files and file payments', () => {
    const { files: _files, filePayments: _filePayments, ...before } = emptyBankState();

    const north = v.parse(BankStateSchema, before);
    const south = v.parse(BankStateSchema, before);
    north.files['fpc-1'] = { content: '{}', uploadedAt: '2026-11-30T10:00:00.000Z' };

    expect(Object.keys(north.files)).toEqual(['fpc-1']);
    expect(south.files).toEqual({});
    expect(south.filePayments).toEqual({});
  });
});
