import { createReadStream, readFileSync } from 'node:fs';
import fc from 'fast-check';
import * as v from 'valibot';
import { describe, expect, it } from 'vitest';
import { StatementAccountMismatchError, readStatement } from '../../../../shared/adapters/statements/statement-reader';
import type { Account } from '../../../../shared/domain/accounts/account';
import type { ReportedTransaction } from '../../../../shared/domain/settlement/bank-transaction';
import type { SavedStatementMapping, StatementItem } from '../../../../shared/domain/statements/statement-import';
import { StatementMappingSchema, type StatementMappingInput } from '../../../../shared/schemas/statement-mapping';
import { type EntrySpec, singleStatement } from '../../../support/camt-documents';
import { AT, anAccount, TENANT_ID } from '../../../support/domain-fakes';

const fixture = (path: string): string => new URL(`../../../fixtures/${path}`, import.meta.url).pathname;

const IMPORTED_AT = '2026-11-24T10:00:00.000Z';

/** An account known only by its IBAN (a camt statement names it by that), in the statement's currency. */
const ibanAccount = (iban: string, currency: string): Account => ({ ...anAccount(), iban, sortCode: null, accountNumber: null, currency });

/** The builder's default statement account. */
const EUR_ACCOUNT = ibanAccount('DE89370400440532013000', 'EUR');

const savedMapping = (mapping: StatementMappingInput): SavedStatementMapping => ({
  id: 'map_01JD0000000000000000000001',
  tenantId: TENANT_ID,
  createdAt: AT,
  mapping: v.parse(StatementMappingSchema, mapping),
});

const LLOYDS_MAPPING = savedMapping({
  name: 'Lloyds online banking export',
  columns: { bookingDate: 'Transaction Date', debit: 'Debit Amount', credit: 'Credit Amount', description: 'Transaction Description', balance: 'Balance' },
  dateFormat: 'dd/MM/yyyy',
  decimalSeparator: '.',
});

const SIGNED_MAPPING = savedMapping({
  name: 'Signed amount export',
  columns: { bookingDate: 'Date', amount: 'Amount', reference: 'Reference', description: 'Description', counterpartyName: 'Payee' },
  dateFormat: 'dd/MM/yyyy',
  decimalSeparator: '.',
});

const readAll = async (
  file: Parameters<typeof readStatement>[0],
  request: { format: 'camt' | 'csv'; account: Account; mapping?: SavedStatementMapping },
): Promise<StatementItem[]> => {
  const items: StatementItem[] = [];
  for await (const item of readStatement(file, { format: request.format, account: request.account, mapping: request.mapping ?? null, encoding: null, importedAt: IMPORTED_AT })) {
    items.push(item);
  }
  return items;
};

const readCamtText = (xml: string, account: Account = EUR_ACCOUNT) => readAll([Buffer.from(xml, 'utf8')], { format: 'camt', account });

const transactionsOf = (items: readonly StatementItem[]): ReportedTransaction[] => items.flatMap((item) => (item.kind === 'transaction' ? [item.transaction] : []));

/** Runs the reader to its failure and returns what it yielded before, and the error. */
const failure = async (xml: string, account: Account): Promise<{ yielded: StatementItem[]; error: unknown }> => {
  const yielded: StatementItem[] = [];
  try {
    for await (const item of readStatement([Buffer.from(xml, 'utf8')], { format: 'camt', account, mapping: null, encoding: null, importedAt: IMPORTED_AT })) yielded.push(item);
  } catch (error) {
    return { yielded, error };
  }
  throw new Error(`expected the read to fail; it yielded ${yielded.length} items`);
};

const ENTRY_KEY = /^[0-9a-f]{64}$/;

