import { ConflictError, NotFoundError, UnprocessableError } from '../errors';
import type { IdempotencyCompletion } from '../idempotency/idempotency';
import { formatAmount, parseAmount } from '../money';
import type { BankTransaction } from '../settlement/bank-transaction';
import type { TransactionStore } from '../settlement/settlement-store';
import { creationEvents, type InitiatePaymentDeps, preparePayment, publishCreationEvents } from './initiate-payment';
import type { MismatchPolicy } from './payee-verification';
import type { Counterparty, Payment, PaymentStatus } from './payment';
import type { PaymentCreationOptions } from './payment-repository';

export interface RefundCommand {
  readonly tenantId: string;
  /** The inbound payment whose money goes back. */
  readonly paymentId: string;
  /** A decimal string as the request gave it (`AmountString`), read in the original's currency; without it, all that is still refundable. */
  readonly amount?: unknown;
  readonly reference?: string | undefined;
  readonly confirmationOfPayee?: MismatchPolicy | undefined;
}

/** What the creating write holds the refund to: the original as it was read, and what it had settled then. */
export interface RefundCap {
  readonly original: Pick<Payment, 'tenantId' | 'id'>;
  /** Minor units the original had settled when read: refunds of it never add up to more. */
  readonly settled: number;
}

/**
 * - `exceeds_settled`: the refunds already counted plus this one would pass `settled` (a concurrent refund won);
 * - `original_changed`: the original is no longer refundable with that settled amount (returned, settled more).
 */
export type RefundCreationOutcome = 'created' | 'reference_taken' | 'exceeds_settled' | 'original_changed';

/** Each payment's refund counter, moved only in the write that creates a refund (and back when one fails). */
export interface RefundStore {
  /** Minor units of the payment's refunds counted so far (0 when it has none). */
  refunded(tenantId: string, paymentId: string): Promise<number>;
  /**
   * One atomic write: the refund payment (as PaymentRepository.create writes it, with `options`), the original's
   * counter raised by the refund's amount only if the new total stays within `cap.settled`, and a check that the
   * original is still refundable with exactly that settled amount.
   */
  createRefund(refund: Payment, cap: RefundCap, options: PaymentCreationOptions): Promise<RefundCreationOutcome>;
}

export interface RefundDeps extends InitiatePaymentDeps {
  readonly refunds: RefundStore;
  /** Read only when the payment itself does not name the payer's account. */
  readonly transactions: Pick<TransactionStore, 'list'>;
}

/** Statuses whose settled money may be sent back. A returned payment's money has already gone back. */
export const REFUNDABLE_STATUSES: readonly PaymentStatus[] = ['settled', 'partially_settled'];

const MAX_ATTEMPTS = 5;

/**
 * Refunds (part of) a settled inbound payment: an outbound payment to the payer, with `refundOf` naming the
 * original.
 * Primary course: read the original and its refund counter, check the amount (default: all still refundable)
 * against what it settled, find the payer's account (the payment's counterparty, else the booked transaction that
 * settled it), prepare the outbound payment (Confirmation of Payee, then the bank's initiation) and create it in one
 * atomic write with the counter's raise, conditional on the new total staying within the settled amount read and on
 * the original still being at it. Concurrent refunds cannot together pass it: the loser's write is cancelled, it
 * reads again and answers 422 `refund_exceeds_settled` with what is left.
 * Alternate courses: a payee the payer's bank does not confirm (and no `proceed_on_mismatch`): the refund is stored
 * `failed` (`payee_name_mismatch`), never sent, counting nothing against the cap, with `payment.failed`. An original
 * that changed meanwhile, or a generated reference already taken: it starts again (an initiation prepared for a
 * write that lost is never stored, so never authorised).
 */
