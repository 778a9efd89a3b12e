import { paymentMove } from '../../shared/domain/cash/cash-position';
import { parseBankAmount } from '../../shared/domain/money';
import type { Direction, Payment, PaymentStatus, Settlement } from '../../shared/domain/payments/payment';
import type { ReconciliationException } from '../../shared/domain/reconciliation/reconciliation-exception';
import { generateReference, GENERATED_REFERENCE_ALPHABET } from '../../shared/domain/references';
import { applyPaymentStatus } from '../../shared/domain/settlement/apply-payment-status';
import type { CreditDebit, ReportedTransaction, TransactionStatus } from '../../shared/domain/settlement/bank-transaction';
import { reconcileTransaction } from '../../shared/domain/settlement/reconcile-transaction';
import type { PaymentStatusReport } from '../../shared/domain/settlement/settlement-store';
import {
  anAccount,
  aPayment,
  aReportedTransaction,
  aStatusReport,
  InMemoryAccountRepository,
  InMemoryPaymentRepository,
  InMemoryTransactionStore,
  AT,
  RecordingEventPublisher,
  TENANT_ID,
} from './domain-fakes';
import { fixedClock, sequentialIds } from './fakes';

/**
 * Builders for the reconciliation corpus and property tests (test/unit/domain/reconciliation): payments and bank
 * reports declared in a few fields, a fresh in-memory world per case, and the final state to compare.
 */

export const CORPUS_ACCOUNT = anAccount();

// ---------------------------------------------------------------------------------------------------------------
// References

/** mulberry32: a small deterministic PRNG, so "random" generated references are the same on every run. */
export const seededRandom = (seed: number): (() => number) => {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
};

/** A `randomIndex` for generateReference driven by a seed. */
export const seededRandomIndex = (seed: number): ((exclusiveMax: number) => number) => {
  const random = seededRandom(seed);
  return (exclusiveMax) => Math.floor(random() * exclusiveMax);
};

/** `count` distinct generated references from one seed. */
export const generatedReferences = (seed: number, count: number): string[] => {
  const randomIndex = seededRandomIndex(seed);
  const references = new Set<string>();
  while (references.size < count) references.add(generateReference(randomIndex));
  return [...references];
};

/** The generated reference whose 8 body characters have exactly these alphabet indexes (check character computed). */
export const generatedFromIndexes = (indexes: readonly number[]): string => {
  let position = 0;
  return generateReference(() => indexes[position++] ?? 0);
};

/** `reference` with the character at `position` replaced by the next one of the generated alphabet (a typo). */
export const withTypo = (reference: string, position: number): string => {
  const character = reference.charAt(position);
  const index = GENERATED_REFERENCE_ALPHABET.indexOf(character);
  const replacement = GENERATED_REFERENCE_ALPHABET.charAt((index + 1) % GENERATED_REFERENCE_ALPHABET.length);
  return reference.slice(0, position) + replacement + reference.slice(position + 1);
};

// ---------------------------------------------------------------------------------------------------------------
// Payments

export interface PaymentSpec {
  readonly id: string;
  readonly reference: string;
  /** Minor units. */
  readonly amount: number;
  readonly direction?: Direction;
  readonly currency?: string;
  /** Default `executed`. */
  readonly status?: PaymentStatus;
  /** Already settled (wholly or partly) by an earlier transaction: minor units received so far. */
  readonly settled?: number;
  readonly payer?: string;
}

export const paymentFrom = (spec: PaymentSpec): Payment => {
  const amountSettled = spec.settled;
  const status: PaymentStatus =
    spec.status ?? (amountSettled === undefined ? 'executed' : amountSettled >= spec.amount ? 'settled' : 'partially_settled');
  const settlement: Settlement | null =
    amountSettled === undefined
      ? null
      : {
          amountSettled,
          overpaidBy: Math.max(0, amountSettled - spec.amount),
          settledAt: '2026-11-20T09:00:00.000Z',
          transactionIds: [`txn_earlier_${spec.id}`],
          matchedBy: 'reference',
        };
  return aPayment({
    id: spec.id,
    bankPaymentId: `bp_${spec.id}`,
    reference: spec.reference,
    amount: spec.amount,
    direction: spec.direction ?? 'inbound',
    currency: spec.currency ?? 'GBP',
    status,
    settlement,
    counterparty: spec.payer === undefined ? null : { name: spec.payer },
    executedAt: status === 'authorised' || status === 'authorisation_required' ? null : '2026-11-20T08:00:00.000Z',
  });
};

// ---------------------------------------------------------------------------------------------------------------
// Bank reports

