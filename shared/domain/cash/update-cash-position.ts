import type { Clock } from '../ports';
import type { Payment } from '../payments/payment';
import type { BankTransaction } from '../settlement/bank-transaction';
import {
  type CashPositionStore,
  type ContributionWriteOptions,
  NO_CONTRIBUTION,
  type PendingContribution,
  paymentContribution,
  pendingTransactionContribution,
} from './cash-position';

const MAX_ATTEMPTS = 8;

const same = (a: PendingContribution, b: PendingContribution) => a.inbound === b.inbound && a.outbound === b.outbound;

/**
 * Converges one source's pending contribution to `desired`, whatever order events arrive in: compare with what is
 * stored, write the difference conditionally, re-read on a race. With a `sourceVersion` (payments), the version is
 * written even when the figures do not change, so a handler that read an older state of the source, and writes
 * after a newer one was applied, finds its write refused instead of bringing back a pending amount. Returns whether
 * the pending figures moved.
 */
const converge = async (
  store: CashPositionStore,
  target: { tenantId: string; accountId: string; currency: string; sourceId: string },
  desired: PendingContribution,
  options: ContributionWriteOptions,
): Promise<boolean> => {
  const versioned = options.sourceVersion !== undefined;
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt += 1) {
    const stored = await store.getContribution(target.tenantId, target.sourceId);
    if (stored?.final === true) return false;
    if (versioned && stored?.sourceVersion !== undefined && stored.sourceVersion >= (options.sourceVersion ?? 0)) return false;
    const unchanged = same(stored?.contribution ?? NO_CONTRIBUTION, desired);
    if (unchanged && !options.final && !versioned) return false;
    if (await store.setContribution(target, stored?.contribution, desired, options)) return !unchanged || options.final;
  }
  throw new Error(`Cash contribution of ${target.sourceId} kept changing`);
};

/**
 * A payment changed: its pending contribution follows its current state (the caller reads it consistently rather
 * than trusting the event, so late or repeated events cannot move the figures twice or backwards).
 */
export const onPaymentChanged = async (
  payment: Payment,
  deps: { readonly cash: CashPositionStore; readonly clock: Clock },
): Promise<boolean> => {
  return converge(
    deps.cash,
    { tenantId: payment.tenantId, accountId: payment.accountId, currency: payment.currency, sourceId: payment.id },
    paymentContribution(payment),
    { final: false, at: deps.clock.now().toISOString(), sourceVersion: payment.version },
  );
};

/**
 * A transaction was stored. Booked: the settled balance moves by it, exactly once. Pending: it counts as pending
 * until booked. A booked one that replaces a pending twin ends the twin's contribution for good.
 */
export const onTransactionReceived = async (
  transaction: BankTransaction,
  deps: { readonly cash: CashPositionStore; readonly clock: Clock },
): Promise<boolean> => {
  const at = deps.clock.now().toISOString();
  const target = { tenantId: transaction.tenantId, accountId: transaction.accountId, currency: transaction.currency };
  let moved = false;
  if (transaction.status === 'booked') {
    moved = await deps.cash.applyBookedTransaction(transaction, at);
    if (transaction.supersedes !== null) {
      moved = (await converge(deps.cash, { ...target, sourceId: transaction.supersedes }, NO_CONTRIBUTION, { final: true, at })) || moved;
    }
    return moved;
  }
  return converge(deps.cash, { ...target, sourceId: transaction.id }, pendingTransactionContribution(transaction), { final: false, at });
};
