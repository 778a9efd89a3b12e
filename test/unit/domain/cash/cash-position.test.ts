import { describe, expect, it } from 'vitest';
import {
  cashPositionView,
  paymentContribution,
  pendingTransactionContribution,
  signedAmount,
} from '../../../../shared/domain/cash/cash-position';
import type { PaymentStatus } from '../../../../shared/domain/payments/payment';
import { aBankTransaction, aPayment } from '../../../support/domain-fakes';

const partialSettlement = (amountSettled: number) => ({
  amountSettled,
  overpaidBy: 0,
  settledAt: '2026-11-24T11:00:00.000Z',
  transactionIds: ['txn_1'],
  matchedBy: 'reference' as const,
});

describe('paymentContribution', () => {
  it.each<[PaymentStatus, number]>([
    ['authorisation_required', 0],
    ['authorised', 0],
    ['executed', 12_500],
    ['settled', 0],
    ['failed', 0],
    ['expired', 0],
    ['returned', 0],
  ])('an inbound %s payment of 125.00 adds %i to pending inbound', (status, inbound) => {
    // Act
    const contribution = paymentContribution(aPayment({ status, amount: 12_500, direction: 'inbound' }));
    // Assess
    expect(contribution).toEqual({ inbound, outbound: 0 });
  });

  it('counts what is still due on a partially settled payment', () => {
    // Act
    const contribution = paymentContribution(aPayment({ status: 'partially_settled', amount: 12_500, settlement: partialSettlement(5_000) }));
    // Assess
    expect(contribution).toEqual({ inbound: 7_500, outbound: 0 });
  });

  it('counts an executed outbound payment as pending outbound', () => {
    // Act
    const contribution = paymentContribution(aPayment({ status: 'executed', amount: 4_200, direction: 'outbound' }));
    // Assess
    expect(contribution).toEqual({ inbound: 0, outbound: 4_200 });
  });
});

describe('pendingTransactionContribution', () => {
  it('counts a pending unmatched credit as pending inbound and a debit as pending outbound', () => {
    // Act
    const credit = pendingTransactionContribution(aBankTransaction({ status: 'pending', creditDebitIndicator: 'credit', amount: 900 }));
    const debit = pendingTransactionContribution(aBankTransaction({ status: 'pending', creditDebitIndicator: 'debit', amount: 700 }));
    // Assess
    expect(credit).toEqual({ inbound: 900, outbound: 0 });
    expect(debit).toEqual({ inbound: 0, outbound: 700 });
  });

  it('does not count a booked transaction, a superseded one or one its payment already counts', () => {
    // Act
    const booked = pendingTransactionContribution(aBankTransaction({ status: 'booked' }));
    const superseded = pendingTransactionContribution(aBankTransaction({ status: 'pending', supersededBy: 'txn_booked' }));
    const matched = pendingTransactionContribution(
      aBankTransaction({
        status: 'pending',
        reconciliation: { status: 'pending', paymentIds: ['pay_1'], exceptionId: null, matchedBy: null, keys: [], candidatePaymentIds: ['pay_1'] },
      }),
    );
    // Assess
    expect([booked, superseded, matched]).toEqual([
      { inbound: 0, outbound: 0 },
      { inbound: 0, outbound: 0 },
      { inbound: 0, outbound: 0 },
    ]);
  });
});

describe('signedAmount and cashPositionView', () => {
  it('signs credits positive and debits negative', () => {
    // Assess
    expect(signedAmount({ creditDebitIndicator: 'credit', amount: 500 })).toBe(500);
    expect(signedAmount({ creditDebitIndicator: 'debit', amount: 500 })).toBe(-500);
  });

  it('shows money as decimal strings and projects settled + pending in − pending out', () => {
    // Act
    const view = cashPositionView({
      tenantId: 'ten_1',
      accountId: 'acc_1',
      currency: 'GBP',
      settledBalance: 100_000,
      pendingInbound: 2_550,
      pendingOutbound: 10_005,
      asOf: '2026-11-24T10:00:00.000Z',
    });
    // Assess
    expect(view).toEqual({
      accountId: 'acc_1',
      currency: 'GBP',
      settledBalance: '1000.00',
      pendingInbound: '25.50',
      pendingOutbound: '100.05',
      projectedBalance: '925.45',
      asOf: '2026-11-24T10:00:00.000Z',
    });
  });
});
