import { formatAmount } from '../money';
import type { Payment } from '../payments/payment';
import type { BankTransaction } from '../settlement/bank-transaction';

/** Per account and currency. All amounts in minor units. */
export interface CashPosition {
  readonly tenantId: string;
  readonly accountId: string;
  readonly currency: string;
  /** Opening balance plus every booked transaction, each counted once. */
  readonly settledBalance: number;
  readonly pendingInbound: number;
  readonly pendingOutbound: number;
  readonly asOf: string;
}

/** What one source (a payment or a pending transaction) adds to the pending figures right now. */
export interface PendingContribution {
  readonly inbound: number;
  readonly outbound: number;
}

export const NO_CONTRIBUTION: PendingContribution = { inbound: 0, outbound: 0 };

/** Executed-but-not-settled payments are pending; a partially settled one for what is still due. */
export const paymentContribution = (payment: Payment): PendingContribution => {
  const due =
    payment.status === 'executed'
      ? payment.amount
      : payment.status === 'partially_settled'
        ? Math.max(0, payment.amount - (payment.settlement?.amountSettled ?? 0))
        : 0;
  return payment.direction === 'inbound' ? { inbound: due, outbound: 0 } : { inbound: 0, outbound: due };
};

/**
 * A pending transaction counts while it is pending, not replaced by its booked twin, and not already counted
 * through the payment it matched (that payment's own contribution covers it).
 */
export const pendingTransactionContribution = (transaction: BankTransaction): PendingContribution => {
  if (transaction.status !== 'pending' || transaction.supersededBy !== null || transaction.reconciliation.paymentIds.length > 0) {
    return NO_CONTRIBUTION;
  }
  return transaction.creditDebitIndicator === 'credit'
    ? { inbound: transaction.amount, outbound: 0 }
    : { inbound: 0, outbound: transaction.amount };
};

export const signedAmount = (transaction: Pick<BankTransaction, 'creditDebitIndicator' | 'amount'>): number =>
  transaction.creditDebitIndicator === 'credit' ? transaction.amount : -transaction.amount;

/** A position as the API returns it. */
export const cashPositionView = (position: CashPosition) => ({
  accountId: position.accountId,
  currency: position.currency,
  settledBalance: formatAmount(position.settledBalance, position.currency),
  pendingInbound: formatAmount(position.pendingInbound, position.currency),
  pendingOutbound: formatAmount(position.pendingOutbound, position.currency),
  projectedBalance: formatAmount(position.settledBalance + position.pendingInbound - position.pendingOutbound, position.currency),
  asOf: position.asOf,
});

/**
 * How one write moves one position, in minor units: the settled balance (booked transactions) and the pending
 * figures (executed payments, pending transactions). It travels in the same conditional write as the change that
 * causes it (a transaction stored once, a payment at the version read), so a cause moves the figures exactly once
 * and in the order DynamoDB applied the writes, whatever order the events arrive in later.
 */
export interface CashMove {
  readonly settled: number;
  readonly pendingInbound: number;
  readonly pendingOutbound: number;
}

export const NO_MOVE: CashMove = { settled: 0, pendingInbound: 0, pendingOutbound: 0 };

export const isNoMove = (move: CashMove): boolean => move.settled === 0 && move.pendingInbound === 0 && move.pendingOutbound === 0;

export const addMoves = (...moves: readonly CashMove[]): CashMove =>
  moves.reduce(
    (sum, move) => ({ settled: sum.settled + move.settled, pendingInbound: sum.pendingInbound + move.pendingInbound, pendingOutbound: sum.pendingOutbound + move.pendingOutbound }),
    NO_MOVE,
  );

const pendingMove = (from: PendingContribution, to: PendingContribution): CashMove => ({
  settled: 0,
  pendingInbound: to.inbound - from.inbound,
  pendingOutbound: to.outbound - from.outbound,
});

