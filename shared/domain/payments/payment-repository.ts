import type { Page, PageRequest } from '../accounts/account';
import type { DomainEvent } from '../events/domain-event';
import type { IdempotencyCompletion } from '../idempotency/idempotency';
import type { Payment, PaymentStatus } from './payment';

export interface PaymentFilter {
  readonly status?: PaymentStatus | undefined;
  readonly invoiceId?: string | undefined;
  readonly reference?: string | undefined;
  /** Only payments created at or before this instant (the reconciliation report reads none created after its period). */
  readonly createdTo?: string | undefined;
}

/** What else creating a payment writes in the same atomic write. */
export interface PaymentCreationOptions {
  /**
   * Claim the payment's (generated) reference for it in the same write, as {@link PaymentRepository.claimReference}
   * does on its own: when another payment holds it, nothing is written and create answers `reference_taken`.
   */
  readonly claimReference?: boolean;
  /** Complete the request's idempotency record with its response in the same write. */
  readonly idempotency?: IdempotencyCompletion;
  /** Events of the creation (`payment.failed` of a payment stopped before it was sent), in the payment's outbox. */
  readonly outbox?: readonly DomainEvent[];
}

export type PaymentCreationOutcome = 'created' | 'reference_taken';

export interface PaymentRepository {
  /** Reserves a generated reference's matching key for one payment of the tenant; false if already taken. */
  claimReference(tenantId: string, matchingKey: string, paymentId: string): Promise<boolean>;
  /**
   * Stores a new payment, its reference-index entry and its bank payment id lookup, atomically, with what `options`
   * adds to the same write.
   */
  create(payment: Payment, options?: PaymentCreationOptions): Promise<PaymentCreationOutcome>;
  get(tenantId: string, paymentId: string): Promise<Payment | undefined>;
  list(tenantId: string, filter: PaymentFilter, page: PageRequest): Promise<Page<Payment>>;
  /** The payment a provider's payment id belongs to, with the events written with it and not yet published. */
  findByBankPaymentId(provider: string, bankPaymentId: string): Promise<{ payment: Payment; outbox: readonly DomainEvent[] } | undefined>;
  /**
   * Writes `next` and its events (the outbox) if the stored payment is still `previous` (same version); false
   * when someone else changed it first. Removes the payment from the reference index when it closes.
   */
  update(previous: Payment, next: Payment, outbox: readonly DomainEvent[]): Promise<boolean>;
  /** Drops the outbox once `published` (exactly what it held) went out. */
  clearOutbox(tenantId: string, paymentId: string, published: readonly DomainEvent[]): Promise<void>;
}