export interface TransactionSpec {
  /** The bank's transaction id. */
  readonly id: string;
  /** The reference field as the bank fills it (often not the payer's reference at all). */
  readonly reference: string | null;
  /** The narrative. */
  readonly narrative?: string | null;
  /** As the bank sends it: a decimal string in major units ("125.00", "10.00000"). */
  readonly amount: string;
  /** Default credit. */
  readonly cd?: CreditDebit;
  /** Default GBP. */
  readonly currency?: string;
  /** Default booked. */
  readonly status?: TransactionStatus;
  readonly endToEndId?: string;
  readonly payer?: string;
}

export const reportFrom = (spec: TransactionSpec): ReportedTransaction => {
  const currency = spec.currency ?? 'GBP';
  return aReportedTransaction({
    sortCode: CORPUS_ACCOUNT.sortCode,
    accountNumber: CORPUS_ACCOUNT.accountNumber,
    bankTransactionId: spec.id,
    status: spec.status ?? 'booked',
    creditDebitIndicator: spec.cd ?? 'credit',
    amount: parseBankAmount(spec.amount, currency),
    currency,
    reference: spec.reference,
    description: spec.narrative ?? null,
    endToEndId: spec.endToEndId ?? null,
    counterparty: spec.payer === undefined ? null : { name: spec.payer },
  });
};

/**
 * One thing the settlement consumer processes: a bank transaction, a payment status report, or two transactions
 * racing (the second is processed completely while the first is between its index lookup and its write).
 */
export type Step =
  | { readonly transaction: TransactionSpec }
  | { readonly status: { readonly payment: string; readonly status: PaymentStatusReport['status'] } }
  | { readonly race: readonly [TransactionSpec, TransactionSpec] };

// ---------------------------------------------------------------------------------------------------------------
// A world

/** A fresh account with these payments, every port in memory, a cash position opened at the account's balance. */
export const corpusWorld = (payments: readonly Payment[]) => {
  const accounts = new InMemoryAccountRepository([CORPUS_ACCOUNT]);
  const paymentRepository = new InMemoryPaymentRepository(payments);
  const transactions = new InMemoryTransactionStore(paymentRepository);
  const events = new RecordingEventPublisher();
  const clock = fixedClock('2026-11-24T10:00:10.000Z');
  // The position every write moves (payments and transactions move it in their own writes).
  const cash = paymentRepository.cash;
  cash.open({ tenantId: TENANT_ID, accountId: CORPUS_ACCOUNT.id, currency: 'GBP', openingBalance: CORPUS_ACCOUNT.openingBalance });
  // The payments were created and moved on before the corpus starts: what they count as pending is counted already.
  cash.apply(payments.map((payment) => ({ position: payment, move: paymentMove(undefined, payment) })), AT);
  const deps = { accounts, payments: paymentRepository, transactions, referenceIndex: paymentRepository, events, ids: sequentialIds(), clock };
  return { accounts, payments: paymentRepository, transactions, events, clock, cash, deps, paymentIds: payments.map((payment) => payment.id) };
};

export type CorpusWorld = ReturnType<typeof corpusWorld>;

/** Processes one step as the settlement queue consumer would: a bank transaction, or a payment status report. */
export const runStep = async (world: CorpusWorld, step: Step): Promise<void> => {
  if ('race' in step) {
    const [first, second] = step.race;
    world.payments.afterNextLookup = async () => {
      await reconcileTransaction(reportFrom(second), world.deps);
    };
    await reconcileTransaction(reportFrom(first), world.deps);
    return;
  }
  if ('transaction' in step) {
    await reconcileTransaction(reportFrom(step.transaction), world.deps);
    return;
  }
  await applyPaymentStatus(aStatusReport({ bankPaymentId: `bp_${step.status.payment}`, status: step.status.status }), {
    payments: world.payments,
    events: world.events,
    clock: world.clock,
  });
};

export interface PaymentState {
  readonly id: string;
  readonly status: PaymentStatus;
  readonly amount: number;
  readonly amountSettled: number;
  readonly overpaidBy: number;
}

export const paymentStates = async (world: CorpusWorld): Promise<PaymentState[]> =>
  Promise.all(
    world.paymentIds.map(async (id) => {
      const payment = await world.payments.get(TENANT_ID, id);
      if (payment === undefined) throw new Error(`payment ${id} disappeared`);
      return {
        id,
        status: payment.status,
        amount: payment.amount,
        amountSettled: payment.settlement?.amountSettled ?? 0,
        overpaidBy: payment.settlement?.overpaidBy ?? 0,
      };
    }),
  );

export const exceptionsOf = (world: CorpusWorld): readonly ReconciliationException[] => world.transactions.exceptions;
