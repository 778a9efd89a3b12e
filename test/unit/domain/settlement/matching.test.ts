import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { CreditDebit } from '../../../../shared/domain/settlement/bank-transaction';
import {
  applySettlement,
  decideMatch,
  MIN_PREFIX_KEY_LENGTH,
  type MatchQuery,
  type OpenPaymentCandidate,
} from '../../../../shared/domain/settlement/matching';
import { aPayment } from '../../../support/domain-fakes';

const candidate = (paymentId: string, matchingKey: string, overrides: Partial<OpenPaymentCandidate> = {}): OpenPaymentCandidate => ({
  paymentId,
  matchingKey,
  currency: 'GBP',
  direction: 'inbound',
  ...overrides,
});

const query = (keys: readonly string[], overrides: Partial<MatchQuery> = {}): MatchQuery => ({
  creditDebitIndicator: 'credit',
  currency: 'GBP',
  keys,
  referenceKey: keys[0] ?? null,
  ...overrides,
});

describe('decideMatch', () => {
  it('confirms the one open payment whose matching key is offered exactly', () => {
    // Prepare
    const candidates = [candidate('pay_a', 'ST7KQ2M9XR4'), candidate('pay_b', 'INV20240042')];
    // Act
    const decision = decideMatch(query(['JSMITH', 'ST7KQ2M9XR4']), candidates);
    // Assess
    expect(decision).toEqual({ outcome: 'match', paymentId: 'pay_a', key: 'ST7KQ2M9XR4', kind: 'exact', candidateIds: ['pay_a', 'pay_b'] });
  });

  it('never matches a payment in another currency', () => {
    // Prepare
    const candidates = [candidate('pay_eur', 'ST7KQ2M9XR4', { currency: 'EUR' })];
    // Act
    const decision = decideMatch(query(['ST7KQ2M9XR4'], { currency: 'GBP' }), candidates);
    // Assess
    expect(decision.outcome).toBe('none');
  });

  it.each<[CreditDebit, 'inbound' | 'outbound', 'match' | 'none']>([
    ['credit', 'inbound', 'match'],
    ['credit', 'outbound', 'none'],
    ['debit', 'outbound', 'match'],
    ['debit', 'inbound', 'none'],
  ])('a %s matches an %s payment: %s', (indicator, direction, outcome) => {
    // Prepare
    const candidates = [candidate('pay_a', 'ST7KQ2M9XR4', { direction })];
    // Act
    const decision = decideMatch(query(['ST7KQ2M9XR4'], { creditDebitIndicator: indicator }), candidates);
    // Assess
    expect(decision.outcome).toBe(outcome);
  });

  it('matches the one payment of the right currency and direction when others share its key', () => {
    // Prepare
    const candidates = [
      candidate('pay_eur', 'ST7KQ2M9XR4', { currency: 'EUR' }),
      candidate('pay_out', 'ST7KQ2M9XR4', { direction: 'outbound' }),
      candidate('pay_in', 'ST7KQ2M9XR4'),
    ];
    // Act
    const decision = decideMatch(query(['ST7KQ2M9XR4']), candidates);
    // Assess
    expect(decision).toMatchObject({ outcome: 'match', paymentId: 'pay_in' });
  });

  it('calls two open payments under one key ambiguous instead of picking one', () => {
    // Prepare
    const candidates = [candidate('pay_a', 'INV20240042'), candidate('pay_b', 'INV20240042')];
    // Act
    const decision = decideMatch(query(['INV20240042']), candidates);
    // Assess
    expect(decision.outcome).toBe('ambiguous');
    expect([...decision.candidateIds].sort()).toEqual(['pay_a', 'pay_b']);
  });

  it('calls keys that reach two different payments ambiguous', () => {
    // Prepare: the reference names one invoice, the narrative another
    const candidates = [candidate('pay_a', 'INV20240042'), candidate('pay_b', 'INV20240043')];
    // Act
    const decision = decideMatch(query(['INV20240042', 'INV20240043']), candidates);
    // Assess
    expect(decision).toMatchObject({ outcome: 'ambiguous', candidateIds: ['pay_a', 'pay_b'] });
  });

  it('matches a truncated reference field as a prefix of one payment key', () => {
    // Prepare: the bank kept the first 10 of 14 characters
    const candidates = [candidate('pay_a', 'ACMEINV2024004217')];
    // Act
    const decision = decideMatch(query(['ACMEINV2024004'], { referenceKey: 'ACMEINV2024004' }), candidates);
    // Assess
    expect(decision).toEqual({ outcome: 'match', paymentId: 'pay_a', key: 'ACMEINV2024004', kind: 'prefix', candidateIds: ['pay_a'] });
  });

  it('accepts a prefix of exactly MIN_PREFIX_KEY_LENGTH characters and refuses one shorter', () => {
    // Prepare
    const paymentKey = 'ACMEINV202';
    const longEnough = paymentKey.slice(0, MIN_PREFIX_KEY_LENGTH);
    const tooShort = paymentKey.slice(0, MIN_PREFIX_KEY_LENGTH - 1);
    const candidates = [candidate('pay_a', paymentKey)];
    // Act
    const accepted = decideMatch(query([longEnough], { referenceKey: longEnough }), candidates);
    const refused = decideMatch(query([tooShort], { referenceKey: tooShort }), candidates);
    // Assess
    expect(accepted).toMatchObject({ outcome: 'match', kind: 'prefix' });
    expect(refused.outcome).toBe('none');
  });

  it('never prefix-matches a key that came from the narrative', () => {
    // Prepare: the reference field holds the bank's FPID; the narrative holds a truncated reference
    const candidates = [candidate('pay_a', 'ACMEINV2024004217')];
    // Act
    const decision = decideMatch(query(['FP26112400123456789', 'ACMEINV2024'], { referenceKey: 'FP26112400123456789' }), candidates);
    // Assess
    expect(decision.outcome).toBe('none');
  });

  it('makes no prefix match when there is no reference key', () => {
    // Prepare
    const candidates = [candidate('pay_a', 'ACMEINV2024004217')];
    // Act
    const decision = decideMatch(query(['ACMEINV2024'], { referenceKey: null }), candidates);
    // Assess
    expect(decision.outcome).toBe('none');
  });

  it('prefers an exact hit on a payment to a prefix hit on the same payment', () => {
    // Prepare: the narrative holds the full key, the reference field the truncated one
    const candidates = [candidate('pay_a', 'ACMEINV2024004217')];
    // Act
    const decision = decideMatch(query(['ACMEINV2024', 'ACMEINV2024004217'], { referenceKey: 'ACMEINV2024' }), candidates);
    // Assess
    expect(decision).toMatchObject({ outcome: 'match', paymentId: 'pay_a', kind: 'exact', key: 'ACMEINV2024004217' });
  });

  it('calls a truncated reference that continues into two payment keys ambiguous', () => {
    // Prepare
    const candidates = [candidate('pay_a', 'ACMEINV20240042'), candidate('pay_b', 'ACMEINV20240099')];
    // Act
    const decision = decideMatch(query(['ACMEINV202400'], { referenceKey: 'ACMEINV202400' }), candidates);
    // Assess
    expect(decision.outcome).toBe('ambiguous');
  });

  it('lets a reference that is a whole key win: it was not truncated (INV-2024-1 is not a cut INV-2024-12)', () => {
    // Prepare
    const candidates = [candidate('pay_a', 'INV20241'), candidate('pay_b', 'INV202412')];
    // Act
    const decision = decideMatch(query(['INV20241'], { referenceKey: 'INV20241' }), candidates);
    // Assess
    expect(decision).toMatchObject({ outcome: 'match', paymentId: 'pay_a', kind: 'exact' });
  });

  it('never uses a whole key of a closed or other-currency payment as a prefix of an open one', () => {
    const candidates = [candidate('pay_eur', 'INV20241', { currency: 'EUR' }), candidate('pay_b', 'INV202412'), candidate('pay_old', 'INV20245', { open: false })];
    expect(decideMatch(query(['INV20241'], { referenceKey: 'INV20241' }), candidates).outcome).toBe('none');
  });

  it("refuses a prefix covering less than three quarters of the key (a payer's name)", () => {
    const candidates = [candidate('pay_a', 'SMITHJOHN0042')];
    expect(decideMatch(query(['SMITHJOHN'], { referenceKey: 'SMITHJOHN' }), candidates).outcome).toBe('none');
  });

  it("answers 'none' with the candidates it looked at when no key hits", () => {
    // Prepare
    const candidates = [candidate('pay_a', 'INV20240042')];
    // Act
    const decision = decideMatch(query(['INV20240099']), candidates);
    // Assess
    expect(decision).toEqual({ outcome: 'none', candidateIds: ['pay_a'] });
  });

  it("answers 'none' without candidates", () => {
    // Act
    const decision = decideMatch(query(['INV20240042']), []);
    // Assess
    expect(decision).toEqual({ outcome: 'none', candidateIds: [] });
  });
});

