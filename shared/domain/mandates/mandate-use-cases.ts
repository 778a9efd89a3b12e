import type { Account, AccountRepository, Page, PageRequest } from '../accounts/account';
import { domainEvent, type DomainEvent, type EventPublisher } from '../events/domain-event';
import type { IdempotencyCompletion } from '../idempotency/idempotency';
import { ConflictError, NotFoundError, ValidationError } from '../errors';
import { parseAmount } from '../money';
import type { Clock, IdGenerator } from '../ports';
import { generateReference, matchingKey, validateTenantReference } from '../references';
import type { Counterparty, Payment } from '../payments/payment';
import { paymentEvents } from '../payments/payment-events';
import type { PaymentRepository } from '../payments/payment-repository';
import { assertPayable, currentWindows, type Mandate, type MandateLimits, mandateStatusAt, type MandateType, mandateView, periodLimitExceeded, validateTerms } from './mandate';
import type { MandateGateway, MandateRepository } from './ports';

export interface MandateDeps {
  readonly accounts: Pick<AccountRepository, 'get'>;
  readonly mandates: MandateRepository;
  readonly payments: Pick<PaymentRepository, 'update' | 'clearOutbox'>;
  /** The gateway of the account's provider, or undefined when that provider has no VRP. */
  readonly gatewayFor: (provider: Account['provider']) => MandateGateway | undefined;
  readonly events: EventPublisher;
  readonly ids: IdGenerator;
  readonly clock: Clock;
  readonly randomIndex: (exclusiveMax: number) => number;
}

export interface CreateMandateCommand {
  readonly tenantId: string;
  readonly accountId: string;
  readonly type: MandateType;
  readonly currency: string;
  readonly reference?: string | undefined;
  readonly counterparty?: Counterparty | undefined;
  readonly limits: MandateLimits;
  readonly validFrom?: string | undefined;
  readonly validTo?: string | undefined;
}

const gatewayOf = (deps: MandateDeps, account: Account): MandateGateway => {
  const gateway = deps.gatewayFor(account.provider);
  if (gateway === undefined) {
    throw new ValidationError(`Account ${account.id} is at a provider without variable recurring payments.`, {
      details: [{ path: 'accountId', message: 'must be a sandbox account or an Open Banking account at a bank with VRP' }],
    });
  }
  return gateway;
};

const payableAccount = async (deps: MandateDeps, tenantId: string, accountId: string, currency: string): Promise<Account> => {
  const account = await deps.accounts.get(tenantId, accountId);
  if (account === undefined) throw new NotFoundError(`Account ${accountId} does not exist.`);
  if (account.status !== 'active') throw new ConflictError(`Account ${account.id} is ${account.status}; mandates need an active account.`, { code: 'account_not_active' });
  if (account.currency !== currency) {
    throw new ValidationError(`The account holds ${account.currency}; this mandate is in ${currency}.`, {
      details: [{ path: 'currency', message: `must be ${account.currency}, the account's currency` }],
    });
  }
  return account;
};

/** Creates the mandate at the payer's bank and stores it awaiting the payer's one authorisation. */
export const createMandate = async (
  command: CreateMandateCommand,
  deps: MandateDeps,
  idempotency: (mandate: Mandate) => IdempotencyCompletion,
): Promise<Mandate> => {
  validateTerms({ limits: command.limits, validFrom: command.validFrom ?? null, validTo: command.validTo ?? null });
  if (command.reference !== undefined) validateTenantReference(command.reference);
  const account = await payableAccount(deps, command.tenantId, command.accountId, command.currency);
  const gateway = gatewayOf(deps, account);
  const now = deps.clock.now().toISOString();
  const draft = {
    id: deps.ids.next('man'),
    tenantId: command.tenantId,
    accountId: account.id,
    type: command.type,
    currency: command.currency,
    reference: command.reference ?? null,
    counterparty: command.counterparty ?? null,
    limits: command.limits,
    validFrom: command.validFrom ?? null,
    validTo: command.validTo ?? null,
    status: 'authorisation_required' as const,
    provider: account.provider,
    createdAt: now,
    updatedAt: now,
    activatedAt: null,
    revokedAt: null,
    version: 1,
  };
  const atBank = await gateway.createMandate(draft, account);
  const mandate: Mandate = { ...draft, ...atBank };
  await deps.mandates.create(mandate, idempotency(mandate));
  return mandate;
};