describe('readStatement on the published camt samples', () => {
  it('genkgo camt053.v2.minimal: one booked credit without a bank reference, stored under its entry key', async () => {
    // Act
    const items = await readAll(createReadStream(fixture('camt/genkgo-camt/camt053.v2.minimal.xml')), {
      format: 'camt',
      account: ibanAccount('NL26VAYB8060476890', 'EUR'),
    });

    // Assess
    expect(items).toHaveLength(1);
    expect(items[0]).toMatchObject({ kind: 'transaction', entry: 'statement 253EURNL26VAYB8060476890 entry 1' });
    const [transaction] = transactionsOf(items);
    expect(transaction).toEqual({
      provider: 'sandbox',
      sortCode: '',
      accountNumber: '',
      iban: 'NL26VAYB8060476890',
      bankTransactionId: expect.stringMatching(ENTRY_KEY),
      status: 'booked',
      creditDebitIndicator: 'credit',
      amount: 885,
      currency: 'EUR',
      // A booking date without a time is that day at midnight UTC.
      bookingDateTime: '2014-12-31T00:00:00.000Z',
      valueDateTime: '2015-01-02T00:00:00.000Z',
      // The structured creditor reference is the payment reference; there is no narrative.
      reference: '4654654654654654',
      description: null,
      endToEndId: null,
      // A Dutch IBAN holds no sort code: only the name is kept.
      counterparty: { name: 'NAME NAME' },
      merchant: null,
      category: null,
      bankTransactionCode: { domain: null, proprietary: { code: '544', issuer: null } },
    });
  });

  it('genkgo camt053.v8: the account named by an IBAN in Othr/Id; the single TxDtls entry is stored under Ntry/AcctSvcrRef', async () => {
    // Act
    const [transaction, ...rest] = transactionsOf(
      await readAll(createReadStream(fixture('camt/genkgo-camt/camt053.v8.xml')), { format: 'camt', account: ibanAccount('NL26VAYB8060476890', 'EUR') }),
    );

    // Assess
    expect(rest).toEqual([]);
    expect(transaction).toMatchObject({
      bankTransactionId: 'AAAASESS-FP-CN_98765/01',
      status: 'booked',
      creditDebitIndicator: 'credit',
      // The entry's EUR 8.85, not the TxDtls' SEK 0.
      amount: 885,
      currency: 'EUR',
      // 13:15 at +01:00.
      bookingDateTime: '2014-12-31T12:15:00.000Z',
      valueDateTime: '2015-01-02T00:00:00.000Z',
      reference: '4654654654654654',
      description: null,
      endToEndId: 'MUELL/FINP/RA12345',
      counterparty: { name: 'NAME NAME' },
      bankTransactionCode: { domain: { code: 'PMNT', family: 'RCDT', subFamily: 'BOOK' }, proprietary: null },
    });
  });

  it('genkgo camt054.v8: a split batch whose TxDtls share the Ntry AcctSvcrRef is three transactions under three entry keys', async () => {
    // Act
    const items = await readAll(createReadStream(fixture('camt/genkgo-camt/camt054.v8.xml')), {
      format: 'camt',
      account: ibanAccount('CH2801234000123456789', 'CHF'),
    });

    // Assess
    expect(items.map((item) => item.entry)).toEqual([
      'statement AAAASESS-FP-ACCR001 entry 1 transaction 1',
      'statement AAAASESS-FP-ACCR001 entry 1 transaction 2',
      'statement AAAASESS-FP-ACCR001 entry 1 transaction 3',
    ]);
    const transactions = transactionsOf(items);
    expect(transactions.map((transaction) => [transaction.amount, transaction.currency, transaction.creditDebitIndicator])).toEqual([
      [310, 'CHF', 'debit'],
      [320, 'CHF', 'debit'],
      [320, 'CHF', 'debit'],
    ]);
    // The shared ACSR160617103200001 cannot name three transactions: each keeps its own entry key.
    const ids = transactions.map((transaction) => transaction.bankTransactionId);
    expect(ids.every((id) => ENTRY_KEY.test(id))).toBe(true);
    expect(new Set(ids).size).toBe(3);
    expect(transactions[0]).toMatchObject({
      reference: 'ISR ref number V1',
      // Ustrd differs from the reference, but AddtlNtryInf is the narrative.
      description: 'Order',
      endToEndId: 'UXC06170000006PI00001EE00001',
      bookingDateTime: '2007-10-18T00:00:00.000Z',
      valueDateTime: '2007-10-18T00:00:00.000Z',
      counterparty: { name: 'Example Creditor 3 - V1' },
      bankTransactionCode: { domain: { code: 'PMNT', family: 'ICDT', subFamily: 'DMCT' }, proprietary: { code: 'Z24', issuer: null } },
    });
    expect(transactions[2]).toMatchObject({
      reference: 'Ref number V3 block 1 Ref number V3 block 2',
      endToEndId: 'UXC06170000006PI00001EE00002',
      counterparty: { name: 'Example Creditor 3 - V3' },
    });
  });

  it('viafintech camt.054.001.04: TxDtls AcctSvcrRef for booked transactions, entry keys for the two reversals', async () => {
    // Act
    const items = await readAll(createReadStream(fixture('camt/viafintech-camt_parser/valid_example.xml')), {
      format: 'camt',
      account: ibanAccount('CH0309000000250090342', 'CHF'),
    });

    // Assess
    const transactions = transactionsOf(items);
    expect(transactions).toHaveLength(5);
    expect(transactions.map((transaction) => [transaction.amount, transaction.creditDebitIndicator])).toEqual([
      [1500, 'credit'],
      [900, 'credit'],
      [5656, 'credit'],
      [600, 'debit'],
      [1553, 'debit'],
    ]);
    expect(transactions.slice(0, 3).map((transaction) => transaction.bankTransactionId)).toEqual(['TST_201-2091644-9', 'TST_201-2091644-8', 'TST_201-13113-5']);
    expect(transactions[0]).toMatchObject({
      status: 'booked',
      reference: 'Mitteilung 132',
      description: 'GUTSCHRIFT CH-DD-BASISLASTSCHRIFT ID: 41107767420881932 REFERENZ-NR: PMTINF-1CHDDBB3',
      endToEndId: 'EndToEnd-CRDBRActSame-1B9C-CHDDBB2',
      bookingDateTime: '2016-04-10T00:00:00.000Z',
      valueDateTime: '2016-04-10T00:00:00.000Z',
      counterparty: { name: 'Rutschmann Pia' },
      bankTransactionCode: { domain: { code: 'PMNT', family: 'RDDT', subFamily: 'PMDD' }, proprietary: null },
    });
    // No remittance information at all: no reference; the narrative stays the description.
    expect(transactions[2]).toMatchObject({ reference: null, endToEndId: 'PMT-651727380907030005' });
    expect(transactions[2]?.description).toContain('PMT-ID-1268016165-01');
    // The reversals carry a TxDtls AcctSvcrRef (TST_205-2091679-6 on the first) but are stored under their entry keys.
    const reversals = transactions.slice(3);
    expect(reversals.map((transaction) => transaction.bankTransactionId)).toEqual([expect.stringMatching(ENTRY_KEY), expect.stringMatching(ENTRY_KEY)]);
    expect(reversals[0]).toMatchObject({
      reference: 'Mitteilung 128',
      endToEndId: 'EndToEnd-2B6C-CHDDBB5',
      counterparty: { name: 'Bernasconi Maria' },
      description: expect.stringMatching(/^Reversal: RÜCKBELASTUNG \(REFUND\)/),
    });
    expect(reversals[1]).toMatchObject({
      endToEndId: 'E2E-1-1-16030913',
      description: expect.stringMatching(/^Reversal: /),
      bankTransactionCode: { domain: { code: 'PMNT', family: 'RDDT', subFamily: 'PRDD' }, proprietary: null },
    });
  });
});

