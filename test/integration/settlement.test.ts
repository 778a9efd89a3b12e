import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { beforeAll, describe, expect, it } from 'vitest';
import { endToEndKey, keptAsideKey, transactionKey } from '../../shared/adapters/dynamodb/keys';
import { tableAdapters } from '../../shared/adapters/dynamodb/repositories';
import { systemClock, ulidIds } from '../../shared/adapters/system';
import { sandboxPayeeVerifier } from '../../shared/adapters/sandbox-bank/payee-verifier';
import { connectAccount } from '../../shared/domain/accounts/connect-account';
import type { DomainEvent, EventPublisher } from '../../shared/domain/events/domain-event';
import { initiatePayment } from '../../shared/domain/payments/initiate-payment';
import type { BankGateway } from '../../shared/domain/payments/bank-gateway';
import type { ReportedTransaction } from '../../shared/domain/settlement/bank-transaction';
import { reconcileTransaction } from '../../shared/domain/settlement/reconcile-transaction';
import { createTestTable } from './table';

/** The settlement path on real DynamoDB Local: the conditional writes are what keep it exactly-once. */
describe('settlement on DynamoDB Local', () => {
  let adapters: ReturnType<typeof tableAdapters>;
  let table: Awaited<ReturnType<typeof createTestTable>>;
  const published: DomainEvent[] = [];
  const events: EventPublisher = { publish: async (batch) => void published.push(...batch) };
  const gateway: BankGateway = { initiatePayment: async () => ({ bankPaymentId: `sbp_${ulidIds.next('pay')}`, authorisationUrl: 'http://bank/authorise' }) };
  let sequence = 0;

  beforeAll(async () => {
    table = await createTestTable();
    adapters = tableAdapters(table.documentClient, table.tableName);
  });

  const openPayment = async (amount: number, reference?: string) => {
    sequence += 1;
    const tenantId = ulidIds.next('ten');
    const account = await connectAccount(
      { tenantId, provider: 'sandbox', name: 'Acme', sortCode: '040004', accountNumber: String(20_000_000 + sequence), currency: 'GBP', sandboxProfile: 'exact', openingBalance: 0 },
      { accounts: adapters.accounts, ids: ulidIds, clock: systemClock },
    );
    const payment = await initiatePayment(
      { tenantId, accountId: account.id, direction: 'inbound', amount, currency: 'GBP', reference },
      { accounts: adapters.accounts, payments: adapters.payments, gateway, ids: ulidIds, clock: systemClock, randomIndex: (max) => Math.floor(Math.random() * max), payees: sandboxPayeeVerifier, events: { publish: async () => undefined } },
    );
    return { tenantId, account, payment };
  };

  const credit = (account: { sortCode: string; accountNumber: string }, bankTransactionId: string, amount: number, reference: string): ReportedTransaction => ({
    provider: 'sandbox',
    sortCode: account.sortCode,
    accountNumber: account.accountNumber,
    bankTransactionId,
    status: 'booked',
    creditDebitIndicator: 'credit',
    amount,
    currency: 'GBP',
    bookingDateTime: new Date().toISOString(),
    valueDateTime: null,
    reference,
    description: null,
    endToEndId: null,
    counterparty: null,
    merchant: null,
    category: null,
  });

  const deps = () => ({ ...adapters, events, ids: ulidIds, clock: systemClock });

  it('ten concurrent deliveries of one transaction store it once and settle once', async () => {
    // Prepare
    const { tenantId, account, payment } = await openPayment(12_500);
    const report = credit(account, 'bank-concurrent-1', 12_500, payment.reference);
    // Act
    const outcomes = (await Promise.all(Array.from({ length: 10 }, () => reconcileTransaction(report, deps())))).flat();
    // Assess
    expect(outcomes.filter((outcome) => outcome === 'matched')).toHaveLength(1);
    expect(outcomes.filter((outcome) => outcome === 'duplicate')).toHaveLength(9);
    const settled = await adapters.payments.get(tenantId, payment.id);
    expect(settled).toMatchObject({ status: 'settled', settlement: { amountSettled: 12_500 }, version: 2 });
    expect((await adapters.transactions.list(tenantId, account.id, {}, { limit: 10, cursor: undefined })).data).toHaveLength(1);
  });

  it('keeps a transaction seven years from its booking: the table TTL removes it and its end-to-end index after that', async () => {
    const { account } = await openPayment(1_000);
    const report = { ...credit(account, 'bank-retention-1', 1_000, 'NO MATCH 1'), bookingDateTime: '2026-03-31T09:15:00.000Z', endToEndId: 'E2E-RETENTION-1' };
    await reconcileTransaction(report, deps());
    const sevenYearsOn = Date.parse('2033-03-31T09:15:00.000Z') / 1000;
    const { Item: transaction } = await table.documentClient.send(
      new GetCommand({ TableName: table.tableName, Key: transactionKey(account.tenantId, account.id, 'bank-retention-1') }),
    );
    expect(transaction?.expiresAt).toBe(sevenYearsOn);
    const { Item: endToEnd } = await table.documentClient.send(
      new GetCommand({ TableName: table.tableName, Key: endToEndKey(account.tenantId, account.id, 'E2E-RETENTION-1', 'booked') }),
    );
    expect(endToEnd?.expiresAt).toBe(sevenYearsOn);
    // The TTL attribute is storage, not the transaction: reads do not show it.
    expect(await adapters.transactions.get(account.tenantId, account.id, 'bank-retention-1')).toMatchObject({ transaction: expect.not.objectContaining({ expiresAt: expect.anything() }) });
  });

  it('two different credits racing for one payment: one settles it, the other goes for review', async () => {
    const { tenantId, account, payment } = await openPayment(5_000);
    const outcomes = (
      await Promise.all([
        reconcileTransaction(credit(account, 'race-a', 5_000, payment.reference), deps()),
        reconcileTransaction(credit(account, 'race-b', 5_000, payment.reference), deps()),
      ])
    ).flat();
    // The loser is recognised as a second payment of the settled invoice (duplicate_payment), never applied.
    expect(outcomes.sort()).toEqual(['matched', 'needs_review']);
    const settled = await adapters.payments.get(tenantId, payment.id);
    // Settled once, with what it settled; the second credit is unapplied cash in the exception.
    expect(settled?.settlement).toMatchObject({ amountSettled: 5_000, overpaidBy: 0, transactionIds: [expect.any(String)] });
    expect((await adapters.exceptions.list(tenantId, {}, { limit: 10, cursor: undefined })).data).toEqual([
      expect.objectContaining({ type: 'duplicate_payment', candidatePaymentIds: [payment.id], amount: 5_000 }),
    ]);
  });

  it('finds open payments by reference, exactly or by truncated prefix, and keeps settled ones only as closed', async () => {
    const { tenantId, account, payment } = await openPayment(1_000, 'INV-2024/0042');
    expect(await adapters.referenceIndex.findCandidates(tenantId, account.id, ['INV20240042'], null)).toEqual([
      { paymentId: payment.id, matchingKey: 'INV20240042', currency: 'GBP', direction: 'inbound', open: true },
    ]);
    // The truncated form finds it through the prefix query.
    expect(await adapters.referenceIndex.findCandidates(tenantId, account.id, [], 'INV202400')).toHaveLength(1);
    await reconcileTransaction(credit(account, 'settles-it', 1_000, 'INV-2024/0042'), deps());
    // Settled, it stays findable as closed (so a second payment or a return is recognised), never as open.
    expect(await adapters.referenceIndex.findCandidates(tenantId, account.id, ['INV20240042'], 'INV20240042')).toEqual([
      expect.objectContaining({ paymentId: payment.id, open: false }),
    ]);
  });

  it('moves the settled balance and the pending figure once per booked transaction, however often it is reported', async () => {
    // Prepare: an executed payment counts as pending
    const { tenantId, account, payment } = await openPayment(700);
    const executed = { ...payment, status: 'executed' as const, version: payment.version + 1, updatedAt: new Date().toISOString() };
    expect(await adapters.payments.update(payment, executed, [])).toBe(true);
    expect(await adapters.cash.get(tenantId, account.id, 'GBP')).toMatchObject({ settledBalance: 0, pendingInbound: 700 });
    // Act: the same booked credit reported five times at once
    const outcomes = await Promise.all(Array.from({ length: 5 }, () => reconcileTransaction(credit(account, 'cash-once', 700, payment.reference), deps())));
    // Assess: stored and moved once; the payment's pending contribution left with it in the same write
    expect(outcomes.flat().filter((outcome) => outcome === 'matched')).toHaveLength(1);
    expect(await adapters.cash.get(tenantId, account.id, 'GBP')).toMatchObject({ settledBalance: 700, pendingInbound: 0, pendingOutbound: 0 });
  });

  it('a payment write refused for a stale version moves no pending figure', async () => {
    // Prepare: the payment as a status handler read it, and a newer state written meanwhile
    const { tenantId, account, payment } = await openPayment(2_300);
    const executed = { ...payment, status: 'executed' as const, version: payment.version + 1, updatedAt: new Date().toISOString() };
    expect(await adapters.payments.update(payment, executed, [])).toBe(true);
    const failed = { ...executed, status: 'failed' as const, version: executed.version + 1 };
    expect(await adapters.payments.update(executed, failed, [])).toBe(true);
    // Act: the stale writer tries to execute it again from the version it read
    const stale = await adapters.payments.update(payment, executed, []);
    // Assess
    expect(stale).toBe(false);
    expect(await adapters.cash.get(tenantId, account.id, 'GBP')).toMatchObject({ pendingInbound: 0, pendingOutbound: 0 });
  });

  it('keeps a transaction for a bank account nobody connected', async () => {
    const report = credit({ sortCode: '999999', accountNumber: '00000001' }, 'orphan-1', 100, 'WHO AM I');
    expect(await reconcileTransaction(report, deps())).toEqual(['kept_aside']);
    const { Item } = await table.documentClient.send(
      new GetCommand({ TableName: table.tableName, Key: keptAsideKey('sandbox', '999999', '00000001', 'orphan-1') }),
    );
    expect(Item).toMatchObject({ bankTransactionId: 'orphan-1', amount: 100, reference: 'WHO AM I' });
  });
});
