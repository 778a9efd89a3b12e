import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../../../shared/domain/errors';
import { parsePayoutRequest } from '../../../../shared/schemas/payouts';

/** The ValidationError `act` throws (failing the test if it throws nothing or something else). */
const validationErrorOf = (act: () => unknown): ValidationError => {
  let thrown: unknown;
  try {
    act();
  } catch (error) {
    thrown = error;
  }
  expect(thrown).toBeInstanceOf(ValidationError);
  return thrown as ValidationError;
};

const goodItem = (index: number) => ({ amount: `${index + 1}.50`, externalId: `emp-${index}`, counterparty: { name: `Worker ${index}`, sortCode: '200000', accountNumber: '55779911' } });

/** Ways to break one item, each on one field, with the path it must be reported on. */
const BREAKAGES = [
  { field: 'amount', breakItem: (item: ReturnType<typeof goodItem>) => ({ ...item, amount: '1.234' }) },
  { field: 'amount', breakItem: (item: ReturnType<typeof goodItem>) => ({ ...item, amount: 12 }) },
  { field: 'amount', breakItem: (item: ReturnType<typeof goodItem>) => ({ ...item, amount: '0.00' }) },
  { field: 'reference', breakItem: (item: ReturnType<typeof goodItem>) => ({ ...item, reference: 'much too long a reference' }) },
  { field: 'counterparty.sortCode', breakItem: (item: ReturnType<typeof goodItem>) => ({ ...item, counterparty: { ...item.counterparty, sortCode: '1234' } }) },
  { field: 'counterparty.accountNumber', breakItem: (item: ReturnType<typeof goodItem>) => ({ ...item, counterparty: { ...item.counterparty, accountNumber: 'x' } }) },
  { field: 'externalId', breakItem: (item: ReturnType<typeof goodItem>) => ({ ...item, externalId: 'emp-dup' }) },
] as const;

describe('payout request validation', () => {
  it('reports exactly the bad items, each on its own path, whatever set of indexes is bad', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 60 }).chain((size) =>
          fc.tuple(fc.constant(size), fc.uniqueArray(fc.tuple(fc.nat(size - 1), fc.nat(BREAKAGES.length - 1)), { selector: ([index]) => index, maxLength: size })),
        ),
        ([size, broken]) => {
          // Prepare: one item already holds the duplicated externalId, so every "externalId" breakage repeats it
          const items: unknown[] = Array.from({ length: size }, (_, index) => goodItem(index));
          const expected: string[] = [];
          const brokenAt = new Map(broken);
          let duplicateSeen = false;
          for (let index = 0; index < size; index += 1) {
            const breakage = brokenAt.get(index);
            if (breakage === undefined) continue;
            const { field, breakItem } = BREAKAGES[breakage] ?? BREAKAGES[0];
            items[index] = breakItem(goodItem(index));
            // The first item with a repeated externalId is valid; every later one is reported.
            if (field === 'externalId' && !duplicateSeen) duplicateSeen = true;
            else expected.push(`items[${index}].${field}`);
          }
          const body = { accountId: 'acc_1', currency: 'GBP', items };
          if (expected.length === 0) {
            // Act + Assess: nothing to report
            expect(parsePayoutRequest(body).items).toHaveLength(size);
            return;
          }
          // Act
          const error = validationErrorOf(() => parsePayoutRequest(body));
          // Assess
          expect(error.details.map((detail) => detail.path)).toEqual(expected);
        },
      ),
      { numRuns: 150 },
    );
  });

  it('accepts 10,000 items and refuses 10,001 or none', () => {
    const many = Array.from({ length: 10_000 }, (_, index) => goodItem(index));
    expect(parsePayoutRequest({ accountId: 'acc_1', currency: 'GBP', items: many }).items).toHaveLength(10_000);
    expect(validationErrorOf(() => parsePayoutRequest({ accountId: 'acc_1', currency: 'GBP', items: [...many, goodItem(10_000)] })).details[0]?.path).toBe('items');
    expect(validationErrorOf(() => parsePayoutRequest({ accountId: 'acc_1', currency: 'GBP', items: [] })).details[0]?.path).toBe('items');
  });

  it('keeps each valid item with its index and its amount in minor units', () => {
    const parsed = parsePayoutRequest({ accountId: 'acc_1', currency: 'GBP', items: [goodItem(0), { ...goodItem(1), reference: 'WAGES 1' }], confirmationOfPayee: 'proceed_on_mismatch' });
    expect(parsed.items.map((item) => [item.index, item.amount, item.reference])).toEqual([
      [0, 150, undefined],
      [1, 250, 'WAGES 1'],
    ]);
    expect(parsed.mismatchPolicy).toBe('proceed_on_mismatch');
  });
});
