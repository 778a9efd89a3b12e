import { describe, expect, it } from 'vitest';
import type { Payment } from '../../../../shared/domain/payments/payment';
import { planReconciliation } from '../../../../shared/domain/reconciliation/plan-reconciliation';
import type { MatchDecision } from '../../../../shared/domain/settlement/matching';
import { aPayment, aReportedTransaction } from '../../../support/domain-fakes';

const NOW = '2026-11-24T10:00:10.000Z';
const TRANSACTION_ID = 'txn_01JD0000000000000000000009';

const settledPayment = (overrides: Partial<Payment> = {}): Payment =>
  aPayment({
    status: 'settled',
    amount: 5_500,
    version: 2,
    settlement: { amountSettled: 5_500, overpaidBy: 0, settledAt: '2026-11-24T09:00:00.000Z', transactionIds: ['txn_first'], matchedBy: 'reference' },
    ...overrides,
  });

const partlyPaid = (amountSettled: number): Payment =>
  aPayment({
    status: 'partially_settled',
    amount: 5_500,
    version: 2,
    settlement: { amountSettled, overpaidBy: 0, settledAt: '2026-11-24T09:00:00.000Z', transactionIds: ['txn_first'], matchedBy: 'reference' },
  });

const matchOf = (payment: Payment): MatchDecision => ({ outcome: 'match', paymentId: payment.id, key: payment.matchingKey, kind: 'exact', candidateIds: [payment.id] });
const noMatch = (...payments: Payment[]): MatchDecision => ({ outcome: 'none', candidateIds: payments.map((payment) => payment.id) });

const credit = (amount: number) => aReportedTransaction({ amount });

describe('planReconciliation: a second payment of a settled payment', () => {
  it('is never applied: no payment change, a duplicate_payment naming the payment, the money left unapplied', () => {
    // Prepare
    const payment = settledPayment();
    // Act
    const plan = planReconciliation(credit(5_500), TRANSACTION_ID, noMatch(payment), [payment], NOW);
    // Assess
    expect(plan).toEqual({
      paymentChanges: [],
      exception: { type: 'duplicate_payment', reason: expect.stringContaining(payment.id), candidatePaymentIds: [payment.id] },
      status: 'needs_review',
      paymentIds: [],
      matchedBy: null,
    });
  });

  it('is a duplicate too when the index still showed the payment open (it settled meanwhile): decided on the payment as read', () => {
    const payment = settledPayment();
    const plan = planReconciliation(credit(5_500), TRANSACTION_ID, matchOf(payment), [payment], NOW);
    expect(plan.paymentChanges).toEqual([]);
    expect(plan.exception).toMatchObject({ type: 'duplicate_payment', candidatePaymentIds: [payment.id] });
  });

  it.each([
    { description: 'smaller', amount: 1_000 },
    { description: 'larger', amount: 9_900 },
  ])('is a duplicate whatever its amount ($description)', ({ amount }) => {
    const payment = settledPayment();
    const plan = planReconciliation(credit(amount), TRANSACTION_ID, noMatch(payment), [payment], NOW);
    expect(plan.paymentChanges).toEqual([]);
    expect(plan.exception?.type).toBe('duplicate_payment');
  });

  it('names every settled payment its reference reaches when there are several, and applies to none', () => {
    const first = settledPayment();
    const second = settledPayment({ id: 'pay_01JD0000000000000000000002' });
    const plan = planReconciliation(credit(5_500), TRANSACTION_ID, noMatch(first, second), [first, second], NOW);
    expect(plan.paymentChanges).toEqual([]);
    expect(plan.exception).toMatchObject({ type: 'duplicate_payment', candidatePaymentIds: [first.id, second.id] });
  });

  it('is not a duplicate of a settled payment in another currency: unmatched', () => {
    const payment = settledPayment({ currency: 'EUR' });
    const plan = planReconciliation(credit(5_500), TRANSACTION_ID, noMatch(payment), [payment], NOW);
    expect(plan.paymentChanges).toEqual([]);
    expect(plan.exception?.type).toBe('unmatched');
  });
});

describe('planReconciliation: a partially settled payment still takes its instalments', () => {
  it('a credit that completes it settles it, with no exception', () => {
    const payment = partlyPaid(2_500);
    const plan = planReconciliation(credit(3_000), TRANSACTION_ID, matchOf(payment), [payment], NOW);
    expect(plan.exception).toBeUndefined();
    expect(plan.paymentChanges).toEqual([
      { from: payment, to: expect.objectContaining({ status: 'settled', version: 3, settlement: expect.objectContaining({ amountSettled: 5_500, overpaidBy: 0 }) }) },
    ]);
    expect(plan).toMatchObject({ status: 'matched', paymentIds: [payment.id], matchedBy: 'reference' });
  });

  it('one credit that completes it and more settles it over-paid, with amount_mismatch (one credit, not a duplicate)', () => {
    const payment = partlyPaid(2_500);
    const plan = planReconciliation(credit(4_000), TRANSACTION_ID, matchOf(payment), [payment], NOW);
    expect(plan.paymentChanges[0]?.to.settlement).toMatchObject({ amountSettled: 6_500, overpaidBy: 1_000 });
    expect(plan.exception).toMatchObject({ type: 'amount_mismatch', candidatePaymentIds: [payment.id] });
  });
});