/** The mandate with what is used of its current windows, as the API shows it. */
export const viewOf = async (mandate: Mandate, deps: Pick<MandateDeps, 'mandates' | 'clock'>) => {
  const now = deps.clock.now();
  const usage = await deps.mandates.usage(mandate, currentWindows(mandate, now));
  return mandateView(mandate, usage, now);
};

const mandateEvent = async (type: 'mandate.activated' | 'mandate.revoked', mandate: Mandate, deps: Pick<MandateDeps, 'mandates' | 'clock'>): Promise<DomainEvent> =>
  domainEvent(type, mandate.tenantId, mandate.updatedAt, await viewOf(mandate, deps), [mandate.id]);

const publishOutbox = async (mandate: Mandate, outbox: readonly DomainEvent[], deps: Pick<MandateDeps, 'mandates' | 'events'>) => {
  if (outbox.length === 0) return;
  await deps.events.publish(outbox);
  await deps.mandates.clearOutbox(mandate.tenantId, mandate.id, outbox);
};

/**
 * The mandate, brought up to date with the payer's decision at the bank while it awaits one (as a TPP reads a VRP
 * consent's status): approved → active (`mandate.activated`), rejected → rejected. The change is a conditional
 * write on the version read, so concurrent readers record it once; events left in its outbox are published again.
 */
export const currentMandate = async (tenantId: string, mandateId: string, deps: MandateDeps): Promise<Mandate> => {
  const stored = await deps.mandates.get(tenantId, mandateId);
  if (stored === undefined) throw new NotFoundError(`Mandate ${mandateId} does not exist.`);
  await publishOutbox(stored.mandate, stored.outbox, deps);
  const { mandate } = stored;
  if (mandate.status !== 'authorisation_required' || mandateStatusAt(mandate, deps.clock.now()) === 'expired') return mandate;
  const gateway = deps.gatewayFor(mandate.provider);
  if (gateway === undefined) return mandate;
  const atBank = await gateway.mandateStatus(mandate);
  if (atBank.status === 'awaiting_authorisation') return mandate;
  const next = await recordDecision(mandate, atBank.status, atBank.decidedAt ?? deps.clock.now().toISOString(), deps);
  return next ?? currentMandate(tenantId, mandateId, deps);
};

/**
 * The payer's decision recorded on the mandate read (`authorisation_required`): approved → active with
 * `mandate.activated` in its outbox, else rejected or revoked; one conditional write on the version read, so the
 * decision is recorded once. Undefined when another writer changed the mandate first (nothing written).
 */
const recordDecision = async (
  mandate: Mandate,
  decision: 'approved' | 'rejected' | 'revoked',
  at: string,
  deps: Pick<MandateDeps, 'mandates' | 'events' | 'clock'>,
): Promise<Mandate | undefined> => {
  const next: Mandate =
    decision === 'approved'
      ? { ...mandate, status: 'active', activatedAt: at, updatedAt: at, version: mandate.version + 1 }
      : { ...mandate, status: decision, updatedAt: at, version: mandate.version + 1, ...(decision === 'revoked' ? { revokedAt: at } : {}) };
  const outbox = next.status === 'active' ? [await mandateEvent('mandate.activated', next, deps)] : [];
  if (!(await deps.mandates.update(mandate, next, outbox))) return undefined;
  await publishOutbox(next, outbox, deps);
  return next;
};

