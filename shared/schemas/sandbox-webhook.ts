import * as v from 'valibot';

/**
 * The canonical bank webhook format (docs/openapi.yaml, bank webhooks), which the sandbox bank sends. Banks add fields over
 * time, so unknown fields are ignored here (unlike tenant requests); amounts must be decimal strings.
 */
const Amount = v.pipe(v.string('amount must be a decimal string'), v.regex(/^[0-9]{1,13}(\.[0-9]{1,5})?$/, 'amount must be a decimal string such as "125.00"'));
const Timestamp = v.pipe(v.string(), v.isoTimestamp('must be an ISO 8601 timestamp'));
const SortCode = v.pipe(v.string(), v.regex(/^[0-9]{6}$/, 'sortCode must be 6 digits'));
const AccountNumber = v.pipe(v.string(), v.regex(/^[0-9]{8}$/, 'accountNumber must be 8 digits'));
const OptionalText = (max: number) => v.optional(v.pipe(v.string(), v.maxLength(max)));

export const SandboxTransactionSchema = v.object({
  transactionId: v.pipe(v.string(), v.minLength(1), v.maxLength(210)),
  status: v.picklist(['booked', 'pending']),
  creditDebitIndicator: v.picklist(['credit', 'debit']),
  amount: Amount,
  currency: v.pipe(v.string(), v.regex(/^[A-Z]{3}$/, 'currency must be an ISO 4217 code')),
  bookingDateTime: Timestamp,
  valueDateTime: v.optional(Timestamp),
  reference: OptionalText(210),
  description: OptionalText(500),
  endToEndId: OptionalText(210),
  counterparty: v.optional(v.object({ name: OptionalText(350), sortCode: v.optional(v.string()), accountNumber: v.optional(v.string()) })),
  merchant: v.optional(v.object({ name: OptionalText(350), categoryCode: OptionalText(4) })),
  category: OptionalText(100),
});

export const SandboxWebhookSchema = v.variant('type', [
  v.object({
    type: v.literal('transactions'),
    account: v.object({ sortCode: SortCode, accountNumber: AccountNumber }),
    transactions: v.pipe(v.array(SandboxTransactionSchema), v.minLength(1), v.maxLength(1000)),
  }),
  v.object({
    type: v.literal('payment_status'),
    bankPaymentId: v.pipe(v.string(), v.minLength(1), v.maxLength(128)),
    status: v.picklist(['authorised', 'executed', 'rejected']),
    at: Timestamp,
    reason: v.optional(v.pipe(v.string(), v.maxLength(500))),
  }),
]);

export type SandboxWebhook = v.InferOutput<typeof SandboxWebhookSchema>;
