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

/** A source's contribution as stored, with the version of the source it was computed from (payments only). */
export interface StoredContribution {
  readonly contribution: PendingContribution;
  readonly final: boolean;
  readonly sourceVersion: number | undefined;
}

export interface ContributionWriteOptions {
  readonly final: boolean;
  readonly at: string;
  /** The version of the source read; a contribution from an older version can then never overwrite a newer one. */
  readonly sourceVersion?: number;
}

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

export interface CashPositionStore {
  /** Moves the settled balance by a booked transaction; false (and no move) if that transaction already moved it. */
  applyBookedTransaction(transaction: BankTransaction, at: string): Promise<boolean>;
  getContribution(tenantId: string, sourceId: string): Promise<StoredContribution | undefined>;
  /**
   * Replaces a source's contribution and moves the pending figures by the difference, atomically, if the stored
   * contribution is still `previous` (and, with a `sourceVersion`, was written from an older version of the source);
   * false when it changed meanwhile. A `final` contribution never changes again.
   */
  setContribution(
    target: { tenantId: string; accountId: string; currency: string; sourceId: string },
    previous: PendingContribution | undefined,
    next: PendingContribution,
    options: ContributionWriteOptions,
  ): Promise<boolean>;
  get(tenantId: string, accountId: string, currency: string): Promise<CashPosition | undefined>;
  list(tenantId: string): Promise<CashPosition[]>;
}
