import { beforeAll, describe, expect, it } from 'vitest';
import { DynamoDbPayoutStore } from '../../shared/adapters/dynamodb/payout-store';
import { tableAdapters } from '../../shared/adapters/dynamodb/repositories';
import { sandboxPayeeVerifier } from '../../shared/adapters/sandbox-bank/payee-verifier';
import { systemClock, ulidIds } from '../../shared/adapters/system';
import { connectAccount } from '../../shared/domain/accounts/connect-account';
import type { DomainEvent } from '../../shared/domain/events/domain-event';
import type { Payment } from '../../shared/domain/payments/payment';
import { type CreatePayoutCommand, createPayout } from '../../shared/domain/payouts/create-payout';
import { countersOf } from '../../shared/domain/payouts/payout';
import type { BulkBankGateway, PayoutStore } from '../../shared/domain/payouts/payout-store';
import { completeIfDone } from '../../shared/domain/payouts/process-payout';
import { applyPaymentStatus } from '../../shared/domain/settlement/apply-payment-status';
import { createTestTable } from './table';

/**
 * Bulk payouts on DynamoDB Local: a batch stored record-first survives a crash part-way (the same request completes
 * the same batch, no payment twice), and its counters stay exact while its items change status concurrently and
 * every report is delivered twice.
 */
