import * as v from 'valibot';
import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../../../shared/domain/errors';
import { normaliseObieTransaction, toUtcIso } from '../../../../shared/adapters/obie/transactions';
import { enrichCategory } from '../../../../shared/domain/enrichment/category';
import { fixture, validatorFor } from './support';

const ACCOUNT = { sortCode: '040004', accountNumber: '12345678' };
const TransactionsPage = v.object({ Data: v.object({ Transaction: v.array(v.unknown()) }) });

const expectValid = async (version: 'v3.1.11' | 'v4.0', body: unknown): Promise<void> => {
  const validator = await validatorFor(version);
  expect(validator.validateResponse('GetAccountsAccountIdTransactions', 200, body)).toEqual([]);
};

const page = (version: 'v3.1.11' | 'v4.0', transactions: unknown[]) => ({
  Data: { Transaction: transactions },
  Links: { Self: `https://bank.test/open-banking/${version === 'v4.0' ? 'v4.0' : 'v3.1'}/aisp/accounts/acc-1/transactions` },
  Meta: { TotalPages: 1 },
});

describe('OBReadTransaction6 normaliser', () => {
  it('normalises the official v3.1.11 examples (which validate against the v3.1.11 schema)', async () => {
    const first = fixture('v3.1.11/Transactions__01-get-account-transactions-response.json');
    const second = fixture('v3.1.11/Transactions__02-get-transactions-response.json');
    await expectValid('v3.1.11', first);
    await expectValid('v3.1.11', second);
    const [credit] = v.parse(TransactionsPage, first).Data.Transaction;
    expect(normaliseObieTransaction(credit, ACCOUNT)).toEqual({
      provider: 'obie',
      sortCode: '040004',
      accountNumber: '12345678',
      bankTransactionId: '123',
      status: 'booked',
      creditDebitIndicator: 'credit',
      amount: 1000,
      currency: 'GBP',
      bookingDateTime: '2017-04-05T10:43:07.000Z',
      valueDateTime: '2017-04-05T10:45:22.000Z',
      reference: 'Cash from Aubrey',
      description: 'Cash from Aubrey',
      endToEndId: 'Ref 1',
      counterparty: null,
      merchant: null,
      category: null,
      bankTransactionCode: {
        domain: { code: '', family: 'ReceivedCreditTransfer', subFamily: 'DomesticCreditTransfer' },
        proprietary: { code: 'Transfer', issuer: 'AlphaBank' },
      },
    });
    const debit = normaliseObieTransaction(v.parse(TransactionsPage, second).Data.Transaction[1], ACCOUNT);
    expect(debit).toMatchObject({
      bankTransactionId: '567',
      creditDebitIndicator: 'debit',
      amount: 10000,
      endToEndId: 'Ref 124',
      description: 'Paid the gas bill',
      category: null,
      bankTransactionCode: { domain: { code: '', family: 'IssuedCreditTransfer', subFamily: 'AutomaticTransfer' }, proprietary: { code: 'DirectDebit', issuer: 'AlphaBank' } },
    });
    // The examples send the ISO names where the codes belong; enrichment still finds them in the ISO list.
    const creditReport = normaliseObieTransaction(credit, ACCOUNT);
    expect(creditReport === null ? null : enrichCategory(creditReport).category).toBe('Payments / Received Credit Transfers / Domestic Credit Transfer');
    expect(debit === null ? null : enrichCategory(debit).category).toBe('Payments / Issued Credit Transfers / Automatic Transfer');
  });

  it('normalises v4.0 BOOK and PDNG entries with counterparty, merchant, mutability and exact amounts', async () => {
    const booked = {
      AccountId: 'acc-1',
      TransactionId: 'tx-booked-1',
      TransactionReference: 'FPID0123456789ABCDEF',
      CreditDebitIndicator: 'Credit',
      Status: 'BOOK',
      TransactionMutability: 'Immutable',
      BookingDateTime: '2026-11-30T11:15:00+01:00',
      ValueDateTime: '2026-11-30T11:15:00+01:00',
      TransactionInformation: 'INV-2041 J SMITH',
      Amount: { Amount: '1234.50000', Currency: 'GBP' },
      // ISO family (Received Credit Transfers) and sub-family (Domestic Credit Transfer): OBIE has no domain element.
      BankTransactionCode: { Code: 'RCDT', SubCode: 'DMCT' },
      ProprietaryBankTransactionCode: { Code: 'FPS', Issuer: 'BankV4' },
      DebtorAccount: { SchemeName: 'UK.OBIE.SortCodeAccountNumber', Identification: '20000055555555', Name: 'J Smith' },
      DebtorAgent: { SchemeName: 'UK.OBIE.BICFI', Identification: 'BANKGB2L', Name: 'Payer Bank' },
    };
    const pending = {
      AccountId: 'acc-1',
      TransactionId: 'tx-pending-1',
      CreditDebitIndicator: 'Debit',
      Status: 'PDNG',
      BookingDateTime: '2026-12-01T00:00:00+00:00',
      TransactionInformation: 'CARD PURCHASE',
      Amount: { Amount: '4.1', Currency: 'GBP' },
      MerchantDetails: { MerchantName: 'Corner Cafe', MerchantCategoryCode: '5814' },
      ProprietaryBankTransactionCode: { Code: 'POS' },
    };
    const mutableBooked = { ...booked, TransactionId: 'tx-booked-2', TransactionMutability: 'Mutable' };
    const rejected = { ...pending, TransactionId: 'tx-rejected', Status: 'RJCT' };
    const future = { ...pending, TransactionId: 'tx-future', Status: 'FUTR' };
    await expectValid('v4.0', page('v4.0', [booked, pending, mutableBooked, rejected, future]));
    // The check has teeth: the v3.1.11 spelling is not a v4.0 status.
    expect((await validatorFor('v4.0')).validateResponse('GetAccountsAccountIdTransactions', 200, page('v4.0', [{ ...booked, Status: 'Booked' }]))).not.toEqual([]);

    expect(normaliseObieTransaction(booked, ACCOUNT)).toEqual({
      provider: 'obie',
      sortCode: '040004',
      accountNumber: '12345678',
      bankTransactionId: 'tx-booked-1',
      status: 'booked',
      creditDebitIndicator: 'credit',
      amount: 123450,
      currency: 'GBP',
      bookingDateTime: '2026-11-30T10:15:00.000Z',
      valueDateTime: '2026-11-30T10:15:00.000Z',
      reference: 'INV-2041 J SMITH',
      description: 'INV-2041 J SMITH',
      endToEndId: 'FPID0123456789ABCDEF',
      counterparty: { name: 'J Smith', sortCode: '200000', accountNumber: '55555555' },
      merchant: null,
      category: null,
      bankTransactionCode: { domain: { code: '', family: 'RCDT', subFamily: 'DMCT' }, proprietary: { code: 'FPS', issuer: 'BankV4' } },
    });
    const bookedReport = normaliseObieTransaction(booked, ACCOUNT);
    expect(bookedReport === null ? null : enrichCategory(bookedReport).category).toBe('Payments / Received Credit Transfers / Domestic Credit Transfer');
    expect(normaliseObieTransaction(pending, ACCOUNT)).toMatchObject({
      status: 'pending',
      creditDebitIndicator: 'debit',
      amount: 410,
      endToEndId: null,
      counterparty: null,
      merchant: { name: 'Corner Cafe', categoryCode: '5814' },
      category: null,
      bankTransactionCode: { domain: null, proprietary: { code: 'POS', issuer: null } },
    });
    // The merchant category code names it (ISO 18245 5814).
    const pendingReport = normaliseObieTransaction(pending, ACCOUNT);
    expect(pendingReport === null ? null : enrichCategory(pendingReport).category).toBe('Fast Food Restaurants');
    expect(normaliseObieTransaction(mutableBooked, ACCOUNT)?.status).toBe('booked');
    expect(normaliseObieTransaction(rejected, ACCOUNT)).toBeNull();
    expect(normaliseObieTransaction(future, ACCOUNT)).toBeNull();
  });

  it('normalises a v3.1.11 Pending debit with the creditor as counterparty', async () => {
    const entry = {
      AccountId: 'acc-9',
      TransactionId: 'p-1',
      CreditDebitIndicator: 'Debit',
      Status: 'Pending',
      BookingDateTime: '2026-11-30T09:00:00Z',
      Amount: { Amount: '250', Currency: 'GBP' },
      CreditorAccount: { SchemeName: 'UK.OBIE.SortCodeAccountNumber', Identification: '30000066666666', Name: 'Supplier Ltd' },
      ProprietaryBankTransactionCode: { Code: 'FPO', Issuer: 'BankV3' },
    };
    await expectValid('v3.1.11', page('v3.1.11', [entry]));
    expect(normaliseObieTransaction(entry, ACCOUNT)).toMatchObject({
      status: 'pending',
      amount: 25000,
      reference: null,
      description: null,
      counterparty: { name: 'Supplier Ltd', sortCode: '300000', accountNumber: '66666666' },
      category: null,
      bankTransactionCode: { domain: null, proprietary: { code: 'FPO', issuer: 'BankV3' } },
    });
  });

  it('derives a stable id when the bank gives no TransactionId', () => {
    const entry = { AccountId: 'a', CreditDebitIndicator: 'Credit', Status: 'BOOK', BookingDateTime: '2026-11-30T09:00:00Z', Amount: { Amount: '1.00', Currency: 'GBP' } };
    const first = normaliseObieTransaction(entry, ACCOUNT)?.bankTransactionId;
    expect(first).toMatch(/^derived:/);
    // No bank transaction code of either kind: none is made up.
    expect(normaliseObieTransaction(entry, ACCOUNT)).toMatchObject({ bankTransactionCode: null, category: null });
    expect(normaliseObieTransaction({ ...entry }, ACCOUNT)?.bankTransactionId).toBe(first);
    expect(normaliseObieTransaction({ ...entry, Amount: { Amount: '1.01', Currency: 'GBP' } }, ACCOUNT)?.bankTransactionId).not.toBe(first);
  });

  it('refuses amounts that are not exact in the currency, unknown statuses and malformed entries', () => {
    const entry = { AccountId: 'a', TransactionId: 't', CreditDebitIndicator: 'Credit', Status: 'BOOK', BookingDateTime: '2026-11-30T09:00:00Z', Amount: { Amount: '1.005', Currency: 'GBP' } };
    expect(() => normaliseObieTransaction(entry, ACCOUNT)).toThrow(ValidationError);
    expect(() => normaliseObieTransaction({ ...entry, Amount: { Amount: '1.00', Currency: 'GBP' }, Status: 'Settled' }, ACCOUNT)).toThrow(/status "Settled"/);
    expect(() => normaliseObieTransaction({ ...entry, CreditDebitIndicator: 'credit' }, ACCOUNT)).toThrow(ValidationError);
  });

  it('reads a zone-less date-time as UTC, never local time', () => {
    expect(toUtcIso('2017-01-01T00:00:00')).toBe('2017-01-01T00:00:00.000Z');
    expect(toUtcIso('2017-01-01T00:00:00-05:00')).toBe('2017-01-01T05:00:00.000Z');
    expect(() => toUtcIso('yesterday')).toThrow(ValidationError);
  });
});