/**
 * The payer's decision as the bank's redirect brought it (Open Banking: the PSU's return is how a TPP learns it).
 * Primary course: the mandate awaits authorisation → the decision is recorded (conditional write, outbox). A
 * mandate already decided (or revoked meanwhile) is returned as it is: the first decision recorded stands.
 */
export const decideMandate = async (
  tenantId: string,
  mandateId: string,
  decision: 'approved' | 'rejected',
  deps: Pick<MandateDeps, 'mandates' | 'events' | 'clock'>,
): Promise<Mandate> => {
  for (let attempt = 0; attempt < 5; attempt += 1) {
    const stored = await deps.mandates.get(tenantId, mandateId);
    if (stored === undefined) throw new NotFoundError(`Mandate ${mandateId} does not exist.`);
    await publishOutbox(stored.mandate, stored.outbox, deps);
    if (stored.mandate.status !== 'authorisation_required') return stored.mandate;
    const next = await recordDecision(stored.mandate, decision, deps.clock.now().toISOString(), deps);
    if (next !== undefined) return next;
  }
  throw new ConflictError(`Mandate ${mandateId} kept changing while its authorisation was recorded.`, { code: 'concurrent_update' });
};

export const listMandates = (tenantId: string, page: PageRequest, deps: Pick<MandateDeps, 'mandates'>): Promise<Page<Mandate>> => deps.mandates.list(tenantId, page);

/** Revokes the mandate: no payment is taken under it afterwards (the payment write checks it is active). */
export const revokeMandate = async (tenantId: string, mandateId: string, deps: MandateDeps): Promise<Mandate> => {
  const mandate = await currentMandate(tenantId, mandateId, deps);
  if (mandate.status === 'revoked') return mandate;
  const status = mandateStatusAt(mandate, deps.clock.now());
  if (status !== 'active' && status !== 'authorisation_required') {
    throw new ConflictError(`Mandate ${mandate.id} is ${status}; only an active or pending mandate can be revoked.`, { code: 'mandate_not_active' });
  }
  const at = deps.clock.now().toISOString();
  const next: Mandate = { ...mandate, status: 'revoked', revokedAt: at, updatedAt: at, version: mandate.version + 1 };
  const outbox = [await mandateEvent('mandate.revoked', next, deps)];
  if (!(await deps.mandates.update(mandate, next, outbox))) return revokeMandate(tenantId, mandateId, deps);
  await publishOutbox(next, outbox, deps);
  // Settled stops first (above); the bank is told after, and a failure there leaves nothing to pay under it here.
  await deps.gatewayFor(mandate.provider)?.revokeMandate(next);
  return next;
};

export interface MandatePaymentCommand {
  readonly tenantId: string;
  readonly mandateId: string;
  /** The request's decimal string, parsed in the mandate's currency. */
  readonly amount: unknown;
  readonly reference?: string | undefined;
  readonly invoiceId?: string | undefined;
}

const GENERATION_ATTEMPTS = 5;

/**
 * Takes a payment under an active mandate, with no authorisation by the payer.
 * Primary course: check the mandate (active, within validFrom/validTo, maxPerPayment and each period's maximum),
 * then ONE atomic write: the payment (an inbound payment on the mandate's account, authorised by the mandate, its
 * own reference so its booked credit matches it alone), and for every period `ADD used :amount` on the current
 * window's usage item, conditional on staying within the period's maximum, plus a check that the mandate is still
 * active and the request's idempotency completion. Only then is the bank asked to take it.
 * Alternate courses: a period's condition fails → 422 `mandate_limit_exceeded` naming that period, nothing written
 * and nothing sent to the bank; the mandate revoked meanwhile → 409; the bank call fails after the write → the usage
 * stays claimed (the limit is a ceiling the payer granted: using less is safe, more never is, and the bank may have
 * taken it) and the payment is marked failed (`bank_unavailable`) and returned so.
 */
