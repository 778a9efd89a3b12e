import { describe, expect, it } from 'vitest';
import type { components } from '../../../clients/typescript/src/schema';
import { matchReason, timelineOf } from '../../../console/src/pages/payment-timeline';

type Payment = components['schemas']['Payment'];

const aPayment = (overrides: Partial<Payment> = {}): Payment => ({
  id: 'pay_1',
  status: 'authorisation_required',
  direction: 'inbound',
  amount: '125.00',
  currency: 'GBP',
  reference: 'STABC123XYZ',
  invoiceId: null,
  accountId: 'acc_1',
  counterparty: null,
  metadata: {},
  authorisationUrl: null,
  redirectUrl: null,
  failureReason: null,
  createdAt: '2026-12-01T10:00:00.000Z',
  updatedAt: '2026-12-01T10:00:00.000Z',
  executedAt: null,
  settlement: null,
  ...overrides,
});

const settlement = (matchedBy: 'reference' | 'manual'): NonNullable<Payment['settlement']> => ({
  amountSettled: '125.00',
  overpaidBy: '0.00',
  settledAt: '2026-12-01T10:05:00.000Z',
  transactionIds: ['txn_1'],
  matchedBy,
});

const summary = (payment: Payment) => timelineOf(payment).map((step) => `${step.label}:${step.state}:${step.at ?? step.note ?? ''}`);

describe('timelineOf', () => {
  it('shows a new payment initiated, with the rest not yet', () => {
    expect(summary(aPayment())).toEqual(['Initiated:done:2026-12-01T10:00:00.000Z', 'Authorised:todo:not yet', 'Executed:todo:not yet', 'Settled:todo:not yet']);
  });

  it('shows every step of a settled payment with its time, authorised as passed when the API gives no time', () => {
    const payment = aPayment({ status: 'settled', executedAt: '2026-12-01T10:01:00.000Z', settlement: settlement('reference') });
    expect(summary(payment)).toEqual([
      'Initiated:done:2026-12-01T10:00:00.000Z',
      'Authorised:done:passed (time not recorded)',
      'Executed:done:2026-12-01T10:01:00.000Z',
      'Settled:done:2026-12-01T10:05:00.000Z',
    ]);
  });

  it('uses authorisedAt when the API gives it, and says the time is not recorded when it is absent', () => {
    const withTime = { ...aPayment({ status: 'authorised' }), authorisedAt: '2026-12-01T10:00:30.000Z' };
    expect(summary(withTime)[1]).toBe('Authorised:done:2026-12-01T10:00:30.000Z');
    expect(summary(aPayment({ status: 'authorised' }))[1]).toBe('Authorised:done:passed (time not recorded)');
  });

  it('puts a failure where the payment stopped, with its reason, and says the later steps did not happen', () => {
    const payment = aPayment({ status: 'failed', failureReason: 'rejected_by_bank', updatedAt: '2026-12-01T10:00:20.000Z' });
    expect(timelineOf(payment).map((step) => `${step.label}:${step.state}:${step.note ?? ''}`)).toEqual([
      'Initiated:done:',
      'Failed:failed:rejected_by_bank',
      'Authorised:todo:did not happen',
      'Executed:todo:did not happen',
      'Settled:todo:did not happen',
    ]);
  });

  it('shows an expired payment as expired, and a returned one as settled then returned', () => {
    expect(timelineOf(aPayment({ status: 'expired' })).map((step) => step.label)).toEqual(['Initiated', 'Expired', 'Authorised', 'Executed', 'Settled']);
    const returned = aPayment({ status: 'returned', executedAt: '2026-12-01T10:01:00.000Z', settlement: settlement('reference') });
    expect(timelineOf(returned).map((step) => `${step.label}:${step.state}`)).toEqual(['Initiated:done', 'Authorised:done', 'Executed:done', 'Settled:done', 'Returned:failed']);
  });

  it('names a partial settlement as such', () => {
    const partial = aPayment({ status: 'partially_settled', executedAt: '2026-12-01T10:01:00.000Z', settlement: { ...settlement('reference'), amountSettled: '100.00' } });
    expect(timelineOf(partial).at(-1)?.label).toBe('Settled (partly)');
  });
});

describe('matchReason', () => {
  it('says the reference carried the payment reference, or that it was matched by hand, or nothing before settlement', () => {
    expect(matchReason(aPayment({ status: 'settled', settlement: settlement('reference') }))).toBe('The booked transaction carried the payment reference STABC123XYZ (in its reference or narrative, where banks put what the payer sent).');
    expect(matchReason(aPayment({ status: 'settled', settlement: settlement('manual') }))).toBe('Matched by hand from the exceptions queue.');
    expect(matchReason(aPayment())).toBeUndefined();
  });
});
