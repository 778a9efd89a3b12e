import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { cashMoveWrites } from '../../../../shared/adapters/dynamodb/cash-position-store';
import {
  addMoves,
  type CashMove,
  type CashPosition,
  movedPosition,
  paymentMove,
  reconciliationMoves,
  sumShards,
} from '../../../../shared/domain/cash/cash-position';
import type { PaymentStatus } from '../../../../shared/domain/payments/payment';
import { aBankTransaction, aPayment, TENANT_ID } from '../../../support/domain-fakes';

const POSITION = { tenantId: TENANT_ID, accountId: 'acc_1', currency: 'GBP' };
const base = (openingBalance: number): CashPosition => ({ ...POSITION, settledBalance: openingBalance, pendingInbound: 0, pendingOutbound: 0, asOf: '2026-11-24T10:00:00.000Z' });

const move = fc.record({
  settled: fc.integer({ min: -1_000_000_00, max: 1_000_000_00 }),
  pendingInbound: fc.integer({ min: -1_000_000_00, max: 1_000_000_00 }),
  pendingOutbound: fc.integer({ min: -1_000_000_00, max: 1_000_000_00 }),
});

/** Applies moves as the DynamoDB writes do: each an ADD on the sub-item `cashMoveWrites` picks. */
const spread = (moves: readonly CashMove[], shards: number, random: () => number) => {
  const items = new Map<string, { settledBalance: number; pendingInbound: number; pendingOutbound: number; asOf: string }>();
  moves.forEach((each, index) => {
    const at = new Date(Date.UTC(2026, 10, 24, 10, 0, index)).toISOString();
    for (const write of cashMoveWrites('settled', [{ position: POSITION, move: each }], at, shards, random)) {
      const update = write.Update;
      if (update === undefined) throw new Error('a cash move is an Update');
      const key = String(update.Key?.pk);
      const values = update.ExpressionAttributeValues ?? {};
      const item = items.get(key) ?? { settledBalance: 0, pendingInbound: 0, pendingOutbound: 0, asOf: '' };
      items.set(key, {
        settledBalance: item.settledBalance + Number(values[':settled']),
        pendingInbound: item.pendingInbound + Number(values[':in']),
        pendingOutbound: item.pendingOutbound + Number(values[':out']),
        asOf: String(values[':at']),
      });
    }
  });
  return items;
};

describe('the sharded balance', () => {
  it('sums to the unsharded truth, whatever the moves, the shard count and which sub-items they land on', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: -1_000_000_00, max: 1_000_000_00 }),
        fc.array(move, { maxLength: 60 }),
        fc.integer({ min: 1, max: 64 }),
        fc.infiniteStream(fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true })),
        (opening, moves, shards, randoms) => {
          // Act
          const iterator = randoms[Symbol.iterator]();
          const items = spread(moves, shards, () => iterator.next().value ?? 0);
          const position = sumShards(base(opening), [...items.values()]);
          // Assess: the figures a single counter would hold, and no sub-item outside the configured count
          const truth = addMoves(...moves);
          expect(position.settledBalance).toBe(opening + truth.settled);
          expect(position.pendingInbound).toBe(truth.pendingInbound);
          expect(position.pendingOutbound).toBe(truth.pendingOutbound);
          expect(items.size).toBeLessThanOrEqual(shards);
          for (const key of items.keys()) expect(Number(key.slice(-2))).toBeLessThan(shards);
        },
      ),
    );
  });

  it('writes one ADD per position a write moves, the moves of one position summed, and none for what cancels out', () => {
    // Act
    const writes = cashMoveWrites(
      'settled',
      [
        { position: POSITION, move: { settled: 12_500, pendingInbound: 0, pendingOutbound: 0 } },
        { position: POSITION, move: { settled: 0, pendingInbound: -12_500, pendingOutbound: 0 } },
        { position: { ...POSITION, accountId: 'acc_2' }, move: { settled: 0, pendingInbound: 300, pendingOutbound: 0 } },
        { position: { ...POSITION, accountId: 'acc_3' }, move: { settled: 0, pendingInbound: 0, pendingOutbound: 0 } },
      ],
      '2026-11-24T10:00:00.000Z',
      4,
      () => 0.99,
    );
    // Assess
    expect(writes.map((write) => [write.Update?.Key?.pk, write.Update?.ExpressionAttributeValues?.[':settled'], write.Update?.ExpressionAttributeValues?.[':in']])).toEqual([
      [`${TENANT_ID}#CASH#acc_1#GBP#03`, 12_500, -12_500],
      [`${TENANT_ID}#CASH#acc_2#GBP#03`, 0, 300],
    ]);
  });
});

describe('what a write moves', () => {
  it.each<[PaymentStatus, PaymentStatus, number]>([
    ['authorised', 'executed', 12_500],
    ['executed', 'settled', -12_500],
    ['authorised', 'settled', 0],
    ['executed', 'failed', -12_500],
    ['settled', 'returned', 0],
  ])('an inbound payment of 125.00 going %s → %s moves pending inbound by %i', (from, to, pendingInbound) => {
    // Act
    const moved = paymentMove(aPayment({ status: from, amount: 12_500 }), aPayment({ status: to, amount: 12_500 }));
    // Assess
    expect(moved).toEqual({ settled: 0, pendingInbound, pendingOutbound: 0 });
  });

  it('a booked credit settling an executed payment moves the balance up and the pending figure down, on one position', () => {
    // Prepare
    const executed = aPayment({ status: 'executed', amount: 4_000, accountId: 'acc_1' });
    const transaction = aBankTransaction({ status: 'booked', creditDebitIndicator: 'credit', amount: 4_000, accountId: 'acc_1' });
    // Act
    const moves = reconciliationMoves({ transaction, paymentChanges: [{ from: executed, to: { ...executed, status: 'settled' } }], supersedes: undefined });
    // Assess
    expect(addMoves(...moves.map((each) => each.move))).toEqual({ settled: 4_000, pendingInbound: -4_000, pendingOutbound: 0 });
    expect(movedPosition(moves)).toMatchObject({ accountId: 'acc_1', currency: 'GBP' });
  });

  it('a booked line replacing its pending twin takes back exactly what the twin counted', () => {
    // Prepare
    const twin = aBankTransaction({ status: 'pending', amount: 900, countedPending: { inbound: 900, outbound: 0 } });
    const booked = aBankTransaction({ status: 'booked', amount: 900, supersedes: twin.id });
    // Act
    const total = addMoves(...reconciliationMoves({ transaction: booked, paymentChanges: [], supersedes: twin }).map((each) => each.move));
    // Assess
    expect(total).toEqual({ settled: 900, pendingInbound: -900, pendingOutbound: 0 });
  });

  it('says nothing moved when a write nets to nothing (a credit executing and settling an authorised payment is still a balance move)', () => {
    // Prepare
    const authorised = aPayment({ status: 'authorised', amount: 500 });
    // Act
    const pendingOnly = movedPosition([{ position: POSITION, move: paymentMove(authorised, { ...authorised, status: 'settled' }) }]);
    // Assess
    expect(pendingOnly).toBeUndefined();
  });
});