export const payUnderMandate = async (
  command: MandatePaymentCommand,
  deps: MandateDeps,
  idempotency?: (payment: Payment) => IdempotencyCompletion,
): Promise<Payment> => {
  const mandate = await currentMandate(command.tenantId, command.mandateId, deps);
  const now = deps.clock.now();
  const amount = parseAmount(command.amount, mandate.currency);
  assertPayable(mandate, amount, now);
  const account = await payableAccount(deps, mandate.tenantId, mandate.accountId, mandate.currency);
  const gateway = gatewayOf(deps, account);
  if (account.sortCode === null || account.accountNumber === null) {
    throw new ValidationError(`Account ${account.id} is known only by its IBAN; payments run over UK Faster Payments.`);
  }
  if (command.reference !== undefined) {
    validateTenantReference(command.reference);
    if (matchingKey(command.reference) === '') {
      throw new ValidationError('The reference is invalid.', { details: [{ path: 'reference', message: 'must contain at least one letter or digit' }] });
    }
  }
  const claims = currentWindows(mandate, now);
  for (let attempt = 0; attempt < GENERATION_ATTEMPTS; attempt += 1) {
    const reference = command.reference ?? generateReference(deps.randomIndex);
    const createdAt = now.toISOString();
    const draft: Payment = {
      id: deps.ids.next('pay'),
      tenantId: mandate.tenantId,
      accountId: account.id,
      direction: 'inbound',
      amount,
      currency: mandate.currency,
      reference,
      matchingKey: matchingKey(reference),
      invoiceId: command.invoiceId ?? null,
      counterparty: mandate.counterparty,
      metadata: {},
      provider: account.provider,
      redirectUrl: null,
      // Authorised by the mandate: the payer decided once, for every payment within its limits.
      status: 'authorisation_required',
      failureReason: null,
      createdAt,
      updatedAt: createdAt,
      executedAt: null,
      settlement: null,
      version: 1,
      bankPaymentId: gateway.nextPaymentId(mandate),
      authorisationUrl: mandate.authorisationUrl,
      mandateId: mandate.id,
    };
    const payment: Payment = { ...draft, status: 'authorised', authorisedAt: createdAt };
    const outbox = paymentEvents(draft, payment, mandate.id, createdAt);
    const outcome = await deps.mandates.createPayment(mandate, payment, claims, {
      claimReference: command.reference === undefined,
      idempotency: idempotency?.(payment),
      outbox,
    });
    if (outcome.outcome === 'reference_taken') continue;
    if (outcome.outcome === 'mandate_not_active') {
      throw new ConflictError(`Mandate ${mandate.id} is no longer active.`, { code: 'mandate_not_active' });
    }
    if (outcome.outcome === 'limit_exceeded') {
      const claim = claims[outcome.claimIndex];
      if (claim === undefined) throw new Error(`No usage claim at ${outcome.claimIndex}`);
      const [usage] = await deps.mandates.usage(mandate, [claim]);
      throw periodLimitExceeded(mandate, usage ?? { ...claim, used: 0 }, amount);
    }
    await deps.events.publish(outbox);
    await deps.payments.clearOutbox(payment.tenantId, payment.id, outbox);
    try {
      await gateway.executePayment(mandate, payment, account);
    } catch (error) {
      const failedAt = deps.clock.now().toISOString();
      const failed: Payment = { ...payment, status: 'failed', failureReason: 'bank_unavailable', updatedAt: failedAt, version: payment.version + 1 };
      const failure = paymentEvents(payment, failed, mandate.id, failedAt);
      if (!(await deps.payments.update(payment, failed, failure))) throw error;
      await deps.events.publish(failure);
      await deps.payments.clearOutbox(failed.tenantId, failed.id, failure);
      return failed;
    }
    return payment;
  }
  throw new Error(`Could not reserve a unique reference after ${GENERATION_ATTEMPTS} attempts`);
};

