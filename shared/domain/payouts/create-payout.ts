import type { AccountRepository } from '../accounts/account';
import { ConflictError, NotFoundError, UnprocessableError, ValidationError } from '../errors';
import type { IdempotencyCompletion } from '../idempotency/idempotency';
import type { Clock } from '../ports';
import { matchingKey } from '../references';
import { type MismatchPolicy, PAYEE_NAME_MISMATCH, type PayeeVerifier, stopsPayment } from '../payments/payee-verification';
import type { Payment } from '../payments/payment';
import { countersOf, type Payout, payoutBankPaymentId, payoutPaymentId } from './payout';
import { payoutReference, payoutReferenceToken, payoutTokenClaim } from './payout-references';
import type { BulkBankGateway, PayoutStore } from './payout-store';
import type { ValidPayoutItem } from './validate-items';

export interface CreatePayoutCommand {
  readonly tenantId: string;
  /** Derived from the request's Idempotency-Key: a retried request stores the same batch, never a second one. */
  readonly payoutId: string;
  readonly fingerprint: string;
  readonly accountId: string;
  readonly currency: string;
  readonly items: readonly ValidPayoutItem[];
  readonly mismatchPolicy: MismatchPolicy;
}

export interface CreatePayoutDeps {
  readonly accounts: Pick<AccountRepository, 'get'>;
  readonly payouts: PayoutStore;
  readonly bank: BulkBankGateway;
  readonly payees: PayeeVerifier;
  readonly clock: Clock;
  readonly randomIndex: (exclusiveMax: number) => number;
}

const TOKEN_ATTEMPTS = 5;
/** Confirmation of Payee questions in flight while checking a batch. */
const VERIFICATION_CONCURRENCY = 32;

/** One payout item as the outbound payment it is (Confirmation of Payee already asked). */
export const payoutPayment = (payout: Payout, item: ValidPayoutItem, verification: NonNullable<Payment['counterparty']>['verification'], policy: MismatchPolicy): Payment => {
  const reference = item.reference ?? payoutReference(payout.referenceToken, item.index);
  const stopped = verification !== undefined && stopsPayment(verification, policy);
  return {
    id: payoutPaymentId(payout.id, item.index),
    tenantId: payout.tenantId,
    accountId: payout.accountId,
    direction: 'outbound',
    amount: item.amount,
    currency: payout.currency,
    reference,
    matchingKey: matchingKey(reference),
    invoiceId: null,
    counterparty: { ...item.counterparty, ...(verification === undefined ? {} : { verification }) },
    metadata: item.externalId === undefined ? {} : { externalId: item.externalId },
    status: stopped ? 'failed' : 'authorisation_required',
    failureReason: stopped ? PAYEE_NAME_MISMATCH : null,
    authorisationUrl: payout.authorisationUrl,
    provider: payout.provider,
    bankPaymentId: payoutBankPaymentId(payout.bankBatchId, item.index),
    redirectUrl: null,
    createdAt: payout.createdAt,
    updatedAt: payout.createdAt,
    executedAt: null,
    settlement: null,
    version: 1,
    payoutId: payout.id,
  };
};

/**
 * Creates a payout: 1 to 10,000 outbound payments in one request, authorised once.
 * Primary course: check the account; ask Confirmation of Payee for every item (a mismatch stops that item as
 * `failed` with `payee_name_mismatch` unless the request says to proceed: it is stored, counted, and never sent to the
 * bank); write the batch record first with the claim of its reference token, then the items (ids and references
 * derived from the batch and the item's index), ask the bank for the batch's authorisation page, and mark the batch
 * stored with its counters and the request's stored answer in one write.
 * Alternate course: a crash part-way leaves the batch `storing`; the same request again (same payout id) resumes it
 * with the stored record and writes the same items, so the batch completes once, with no duplicate payment.
 */
export const createPayout = async (
  command: CreatePayoutCommand,
  deps: CreatePayoutDeps,
  completionOf?: (payout: Payout, payments: readonly Payment[]) => IdempotencyCompletion,
): Promise<{ payout: Payout; payments: readonly Payment[]; recorded: boolean }> => {
  const account = await deps.accounts.get(command.tenantId, command.accountId);
  if (account === undefined) throw new NotFoundError(`Account ${command.accountId} does not exist.`);
  if (account.status !== 'active') throw new ConflictError(`Account ${account.id} is ${account.status}; payouts need an active account.`, { code: 'account_not_active' });
  if (account.sortCode === null || account.accountNumber === null) {
    throw new ValidationError(`Account ${account.id} is known only by its IBAN; payouts run over UK Faster Payments.`, {
      details: [{ path: 'accountId', message: 'must be an account with a sortCode and accountNumber to pay from' }],
    });
  }
  if (command.currency !== account.currency) {
    throw new ValidationError(`The account holds ${account.currency}; this payout is in ${command.currency}.`, {
      details: [{ path: 'currency', message: `must be ${account.currency}, the account's currency` }],
    });
  }
  const bulkLimit = await deps.bank.bulkLimit(account);
  if (bulkLimit === null) {
    throw new UnprocessableError('payouts_not_supported', `Bulk payouts from this account are not available: its bank (${account.aspspId ?? account.provider}) offers no bulk payments Settled can use.`);
  }

  const verifications = new Array<Awaited<ReturnType<PayeeVerifier['verify']>>>(command.items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(VERIFICATION_CONCURRENCY, command.items.length) }, async () => {
      while (next < command.items.length) {
        const position = next;
        next += 1;
        const item = command.items[position];
        if (item !== undefined) verifications[position] = await deps.payees.verify(item.counterparty);
      }
    }),
  );

  const now = deps.clock.now().toISOString();
  const { bankBatchId, authorisationUrl } = deps.bank.identify(command.payoutId, account);
  let payout: Payout | undefined;
  for (let attempt = 0; attempt < TOKEN_ATTEMPTS && payout === undefined; attempt += 1) {
    const draft: Payout = {
      id: command.payoutId,
      tenantId: command.tenantId,
      accountId: account.id,
      currency: command.currency,
      status: 'storing',
      itemCount: command.items.length,
      totalAmount: command.items.reduce((sum, item) => sum + item.amount, 0),
      referenceToken: payoutReferenceToken(deps.randomIndex),
      fingerprint: command.fingerprint,
      provider: account.provider,
      bankBatchId,
      authorisationUrl,
      chunkSize: bulkLimit,
      createdAt: now,
      updatedAt: now,
      authorisedAt: null,
      completedAt: null,
    };
    const begun = await deps.payouts.begin(draft, payoutTokenClaim(draft.referenceToken));
    if (begun.outcome === 'token_taken') continue;
    if (begun.outcome === 'conflict') throw new ConflictError(`Payout ${command.payoutId} belongs to another request.`, { code: 'idempotency_key_reused' });
    payout = begun.payout;
  }
  if (payout === undefined) throw new Error(`Could not claim a reference token after ${TOKEN_ATTEMPTS} attempts`);

  const payments = command.items.map((item, position) => payoutPayment(payout, item, verifications[position], command.mismatchPolicy));
  if (payout.status !== 'storing') return { payout, payments, recorded: false };
  await deps.payouts.putItems(payments);
  await deps.bank.initiateBatch(payout, account);
  const stored: Payout = { ...payout, status: 'authorisation_required' };
  const recorded = await deps.payouts.finish(payout, countersOf(payments), completionOf?.(stored, payments));
  return { payout: stored, payments, recorded: recorded && completionOf !== undefined };
};