/** A payment written from `from` (undefined: created) to `to`: its pending contribution follows its state. */
export const paymentMove = (from: Payment | undefined, to: Payment): CashMove =>
  pendingMove(from === undefined ? NO_CONTRIBUTION : paymentContribution(from), paymentContribution(to));

/**
 * A transaction stored: booked, the settled balance moves by it; pending, its contribution counts (kept on the stored
 * transaction, so the booked twin that replaces it takes back exactly that).
 */
export const storedTransactionMove = (transaction: BankTransaction): CashMove =>
  transaction.status === 'booked' ? { ...NO_MOVE, settled: signedAmount(transaction) } : pendingMove(NO_CONTRIBUTION, pendingTransactionContribution(transaction));

/** A pending transaction replaced by its booked twin stops counting: what it added comes off. */
export const supersededMove = (counted: PendingContribution): CashMove => pendingMove(counted, NO_CONTRIBUTION);

/** What one sub-item of a sharded balance holds: the sum of the moves that landed on it. */
export interface ShardTotals {
  readonly settledBalance: number;
  readonly pendingInbound: number;
  readonly pendingOutbound: number;
  readonly asOf: string;
}

/** A position read as its item (the opening balance) plus the sub-items its moves were spread over. */
export const sumShards = (base: CashPosition, shards: readonly ShardTotals[]): CashPosition =>
  shards.reduce<CashPosition>(
    (position, shard) => ({
      ...position,
      settledBalance: position.settledBalance + shard.settledBalance,
      pendingInbound: position.pendingInbound + shard.pendingInbound,
      pendingOutbound: position.pendingOutbound + shard.pendingOutbound,
      asOf: shard.asOf > position.asOf ? shard.asOf : position.asOf,
    }),
    base,
  );

/** The position a move applies to. */
export interface PositionRef {
  readonly tenantId: string;
  readonly accountId: string;
  readonly currency: string;
}

export interface CashPositionStore {
  /** The position as every move committed so far makes it (a consistent read). */
  get(tenantId: string, accountId: string, currency: string): Promise<CashPosition | undefined>;
  list(tenantId: string): Promise<CashPosition[]>;
}

const positionOf = (of: { readonly tenantId: string; readonly accountId: string; readonly currency: string }): PositionRef => ({
  tenantId: of.tenantId,
  accountId: of.accountId,
  currency: of.currency,
});

/**
 * Every move one reconciliation write makes: the transaction stored, each payment it changes, the pending twin it
 * replaces. The store applies exactly these in the write; the domain marks the write's first event with them.
 */
export const reconciliationMoves = (entry: {
  readonly transaction: BankTransaction;
  readonly paymentChanges: readonly { readonly from: Payment; readonly to: Payment }[];
  readonly supersedes: BankTransaction | undefined;
}): { position: PositionRef; move: CashMove }[] => [
  { position: positionOf(entry.transaction), move: storedTransactionMove(entry.transaction) },
  ...entry.paymentChanges.map((change) => ({ position: positionOf(change.to), move: paymentMove(change.from, change.to) })),
  ...(entry.supersedes === undefined
    ? []
    : [{ position: positionOf(entry.supersedes), move: supersededMove(entry.supersedes.countedPending ?? pendingTransactionContribution(entry.supersedes)) }]),
];

/** The position a write moved, if its moves do not cancel out (a payment executed and settled by one credit does not). */
export const movedPosition = (moves: readonly { readonly position: PositionRef; readonly move: CashMove }[]): PositionRef | undefined => {
  const byPosition = new Map<string, { position: PositionRef; moves: CashMove[] }>();
  for (const { position, move } of moves) {
    const key = `${position.tenantId}|${position.accountId}|${position.currency}`;
    byPosition.set(key, { position, moves: [...(byPosition.get(key)?.moves ?? []), move] });
  }
  return [...byPosition.values()].find((entry) => !isNoMove(addMoves(...entry.moves)))?.position;
};