describe('applySettlement', () => {
  const at = '2026-11-24T11:00:00.000Z';

  it('settles a payment paid in full, with nothing overpaid', () => {
    // Prepare
    const payment = aPayment({ amount: 12_500, status: 'executed', version: 3 });
    // Act
    const settled = applySettlement(payment, { id: 'txn_1', amount: 12_500 }, at);
    // Assess
    expect(settled).toEqual({
      ...payment,
      status: 'settled',
      settlement: { amountSettled: 12_500, overpaidBy: 0, settledAt: at, transactionIds: ['txn_1'], matchedBy: 'reference' },
      updatedAt: at,
      version: 4,
    });
  });

  it('leaves an underpaid payment partially settled, and a second payment completes it', () => {
    // Prepare
    const payment = aPayment({ amount: 12_500, status: 'executed', version: 1 });
    // Act
    const partial = applySettlement(payment, { id: 'txn_1', amount: 5_000 }, at);
    const completed = applySettlement(partial, { id: 'txn_2', amount: 7_500 }, '2026-11-25T09:00:00.000Z');
    // Assess
    expect(partial).toMatchObject({
      status: 'partially_settled',
      version: 2,
      settlement: { amountSettled: 5_000, overpaidBy: 0, transactionIds: ['txn_1'] },
    });
    expect(completed).toMatchObject({
      status: 'settled',
      version: 3,
      updatedAt: '2026-11-25T09:00:00.000Z',
      settlement: { amountSettled: 12_500, overpaidBy: 0, settledAt: '2026-11-25T09:00:00.000Z', transactionIds: ['txn_1', 'txn_2'] },
    });
  });

  it('settles an overpaid payment and shows the excess rather than writing it off', () => {
    // Prepare
    const payment = aPayment({ amount: 12_500, status: 'executed' });
    // Act
    const settled = applySettlement(payment, { id: 'txn_1', amount: 13_000 }, at);
    // Assess
    expect(settled.status).toBe('settled');
    expect(settled.settlement).toMatchObject({ amountSettled: 13_000, overpaidBy: 500 });
  });

  it('does not change the payment it was given', () => {
    // Prepare
    const payment = aPayment({ status: 'executed' });
    const before = structuredClone(payment);
    // Act
    applySettlement(payment, { id: 'txn_1', amount: 1 }, at);
    // Assess
    expect(payment).toEqual(before);
  });

  it('for any sequence of positive amounts: settled = sum, settled iff sum ≥ amount, overpaid = max(0, sum − amount)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 10_000_000 }),
        fc.array(fc.integer({ min: 1, max: 10_000_000 }), { minLength: 1, maxLength: 12 }),
        (amount, receipts) => {
          // Prepare
          const initial = aPayment({ amount, status: 'executed', version: 1 });
          // Act
          const final = receipts.reduce((payment, receipt, index) => applySettlement(payment, { id: `txn_${index}`, amount: receipt }, at), initial);
          // Assess
          const sum = receipts.reduce((total, receipt) => total + receipt, 0);
          expect(final.settlement?.amountSettled).toBe(sum);
          expect(final.status).toBe(sum >= amount ? 'settled' : 'partially_settled');
          expect(final.settlement?.overpaidBy).toBe(Math.max(0, sum - amount));
          expect(final.settlement?.transactionIds).toEqual(receipts.map((_, index) => `txn_${index}`));
          expect(final.version).toBe(1 + receipts.length);
        },
      ),
    );
  });
});