describe('readStatement: identity and mapping of built camt entries', () => {
  it('reads a reversal as a debit described "Reversal: …", under its entry key rather than its AcctSvcrRef', async () => {
    // Prepare
    const xml = singleStatement('camt.053', 4, [
      { direction: 'DBIT', reversal: true, acctSvcrRef: 'REV-0001', additionalInfo: 'RETURNED DIRECT DEBIT', amount: '25.00' },
    ]);

    // Act
    const [transaction] = transactionsOf(await readCamtText(xml));

    // Assess
    expect(transaction).toMatchObject({ creditDebitIndicator: 'debit', amount: 2500, status: 'booked', description: 'Reversal: RETURNED DIRECT DEBIT' });
    expect(transaction?.bankTransactionId).toMatch(ENTRY_KEY);
  });

  it('describes a reversal without a narrative as just "Reversal"', async () => {
    const [transaction] = transactionsOf(await readCamtText(singleStatement('camt.053', 4, [{ direction: 'DBIT', reversal: true }])));
    expect(transaction?.description).toBe('Reversal');
  });

  it('stores a pending entry under its entry key even when it carries an AcctSvcrRef', async () => {
    // Prepare
    const xml = singleStatement('camt.054', 6, [{ status: 'PDNG', acctSvcrRef: 'PEND-0001', bookingDate: '2026-03-03' }]);

    // Act
    const [transaction] = transactionsOf(await readCamtText(xml));

    // Assess
    expect(transaction).toMatchObject({ status: 'pending', bookingDateTime: '2026-03-03T00:00:00.000Z' });
    expect(transaction?.bankTransactionId).toMatch(ENTRY_KEY);
  });

  it('numbers a bank reference met again in the same file #2, #3', async () => {
    // Prepare: a bank that reuses its reference for three different bookings.
    const xml = singleStatement('camt.053', 4, [
      { acctSvcrRef: 'DUP-REF', amount: '1.00' },
      { acctSvcrRef: 'OTHER-REF', amount: '2.00' },
      { acctSvcrRef: 'DUP-REF', amount: '3.00' },
      { acctSvcrRef: 'DUP-REF', amount: '4.00', direction: 'DBIT' },
    ]);

    // Act
    const transactions = transactionsOf(await readCamtText(xml));

    // Assess
    expect(transactions.map((transaction) => [transaction.bankTransactionId, transaction.amount])).toEqual([
      ['DUP-REF', 100],
      ['OTHER-REF', 200],
      ['DUP-REF#2', 300],
      ['DUP-REF#3', 400],
    ]);
  });

  it('never numbers a repeated reference onto another reference of the same file', async () => {
    // Prepare: the bank's own reference happens to read like a numbered repeat.
    const xml = singleStatement('camt.053', 4, [
      { acctSvcrRef: 'DUP-REF', amount: '1.00' },
      { acctSvcrRef: 'DUP-REF', amount: '2.00' },
      { acctSvcrRef: 'DUP-REF#2', amount: '3.00' },
    ]);

    // Act
    const ids = transactionsOf(await readCamtText(xml)).map((transaction) => transaction.bankTransactionId);

    // Assess
    expect(ids[0]).toBe('DUP-REF');
    expect(new Set(ids).size).toBe(3);
  });

  it('splits an Ntry whose TxDtls carry no reference of their own into transactions under distinct entry keys, not the Ntry AcctSvcrRef', async () => {
    // Prepare
    const xml = singleStatement('camt.053', 4, [
      {
        amount: '10.00',
        acctSvcrRef: 'BATCH-REF',
        transactions: [
          { amount: '4.00', endToEndId: 'E2E-A', unstructured: ['INV 1'] },
          { amount: '6.00', endToEndId: 'E2E-B', unstructured: ['INV 2'] },
        ],
      },
    ]);

    // Act
    const items = await readCamtText(xml);

    // Assess
    expect(items.map((item) => item.entry)).toEqual(['statement STMT-1 entry 1 transaction 1', 'statement STMT-1 entry 1 transaction 2']);
    const transactions = transactionsOf(items);
    expect(transactions.map((transaction) => [transaction.amount, transaction.endToEndId, transaction.reference])).toEqual([
      [400, 'E2E-A', 'INV 1'],
      [600, 'E2E-B', 'INV 2'],
    ]);
    const ids = transactions.map((transaction) => transaction.bankTransactionId);
    expect(ids.every((id) => ENTRY_KEY.test(id))).toBe(true);
    expect(new Set(ids).size).toBe(2);
  });

  it('stores split TxDtls under their own AcctSvcrRef, numbering one repeated from the Ntry', async () => {
    // Prepare: the bank repeats the entry's reference on each transaction of the batch.
    const xml = singleStatement('camt.053', 4, [
      {
        amount: '10.00',
        acctSvcrRef: 'BATCH-REF',
        transactions: [
          { amount: '4.00', acctSvcrRef: 'BATCH-REF' },
          { amount: '6.00', acctSvcrRef: 'BATCH-REF' },
        ],
      },
    ]);

    // Act
    const transactions = transactionsOf(await readCamtText(xml));

    // Assess
    expect(transactions.map((transaction) => [transaction.bankTransactionId, transaction.amount])).toEqual([
      ['BATCH-REF', 400],
      ['BATCH-REF#2', 600],
    ]);
  });

  it('maps the counterparty of a GB IBAN to its sort code and account number, and keeps Ustrd apart from a structured reference', async () => {
    // Prepare
    const xml = singleStatement('camt.053', 4, [
      {
        transactions: [
          { debtorName: 'J SMITH', debtorIban: 'GB29NWBK60161331926819', creditorReference: 'RF18539007547034', unstructured: ['PAYMENT FOR INVOICE 7'] },
        ],
      },
    ]);

    // Act
    const [transaction] = transactionsOf(await readCamtText(xml));

    // Assess
    expect(transaction).toMatchObject({
      counterparty: { name: 'J SMITH', sortCode: '601613', accountNumber: '31926819' },
      reference: 'RF18539007547034',
      description: 'PAYMENT FOR INVOICE 7',
    });
  });

  it('rejects an entry in another currency with its place and why, and reads the others', async () => {
    // Prepare
    const xml = singleStatement('camt.053', 4, [
      { amount: '1.00', acctSvcrRef: 'A-1' },
      { amount: '2.00', currency: 'USD', acctSvcrRef: 'A-2' },
      { amount: '3.00', acctSvcrRef: 'A-3' },
    ]);

    // Act
    const items = await readCamtText(xml);

    // Assess
    expect(items).toEqual([
      expect.objectContaining({ kind: 'transaction', entry: 'statement STMT-1 entry 1' }),
      { kind: 'rejected', entry: 'statement STMT-1 entry 2', message: "the amount is in USD, not in the account's currency EUR" },
      expect.objectContaining({ kind: 'transaction', entry: 'statement STMT-1 entry 3' }),
    ]);
    expect(transactionsOf(items).map((transaction) => transaction.bankTransactionId)).toEqual(['A-1', 'A-3']);
  });

  it('reports an information-only entry as rejected with its place, without using up a reference number', async () => {
    // Prepare
    const xml = singleStatement('camt.054', 6, [
      { acctSvcrRef: 'R-1' },
      { status: 'INFO', acctSvcrRef: 'R-1' },
      { acctSvcrRef: 'R-1', amount: '2.00' },
    ]);

    // Act
    const items = await readCamtText(xml);

    // Assess
    expect(items.map((item) => [item.kind, item.entry])).toEqual([
      ['transaction', 'statement STMT-1 entry 1'],
      ['rejected', 'statement STMT-1 entry 2'],
      ['transaction', 'statement STMT-1 entry 3'],
    ]);
    expect(items[1]).toMatchObject({ message: expect.stringContaining('INFO') });
    expect(transactionsOf(items).map((transaction) => transaction.bankTransactionId)).toEqual(['R-1', 'R-1#2']);
  });

  it.each([
    { case: 'another IBAN', account: {}, on: ibanAccount('NL26VAYB8060476890', 'EUR') },
    { case: 'another currency stated', account: { currency: 'GBP' }, on: EUR_ACCOUNT },
  ])('refuses a statement for $case before yielding any transaction', async ({ account, on }) => {
    // Prepare
    const xml = singleStatement('camt.053', 4, [{ acctSvcrRef: 'A-1' }, { acctSvcrRef: 'A-2' }], account);

    // Act
    const { yielded, error } = await failure(xml, on);

    // Assess
    expect(yielded).toEqual([]);
    expect(error).toBeInstanceOf(StatementAccountMismatchError);
    expect(error).toMatchObject({ code: 'statement_account_mismatch' });
  });

  it('refuses a file whose second statement is for another account', async () => {
    // Prepare: the reader stops at the second statement's header (acceptStatement reads the whole file before storing).
    const first = singleStatement('camt.053', 4, [{ acctSvcrRef: 'A-1' }]);
    const xml = first.replace(
      '</BkToCstmrStmt>',
      `<Stmt><Id>STMT-2</Id><CreDtTm>2026-03-02T18:00:00+01:00</CreDtTm><Acct><Id><IBAN>NL26VAYB8060476890</IBAN></Id></Acct></Stmt></BkToCstmrStmt>`,
    );

    // Act
    const { yielded, error } = await failure(xml, EUR_ACCOUNT);

    // Assess
    expect(yielded.map((item) => item.entry)).toEqual(['statement STMT-1 entry 1']);
    expect(error).toBeInstanceOf(StatementAccountMismatchError);
  });

  it('gives the same ids when the same file is read twice', async () => {
    // Prepare
    const xml = singleStatement('camt.053', 4, [
      { acctSvcrRef: 'A-1' },
      { acctSvcrRef: 'A-1' },
      {},
      {},
      { status: 'PDNG' },
      { reversal: true, direction: 'DBIT', acctSvcrRef: 'A-1' },
    ]);

    // Act
    const first = transactionsOf(await readCamtText(xml)).map((transaction) => transaction.bankTransactionId);
    const again = transactionsOf(await readCamtText(xml)).map((transaction) => transaction.bankTransactionId);

    // Assess
    expect(new Set(first).size).toBe(6);
    expect(again).toEqual(first);
  });

  it('gives every transaction of a file a distinct id, the same on every read (property)', async () => {
    const entrySpec: fc.Arbitrary<EntrySpec> = fc.record({
      amount: fc.constantFrom('1.00', '2.50', '10.00'),
      direction: fc.constantFrom<'CRDT' | 'DBIT'>('CRDT', 'DBIT'),
      status: fc.constantFrom('BOOK', 'PDNG'),
      reversal: fc.boolean(),
      bookingDate: fc.constantFrom('2026-03-02', '2026-03-03'),
      acctSvcrRef: fc.option(fc.constantFrom('REF-1', 'REF-2', 'REF-1#2'), { nil: undefined }),
      transactions: fc.option(
        fc.array(
          fc.record({
            amount: fc.constantFrom('1.00', '2.00'),
            endToEndId: fc.option(fc.constantFrom('E2E-1', 'E2E-2'), { nil: undefined }),
            acctSvcrRef: fc.option(fc.constantFrom('REF-1', 'TX-REF'), { nil: undefined }),
          }),
          { minLength: 1, maxLength: 3 },
        ),
        { nil: undefined },
      ),
    });
    await fc.assert(
      fc.asyncProperty(fc.array(entrySpec, { minLength: 1, maxLength: 12 }), async (entries) => {
        const xml = singleStatement('camt.053', 4, entries);
        const first = transactionsOf(await readCamtText(xml)).map((transaction) => transaction.bankTransactionId);
        const again = transactionsOf(await readCamtText(xml)).map((transaction) => transaction.bankTransactionId);
        expect(first.length).toBeGreaterThanOrEqual(entries.length);
        expect(new Set(first).size).toBe(first.length);
        expect(again).toEqual(first);
      }),
      { numRuns: 60 },
    );
  });
});

