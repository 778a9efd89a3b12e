import type { Account, AccountRepository } from '../accounts/account';
import type { IdempotencyCompletion } from '../idempotency/idempotency';
import { NotFoundError, ValidationError, ConflictError } from '../errors';
import type { Clock, IdGenerator } from '../ports';
import { generateReference, matchingKey, validateTenantReference } from '../references';
import { domainEvent, type DomainEvent, type EventPublisher } from '../events/domain-event';
import type { BankGateway } from './bank-gateway';
import { type MismatchPolicy, PAYEE_NAME_MISMATCH, type PayeeVerification, type PayeeVerifier, stopsPayment } from './payee-verification';
import { type Counterparty, type Direction, NOT_SENT, type Payment } from './payment';
import type { PaymentRepository } from './payment-repository';
import { paymentView } from './payment-view';

export interface InitiatePaymentCommand {
  readonly tenantId: string;
  readonly accountId: string;
  readonly direction: Direction;
  /** Minor units, already validated positive. */
  readonly amount: number;
  readonly currency: string;
  readonly reference?: string | undefined;
  readonly invoiceId?: string | undefined;
  readonly counterparty?: Counterparty | undefined;
  readonly metadata?: Readonly<Record<string, string>> | undefined;
  readonly redirectUrl?: string | undefined;
  /** Outbound only: what a Confirmation of Payee mismatch does (default `stop`). */
  readonly confirmationOfPayee?: MismatchPolicy | undefined;
  /** A refund: the inbound payment whose money it sends back. */
  readonly refundOf?: string | undefined;
}

export interface InitiatePaymentDeps {
  /** Only `get`: the payments API reads accounts through a cache of a few seconds (shared/adapters/cached-account-reads.ts). */
  readonly accounts: Pick<AccountRepository, 'get'>;
  readonly payments: PaymentRepository;
  readonly gateway: BankGateway;
  readonly ids: IdGenerator;
  readonly clock: Clock;
  /** Uniform random integer in [0, exclusiveMax): crypto.randomInt in production. */
  readonly randomIndex: (exclusiveMax: number) => number;
  /** Confirmation of Payee: asked about every outbound payment's payee before the bank is (never for inbound). */
  readonly payees: PayeeVerifier;
  /** Publishes `payment.failed` of a payment stopped by Confirmation of Payee (from its outbox). */
  readonly events: EventPublisher;
}

/** What preparing a payment needs: everything but publishing (its caller's write decides what is published). */
export type PreparePaymentDeps = Omit<InitiatePaymentDeps, 'events'>;

const GENERATION_ATTEMPTS = 5;

export interface InitiatePaymentOptions {
  /** The idempotency record's completion, written in the payment's own write; built from the payment it answers. */
  readonly idempotency?: (payment: Payment) => IdempotencyCompletion;
}

/**
 * Initiates a single payment.
 * Primary course: check the account and the request against it, settle on a reference (the tenant's, validated,
 * or a generated one), ask the bank to initiate it, and store the payment open and indexed under its matching key,
 * in one atomic write with the claim of its generated reference and (`options.idempotency`) the request's stored
 * answer; return it with the bank's authorisation URL.
 * Alternate course: the generated reference is already another payment's (31^8 ≈ 8.5 × 10^11 references, so about
 * one chance in 10^12 per reference the tenant already holds): nothing is stored and it starts again with a new
 * payment id and reference. The bank's initiation of the abandoned attempt is never shown to anyone, so never
 * authorised.
 */
export const initiatePayment = async (command: InitiatePaymentCommand, deps: InitiatePaymentDeps, options: InitiatePaymentOptions = {}): Promise<Payment> => {
  for (let attempt = 0; attempt < GENERATION_ATTEMPTS; attempt += 1) {
    const payment = await preparePayment(command, deps, 'with-payment');
    const outbox = creationEvents(payment);
    const outcome = await deps.payments.create(payment, {
      claimReference: command.reference === undefined,
      ...(options.idempotency === undefined ? {} : { idempotency: options.idempotency(payment) }),
      ...(outbox.length === 0 ? {} : { outbox }),
    });
    if (outcome === 'created') {
      await publishCreationEvents(payment, outbox, deps);
      return payment;
    }
  }
  throw new Error(`Could not reserve a unique reference after ${GENERATION_ATTEMPTS} attempts`);
};

/**
 * The events a payment's creation writes in its outbox: `payment.failed` for one Confirmation of Payee stopped
 * before it was sent (keyed by the payment and the state, like every failure), nothing for one sent to the bank.
 */
export const creationEvents = (payment: Payment): DomainEvent[] =>
  payment.status === 'failed' ? [domainEvent('payment.failed', payment.tenantId, payment.createdAt, paymentView(payment), [payment.id, 'failed'])] : [];

/** After the creating write: its events go out, then the outbox is emptied (a crash in between: see the GET). */
export const publishCreationEvents = async (
  payment: Payment,
  outbox: readonly DomainEvent[],
  deps: { readonly payments: Pick<PaymentRepository, 'clearOutbox'>; readonly events: EventPublisher },
): Promise<void> => {
  if (outbox.length === 0) return;
  await deps.events.publish(outbox);
  await deps.payments.clearOutbox(payment.tenantId, payment.id, outbox);
};

