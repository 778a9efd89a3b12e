import { ConflictError } from '../errors';
import { formatAmount } from '../money';
import { PAYMENT_STATUSES, type Payment, type PaymentStatus } from '../payments/payment';

/**
 * Bulk payouts (docs/architecture.md, "Bulk payouts"): one request of 1 to 10,000 outbound payments, one
 * authorisation at the tenant's bank, the items handed to the bank in chunks of its bulk limit, counted as they go.
 */
export const MAX_PAYOUT_ITEMS = 10_000;

export const PAYOUT_STATUSES = ['storing', 'authorisation_required', 'processing', 'completed', 'completed_with_failures', 'rejected'] as const;
export type PayoutStatus = (typeof PAYOUT_STATUSES)[number];

export interface Payout {
  readonly id: string;
  readonly tenantId: string;
  readonly accountId: string;
  readonly currency: string;
  /** `storing` while its items are written (never shown: the batch exists for the tenant once it is stored). */
  readonly status: PayoutStatus;
  readonly itemCount: number;
  /** Minor units: the sum of every item's amount. */
  readonly totalAmount: number;
  /** The random part of the items' generated references, claimed once for the batch (payout-references.ts). */
  readonly referenceToken: string;
  /** The request's fingerprint: a retried store of the same request completes the batch, another request is refused. */
  readonly fingerprint: string;
  readonly provider: Payment['provider'];
  /** The bank's id of the batch: the key its authorisation decision arrives under. */
  readonly bankBatchId: string;
  readonly authorisationUrl: string;
  /** Items per chunk handed to the bank (its bulk limit when the batch was authorised). */
  readonly chunkSize: number;
  readonly createdAt: string;
  readonly updatedAt: string;
  readonly authorisedAt: string | null;
  readonly completedAt: string | null;
}

/** Per payment status: how many items of the batch are in it and their amount (minor units). */
export type PayoutCounters = Readonly<Record<PaymentStatus, { readonly count: number; readonly amount: number }>>;

export const emptyCounters = (): Record<PaymentStatus, { count: number; amount: number }> =>
  Object.fromEntries(PAYMENT_STATUSES.map((status) => [status, { count: 0, amount: 0 }])) as Record<PaymentStatus, { count: number; amount: number }>;

/** The counters of freshly stored items: each item counted once in its status. */
export const countersOf = (items: readonly Pick<Payment, 'status' | 'amount'>[]): PayoutCounters => {
  const counters = emptyCounters();
  for (const item of items) {
    counters[item.status].count += 1;
    counters[item.status].amount += item.amount;
  }
  return counters;
};

/** A counter move: what one status change of an item adds to its batch's counters (`from` −1, `to` +1). */
export interface CounterMove {
  readonly status: PaymentStatus;
  readonly count: number;
  readonly amount: number;
}

/** The moves of an item going from `from` to `to`: none when its status stays. */
export const counterMoves = (from: Pick<Payment, 'status' | 'amount'>, to: Pick<Payment, 'status' | 'amount'>): CounterMove[] =>
  from.status === to.status
    ? []
    : [
        { status: from.status, count: -1, amount: -from.amount },
        { status: to.status, count: 1, amount: to.amount },
      ];

/** Counters plus moves (summing sharded counters on read is the same addition). */
export const applyMoves = (counters: PayoutCounters, moves: readonly CounterMove[]): PayoutCounters => {
  const next = emptyCounters();
  for (const status of PAYMENT_STATUSES) next[status] = { ...counters[status] };
  for (const move of moves) {
    next[move.status].count += move.count;
    next[move.status].amount += move.amount;
  }
  return next;
};

export const sumCounters = (parts: readonly PayoutCounters[]): PayoutCounters => {
  const sum = emptyCounters();
  for (const part of parts) {
    for (const status of PAYMENT_STATUSES) {
      sum[status].count += part[status].count;
      sum[status].amount += part[status].amount;
    }
  }
  return sum;
};

/** Item statuses in which an item of a payout has ended: its money arrived, failed to leave, or came back. */
const ENDED: readonly PaymentStatus[] = ['settled', 'failed', 'expired', 'returned'];

export const endedCount = (counters: PayoutCounters): number => ENDED.reduce((sum, status) => sum + counters[status].count, 0);

