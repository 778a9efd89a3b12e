import type { AccountRepository } from '../accounts/account';
import { ConflictError, NotFoundError, ValidationError } from '../errors';
import type { IdempotencyCompletion } from '../idempotency/idempotency';
import type { Clock, IdGenerator } from '../ports';
import { generateReference, matchingKey, validateTenantReference } from '../references';
import { MULTI_USE_REFERENCE_MAX_LENGTH, type PaymentLink } from './payment-link';
import type { PaymentLinkStore } from './payment-link-store';

export interface CreatePaymentLinkCommand {
  readonly tenantId: string;
  readonly accountId: string;
  /** Minor units, already parsed positive. */
  readonly amount: number;
  readonly currency: string;
  readonly reference?: string | undefined;
  readonly invoiceId?: string | undefined;
  readonly expiresAt?: string | undefined;
  readonly singleUse: boolean;
  readonly redirectUrl?: string | undefined;
}

export interface CreatePaymentLinkDeps {
  readonly accounts: Pick<AccountRepository, 'get'>;
  readonly links: PaymentLinkStore;
  readonly ids: IdGenerator;
  readonly clock: Clock;
  readonly randomIndex: (exclusiveMax: number) => number;
  /** The hosted page's address for a link id. */
  readonly urlOf: (linkId: string) => string;
}

const GENERATION_ATTEMPTS = 5;
const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]']);

/**
 * Where a payer's browser may be sent back to: https, or http on a loopback host (a developer's own machine; it can
 * reach nobody else's). Anything else is refused at creation, and the page only ever redirects to what was stored.
 */
export const validateLinkRedirectUrl = (url: string): string => {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw invalid('redirectUrl', 'must be an absolute URL');
  }
  if (parsed.protocol === 'https:') return url;
  if (parsed.protocol === 'http:' && LOOPBACK_HOSTS.has(parsed.hostname)) return url;
  throw invalid('redirectUrl', 'must be an https URL (http only on a loopback host: 127.0.0.1, localhost, [::1])');
};

const invalid = (path: string, message: string) => new ValidationError('The payment link is invalid.', { details: [{ path, message }] });

/**
 * Creates a payment link.
 * Primary course: check the account (the tenant's, active, in the link's currency, payable by Faster Payments), the
 * reference (the tenant's, by the payment rules, shorter for a multi-use link; or a generated one), the expiry (in
 * the future) and the redirect URL; store the link with its public lookup, its generated reference's claim and the
 * idempotency answer in one write.
 * Alternate course: a generated reference already claimed: try again with a new one.
 */
export const createPaymentLink = async (
  command: CreatePaymentLinkCommand,
  deps: CreatePaymentLinkDeps,
  options: { readonly idempotency?: (link: PaymentLink) => IdempotencyCompletion } = {},
): Promise<PaymentLink> => {
  const now = deps.clock.now();
  const account = await deps.accounts.get(command.tenantId, command.accountId);
  if (account === undefined) throw new NotFoundError(`Account ${command.accountId} does not exist.`);
  if (account.status !== 'active') {
    throw new ConflictError(`Account ${account.id} is ${account.status}; payment links need an active account.`, { code: 'account_not_active' });
  }
  if (account.sortCode === null || account.accountNumber === null) {
    throw invalid('accountId', 'must be an account with a sortCode and accountNumber to pay into');
  }
  if (account.currency !== command.currency) throw invalid('currency', `must be ${account.currency}, the account's currency`);
  if (command.reference !== undefined) {
    validateTenantReference(command.reference);
    if (matchingKey(command.reference) === '') throw invalid('reference', 'must contain at least one letter or digit, or banks cannot carry it back');
    if (!command.singleUse && [...command.reference].length > MULTI_USE_REFERENCE_MAX_LENGTH) {
      throw invalid(
        'reference',
        `is ${[...command.reference].length} characters long; a multi-use link's reference is at most ${MULTI_USE_REFERENCE_MAX_LENGTH} (each payment adds "-" and 4 characters of its own)`,
      );
    }
  }
  let expiresAt: string | null = null;
  if (command.expiresAt !== undefined) {
    const at = Date.parse(command.expiresAt);
    if (Number.isNaN(at)) throw invalid('expiresAt', 'must be an ISO 8601 timestamp');
    if (at <= now.getTime()) throw invalid('expiresAt', 'must be in the future');
    expiresAt = new Date(at).toISOString();
  }
  const redirectUrl = command.redirectUrl === undefined ? null : validateLinkRedirectUrl(command.redirectUrl);

  for (let attempt = 0; attempt < GENERATION_ATTEMPTS; attempt += 1) {
    const id = deps.ids.next('lnk');
    const link: PaymentLink = {
      id,
      tenantId: command.tenantId,
      accountId: account.id,
      amount: command.amount,
      currency: command.currency,
      reference: command.reference ?? generateReference(deps.randomIndex),
      invoiceId: command.invoiceId ?? null,
      singleUse: command.singleUse,
      expiresAt,
      redirectUrl,
      url: deps.urlOf(id),
      status: 'active',
      payments: [],
      completedBy: null,
      completedAt: null,
      createdAt: now.toISOString(),
    };
    const outcome = await deps.links.create(link, {
      claimReference: command.reference === undefined,
      ...(options.idempotency === undefined ? {} : { idempotency: options.idempotency(link) }),
    });
    if (outcome === 'created') return link;
  }
  throw new Error(`Could not reserve a unique reference after ${GENERATION_ATTEMPTS} attempts`);
};