describe('payouts on DynamoDB Local', () => {
  let table: Awaited<ReturnType<typeof createTestTable>>;
  let adapters: ReturnType<typeof tableAdapters>;
  let store: DynamoDbPayoutStore;
  let sequence = 0;
  const bank: BulkBankGateway = {
    identify: (payoutId) => ({ bankBatchId: `sbb_${payoutId.slice(4)}`, authorisationUrl: `http://bank/authorise/${payoutId}` }),
    initiateBatch: async () => undefined,
    submitChunk: async () => ({ accepted: true }),
    bulkLimit: async () => 50,
  };
  const published: DomainEvent[] = [];
  const events = { publish: async (batch: readonly DomainEvent[]) => void published.push(...batch) };

  beforeAll(async () => {
    table = await createTestTable();
    adapters = tableAdapters(table.documentClient, table.tableName);
    store = new DynamoDbPayoutStore(table.documentClient, table.tableName);
  });

  const aPayout = async (size: number): Promise<CreatePayoutCommand> => {
    sequence += 1;
    const tenantId = ulidIds.next('ten');
    const account = await connectAccount(
      { tenantId, provider: 'sandbox', name: 'Acme', sortCode: '040004', accountNumber: String(40_000_000 + sequence), currency: 'GBP', sandboxProfile: 'exact', openingBalance: 0 },
      { accounts: adapters.accounts, ids: ulidIds, clock: systemClock },
    );
    return {
      tenantId,
      payoutId: ulidIds.next('bat'),
      fingerprint: `request-${sequence}`,
      accountId: account.id,
      currency: 'GBP',
      mismatchPolicy: 'stop',
      items: Array.from({ length: size }, (_, index) => ({
        index,
        amount: 100 + index,
        reference: undefined,
        externalId: `emp-${index}`,
        // Every tenth payee's name does not match its account (ending 9999 belongs to "Jordan Example").
        counterparty: { name: `Worker ${index}`, sortCode: '200000', accountNumber: index % 10 === 3 ? '12349999' : String(50_000_000 + index) },
      })),
    };
  };
  const deps = (payouts: PayoutStore = store) => ({ accounts: adapters.accounts, payouts, bank, payees: sandboxPayeeVerifier, clock: systemClock, randomIndex: (max: number) => Math.floor(Math.random() * max) });

  it('completes the same batch when a crashed store is retried, with no payment twice', async () => {
    // Prepare: the first attempt writes the record and half the items, then dies
    const command = await aPayout(120);
    const crashing: PayoutStore = Object.assign(Object.create(store) as DynamoDbPayoutStore, {
      putItems: async (payments: readonly Payment[]) => {
        await store.putItems(payments.slice(0, 60));
        throw new Error('the function was stopped');
      },
    });
    await expect(createPayout(command, deps(crashing))).rejects.toThrow('the function was stopped');
    expect((await store.get(command.tenantId, command.payoutId))?.status).toBe('storing');

    // Act: the same request again
    const created = await createPayout(command, deps());
    const again = await createPayout(command, deps());

    // Assess
    expect(created.payout.status).toBe('authorisation_required');
    expect(again.payments.map((payment) => payment.id)).toEqual(created.payments.map((payment) => payment.id));
    const stored = await store.items(created.payout, 0, 200);
    expect(stored).toHaveLength(120);
    expect(new Set(stored.map((payment) => payment.reference)).size).toBe(120);
    const listed = await adapters.payments.list(command.tenantId, {}, { limit: 500, cursor: undefined });
    expect(listed.data).toHaveLength(120);
    const counters = await store.counters(command.tenantId, command.payoutId);
    expect(counters).toEqual(countersOf(stored));
    expect(counters.failed.count).toBe(12);
    expect(stored.filter((payment) => payment.failureReason === 'payee_name_mismatch')).toHaveLength(12);
  }, 120_000);

  it('keeps the counters exact under concurrent, redelivered status reports, and completes once', async () => {
    // Prepare
    const command = await aPayout(30);
    const { payout, payments } = await createPayout(command, deps());
    expect(await store.decide(payout, 'processing', new Date().toISOString(), 50)).toBe(true);
    const live = payments.filter((payment) => payment.status === 'authorisation_required');
    await store.prepareForBank(live);
    const report = (payment: Payment, status: 'authorised' | 'executed' | 'rejected') => ({
      provider: 'sandbox' as const,
      bankPaymentId: payment.bankPaymentId,
      status,
      at: new Date().toISOString(),
      reason: status === 'rejected' ? 'insufficient_funds' : null,
    });
    const statusDeps = { payments: adapters.payments, events, clock: systemClock };

    // Act: every item authorised, then executed or rejected, each report twice, all at once
    const reports = live.flatMap((payment, index) => {
      const last = index % 4 === 0 ? 'rejected' : 'executed';
      return [report(payment, 'authorised'), report(payment, 'authorised'), report(payment, last), report(payment, last)];
    });
    // A report that keeps losing races throws, and the queue would deliver it again: so does this.
    const delivered = async (each: (typeof reports)[number]): Promise<void> => {
      for (let attempt = 1; ; attempt += 1) {
        try {
          await applyPaymentStatus(each, statusDeps);
          return;
        } catch (error) {
          if (attempt >= 10) throw error;
        }
      }
    };
    await Promise.all(reports.map(delivered));
    const final = await store.items(payout, 0, 30);
    const counters = await store.counters(command.tenantId, command.payoutId);

    // Assess: the counters are the items' statuses
    expect(counters).toEqual(countersOf(final));
    expect(counters.executed.count + counters.failed.count).toBe(30);

    // Act: the executed items settle (straight to settled, as a booked debit would), then five consumers race
    const settledAt = new Date().toISOString();
    await Promise.all(
      final
        .filter((payment) => payment.status === 'executed')
        .map((payment) =>
          adapters.payments.update(payment, { ...payment, status: 'settled', updatedAt: settledAt, version: payment.version + 1, settlement: { amountSettled: payment.amount, overpaidBy: 0, settledAt, transactionIds: ['txn_x'], matchedBy: 'reference' } }, []),
        ),
    );
    published.length = 0;
    await Promise.all(Array.from({ length: 5 }, () => completeIfDone(command.tenantId, command.payoutId, { payouts: store, events, clock: systemClock })));

    // Assess: completed once, with counts that add up
    const completions = published.filter((event) => event.type === 'payout.completed');
    expect(new Set(completions.map((event) => event.metadata.id)).size).toBe(1);
    const done = await store.get(command.tenantId, command.payoutId);
    expect(done?.status).toBe('completed_with_failures');
    const data = completions[0]?.data as { counts: { total: number; settled: number; failed: number } };
    expect(data.counts.settled + data.counts.failed).toBe(30);
    expect(data.counts.failed).toBe(counters.failed.count);
  }, 120_000);
});
