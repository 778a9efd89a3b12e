import * as v from 'valibot';
import { PROVIDERS } from '../domain/accounts/account';

const MinorAmount = v.pipe(v.number(), v.safeInteger(), v.minValue(0));
const Text = v.nullable(v.string());

/**
 * ISO 20022 `BkTxCd` texts are at most 35 characters (Max35Text), a domain code '' where a source sends none; bounded
 * generously here so that a bank's over-long proprietary code never costs the transaction its place in the queue.
 */
const CodeText = v.pipe(v.string(), v.maxLength(140));
/** See BankTransactionCode: the structured domain/family/sub-family and/or the bank's proprietary code. */
export const BankTransactionCodeSchema = v.object({
  domain: v.nullable(v.object({ code: CodeText, family: CodeText, subFamily: CodeText })),
  proprietary: v.nullable(v.object({ code: CodeText, issuer: v.nullable(CodeText) })),
});

/** Settlements-queue messages, validated again on the consumer side: the queue is a trust boundary too. */
export const ReportedTransactionSchema = v.object({
  provider: v.picklist(PROVIDERS),
  sortCode: v.string(),
  accountNumber: v.string(),
  /** Optional: a source naming the account by IBAN (camt, EUR accounts); see ReportedTransaction.iban. */
  iban: v.optional(v.pipe(v.string(), v.minLength(1), v.maxLength(64))),
  bankTransactionId: v.pipe(v.string(), v.minLength(1)),
  status: v.picklist(['booked', 'pending']),
  creditDebitIndicator: v.picklist(['credit', 'debit']),
  amount: MinorAmount,
  currency: v.pipe(v.string(), v.regex(/^[A-Z]{3}$/)),
  bookingDateTime: v.pipe(v.string(), v.isoTimestamp()),
  valueDateTime: Text,
  reference: Text,
  description: Text,
  endToEndId: Text,
  counterparty: v.nullable(v.object({ name: v.optional(v.string()), sortCode: v.optional(v.string()), accountNumber: v.optional(v.string()) })),
  merchant: v.nullable(v.object({ name: v.optional(v.string()), categoryCode: v.optional(v.string()) })),
  category: Text,
  /** Optional: carried through the queue so the consumer can name a category from it (shared/domain/enrichment). */
  bankTransactionCode: v.optional(v.nullable(BankTransactionCodeSchema)),
});

export const PaymentStatusReportSchema = v.object({
  provider: v.picklist(PROVIDERS),
  bankPaymentId: v.pipe(v.string(), v.minLength(1)),
  status: v.picklist(['authorised', 'executed', 'rejected']),
  at: v.pipe(v.string(), v.isoTimestamp()),
  reason: Text,
});

export const SettlementMessageSchema = v.variant('kind', [
  v.object({ kind: v.literal('transaction'), transaction: ReportedTransactionSchema }),
  v.object({ kind: v.literal('payment_status'), report: PaymentStatusReportSchema }),
  v.object({
    kind: v.literal('statement_entry'),
    tenantId: v.pipe(v.string(), v.minLength(1)),
    accountId: v.pipe(v.string(), v.minLength(1)),
    importId: v.pipe(v.string(), v.minLength(1)),
    transaction: ReportedTransactionSchema,
  }),
]);
