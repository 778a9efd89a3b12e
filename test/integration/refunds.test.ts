import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { tableAdapters } from '../../shared/adapters/dynamodb/repositories';
import { DynamoDbRefundStore } from '../../shared/adapters/dynamodb/refund-store';
import { sandboxPayeeVerifier } from '../../shared/adapters/sandbox-bank/payee-verifier';
import { systemClock, ulidIds } from '../../shared/adapters/system';
import { connectAccount } from '../../shared/domain/accounts/connect-account';
import type { DomainEvent, EventPublisher } from '../../shared/domain/events/domain-event';
import { formatAmount } from '../../shared/domain/money';
import type { BankGateway } from '../../shared/domain/payments/bank-gateway';
import { initiatePayment } from '../../shared/domain/payments/initiate-payment';
import type { Payment } from '../../shared/domain/payments/payment';
import { refundPayment } from '../../shared/domain/payments/refund-payment';
import { reconcileTransaction } from '../../shared/domain/settlement/reconcile-transaction';
import { createTestTable } from './table';

/**
 * Refunds on DynamoDB Local: the refund is created in one TransactWriteItems with the conditional raise of its
 * original's refund counter, so refunds requested at the same moment can never together pass what the payment
 * settled, and exactly the ones that fit succeed.
 */
