import type { Direction, Payment } from '../payments/payment';
import type { CreditDebit } from './bank-transaction';

/** A payment as the reference index holds it: open ones settle, closed ones only explain (duplicates, returns). */
export interface OpenPaymentCandidate {
  readonly paymentId: string;
  readonly matchingKey: string;
  readonly currency: string;
  readonly direction: Direction;
  /** false once settled, failed, expired or returned. Absent means open. */
  readonly open?: boolean;
}

export interface MatchQuery {
  readonly creditDebitIndicator: CreditDebit;
  readonly currency: string;
  /** Keys offered by the transaction, most specific first (references.candidateKeys). */
  readonly keys: readonly string[];
  /** The key of the whole reference field, the only one trusted for the truncated-prefix case. */
  readonly referenceKey: string | null;
}

/** A truncated reference must keep at least this much to identify a payment by prefix. */
export const MIN_PREFIX_KEY_LENGTH = 8;
/** ... and at least three quarters of the key it is a prefix of. */
const PREFIX_COVERAGE_NUMERATOR = 3;
const PREFIX_COVERAGE_DENOMINATOR = 4;

export type MatchDecision =
  | { readonly outcome: 'match'; readonly paymentId: string; readonly key: string; readonly kind: 'exact' | 'prefix'; readonly candidateIds: readonly string[] }
  | {
      readonly outcome: 'ambiguous';
      readonly candidateIds: readonly string[];
      /** How each was reached: several exact keys may be several invoices paid together. */
      readonly kinds: ReadonlyMap<string, 'exact' | 'prefix'>;
    }
  | { readonly outcome: 'none'; readonly candidateIds: readonly string[] };

const directionOf = (indicator: CreditDebit): Direction => (indicator === 'credit' ? 'inbound' : 'outbound');

/**
 * Decides which open payment, if any, a transaction settles. Confirms only when the reference keys point at exactly
 * one open payment with the same currency and direction — an exact key, or the reference field's key as a prefix of
 * one payment's key (the bank truncated it). Several payments reachable is ambiguity, never a pick.
 */
/**
 * The payments a transaction names, whatever their state, direction or currency: indexed under one of its keys,
 * or continued by its reference field's key as a truncation (same rules as matching). Only these may explain a
 * transaction (a duplicate, a return); the rest of what an index query returned is noise.
 */
export const namedCandidates = (query: MatchQuery, candidates: readonly OpenPaymentCandidate[]): OpenPaymentCandidate[] => {
  const referenceIsAWholeKey = candidates.some((candidate) => candidate.matchingKey === query.referenceKey);
  return candidates.filter(
    (candidate) =>
      query.keys.includes(candidate.matchingKey) ||
      (query.referenceKey !== null && !referenceIsAWholeKey && isTruncationOf(query.referenceKey, candidate.matchingKey)),
  );
};

/** `key` is `of` cut short by a bank: at least 8 characters and three quarters of it. */
const isTruncationOf = (key: string, of: string): boolean =>
  key.length >= MIN_PREFIX_KEY_LENGTH && of.startsWith(key) && key.length * PREFIX_COVERAGE_DENOMINATOR >= of.length * PREFIX_COVERAGE_NUMERATOR;

export const decideMatch = (query: MatchQuery, candidates: readonly OpenPaymentCandidate[]): MatchDecision => {
  const direction = directionOf(query.creditDebitIndicator);
  const eligible = candidates.filter(
    (candidate) => candidate.open !== false && candidate.currency === query.currency && candidate.direction === direction,
  );
  // A reference that is some payment's whole key (open or closed, any currency or direction) was not truncated:
  // it is that payment's, and never a prefix of another's (INV-2024-1 is not a cut INV-2024-12).
  const referenceIsAWholeKey = candidates.some((candidate) => candidate.matchingKey === query.referenceKey);
  const prefixAllowed = query.referenceKey !== null && !referenceIsAWholeKey;
  const hits = new Map<string, { key: string; kind: 'exact' | 'prefix' }>();
  for (const key of query.keys) {
    for (const candidate of eligible) {
      if (candidate.matchingKey === key) {
        if (!hits.has(candidate.paymentId) || hits.get(candidate.paymentId)?.kind === 'prefix') hits.set(candidate.paymentId, { key, kind: 'exact' });
      } else if (
        prefixAllowed &&
        key === query.referenceKey &&
        // A truncated reference keeps most of the key; a payer's name ("SMITH JOHN" of SMITHJOHN0042) does not.
        isTruncationOf(key, candidate.matchingKey) &&
        !hits.has(candidate.paymentId)
      ) {
        hits.set(candidate.paymentId, { key, kind: 'prefix' });
      }
    }
  }
  const candidateIds = [...new Set(candidates.map((candidate) => candidate.paymentId))];
  const [only, ...others] = [...hits];
  if (only === undefined) return { outcome: 'none', candidateIds };
  if (others.length > 0) {
    return { outcome: 'ambiguous', candidateIds: [...hits.keys()], kinds: new Map([...hits].map(([id, hit]) => [id, hit.kind])) };
  }
  return { outcome: 'match', paymentId: only[0], key: only[1].key, kind: only[1].kind, candidateIds };
};

/**
 * The payment after a booked transaction of `amount` settles (part of) it. Amounts over what was due show as
 * `overpaidBy`, never written off; under, the payment stays open as partially_settled.
 */
export const applySettlement = (
  payment: Payment,
  transaction: { id: string; amount: number },
  at: string,
  matchedBy: 'reference' | 'manual' = 'reference',
): Payment => {
  const previouslySettled = payment.settlement?.amountSettled ?? 0;
  const amountSettled = previouslySettled + transaction.amount;
  const fullySettled = amountSettled >= payment.amount;
  // Money accepted on top of a settled payment (an over-payment a person accepted) does not change when or how
  // it settled.
  const alreadySettled = payment.status === 'settled' ? payment.settlement : null;
  return {
    ...payment,
    status: fullySettled ? 'settled' : 'partially_settled',
    settlement: {
      amountSettled,
      overpaidBy: Math.max(0, amountSettled - payment.amount),
      settledAt: alreadySettled?.settledAt ?? at,
      transactionIds: [...(payment.settlement?.transactionIds ?? []), transaction.id],
      matchedBy: alreadySettled?.matchedBy ?? matchedBy,
    },
    updatedAt: at,
    version: payment.version + 1,
  };
};
