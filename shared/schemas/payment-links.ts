import * as v from 'valibot';
import { pageQueryEntries } from '../runtime/http/query';

/** `POST /v1/payment-links`. Strict: unknown fields are refused. Amount stays a string for shared/domain/money. */
export const CreatePaymentLinkRequestSchema = v.strictObject({
  accountId: v.pipe(v.string('accountId must be a string'), v.regex(/^acc_[0-9A-Za-z]{1,64}$/, 'must be an id starting acc_')),
  amount: v.unknown(),
  currency: v.pipe(v.string('currency must be a string'), v.regex(/^[A-Z]{3}$/, 'currency must be an ISO 4217 code such as GBP')),
  reference: v.optional(v.string('reference must be a string')),
  invoiceId: v.optional(v.pipe(v.string('invoiceId must be a string'), v.minLength(1), v.maxLength(128))),
  expiresAt: v.optional(v.pipe(v.string('expiresAt must be a string'), v.isoTimestamp('expiresAt must be an ISO 8601 timestamp'))),
  singleUse: v.optional(v.boolean('singleUse must be true or false'), true),
  redirectUrl: v.optional(v.pipe(v.string('redirectUrl must be a string'), v.maxLength(2048, 'redirectUrl must be at most 2048 characters'))),
});

export const ListPaymentLinksQuerySchema = v.strictObject({ ...pageQueryEntries });

/** The hosted page's form (or a program's JSON): the bank the payer pays from (`sandbox` for a sandbox account). */
export const LinkBankChoiceSchema = v.strictObject({ aspspId: v.pipe(v.string('aspspId must be a string'), v.minLength(1), v.maxLength(64)) });