/** True when every item is settled, failed (or expired) or returned: the moment of `payout.completed`. */
export const allEnded = (payout: Pick<Payout, 'itemCount'>, counters: PayoutCounters): boolean => endedCount(counters) === payout.itemCount;

/** The API's counts: items currently in each state (`failed` includes expired; `executed` includes partly settled). */
export const countsView = (payout: Pick<Payout, 'itemCount'>, counters: PayoutCounters) => ({
  total: payout.itemCount,
  pending: counters.authorisation_required.count,
  authorised: counters.authorised.count,
  executed: counters.executed.count + counters.partially_settled.count,
  settled: counters.settled.count,
  failed: counters.failed.count + counters.expired.count,
  returned: counters.returned.count,
});

export const totalsView = (payout: Pick<Payout, 'totalAmount' | 'currency'>, counters: PayoutCounters) => ({
  amount: formatAmount(payout.totalAmount, payout.currency),
  settled: formatAmount(counters.settled.amount, payout.currency),
  failed: formatAmount(counters.failed.amount + counters.expired.amount, payout.currency),
});

/** The status a tenant sees: a processing batch whose items have all ended reads as completed before its record says so. */
export const visibleStatus = (payout: Payout, counters: PayoutCounters): Exclude<PayoutStatus, 'storing'> => {
  if (payout.status === 'storing') return 'authorisation_required';
  if (payout.status !== 'processing' || !allEnded(payout, counters)) return payout.status;
  return completionStatus(counters);
};

export const completionStatus = (counters: PayoutCounters): 'completed' | 'completed_with_failures' =>
  counters.failed.count + counters.expired.count + counters.returned.count === 0 ? 'completed' : 'completed_with_failures';

/** A payout as the API returns it (and as `payout.completed` carries it). */
export const payoutView = (payout: Payout, counters: PayoutCounters) => ({
  id: payout.id,
  status: visibleStatus(payout, counters),
  accountId: payout.accountId,
  currency: payout.currency,
  authorisationUrl: payout.authorisationUrl,
  counts: countsView(payout, counters),
  totals: totalsView(payout, counters),
  createdAt: payout.createdAt,
  authorisedAt: payout.authorisedAt,
  completedAt: payout.completedAt,
});

export type PayoutView = ReturnType<typeof payoutView>;

/** The chunks `itemCount` items are handed to the bank in: [from, to) index ranges of at most `size` items, in order. */
export const chunksOf = (itemCount: number, size: number): { readonly index: number; readonly from: number; readonly to: number }[] => {
  if (!Number.isInteger(size) || size < 1) throw new RangeError(`A chunk holds at least one item, not ${size}`);
  const chunks = [];
  for (let from = 0, index = 0; from < itemCount; from += size, index += 1) chunks.push({ index, from, to: Math.min(itemCount, from + size) });
  return chunks;
};

const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
const INDEX_CHARACTERS = 3;

/**
 * Item `index`'s payment id: derived from the batch, so a retried store writes the same payments, never new ones. Like
 * every payment id, 26 Crockford characters: the batch id's first 23 and the index in three (32³ = 32,768 > 10,000).
 */
export const payoutPaymentId = (payoutId: string, index: number): string => {
  let encoded = '';
  for (let rest = index, position = 0; position < INDEX_CHARACTERS; position += 1, rest = Math.floor(rest / 32)) encoded = CROCKFORD.charAt(rest % 32) + encoded;
  return `pay_${payoutId.slice('bat_'.length, 'bat_'.length + 26 - INDEX_CHARACTERS)}${encoded}`;
};

/** The item index a payout payment id carries (its last three characters). */
export const payoutItemIndex = (paymentId: string): number => [...paymentId.slice(-INDEX_CHARACTERS)].reduce((sum, character) => sum * 32 + CROCKFORD.indexOf(character), 0);

/** The sandbox bank's id of item `index` (the key its status reports and the lookup use). */
export const payoutBankPaymentId = (bankBatchId: string, index: number): string => `${bankBatchId}_${String(index).padStart(5, '0')}`;

export const assertAwaitingAuthorisation = (payout: Payout): void => {
  if (payout.status !== 'authorisation_required') {
    throw new ConflictError(`Payout ${payout.id} is ${payout.status}.`, { code: 'invalid_state_transition' });
  }
};