describe('readStatement on CSV exports', () => {
  const LLOYDS_CSV = readFileSync(fixture('statements/lloyds-csv/sample-statement.csv'));
  const GBP_ACCOUNT = anAccount();

  it('reads the Lloyds sample rows as booked transactions at midnight UTC of their date, under their row keys', async () => {
    // Act
    const items = await readAll([LLOYDS_CSV], { format: 'csv', account: GBP_ACCOUNT, mapping: LLOYDS_MAPPING });

    // Assess
    expect(items).toHaveLength(12);
    expect(items.map((item) => item.entry)).toEqual(Array.from({ length: 12 }, (_, index) => `line ${index + 2}`));
    const transactions = transactionsOf(items);
    expect(transactions[0]).toEqual({
      provider: 'sandbox',
      sortCode: '040004',
      accountNumber: '12345678',
      bankTransactionId: expect.stringMatching(/^csv_[0-9a-f]{64}$/),
      status: 'booked',
      creditDebitIndicator: 'debit',
      amount: 899,
      currency: 'GBP',
      bookingDateTime: '2024-01-15T00:00:00.000Z',
      valueDateTime: null,
      reference: null,
      description: 'ACME STORE CD 1417    14JAN24',
      endToEndId: null,
      counterparty: null,
      merchant: null,
      category: null,
    });
    expect(transactions[3]).toMatchObject({ creditDebitIndicator: 'credit', amount: 200_000, bookingDateTime: '2023-12-01T00:00:00.000Z' });
    expect(transactions[6]).toMatchObject({ creditDebitIndicator: 'debit', amount: 25_000, description: expect.stringMatching(/^HMRC - TAXES/) });
    expect(transactions[11]).toMatchObject({ creditDebitIndicator: 'credit', amount: 50_000, description: expect.stringMatching(/^CLIENT CO LTD/) });
    expect(new Set(transactions.map((transaction) => transaction.bankTransactionId)).size).toBe(12);
  });

  it('gives the same ids when the export is read again', async () => {
    const first = transactionsOf(await readAll([LLOYDS_CSV], { format: 'csv', account: GBP_ACCOUNT, mapping: LLOYDS_MAPPING }));
    const again = transactionsOf(await readAll([LLOYDS_CSV], { format: 'csv', account: GBP_ACCOUNT, mapping: LLOYDS_MAPPING }));
    expect(again.map((transaction) => transaction.bankTransactionId)).toEqual(first.map((transaction) => transaction.bankTransactionId));
  });

  it('books a pending row when the file was imported, keeps reference and payee, and reports a bad line by its number', async () => {
    // Prepare
    const csv = [
      'Date,Amount,Reference,Description,Payee',
      '02/03/2026,12.50,INV-1,Invoice one,ACME LTD',
      '03/03/2026,not money,INV-2,Invoice two,ACME LTD',
      'pending,-4.20,,Coffee,',
    ].join('\n');

    // Act
    const items = await readAll([Buffer.from(csv)], { format: 'csv', account: GBP_ACCOUNT, mapping: SIGNED_MAPPING });

    // Assess
    expect(items.map((item) => [item.kind, item.entry])).toEqual([
      ['transaction', 'line 2'],
      ['rejected', 'line 3'],
      ['transaction', 'line 4'],
    ]);
    expect(items[1]).toMatchObject({ message: expect.any(String) });
    const [booked, pending] = transactionsOf(items);
    expect(booked).toMatchObject({
      status: 'booked',
      creditDebitIndicator: 'credit',
      amount: 1250,
      bookingDateTime: '2026-03-02T00:00:00.000Z',
      reference: 'INV-1',
      description: 'Invoice one',
      counterparty: { name: 'ACME LTD' },
    });
    expect(pending).toMatchObject({ status: 'pending', creditDebitIndicator: 'debit', amount: 420, bookingDateTime: IMPORTED_AT, counterparty: null });
  });

  it('keeps a booking time the export states', async () => {
    // Prepare
    const mapping = savedMapping({ ...SIGNED_MAPPING.mapping, dateFormat: "dd/MM/yyyy HH:mm" });
    const csv = ['Date,Amount,Reference,Description,Payee', '02/03/2026 14:05,1.00,,Top up,'].join('\n');

    // Act
    const [transaction] = transactionsOf(await readAll([Buffer.from(csv)], { format: 'csv', account: GBP_ACCOUNT, mapping }));

    // Assess
    expect(transaction?.bookingDateTime).toBe('2026-03-02T14:05:00.000Z');
  });
});
