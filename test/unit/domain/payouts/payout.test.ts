import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { PAYMENT_STATUSES, type PaymentStatus } from '../../../../shared/domain/payments/payment';
import {
  allEnded,
  applyMoves,
  chunksOf,
  completionStatus,
  counterMoves,
  countersOf,
  countsView,
  payoutItemIndex,
  payoutPaymentId,
  sumCounters,
} from '../../../../shared/domain/payouts/payout';
import { isPayoutReference, payoutReference, payoutReferenceToken } from '../../../../shared/domain/payouts/payout-references';
import { isGeneratedReference, matchingKey } from '../../../../shared/domain/references';

const status = fc.constantFrom(...PAYMENT_STATUSES);

describe('chunks', () => {
  it('cover every item once, in order, none larger than the bank takes', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 10_000 }), fc.integer({ min: 1, max: 700 }), (items, size) => {
        const chunks = chunksOf(items, size);
        expect(chunks.map((chunk) => chunk.index)).toEqual(chunks.map((_, index) => index));
        expect(chunks.every((chunk) => chunk.to - chunk.from >= 1 && chunk.to - chunk.from <= size)).toBe(true);
        expect(chunks.flatMap((chunk) => Array.from({ length: chunk.to - chunk.from }, (_, offset) => chunk.from + offset))).toEqual(
          Array.from({ length: items }, (_, index) => index),
        );
        expect(chunks).toHaveLength(Math.ceil(items / size));
      }),
    );
  });

  it('refuses a chunk size below one', () => {
    expect(() => chunksOf(10, 0)).toThrow(RangeError);
  });
});

describe('batch counters', () => {
  it('moved one status change at a time, in any order and spread over shards, equal the count of the items as they end', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.integer({ min: 1, max: 100_000 }), fc.array(status, { maxLength: 5 }), fc.nat(7)), { minLength: 1, maxLength: 40 }),
        (items) => {
          // Prepare: every item starts awaiting authorisation; its status walk is a list of changes
          const start = items.map(([amount]) => ({ status: 'authorisation_required' as PaymentStatus, amount }));
          const shards = Array.from({ length: 8 }, () => countersOf([]));
          shards[0] = countersOf(start);
          // Act: each change moves its shard's counters (from −1, to +1)
          const final = items.map(([amount, walk, shard]) => {
            let current = { status: 'authorisation_required' as PaymentStatus, amount };
            for (const next of walk) {
              const moved = { status: next, amount };
              shards[shard] = applyMoves(shards[shard] ?? countersOf([]), counterMoves(current, moved));
              current = moved;
            }
            return current;
          });
          // Assess: the summed shards are exactly the items' final statuses and amounts
          expect(sumCounters(shards)).toEqual(countersOf(final));
          expect(countsView({ itemCount: items.length }, sumCounters(shards)).total).toBe(items.length);
        },
      ),
    );
  });

  it('moves nothing when the status stays', () => {
    expect(counterMoves({ status: 'executed', amount: 5 }, { status: 'executed', amount: 5 })).toEqual([]);
  });

  it('is complete only when every item is settled, failed or returned, with failures when any failed', () => {
    const counters = countersOf([
      { status: 'settled', amount: 10 },
      { status: 'failed', amount: 5 },
    ]);
    expect(allEnded({ itemCount: 2 }, counters)).toBe(true);
    expect(completionStatus(counters)).toBe('completed_with_failures');
    expect(completionStatus(countersOf([{ status: 'settled', amount: 10 }]))).toBe('completed');
    expect(allEnded({ itemCount: 3 }, countersOf([{ status: 'settled', amount: 1 }, { status: 'executed', amount: 1 }, { status: 'failed', amount: 1 }]))).toBe(false);
  });
});

describe('payout item identities', () => {
  it('derive a payment id per index that carries the index back, 26 characters like every payment id', () => {
    fc.assert(
      fc.property(fc.nat(9_999), (index) => {
        const id = payoutPaymentId('bat_5KQ2M9XR4T7W1B3C8D6E0F2G4H', index);
        expect(id).toMatch(/^pay_[0-9A-HJKMNP-TV-Z]{26}$/);
        expect(payoutItemIndex(id)).toBe(index);
      }),
    );
  });

  it('derive references with a check character, unique per index, never a single payment\'s generated kind', () => {
    const token = payoutReferenceToken(() => 7);
    const references = Array.from({ length: 10_000 }, (_, index) => payoutReference(token, index));
    expect(new Set(references.map(matchingKey)).size).toBe(10_000);
    for (const reference of references.slice(0, 500)) {
      expect(reference).toMatch(/^SP[23456789ABCDEFGHJKMNPQRSTUVWXYZ]{11}$/);
      expect(isPayoutReference(reference)).toBe(true);
      expect(isGeneratedReference(reference)).toBe(false);
    }
  });

  it('detect any single wrong character of a payout reference', () => {
    fc.assert(
      fc.property(fc.nat(9_999), fc.integer({ min: 2, max: 12 }), fc.constantFrom(...'23456789ABCDEFGHJKMNPQRSTUVWXYZ'), (index, position, replacement) => {
        const reference = payoutReference('ABCDEFG', index);
        fc.pre(reference[position] !== replacement);
        expect(isPayoutReference(reference.slice(0, position) + replacement + reference.slice(position + 1))).toBe(false);
      }),
    );
  });
});
