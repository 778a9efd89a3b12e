import type { Page, PageRequest } from '../../shared/domain/accounts/account';
import type { IdempotencyCompletion } from '../../shared/domain/idempotency/idempotency';
import { MULTI_USE_MAX_PAYMENTS, type PaymentLink } from '../../shared/domain/payment-links/payment-link';
import type { LinkCreationOutcome, LinkPaymentOutcome, PaymentLinkStore } from '../../shared/domain/payment-links/payment-link-store';
import type { Payment } from '../../shared/domain/payments/payment';
import { matchingKey } from '../../shared/domain/references';
import { AT, TENANT_ID } from './domain-fakes';

export const aPaymentLink = (overrides: Partial<PaymentLink> = {}): PaymentLink => ({
  id: 'lnk_01JD0000000000000000000001',
  tenantId: TENANT_ID,
  accountId: 'acc_01JD0000000000000000000001',
  amount: 123_456,
  currency: 'GBP',
  reference: 'INV-LINK-1',
  invoiceId: null,
  singleUse: true,
  expiresAt: null,
  redirectUrl: null,
  url: 'http://127.0.0.1:3000/links/lnk_01JD0000000000000000000001',
  status: 'active',
  payments: [],
  completedBy: null,
  completedAt: null,
  createdAt: AT,
  ...overrides,
});

/** Links with the DynamoDB store's conditions, each write atomic; claims shared by links and their payments. */
export class InMemoryPaymentLinkStore implements PaymentLinkStore {
  readonly links = new Map<string, PaymentLink>();
  readonly payments: Payment[] = [];
  readonly claims = new Map<string, string>();
  readonly idempotency: IdempotencyCompletion[] = [];
  /** Runs once just before the next recordPayment is applied: another payer getting there first. */
  beforeNextRecord: (() => void) | undefined;

  async create(link: PaymentLink, options: { readonly claimReference: boolean; readonly idempotency?: IdempotencyCompletion }): Promise<LinkCreationOutcome> {
    if (options.claimReference && this.claims.has(`${link.tenantId}|${matchingKey(link.reference)}`)) return 'reference_taken';
    if (options.claimReference) this.claims.set(`${link.tenantId}|${matchingKey(link.reference)}`, link.id);
    if (options.idempotency !== undefined) this.idempotency.push(options.idempotency);
    this.links.set(link.id, link);
    return 'created';
  }

  async get(tenantId: string, linkId: string): Promise<PaymentLink | undefined> {
    const link = this.links.get(linkId);
    return link?.tenantId === tenantId ? link : undefined;
  }

  async findPublic(linkId: string): Promise<PaymentLink | undefined> {
    return this.links.get(linkId);
  }

  async list(tenantId: string, page: PageRequest): Promise<Page<PaymentLink>> {
    return { data: [...this.links.values()].filter((link) => link.tenantId === tenantId).slice(0, page.limit), nextCursor: null };
  }

  async recordPayment(link: PaymentLink, payment: Payment, options: { readonly claimReference: boolean; readonly now: string }): Promise<LinkPaymentOutcome> {
    const interference = this.beforeNextRecord;
    this.beforeNextRecord = undefined;
    interference?.();
    const stored = this.links.get(link.id);
    const room = link.singleUse ? 1 : MULTI_USE_MAX_PAYMENTS;
    if (stored === undefined || stored.status !== 'active' || (stored.expiresAt !== null && stored.expiresAt <= options.now) || stored.payments.length >= room) return 'link_changed';
    const claim = `${payment.tenantId}|${payment.matchingKey}`;
    if (options.claimReference && this.claims.has(claim)) return 'reference_taken';
    if (options.claimReference) this.claims.set(claim, payment.id);
    this.payments.push(payment);
    this.links.set(link.id, { ...stored, payments: [...stored.payments, payment.id] });
    return 'recorded';
  }

  async complete(link: PaymentLink, paymentId: string, at: string): Promise<boolean> {
    const stored = this.links.get(link.id);
    if (stored === undefined || stored.status !== 'active' || !stored.singleUse || !stored.payments.includes(paymentId)) return false;
    this.links.set(link.id, { ...stored, status: 'completed', completedBy: paymentId, completedAt: at });
    return true;
  }

  async deactivate(link: PaymentLink, at: string): Promise<boolean> {
    const stored = this.links.get(link.id);
    if (stored === undefined || stored.status !== 'active' || (stored.expiresAt !== null && stored.expiresAt <= at)) return false;
    this.links.set(link.id, { ...stored, expiresAt: at });
    return true;
  }
}
