import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { sandboxPayeeVerifier } from '../../../../shared/adapters/sandbox-bank/payee-verifier';
import type { Page } from '../../../../shared/domain/accounts/account';
import type { BankGateway } from '../../../../shared/domain/payments/bank-gateway';
import type { Payment } from '../../../../shared/domain/payments/payment';
import type { PaymentCreationOptions } from '../../../../shared/domain/payments/payment-repository';
import { REFUNDABLE_STATUSES, type RefundCap, type RefundCreationOutcome, refundPayment, type RefundStore } from '../../../../shared/domain/payments/refund-payment';
import type { BankTransaction } from '../../../../shared/domain/settlement/bank-transaction';
import { AT, aBankTransaction, anAccount, aPayment, InMemoryAccountRepository, InMemoryPaymentRepository, RecordingEventPublisher, TENANT_ID } from '../../../support/domain-fakes';

const ORIGINAL = 'pay_01JD0000000000000000000001';
const PAYER = { name: 'J Smith', sortCode: '200000', accountNumber: '55779911' };

/** The refund store's contract in memory: the counter moves only if the new total stays within the cap. */
class InMemoryRefundStore implements RefundStore {
  readonly counters = new Map<string, number>();
  constructor(private readonly payments: InMemoryPaymentRepository) {}

  async refunded(tenantId: string, paymentId: string): Promise<number> {
    return this.counters.get(`${tenantId}|${paymentId}`) ?? 0;
  }

  async createRefund(refund: Payment, cap: RefundCap, options: PaymentCreationOptions): Promise<RefundCreationOutcome> {
    const key = `${cap.original.tenantId}|${cap.original.id}`;
    const counted = this.counters.get(key) ?? 0;
    if (counted + refund.amount > cap.settled) return 'exceeds_settled';
    const original = await this.payments.get(cap.original.tenantId, cap.original.id);
    if (original === undefined || !REFUNDABLE_STATUSES.includes(original.status) || original.settlement?.amountSettled !== cap.settled) return 'original_changed';
    const outcome = await this.payments.create(refund, options);
    if (outcome === 'created') this.counters.set(key, counted + refund.amount);
    return outcome;
  }
}

const settled = (overrides: Partial<Payment> = {}): Payment =>
  aPayment({
    id: ORIGINAL,
    status: 'settled',
    amount: 10_000,
    settlement: { amountSettled: 10_000, overpaidBy: 0, settledAt: AT, transactionIds: ['txn_1'], matchedBy: 'reference' },
    ...overrides,
  });

const setup = (original: Payment, credits: readonly BankTransaction[] = []) => {
  const payments = new InMemoryPaymentRepository([original]);
  const refunds = new InMemoryRefundStore(payments);
  const initiated: string[] = [];
  const gateway: BankGateway = {
    initiatePayment: async (payment) => {
      initiated.push(payment.id);
      return { bankPaymentId: `sbp_${payment.id}`, authorisationUrl: `https://bank.example/${payment.id}` };
    },
  };
  let sequence = 0;
  let draw = 0;
  const deps = {
    accounts: new InMemoryAccountRepository([anAccount()]),
    payments,
    gateway,
    ids: { next: (prefix: string) => `${prefix}_R${String((sequence += 1)).padStart(25, '0')}` },
    clock: { now: () => new Date(AT) },
    randomIndex: (max: number) => (draw += 7) % max,
    payees: sandboxPayeeVerifier,
    events: new RecordingEventPublisher(),
    refunds,
    transactions: { list: async (): Promise<Page<BankTransaction>> => ({ data: credits, nextCursor: null }) },
  };
  return { payments, refunds, deps, initiated };
};

const refund = (extra: { amount?: string; reference?: string; confirmationOfPayee?: 'stop' | 'proceed_on_mismatch' } = {}) => ({ tenantId: TENANT_ID, paymentId: ORIGINAL, ...extra });

