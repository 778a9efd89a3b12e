import * as v from 'valibot';

const Id = v.pipe(v.string(), v.minLength(1), v.maxLength(256));

/** Bank-sync queue messages (shared/domain/open-banking/bank-sync.ts), validated on the consumer side. */
export const BankSyncMessageSchema = v.variant('kind', [
  v.strictObject({ kind: v.literal('bank-account'), aspspId: Id, bankAccountId: Id }),
  v.strictObject({ kind: v.literal('account'), tenantId: Id, accountId: Id }),
  v.strictObject({ kind: v.literal('payment-status'), aspspId: Id, domesticPaymentId: Id, attempt: v.optional(v.pipe(v.number(), v.safeInteger(), v.minValue(0))) }),
  v.strictObject({ kind: v.literal('consent-revoked'), aspspId: Id, bankConsentId: Id, reason: v.nullable(v.string()) }),
  v.strictObject({ kind: v.literal('poll-events'), aspspId: Id }),
  v.strictObject({ kind: v.literal('sweep') }),
]);
