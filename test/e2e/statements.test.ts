import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningRuntime, startRuntime } from '../../infra/local/spawn-runtime';
import { ntry, singleStatement } from '../support/camt-documents';
import { connectAccount, eventually, idle, importStatement, onboardTenant, paymentWithStatus, positionOf, postBankWebhook, type Tenant } from './scenario';

const fixture = (path: string) => readFileSync(new URL(`../fixtures/${path}`, import.meta.url), 'utf8');

/**
 * Statement files through the whole local stack over HTTP: accepted only whole and only for their account, then
 * through the settlements queue like webhook data (stored once, reconciled, cash moved once), with counts.
 */
describe('statement imports', () => {
  let runtime: RunningRuntime;
  let tenant: Tenant;

  beforeAll(async () => {
    runtime = await startRuntime();
    tenant = await onboardTenant(runtime);
  });
  afterAll(async () => {
    await runtime?.stop();
  });

  const ukAccount = async () => {
    const account = await connectAccount(tenant, 'exact', '1000.00');
    return { ...account, otherId: { id: `${account.sortCode}${account.accountNumber}`, scheme: 'BBAN' } };
  };
  const transactionsOf = async (accountId: string) => {
    const listed = await tenant.get(`/v1/accounts/${accountId}/transactions?limit=500`);
    expect(listed.status).toBe(200);
    return listed.body.data as Record<string, any>[];
  };

  it('settles the open payments its entries name, and moves the cash once however often the file is imported', async () => {
    // Prepare: two open inbound payments, and a statement paying one in full with its structured reference and the
    // other in an unstructured line, plus a bank charge
    const account = await ukAccount();
    const first = await tenant.post('/v1/payments', { accountId: account.id, direction: 'inbound', amount: '125.00', currency: 'GBP', reference: 'INV-2026-0042' });
    const second = await tenant.post('/v1/payments', { accountId: account.id, direction: 'inbound', amount: '80.50', currency: 'GBP', reference: 'INV-2026-0043' });
    expect([first.status, second.status]).toEqual([201, 201]);
    const file = singleStatement(
      'camt.053',
      8,
      [
        { amount: '125.00', currency: 'GBP', acctSvcrRef: 'LLOY-0001', bookingDate: '2026-11-20', transactions: [{ amount: '125.00', currency: 'GBP', creditorReference: 'INV-2026-0042', endToEndId: 'E2E-0042', debtorName: 'J Smith' }] },
        { amount: '80.50', currency: 'GBP', acctSvcrRef: 'LLOY-0002', bookingDate: '2026-11-21', transactions: [{ amount: '80.50', currency: 'GBP', unstructured: ['INV-2026-0043'] }] },
        { amount: '7.50', currency: 'GBP', direction: 'DBIT', acctSvcrRef: 'LLOY-0003', bookingDate: '2026-11-21', domainCode: ['ACMT', 'MDOP', 'CHRG'], additionalInfo: 'MONTHLY ACCOUNT FEE' },
      ],
      { otherId: account.otherId, currency: 'GBP' },
    );

    // Act
    const imported = await importStatement(tenant, account.id, file);
    const again = await importStatement(tenant, account.id, file);
    await idle(runtime);

    // Assess: both payments settled by the statement; the fee is a debit with a readable category
    expect(imported.counts).toEqual({ entries: 3, stored: 3, duplicates: 0, rejected: 0 });
    expect(again.counts).toEqual({ entries: 3, stored: 0, duplicates: 3, rejected: 0 });
    await paymentWithStatus(tenant, String(first.body.id), 'settled');
    await paymentWithStatus(tenant, String(second.body.id), 'settled');
    const transactions = await transactionsOf(account.id);
    expect(transactions).toHaveLength(3);
    const fee = transactions.find((transaction) => transaction.bankTransactionId === 'LLOY-0003');
    expect(fee).toMatchObject({ creditDebitIndicator: 'debit', amount: '7.50', status: 'booked', bookingDateTime: '2026-11-21T00:00:00.000Z', description: 'MONTHLY ACCOUNT FEE' });
    expect(fee?.category).toMatch(/Charges/);
    expect(transactions.find((transaction) => transaction.bankTransactionId === 'LLOY-0001')).toMatchObject({
      reference: 'INV-2026-0042',
      endToEndId: 'E2E-0042',
      counterparty: { name: 'J Smith' },
      reconciliation: { status: 'matched', paymentIds: [String(first.body.id)] },
    });
    // 1,000.00 + 125.00 + 80.50 − 7.50, once
    expect((await positionOf(tenant, account.id))?.settledBalance).toBe('1198.00');
    const events = await tenant.get('/v1/events?type=statement.imported&limit=50');
    expect(events.body.data.map((event: { data: { id: string } }) => event.data.id)).toEqual(expect.arrayContaining([imported.id, again.id]));
  });

  it('stores once what the bank feed already reported, under its id or under its end-to-end id', async () => {
    // Prepare: the feed (a bank webhook) reports two credits
    const account = await ukAccount();
    const webhook = await postBankWebhook(runtime, {
      type: 'transactions',
      account: { sortCode: account.sortCode, accountNumber: account.accountNumber },
      transactions: [
        { transactionId: 'FEED-1', status: 'booked', creditDebitIndicator: 'credit', amount: '10.00', currency: 'GBP', bookingDateTime: '2026-11-24T10:00:00Z', reference: 'ONE' },
        { transactionId: 'FEED-2', status: 'booked', creditDebitIndicator: 'credit', amount: '20.00', currency: 'GBP', bookingDateTime: '2026-11-24T23:30:00Z', reference: 'TWO', endToEndId: 'E2E-TWO' },
      ],
    });
    expect(webhook.status).toBe(202);
    await idle(runtime);
    // The statement names the first by the bank's id, the second only by its end-to-end id (booked the next day in
    // the bank's calendar), and adds one the feed never sent
    const file = singleStatement(
      'camt.053',
      2,
      [
        { amount: '10.00', currency: 'GBP', acctSvcrRef: 'FEED-1', bookingDate: '2026-11-24', transactions: [{ amount: '10.00', currency: 'GBP', unstructured: ['ONE'] }] },
        { amount: '20.00', currency: 'GBP', bookingDate: '2026-11-25', transactions: [{ amount: '20.00', currency: 'GBP', endToEndId: 'E2E-TWO', unstructured: ['TWO'] }] },
        { amount: '30.00', currency: 'GBP', acctSvcrRef: 'STMT-3', bookingDate: '2026-11-25', transactions: [{ amount: '30.00', currency: 'GBP', unstructured: ['THREE'] }] },
      ],
      { otherId: account.otherId },
    );

    // Act
    const imported = await importStatement(tenant, account.id, file);
    await idle(runtime);

    // Assess
    expect(imported.counts).toEqual({ entries: 3, stored: 1, duplicates: 2, rejected: 0 });
    expect((await transactionsOf(account.id)).map((transaction) => transaction.bankTransactionId).sort()).toEqual(['FEED-1', 'FEED-2', 'STMT-3']);
    expect((await positionOf(tenant, account.id))?.settledBalance).toBe('1060.00');
  });

  it('refuses a file about another account, and a malformed file, storing nothing', async () => {
    // Prepare
    const account = await ukAccount();
    const other = singleStatement('camt.053', 8, [{ amount: '1.00', currency: 'GBP' }], { otherId: { id: '04000499999999' } });
    const broken = singleStatement('camt.053', 8, [{ amount: '1.00', currency: 'GBP' }], { otherId: account.otherId }).replace('</Ntry>', '');

    // Act
    const mismatched = await tenant.upload(`/v1/accounts/${account.id}/statements`, other, 'application/xml');
    const malformed = await tenant.upload(`/v1/accounts/${account.id}/statements`, broken, 'application/xml');
    const notAStatement = await tenant.upload(`/v1/accounts/${account.id}/statements`, 'hello', 'text/plain');
    await idle(runtime);

    // Assess
    expect(mismatched.status).toBe(422);
    expect(mismatched.body.error.code).toBe('statement_account_mismatch');
    expect(malformed.status).toBe(400);
    expect(malformed.body.error.code).toBe('statement_malformed');
    expect(malformed.body.error.message).toMatch(/line \d+/);
    expect(notAStatement.status).toBe(415);
    expect(await transactionsOf(account.id)).toEqual([]);
  });

  it('reverses a settled credit with a reversal entry, as its own transaction', async () => {
    // Prepare: a payment settled by one statement, reversed by the next
    const account = await ukAccount();
    const payment = await tenant.post('/v1/payments', { accountId: account.id, direction: 'inbound', amount: '40.00', currency: 'GBP', reference: 'INV-REV-1' });
    const credit = { amount: '40.00', currency: 'GBP', acctSvcrRef: 'REV-CREDIT', bookingDate: '2026-11-22', transactions: [{ amount: '40.00', currency: 'GBP', creditorReference: 'INV-REV-1' }] } as const;
    await importStatement(tenant, account.id, singleStatement('camt.053', 4, [credit], { otherId: account.otherId }));
    await paymentWithStatus(tenant, String(payment.body.id), 'settled');

    // Act
    const reversal = singleStatement(
      'camt.053',
      4,
      [{ ...credit, direction: 'DBIT', reversal: true, bookingDate: '2026-11-23', transactions: [{ ...credit.transactions[0], direction: 'DBIT' }] }],
      { otherId: account.otherId },
    );
    const imported = await importStatement(tenant, account.id, reversal);
    await idle(runtime);

    // Assess: the reversal is stored beside the credit and undoes it
    expect(imported.counts).toEqual({ entries: 1, stored: 1, duplicates: 0, rejected: 0 });
    const transactions = await transactionsOf(account.id);
    expect(transactions).toHaveLength(2);
    expect(transactions.find((transaction) => transaction.creditDebitIndicator === 'debit')?.description).toMatch(/^Reversal/);
    await paymentWithStatus(tenant, String(payment.body.id), 'returned');
    expect((await positionOf(tenant, account.id))?.settledBalance).toBe('1000.00');
  });

  it('imports every camt sample with the right number of transactions', async () => {
    // Prepare: accounts named as the samples name theirs
    const samples = [
      { file: 'camt/genkgo-camt/camt053.v2.minimal.xml', iban: 'NL26VAYB8060476890', currency: 'EUR', transactions: 1 },
      // Names its account by the IBAN inside Othr/Id
      { file: 'camt/genkgo-camt/camt053.v8.xml', iban: 'NL26VAYB8060476890', currency: 'EUR', transactions: 1 },
      // One Ntry holding three TxDtls
      { file: 'camt/genkgo-camt/camt054.v8.xml', iban: 'CH2801234000123456789', currency: 'CHF', transactions: 3 },
      // Four Ntry holding five TxDtls
      { file: 'camt/viafintech-camt_parser/valid_example.xml', iban: 'CH0309000000250090342', currency: 'CHF', transactions: 5 },
    ];
    for (const sample of samples) {
      const created = await tenant.post('/v1/accounts', { provider: 'sandbox', name: 'Statement sample', iban: sample.iban, currency: sample.currency, sandboxProfile: 'exact', openingBalance: '0.00' });
      expect(created.status, JSON.stringify(created.body)).toBe(201);

      // Act
      const imported = await importStatement(tenant, String(created.body.id), fixture(sample.file));

      // Assess: one transaction per TxDtls (per Ntry without them), each stored
      expect(imported.counts, sample.file).toEqual({ entries: sample.transactions, stored: sample.transactions, duplicates: 0, rejected: 0 });
      // The list reads an index, which DynamoDB updates a moment after the write: wait for it, then compare.
      const listed = await eventually(async () => {
        const rows = await transactionsOf(String(created.body.id));
        return rows.length >= sample.transactions ? rows : undefined;
      }, 10_000, `${sample.file} listed`);
      expect(listed, sample.file).toHaveLength(sample.transactions);
    }
  });

  it('imports a CSV export with a saved mapping, reporting the lines that are not transactions', async () => {
    // Prepare
    const account = await ukAccount();
    const mapping = await tenant.post('/v1/statement-mappings', {
      name: 'Lloyds online banking',
      columns: { bookingDate: 'Transaction Date', debit: 'Debit Amount', credit: 'Credit Amount', description: 'Transaction Description', balance: 'Balance' },
      dateFormat: 'dd/MM/yyyy',
      decimalSeparator: '.',
    });
    expect(mapping.status).toBe(201);
    expect((await tenant.get(`/v1/statement-mappings/${String(mapping.body.id)}`)).body).toEqual(mapping.body);
    const csv = `${fixture('statements/lloyds-csv/sample-statement.csv')}\nEnd of statement,,,,,,,,\n`;

    // Act
    const withoutMapping = await tenant.upload(`/v1/accounts/${account.id}/statements`, csv, 'text/csv');
    const imported = await importStatement(tenant, account.id, csv, 'text/csv', `?mapping=${String(mapping.body.id)}`);
    const again = await importStatement(tenant, account.id, csv, 'text/csv', `?mapping=${String(mapping.body.id)}`);

    // Assess
    expect(withoutMapping.status).toBe(400);
    expect(withoutMapping.body.error.code).toBe('mapping_required');
    expect(imported.counts.rejected).toBeGreaterThanOrEqual(1);
    expect(imported.errors[0]).toMatchObject({ entry: expect.stringMatching(/^line \d+$/) });
    expect(imported.counts.stored).toBe(imported.counts.entries - imported.counts.rejected);
    expect(again.counts).toEqual({ ...imported.counts, stored: 0, duplicates: imported.counts.stored });
    const acme = (await transactionsOf(account.id)).find((transaction) => String(transaction.description).startsWith('ACME STORE'));
    expect(acme).toMatchObject({ creditDebitIndicator: 'debit', amount: '8.99', bookingDateTime: '2024-01-15T00:00:00.000Z', status: 'booked' });
  });
});