describe('refundPayment', () => {
  it('refunds all that is still refundable by default, to the payer named on the payment, as an outbound payment with refundOf', async () => {
    // Prepare
    const { payments, refunds, deps, initiated } = setup(settled({ counterparty: PAYER }));
    // Act
    const created = await refundPayment(refund(), deps);
    // Assess
    expect(created).toMatchObject({ direction: 'outbound', amount: 10_000, refundOf: ORIGINAL, status: 'authorisation_required', counterparty: { ...PAYER, verification: { result: 'match' } } });
    expect(initiated).toEqual([created.id]);
    expect(await payments.get(TENANT_ID, created.id)).toEqual(created);
    expect(await refunds.refunded(TENANT_ID, ORIGINAL)).toBe(10_000);
  });

  it('takes parts until the settled amount is used up, then answers refund_exceeds_settled with what is left', async () => {
    const { deps } = setup(settled({ counterparty: PAYER }));
    await refundPayment(refund({ amount: '60.00' }), deps);
    await expect(refundPayment(refund({ amount: '40.01' }), deps)).rejects.toMatchObject({
      code: 'refund_exceeds_settled',
      details: [{ path: 'amount', message: 'at most 40.00 can still be refunded' }],
    });
    const rest = await refundPayment(refund(), deps);
    expect(rest.amount).toBe(4_000);
    await expect(refundPayment(refund(), deps)).rejects.toMatchObject({ code: 'refund_exceeds_settled' });
  });

  it('never lets the refunds of any sequence of requested amounts add up to more than was settled', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: 20_000 }), fc.array(fc.option(fc.integer({ min: 1, max: 9_000 }), { nil: undefined }), { maxLength: 8 }), async (amountSettled, requests) => {
        const { refunds, deps } = setup(settled({ counterparty: PAYER, settlement: { amountSettled, overpaidBy: 0, settledAt: AT, transactionIds: ['txn_1'], matchedBy: 'reference' } }));
        let accepted = 0;
        for (const minor of requests) {
          const amount = minor === undefined ? undefined : `${Math.floor(minor / 100)}.${String(minor % 100).padStart(2, '0')}`;
          const left = amountSettled - accepted;
          const result = await refundPayment(refund(amount === undefined ? {} : { amount }), deps).then(
            (created) => created.amount,
            (error: unknown) => error,
          );
          const allowed = left > 0 && (minor === undefined || minor <= left);
          if (allowed) {
            expect(result).toBe(minor ?? left);
            accepted += minor ?? left;
          } else {
            expect(result).toMatchObject({ code: 'refund_exceeds_settled' });
          }
        }
        expect(await refunds.refunded(TENANT_ID, ORIGINAL)).toBe(accepted);
        expect(accepted).toBeLessThanOrEqual(amountSettled);
      }),
      { numRuns: 100 },
    );
  });

  it('refunds an over-payment too: the cap is what was settled, not the amount asked', async () => {
    const { deps } = setup(settled({ counterparty: PAYER, settlement: { amountSettled: 12_000, overpaidBy: 2_000, settledAt: AT, transactionIds: ['txn_1'], matchedBy: 'reference' } }));
    expect((await refundPayment(refund(), deps)).amount).toBe(12_000);
  });

  it('finds the payer in the booked credit that settled the payment when the payment names no account', async () => {
    const credit = { id: 'txn_1', counterparty: { name: 'J SMITH', sortCode: '040075', accountNumber: '12345677' } } as const;
    const other = { id: 'txn_2', counterparty: { name: 'SOMEONE ELSE', sortCode: '111111', accountNumber: '22222222' } } as const;
    const { deps } = setup(settled(), [other, credit].map((transaction) => ({ ...aCredit(), ...transaction })));
    const created = await refundPayment(refund(), deps);
    expect(created.counterparty).toMatchObject({ name: 'J SMITH', sortCode: '040075', accountNumber: '12345677' });
  });

  it('answers payer_account_unknown when neither the payment nor its credit names the payer account, asking no bank', async () => {
    const { deps, initiated } = setup(settled(), [{ ...aCredit(), id: 'txn_1', counterparty: { name: 'J SMITH' } }]);
    await expect(refundPayment(refund(), deps)).rejects.toMatchObject({ code: 'payer_account_unknown' });
    expect(initiated).toEqual([]);
  });

  it.each([
    ['an outbound payment', settled({ direction: 'outbound', counterparty: PAYER }), 'payment_not_refundable'],
    ['an unsettled payment', settled({ status: 'executed', settlement: null, counterparty: PAYER }), 'payment_not_settled'],
    ['a returned payment', settled({ status: 'returned', counterparty: PAYER }), 'payment_not_settled'],
  ])('refuses %s with a 409', async (_name, original, code) => {
    const { deps, initiated } = setup(original);
    await expect(refundPayment(refund(), deps)).rejects.toMatchObject({ code });
    expect(initiated).toEqual([]);
  });

  it('answers 404 for a payment that does not exist', async () => {
    const { deps } = setup(settled());
    await expect(refundPayment({ tenantId: TENANT_ID, paymentId: 'pay_unknown' }, deps)).rejects.toMatchObject({ code: 'not_found' });
  });

  it('stores a refund the payer bank does not confirm failed, unsent, counting nothing against the cap', async () => {
    const { refunds, deps, initiated } = setup(settled({ counterparty: { name: 'Sam Smith', sortCode: '200000', accountNumber: '12349999' } }));
    const stopped = await refundPayment(refund(), deps);
    expect(stopped).toMatchObject({ status: 'failed', failureReason: 'payee_name_mismatch', refundOf: ORIGINAL });
    expect(initiated).toEqual([]);
    expect(await refunds.refunded(TENANT_ID, ORIGINAL)).toBe(0);
    const sent = await refundPayment(refund({ confirmationOfPayee: 'proceed_on_mismatch' }), deps);
    expect(sent.status).toBe('authorisation_required');
    expect(initiated).toEqual([sent.id]);
  });

  it('starts again when the original changed between its read and the write, and then refuses what is no longer refundable', async () => {
    // Prepare: a return lands just after the first read
    const { payments, deps, initiated } = setup(settled({ counterparty: PAYER }));
    const createRefund = deps.refunds.createRefund.bind(deps.refunds);
    let interfered = false;
    deps.refunds.createRefund = async (...args) => {
      if (!interfered) {
        interfered = true;
        payments.put(settled({ counterparty: PAYER, status: 'returned', version: 2 }));
      }
      return createRefund(...args);
    };
    // Act / Assess: its prepared initiation is never stored, and the second read sees the return
    await expect(refundPayment(refund(), deps)).rejects.toMatchObject({ code: 'payment_not_settled' });
    expect(initiated).toHaveLength(1);
    expect((await payments.list(TENANT_ID, {}, { limit: 10, cursor: undefined })).data.map((payment) => payment.id)).toEqual([ORIGINAL]);
  });
});

const aCredit = (): BankTransaction => aBankTransaction({ id: 'txn_0', amount: 10_000 });
