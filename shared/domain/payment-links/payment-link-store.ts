import type { Page, PageRequest } from '../accounts/account';
import type { IdempotencyCompletion } from '../idempotency/idempotency';
import type { Payment } from '../payments/payment';
import type { PaymentLink } from './payment-link';

export type LinkCreationOutcome = 'created' | 'reference_taken';
/** `link_changed`: the link was no longer as read (paid, full, expired or another payment added) and nothing was written. */
export type LinkPaymentOutcome = 'recorded' | 'reference_taken' | 'link_changed';

export interface PaymentLinkStore {
  /**
   * Stores a new link, the public lookup of its id and (options) the claim of its generated reference and the
   * request's idempotency answer, in one atomic write.
   */
  create(link: PaymentLink, options: { readonly claimReference: boolean; readonly idempotency?: IdempotencyCompletion }): Promise<LinkCreationOutcome>;
  get(tenantId: string, linkId: string): Promise<PaymentLink | undefined>;
  /** The link behind its public page, whoever asks (the page has no API key): by the link id alone. */
  findPublic(linkId: string): Promise<PaymentLink | undefined>;
  list(tenantId: string, page: PageRequest): Promise<Page<PaymentLink>>;
  /**
   * Stores a payment made through `link` and adds it to the link in ONE atomic write, only while the link is active,
   * unexpired at `now` and (single-use) has no payment yet, (multi-use) has room. `claimReference`: the payment's
   * reference is claimed for it in the same write (a multi-use link's per-payment reference).
   */
  recordPayment(link: PaymentLink, payment: Payment, options: { readonly claimReference: boolean; readonly now: string }): Promise<LinkPaymentOutcome>;
  /** Marks a single-use link completed by `paymentId` only if it is still active and holds that payment; false otherwise. */
  complete(link: PaymentLink, paymentId: string, at: string): Promise<boolean>;
  /** Ends the link now (its expiresAt becomes `at`) only if it is active and unexpired at `at`; false otherwise. */
  deactivate(link: PaymentLink, at: string): Promise<boolean>;
}
