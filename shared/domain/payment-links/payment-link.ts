import { ConflictError, GoneError } from '../errors';
import { formatAmount } from '../money';
import { GENERATED_REFERENCE_ALPHABET, REFERENCE_MAX_LENGTH } from '../references';

/**
 * A payment link (docs/payment-links.md): a hosted page a payer opens to pay a fixed amount into one of the
 * tenant's accounts, with the link's reference. Single-use links take one payment and complete when it settles;
 * multi-use links take many payments and never complete by themselves. Expiry is not a stored state: it is read
 * against the clock on every read and every use, so a link can never be used a moment past its `expiresAt`.
 */
export const PAYMENT_LINK_STATUSES = ['active', 'completed', 'expired'] as const;
export type PaymentLinkStatus = (typeof PAYMENT_LINK_STATUSES)[number];

/** What is stored: `completed` once its (single) payment settled; otherwise `active` (expired or not). */
export type StoredLinkStatus = 'active' | 'completed';

export interface PaymentLink {
  readonly id: string;
  readonly tenantId: string;
  readonly accountId: string;
  /** Minor units. */
  readonly amount: number;
  readonly currency: string;
  /** The link's reference: a single-use link's payment carries it as is; a multi-use link's payments add a suffix. */
  readonly reference: string;
  readonly invoiceId: string | null;
  readonly singleUse: boolean;
  /** ISO 8601 UTC (always `toISOString()` form, so stored values compare as strings); null: never expires. */
  readonly expiresAt: string | null;
  readonly redirectUrl: string | null;
  /** The hosted page's address (`GET` it in a browser). */
  readonly url: string;
  readonly status: StoredLinkStatus;
  /** Every payment made through it, oldest first. */
  readonly payments: readonly string[];
  /** The payment whose settlement completed it (single-use only). */
  readonly completedBy: string | null;
  readonly completedAt: string | null;
  readonly createdAt: string;
}

/** A multi-use link takes at most this many payments (they are listed on the link itself). */
export const MULTI_USE_MAX_PAYMENTS = 1000;
/** Characters added (after a `-`) to a multi-use link's reference for each of its payments. */
export const PAYMENT_SUFFIX_LENGTH = 4;
/** A multi-use link's own reference leaves room for `-` and the suffix within the schemes' 18 characters. */
export const MULTI_USE_REFERENCE_MAX_LENGTH = REFERENCE_MAX_LENGTH - 1 - PAYMENT_SUFFIX_LENGTH;

/** The status a reader sees at `now`: completed wins over expiry (the payer paid in time); past expiresAt, expired. */
export const linkStatusAt = (link: Pick<PaymentLink, 'status' | 'expiresAt'>, now: Date): PaymentLinkStatus => {
  if (link.status === 'completed') return 'completed';
  if (link.expiresAt !== null && Date.parse(link.expiresAt) <= now.getTime()) return 'expired';
  return 'active';
};

/**
 * Refuses a link that cannot take a payment now: completed or expired (410), a single-use link that already has its
 * payment (409 `payment_link_in_use`), a multi-use link that is full (409 `payment_link_exhausted`).
 */
export const assertUsable = (link: PaymentLink, now: Date): void => {
  const status = linkStatusAt(link, now);
  if (status === 'completed') throw new GoneError('This payment link has been paid.', { code: 'payment_link_completed' });
  if (status === 'expired') throw new GoneError('This payment link has expired. Ask the merchant for a new one.', { code: 'payment_link_expired' });
  if (link.singleUse && link.payments.length > 0) {
    throw new ConflictError('This payment link is already being paid by someone else.', { code: 'payment_link_in_use' });
  }
  if (!link.singleUse && link.payments.length >= MULTI_USE_MAX_PAYMENTS) {
    throw new ConflictError(`This payment link has taken its ${MULTI_USE_MAX_PAYMENTS} payments.`, { code: 'payment_link_exhausted' });
  }
};

/**
 * The reference of the next payment through a link. Single-use: the link's own reference, so it settles exactly like
 * a payment created with it. Multi-use: the link's reference, `-` and 4 random characters of the generated-reference
 * alphabet (`INV-42-7KQ2`), so each payment has its own matching key and a booked credit names one payment only
 * (docs/decisions.md D15); the link's reference is still readable at its start.
 */
export const paymentReferenceFor = (link: Pick<PaymentLink, 'reference' | 'singleUse'>, randomIndex: (exclusiveMax: number) => number): string => {
  if (link.singleUse) return link.reference;
  let suffix = '';
  for (let i = 0; i < PAYMENT_SUFFIX_LENGTH; i += 1) suffix += GENERATED_REFERENCE_ALPHABET.charAt(randomIndex(GENERATED_REFERENCE_ALPHABET.length));
  return `${link.reference}-${suffix}`;
};

/** A link as the API returns it (and as `payment_link.completed` carries it), its status read at `now`. */
export const paymentLinkView = (link: PaymentLink, now: Date) => ({
  id: link.id,
  url: link.url,
  status: linkStatusAt(link, now),
  accountId: link.accountId,
  amount: formatAmount(link.amount, link.currency),
  currency: link.currency,
  reference: link.reference,
  invoiceId: link.invoiceId,
  singleUse: link.singleUse,
  expiresAt: link.expiresAt,
  redirectUrl: link.redirectUrl,
  payments: link.payments,
  completedAt: link.completedAt,
  createdAt: link.createdAt,
});

export type PaymentLinkView = ReturnType<typeof paymentLinkView>;
