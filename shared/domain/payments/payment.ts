import type { Provider } from '../accounts/account';
import { ConflictError } from '../errors';
import type { PayeeVerification } from './payee-verification';

export const PAYMENT_STATUSES = [
  'authorisation_required',
  'authorised',
  'executed',
  'settled',
  'partially_settled',
  'failed',
  'expired',
  'returned',
] as const;
export type PaymentStatus = (typeof PAYMENT_STATUSES)[number];

export type Direction = 'inbound' | 'outbound';

export interface Counterparty {
  readonly name: string;
  readonly sortCode?: string | undefined;
  readonly accountNumber?: string | undefined;
  /** Confirmation of Payee: what the payee's bank answered for an outbound payment before it was sent. */
  readonly verification?: PayeeVerification | undefined;
}

export interface Settlement {
  /** Minor units received (inbound) or paid out (outbound) so far, capped at nothing: over-payments show. */
  readonly amountSettled: number;
  readonly overpaidBy: number;
  readonly settledAt: string;
  readonly transactionIds: readonly string[];
  readonly matchedBy: 'reference' | 'manual';
}

/** A single payment, inbound (a payer pays the tenant) or outbound (the tenant pays a counterparty). */
export interface Payment {
  readonly id: string;
  readonly tenantId: string;
  readonly accountId: string;
  readonly direction: Direction;
  /** Minor units. */
  readonly amount: number;
  readonly currency: string;
  readonly reference: string;
  /** Normalised reference (upper-case A–Z0–9) under which the payment is indexed while open. */
  readonly matchingKey: string;
  readonly invoiceId: string | null;
  readonly counterparty: Counterparty | null;
  readonly metadata: Readonly<Record<string, string>>;
  readonly status: PaymentStatus;
  readonly failureReason: string | null;
  readonly authorisationUrl: string;
  /** The bank or aggregator the payment goes through: the account's provider. */
  readonly provider: Provider;
  /** That provider's id for it: the key its status reports arrive under. */
  readonly bankPaymentId: string;
  /** Where the payer (or the tenant) is sent back to after the bank's pages; null shows Settled's own page. */
  readonly redirectUrl: string | null;
  /** The payment link it was made through (shared/domain/payment-links); absent for every other payment. */
  readonly linkId?: string | undefined;
  readonly createdAt: string;
  readonly updatedAt: string;
  readonly executedAt: string | null;
  /**
   * When the payment first became `authorised` (the bank's time of that report; a mandate payment's creation).
   * Unset while it has not, and for good when it reached a later state with no authorised step of its own (the
   * executed report or the booked credit came first). Absent on payments stored before it existed.
   */
  readonly authorisedAt?: string | undefined;
  readonly settlement: Settlement | null;
  /** Optimistic-concurrency counter: every write is conditional on the version it read. */
  readonly version: number;
  /** A refund: the settled inbound payment (`pay_…`) whose money it sends back (POST /v1/payments/{id}/refunds). */
  readonly refundOf?: string | undefined;
  /** The mandate (VRP) the payment was taken under, with no authorisation of its own. */
  readonly mandateId?: string | undefined;
  /** The bulk payout this payment is an item of (`bat_…`). */
  readonly payoutId?: string | undefined;
}

/**
 * The bank payment id of a payment that never reached the bank: stopped before it was sent (Confirmation of Payee).
 * It has no bank-payment lookup, no reference-index entry and no authorisation page.
 */
export const NOT_SENT = '';

export const wasSentToBank = (payment: Pick<Payment, 'bankPaymentId'>): boolean => payment.bankPaymentId !== NOT_SENT;

/** Statuses in which a booked transaction can still settle the payment (it is in the reference index). */
export const OPEN_STATUSES: readonly PaymentStatus[] = ['authorisation_required', 'authorised', 'executed', 'partially_settled', 'returned'];

export const isOpen = (payment: Pick<Payment, 'status'>): boolean => OPEN_STATUSES.includes(payment.status);

/**
 * The status machine. A booked transaction may settle a payment whose PIS status never came (the bank's ledger is
 * the truth), so settlement is reachable from every open status.
 */
const TRANSITIONS: Readonly<Record<PaymentStatus, readonly PaymentStatus[]>> = {
  authorisation_required: ['authorised', 'executed', 'settled', 'partially_settled', 'failed', 'expired'],
  authorised: ['executed', 'settled', 'partially_settled', 'failed', 'expired'],
  executed: ['settled', 'partially_settled', 'failed'],
  partially_settled: ['partially_settled', 'settled', 'returned'],
  settled: ['returned'],
  failed: [],
  expired: [],
  // Returned money leaves the payment owed again: the payer may pay it once more.
  returned: ['settled', 'partially_settled'],
};

export const canTransition = (from: PaymentStatus, to: PaymentStatus): boolean => TRANSITIONS[from].includes(to);

export const assertTransition = (payment: Pick<Payment, 'id' | 'status'>, to: PaymentStatus): void => {
  if (!canTransition(payment.status, to)) {
    throw new ConflictError(`Payment ${payment.id} cannot go from ${payment.status} to ${to}.`, { code: 'invalid_state_transition' });
  }
};

/**
 * `authorisedAt` after a change to `status` at `at`: kept once set, set by the change into `authorised`, else unset
 * (a state past it reached without it stays without). Part of the write that changes the status, never its own.
 */
export const authorisedAtAfter = (payment: Pick<Payment, 'authorisedAt'>, status: PaymentStatus, at: string): string | undefined =>
  payment.authorisedAt ?? (status === 'authorised' ? at : undefined);

/** Where a bank status report moves a payment, or undefined when it no longer applies (already further on). */
export const statusAfterBankReport = (current: PaymentStatus, reported: 'authorised' | 'executed' | 'rejected'): PaymentStatus | undefined => {
  const target: PaymentStatus = reported === 'rejected' ? 'failed' : reported;
  return canTransition(current, target) ? target : undefined;
};