describe('refunds on DynamoDB Local', () => {
  let adapters: ReturnType<typeof tableAdapters>;
  let refunds: DynamoDbRefundStore;
  const events: EventPublisher = { publish: async (_batch: readonly DomainEvent[]) => undefined };
  const gateway: BankGateway = { initiatePayment: async () => ({ bankPaymentId: `sbp_${ulidIds.next('pay')}`, authorisationUrl: 'http://bank/authorise' }) };
  const randomIndex = (max: number) => Math.floor(Math.random() * max);
  let sequence = 0;
  /** What each refund write found, to see the race the property claims to cover really happen. */
  const writes: string[] = [];

  beforeAll(async () => {
    const table = await createTestTable();
    adapters = tableAdapters(table.documentClient, table.tableName);
    refunds = new (class extends DynamoDbRefundStore {
      override async createRefund(...args: Parameters<DynamoDbRefundStore['createRefund']>) {
        const outcome = await super.createRefund(...args);
        writes.push(outcome);
        return outcome;
      }
    })(table.documentClient, table.tableName);
  });

  const deps = () => ({ ...adapters, gateway, ids: ulidIds, clock: systemClock, randomIndex, payees: sandboxPayeeVerifier, events, refunds });

  /** An inbound payment settled by a booked credit (through reconciliation), for `settled` minor units. */
  const settledPayment = async (settled: number): Promise<Payment> => {
    sequence += 1;
    const tenantId = ulidIds.next('ten');
    const account = await connectAccount(
      { tenantId, provider: 'sandbox', name: 'Acme', sortCode: '040004', accountNumber: String(40_000_000 + sequence), currency: 'GBP', sandboxProfile: 'exact', openingBalance: 0 },
      { accounts: adapters.accounts, ids: ulidIds, clock: systemClock },
    );
    const payment = await initiatePayment({ tenantId, accountId: account.id, direction: 'inbound', amount: settled, currency: 'GBP' }, deps());
    await reconcileTransaction(
      {
        provider: 'sandbox',
        sortCode: account.sortCode,
        accountNumber: account.accountNumber,
        bankTransactionId: `bank-${payment.id}`,
        status: 'booked',
        creditDebitIndicator: 'credit',
        amount: settled,
        currency: 'GBP',
        bookingDateTime: new Date().toISOString(),
        valueDateTime: null,
        reference: payment.reference,
        description: null,
        endToEndId: null,
        // The payment names no payer: the refund finds the account in this credit.
        counterparty: { name: 'J SMITH', sortCode: '200000', accountNumber: '55779911' },
        merchant: null,
        category: null,
      },
      { ...deps(), transactions: adapters.transactions, referenceIndex: adapters.payments },
    );
    const stored = await adapters.payments.get(tenantId, payment.id);
    expect(stored?.status).toBe('settled');
    if (stored === undefined) throw new Error('unreachable');
    return stored;
  };

  const requested = fc.array(fc.option(fc.integer({ min: 1, max: 6_000 }), { nil: undefined, freq: 5 }), { minLength: 2, maxLength: 8 });

  it('lets concurrent refunds of one payment add up to at most what it settled, and exactly those that fit succeed', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: 10_000 }), requested, async (settled, amounts) => {
        // Prepare
        const original = await settledPayment(settled);
        // Act: all at once
        const results = await Promise.allSettled(
          amounts.map((amount) =>
            refundPayment({ tenantId: original.tenantId, paymentId: original.id, ...(amount === undefined ? {} : { amount: formatAmount(amount, 'GBP') }) }, deps()),
          ),
        );
        // Assess
        const created = results.flatMap((result) => (result.status === 'fulfilled' ? [result.value] : []));
        const total = created.reduce((sum, refund) => sum + refund.amount, 0);
        expect(total).toBeLessThanOrEqual(settled);
        expect(await refunds.refunded(original.tenantId, original.id)).toBe(total);
        for (const refund of created) {
          expect(await adapters.payments.get(original.tenantId, refund.id)).toMatchObject({ refundOf: original.id, direction: 'outbound', counterparty: { sortCode: '200000', accountNumber: '55779911' } });
        }
        // Each refused one was refused because it did not fit: the counter only grows, so it still would not.
        results.forEach((result, index) => {
          if (result.status === 'fulfilled') return;
          expect(result.reason).toMatchObject({ code: 'refund_exceeds_settled' });
          const amount = amounts[index];
          if (amount === undefined) expect(total).toBe(settled);
          else expect(total + amount).toBeGreaterThan(settled);
        });
        // When one alone fits, one succeeds at least: the first to write finds the whole settled amount refundable.
        if (amounts.some((amount) => amount === undefined || amount <= settled)) expect(created.length).toBeGreaterThan(0);
      }),
      { numRuns: 8, seed: 120_405 },
    );
    // Some refunds passed the read-time check together and only the conditional write told them apart.
    expect(writes).toContain('exceeds_settled');
  }, 120_000);

  it('gives a failed refund amount back in its own transition, once', async () => {
    // Prepare
    const original = await settledPayment(5_000);
    const refund = await refundPayment({ tenantId: original.tenantId, paymentId: original.id, amount: '30.00' }, deps());
    expect(await refunds.refunded(original.tenantId, original.id)).toBe(3_000);
    // Act: the bank rejects it; a second writer holding the same stale version loses
    const failed: Payment = { ...refund, status: 'failed', failureReason: 'rejected_by_bank', version: refund.version + 1 };
    expect(await adapters.payments.update(refund, failed, [])).toBe(true);
    expect(await adapters.payments.update(refund, failed, [])).toBe(false);
    // Assess
    expect(await refunds.refunded(original.tenantId, original.id)).toBe(0);
    const again = await refundPayment({ tenantId: original.tenantId, paymentId: original.id }, deps());
    expect(again.amount).toBe(5_000);
  });

  it('refuses a write whose original is no longer at the settled amount read', async () => {
    const original = await settledPayment(5_000);
    const refund = await refundPayment({ tenantId: original.tenantId, paymentId: original.id, amount: '10.00' }, deps());
    const stale = { ...refund, id: ulidIds.next('pay'), bankPaymentId: `sbp_${ulidIds.next('pay')}` };
    expect(await refunds.createRefund(stale, { original, settled: 6_000 }, {})).toBe('original_changed');
    expect(await adapters.payments.get(original.tenantId, stale.id)).toBeUndefined();
    expect(await refunds.refunded(original.tenantId, original.id)).toBe(1_000);
  });

  it('stores payments Confirmation of Payee stops as the payment item alone, with payment.failed in its outbox until published', async () => {
    // Prepare: an account, and a publisher that fails once (a crash between the write and the publish)
    const original = await settledPayment(1_000);
    let failNext = true;
    const published: DomainEvent[] = [];
    const flaky: EventPublisher = {
      publish: async (batch) => {
        if (failNext) {
          failNext = false;
          throw new Error('EventBridge unavailable');
        }
        published.push(...batch);
      },
    };
    const command = { tenantId: original.tenantId, accountId: original.accountId, direction: 'outbound' as const, amount: 500, currency: 'GBP', counterparty: { name: 'Sam Smith', sortCode: '200000', accountNumber: '12349999' } };
    // Act: two stopped payments (no bank payment id to share a lookup), the first one's publish failing
    await expect(initiatePayment(command, { ...deps(), events: flaky })).rejects.toThrow('EventBridge unavailable');
    const second = await initiatePayment(command, { ...deps(), events: flaky });
    // Assess
    const stopped = (await adapters.payments.list(original.tenantId, { status: 'failed' }, { limit: 10, cursor: undefined })).data;
    expect(stopped.map((payment) => payment.failureReason)).toEqual(['payee_name_mismatch', 'payee_name_mismatch']);
    const first = stopped.find((payment) => payment.id !== second.id);
    if (first === undefined) throw new Error('the first stopped payment should be stored');
    expect((await adapters.payments.getWithOutbox(original.tenantId, first.id))?.outbox.map((event) => event.type)).toEqual(['payment.failed']);
    expect((await adapters.payments.getWithOutbox(original.tenantId, second.id))?.outbox).toEqual([]);
    expect(published.map((event) => event.type)).toEqual(['payment.failed']);
    expect(await adapters.payments.findByBankPaymentId('sandbox', '')).toBeUndefined();
  });
});
