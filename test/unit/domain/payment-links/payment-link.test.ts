import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ConflictError, GoneError } from '../../../../shared/domain/errors';
import {
  assertUsable,
  linkStatusAt,
  MULTI_USE_MAX_PAYMENTS,
  MULTI_USE_REFERENCE_MAX_LENGTH,
  paymentLinkView,
  paymentReferenceFor,
} from '../../../../shared/domain/payment-links/payment-link';
import { candidateKeys, matchingKey, REFERENCE_CHARACTERS, REFERENCE_MAX_LENGTH, validateTenantReference } from '../../../../shared/domain/references';
import { decideMatch } from '../../../../shared/domain/settlement/matching';
import { aPaymentLink } from '../../../support/payment-link-fakes';

const NOW = new Date('2026-11-24T10:00:00.000Z');

describe('a payment link read against the clock', () => {
  it('is active before expiresAt, expired from that instant on, and completed once paid whatever the clock says', () => {
    const link = aPaymentLink({ expiresAt: NOW.toISOString() });
    expect(linkStatusAt(link, new Date(NOW.getTime() - 1))).toBe('active');
    expect(linkStatusAt(link, NOW)).toBe('expired');
    expect(linkStatusAt({ ...link, status: 'completed' }, new Date(NOW.getTime() + 60_000))).toBe('completed');
    expect(linkStatusAt(aPaymentLink({ expiresAt: null }), new Date('2099-01-01T00:00:00Z'))).toBe('active');
  });

  it('shows money as a decimal string and the status of the moment in its view', () => {
    const view = paymentLinkView(aPaymentLink({ amount: 123_456, expiresAt: NOW.toISOString() }), NOW);
    expect(view).toMatchObject({ amount: '1234.56', status: 'expired', payments: [] });
  });
});

describe('assertUsable', () => {
  const codeOf = (run: () => void): string | undefined => {
    try {
      run();
      return undefined;
    } catch (error) {
      if (error instanceof GoneError || error instanceof ConflictError) return error.code;
      throw error;
    }
  };

  it('refuses a paid, an expired, a taken single-use and a full multi-use link, each with its own code', () => {
    expect(codeOf(() => assertUsable(aPaymentLink(), NOW))).toBeUndefined();
    expect(codeOf(() => assertUsable(aPaymentLink({ status: 'completed' }), NOW))).toBe('payment_link_completed');
    expect(codeOf(() => assertUsable(aPaymentLink({ expiresAt: NOW.toISOString() }), NOW))).toBe('payment_link_expired');
    expect(codeOf(() => assertUsable(aPaymentLink({ payments: ['pay_1'] }), NOW))).toBe('payment_link_in_use');
    const many = Array.from({ length: MULTI_USE_MAX_PAYMENTS }, (_, index) => `pay_${index}`);
    expect(codeOf(() => assertUsable(aPaymentLink({ singleUse: false, payments: many.slice(1) }), NOW))).toBeUndefined();
    expect(codeOf(() => assertUsable(aPaymentLink({ singleUse: false, payments: many }), NOW))).toBe('payment_link_exhausted');
  });
});

/** A reference a tenant may give a multi-use link: scheme characters, no edge spaces, a letter or digit, ≤ 13. */
const multiUseReference = fc
  .string({ unit: fc.constantFrom(...REFERENCE_CHARACTERS), minLength: 1, maxLength: MULTI_USE_REFERENCE_MAX_LENGTH })
  .filter((reference) => reference.trim() === reference && matchingKey(reference) !== '');

describe('paymentReferenceFor', () => {
  it("gives a single-use link's payment the link's reference unchanged", () => {
    expect(paymentReferenceFor(aPaymentLink({ reference: 'INV 42/A' }), () => 0)).toBe('INV 42/A');
  });

  it("gives a multi-use link's payments a scheme-valid reference of at most 18 characters that starts with the link's", () => {
    fc.assert(
      fc.property(multiUseReference, fc.array(fc.nat(30), { minLength: 4, maxLength: 4 }), (reference, draws) => {
        let next = 0;
        const paid = paymentReferenceFor(aPaymentLink({ reference, singleUse: false }), () => draws[next++] ?? 0);
        expect([...paid].length).toBeLessThanOrEqual(REFERENCE_MAX_LENGTH);
        expect(validateTenantReference(paid)).toBe(paid);
        expect(paid.startsWith(`${reference}-`)).toBe(true);
        expect(matchingKey(paid).startsWith(matchingKey(reference))).toBe(true);
      }),
    );
  });

  it('settles a booked credit against exactly the multi-use payment whose reference it carries, as the bank sends it back', () => {
    const link = aPaymentLink({ reference: 'Club fees', singleUse: false });
    const draws = [[0, 1, 2, 3], [4, 5, 6, 7]];
    const references = draws.map((drawn) => {
      let next = 0;
      return paymentReferenceFor(link, () => drawn[next++] ?? 0);
    });
    const candidates = references.map((reference, index) => ({ paymentId: `pay_${index}`, matchingKey: matchingKey(reference), currency: 'GBP', direction: 'inbound' as const }));
    // uk-realistic: upper-cased, punctuation replaced by spaces.
    for (const [index, reference] of references.entries()) {
      const asBooked = reference.toUpperCase().replace(/-/g, ' ');
      const decision = decideMatch({ creditDebitIndicator: 'credit', currency: 'GBP', keys: candidateKeys({ reference: asBooked }), referenceKey: matchingKey(asBooked) }, candidates);
      expect(decision).toMatchObject({ outcome: 'match', paymentId: `pay_${index}`, kind: 'exact' });
    }
  });
});