export const refundPayment = async (
  command: RefundCommand,
  deps: RefundDeps,
  options: { readonly idempotency?: (refund: Payment) => IdempotencyCompletion } = {},
): Promise<Payment> => {
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt += 1) {
    const original = await deps.payments.get(command.tenantId, command.paymentId);
    if (original === undefined) throw new NotFoundError(`Payment ${command.paymentId} does not exist.`);
    const settled = assertRefundable(original);
    const refundable = settled - (await deps.refunds.refunded(original.tenantId, original.id));
    const amount = command.amount === undefined ? refundable : parseAmount(command.amount, original.currency);
    if (refundable <= 0 || amount > refundable) throw exceedsSettled(original, refundable);
    const payer = await payerAccount(original, deps);

    const refund = await preparePayment(
      {
        tenantId: original.tenantId,
        accountId: original.accountId,
        direction: 'outbound',
        amount,
        currency: original.currency,
        reference: command.reference,
        counterparty: payer,
        confirmationOfPayee: command.confirmationOfPayee,
        refundOf: original.id,
      },
      deps,
      'with-payment',
    );
    const outbox = creationEvents(refund);
    const creation: PaymentCreationOptions = {
      claimReference: command.reference === undefined,
      ...(options.idempotency === undefined ? {} : { idempotency: options.idempotency(refund) }),
      ...(outbox.length === 0 ? {} : { outbox }),
    };
    // A refund stopped before it was sent moves no money, so it takes nothing from what can be refunded.
    const outcome =
      refund.status === 'failed' ? await deps.payments.create(refund, creation) : await deps.refunds.createRefund(refund, { original, settled }, creation);
    if (outcome === 'created') {
      await publishCreationEvents(refund, outbox, deps);
      return refund;
    }
  }
  throw new ConflictError('The payment or its refunds changed while this refund was being created; try again.', { code: 'concurrent_change' });
};

/** The settled amount a refund is held to; 409 for a payment that has none to send back. */
const assertRefundable = (payment: Payment): number => {
  if (payment.direction !== 'inbound') {
    throw new ConflictError(`Payment ${payment.id} is outbound; only money received (an inbound payment) can be refunded.`, { code: 'payment_not_refundable' });
  }
  const settled = payment.settlement?.amountSettled ?? 0;
  if (!REFUNDABLE_STATUSES.includes(payment.status) || settled <= 0) {
    throw new ConflictError(`Payment ${payment.id} is ${payment.status}; only a settled or partially settled payment's money can be refunded.`, { code: 'payment_not_settled' });
  }
  return settled;
};

const exceedsSettled = (payment: Payment, refundable: number): UnprocessableError => {
  const left = formatAmount(Math.max(0, refundable), payment.currency);
  return new UnprocessableError('refund_exceeds_settled', `Refunds of ${payment.id} cannot add up to more than it settled: ${left} ${payment.currency} can still be refunded.`, {
    details: [{ path: 'amount', message: `at most ${left} can still be refunded` }],
  });
};

/**
 * Where the money goes back to: the payment's counterparty when the request named its account, else the sender of
 * the booked transaction that settled it (banks report the payer's sort code and account number on a credit).
 */
const payerAccount = async (payment: Payment, deps: Pick<RefundDeps, 'transactions'>): Promise<Counterparty & { sortCode: string; accountNumber: string }> => {
  const named = payment.counterparty;
  if (named?.sortCode !== undefined && named.accountNumber !== undefined) return { name: named.name, sortCode: named.sortCode, accountNumber: named.accountNumber };
  const sender = (await settlingCredits(payment, deps)).map((transaction) => transaction.counterparty).find((party) => party?.sortCode !== undefined && party.accountNumber !== undefined);
  if (sender?.sortCode !== undefined && sender.accountNumber !== undefined) {
    return { name: sender.name ?? named?.name ?? 'Payer', sortCode: sender.sortCode, accountNumber: sender.accountNumber };
  }
  throw new UnprocessableError('payer_account_unknown', `Neither ${payment.id} nor the bank transaction that settled it names the payer's sort code and account number, so the money cannot be sent back automatically.`, {
    details: [{ path: 'paymentId', message: "the payer's sortCode and accountNumber are unknown" }],
  });
};

const SEARCH_PAGES = 10;
const SEARCH_PAGE_SIZE = 100;
const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * The booked credits that settled the payment (its settlement names them by id), read from the account's booked
 * credits newest first up to a day after it settled: a refund of a recent payment finds them on the first page. An
 * old payment on a busy account may be past the pages searched; it then answers as if the bank had not said.
 */
const settlingCredits = async (payment: Payment, deps: Pick<RefundDeps, 'transactions'>): Promise<BankTransaction[]> => {
  const wanted = new Set(payment.settlement?.transactionIds ?? []);
  const settledAt = payment.settlement?.settledAt;
  if (wanted.size === 0 || settledAt === undefined) return [];
  const to = new Date(Date.parse(settledAt) + DAY_MS).toISOString();
  const found: BankTransaction[] = [];
  let cursor: string | undefined;
  for (let page = 0; page < SEARCH_PAGES && found.length < wanted.size; page += 1) {
    const listed = await deps.transactions.list(payment.tenantId, payment.accountId, { direction: 'credit', status: 'booked', to }, { limit: SEARCH_PAGE_SIZE, cursor });
    found.push(...listed.data.filter((transaction) => wanted.has(transaction.id)));
    if (listed.nextCursor === null) break;
    cursor = listed.nextCursor;
  }
  return found;
};
