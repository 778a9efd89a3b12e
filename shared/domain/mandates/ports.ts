import type { Account, Page, PageRequest } from '../accounts/account';
import type { DomainEvent } from '../events/domain-event';
import type { IdempotencyCompletion } from '../idempotency/idempotency';
import type { Payment } from '../payments/payment';
import type { Mandate, PeriodicLimit, PeriodUsage } from './mandate';
import type { Window } from './periods';

/** One period's claim in a mandate payment's write: `ADD used :amount` if it stays within `limit.maxAmount`. */
export interface UsageClaim {
  readonly limit: PeriodicLimit;
  readonly window: Window;
}

export type MandatePaymentOutcome =
  | { readonly outcome: 'created' }
  | { readonly outcome: 'reference_taken' }
  /** The claim at `claimIndex` would have gone over its limit: nothing was written. */
  | { readonly outcome: 'limit_exceeded'; readonly claimIndex: number }
  /** The mandate stopped being active (revoked) between the read and the write: nothing was written. */
  | { readonly outcome: 'mandate_not_active' };

export interface MandateRepository {
  create(mandate: Mandate, idempotency?: IdempotencyCompletion): Promise<void>;
  get(tenantId: string, mandateId: string): Promise<{ mandate: Mandate; outbox: readonly DomainEvent[] } | undefined>;
  list(tenantId: string, page: PageRequest): Promise<Page<Mandate>>;
  /** What is used of each window (0 for a window nobody paid in). */
  usage(mandate: Mandate, windows: readonly UsageClaim[]): Promise<PeriodUsage[]>;
  /** Writes `next` and its events if the stored mandate is still `previous` (same version); false otherwise. */
  update(previous: Mandate, next: Mandate, outbox: readonly DomainEvent[]): Promise<boolean>;
  clearOutbox(tenantId: string, mandateId: string, published: readonly DomainEvent[]): Promise<void>;
  /**
   * ONE atomic write: the payment (as a payment's creation writes it, with its events in its outbox), its
   * reference claim, the request's idempotency completion, a check that the mandate is still active, and for every
   * claim `ADD used :amount` conditional on the window staying within its maximum.
   */
  createPayment(
    mandate: Mandate,
    payment: Payment,
    claims: readonly UsageClaim[],
    options: { readonly claimReference: boolean; readonly idempotency?: IdempotencyCompletion | undefined; readonly outbox: readonly DomainEvent[] },
  ): Promise<MandatePaymentOutcome>;
}

/** The payer's bank as a mandate (VRP consent) provider. */
export interface MandateGateway {
  /** Creates the consent at the bank; the payer authorises it once at `authorisationUrl`. */
  createMandate(mandate: Omit<Mandate, 'bankMandateId' | 'authorisationUrl'>, account: Account): Promise<{ bankMandateId: string; authorisationUrl: string }>;
  /** The payer's decision so far. */
  mandateStatus(mandate: Mandate): Promise<{ status: 'awaiting_authorisation' | 'approved' | 'rejected' | 'revoked'; decidedAt: string | null }>;
  /** The bank payment id the next payment will go under (chosen before the write, so the write can index it). */
  nextPaymentId(mandate: Mandate): string;
  /** Asks the bank to take the payment under the mandate (no payer interaction). Idempotent on its bankPaymentId. */
  executePayment(mandate: Mandate, payment: Payment, account: Account): Promise<void>;
  revokeMandate(mandate: Mandate): Promise<void>;
}