/**
 * Everything initiating a payment does but storing it, for a caller that stores it in an atomic write of its own
 * (a refund, created with the exception it resolves). A payment prepared and never stored is an initiation the
 * bank never sees authorised. A generated reference is claimed here (`claim: 'now'`, a write of its own) unless the
 * caller claims it in the write that stores the payment (`'with-payment'`).
 */
export const preparePayment = async (command: InitiatePaymentCommand, deps: PreparePaymentDeps, claim: 'now' | 'with-payment' = 'now'): Promise<Payment> => {
  const account = await deps.accounts.get(command.tenantId, command.accountId);
  if (account === undefined) throw new NotFoundError(`Account ${command.accountId} does not exist.`);
  assertPayable(account, command);

  const id = deps.ids.next('pay');
  const reference =
    command.reference !== undefined
      ? tenantReference(command.reference)
      : claim === 'now'
        ? await reserveGeneratedReference(command.tenantId, id, deps)
        : generateReference(deps.randomIndex);
  const now = deps.clock.now().toISOString();
  const verification = command.direction === 'outbound' ? await verifyPayee(command, deps.payees) : undefined;
  const draft = {
    id,
    tenantId: command.tenantId,
    accountId: account.id,
    direction: command.direction,
    amount: command.amount,
    currency: command.currency,
    reference,
    matchingKey: matchingKey(reference),
    invoiceId: command.invoiceId ?? null,
    counterparty: command.counterparty === undefined ? null : { ...command.counterparty, ...(verification === undefined ? {} : { verification }) },
    metadata: command.metadata ?? {},
    provider: account.provider,
    redirectUrl: command.redirectUrl ?? null,
    status: 'authorisation_required' as const,
    failureReason: null,
    createdAt: now,
    updatedAt: now,
    executedAt: null,
    settlement: null,
    version: 1,
    ...(command.refundOf === undefined ? {} : { refundOf: command.refundOf }),
  };
  // A mismatch the request did not accept stops the payment here: stored failed, never sent to the bank.
  if (verification !== undefined && stopsPayment(verification, command.confirmationOfPayee ?? 'stop')) {
    return { ...draft, status: 'failed', failureReason: PAYEE_NAME_MISMATCH, bankPaymentId: NOT_SENT, authorisationUrl: NOT_SENT };
  }
  const initiation = await deps.gateway.initiatePayment(draft, account);
  return { ...draft, bankPaymentId: initiation.bankPaymentId, authorisationUrl: initiation.authorisationUrl };
};

const assertPayable = (account: Account, command: InitiatePaymentCommand): void => {
  if (account.status !== 'active') {
    throw new ConflictError(`Account ${account.id} is ${account.status}; payments need an active account.`, { code: 'account_not_active' });
  }
  if (account.sortCode === null || account.accountNumber === null) {
    throw new ValidationError(`Account ${account.id} is known only by its IBAN; payments run over UK Faster Payments.`, {
      details: [{ path: 'accountId', message: 'must be an account with a sortCode and accountNumber to pay from or into' }],
    });
  }
  if (command.currency !== account.currency) {
    throw new ValidationError(`The account holds ${account.currency}; this payment is in ${command.currency}.`, {
      details: [{ path: 'currency', message: `must be ${account.currency}, the account's currency` }],
    });
  }
  if (command.direction === 'outbound') {
    const { counterparty } = command;
    if (counterparty?.sortCode === undefined || counterparty.accountNumber === undefined) {
      throw new ValidationError('An outbound payment needs the counterparty to pay.', {
        details: [{ path: 'counterparty', message: 'name, sortCode and accountNumber are required for outbound payments' }],
      });
    }
  }
};

/**
 * Asks the payee's bank whether the name belongs to the account. `assertPayable` already made sure an outbound
 * payment names a sort code and account number.
 */
const verifyPayee = async (command: InitiatePaymentCommand, payees: PayeeVerifier): Promise<PayeeVerification> => {
  const { counterparty } = command;
  if (counterparty?.sortCode === undefined || counterparty.accountNumber === undefined) throw new Error('An outbound payment reached verification without its payee account');
  return payees.verify({ name: counterparty.name, sortCode: counterparty.sortCode, accountNumber: counterparty.accountNumber });
};

const tenantReference = (reference: string): string => {
  validateTenantReference(reference);
  if (matchingKey(reference) === '') {
    throw new ValidationError('The reference is invalid.', {
      details: [{ path: 'reference', message: 'must contain at least one letter or digit, or banks cannot carry it back' }],
    });
  }
  return reference;
};

const reserveGeneratedReference = async (tenantId: string, paymentId: string, deps: PreparePaymentDeps): Promise<string> => {
  for (let attempt = 0; attempt < GENERATION_ATTEMPTS; attempt += 1) {
    const reference = generateReference(deps.randomIndex);
    if (await deps.payments.claimReference(tenantId, matchingKey(reference), paymentId)) return reference;
  }
  throw new Error(`Could not reserve a unique reference after ${GENERATION_ATTEMPTS} attempts`);
};
