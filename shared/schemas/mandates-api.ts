import * as v from 'valibot';
import { MANDATE_TYPES } from '../domain/mandates/mandate';
import { ALIGNMENTS, PERIODS } from '../domain/mandates/periods';
import { pageQueryEntries } from '../runtime/http/query';

/** Request schemas of the mandates (VRP) API. Strict objects: unknown fields are refused. Amounts stay strings. */
const Currency = v.pipe(v.string('currency must be a string'), v.regex(/^[A-Z]{3}$/, 'currency must be an ISO 4217 code such as GBP'));
const Name = v.pipe(v.string(), v.trim(), v.minLength(1, 'must not be empty'), v.maxLength(140, 'must be at most 140 characters'));
const Instant = (name: string) =>
  v.pipe(
    v.string(`${name} must be a string`),
    v.isoTimestamp(`${name} must be an ISO 8601 date-time such as 2026-12-01T00:00:00Z`),
    v.transform((value) => new Date(value).toISOString()),
  );

export const CreateMandateRequestSchema = v.strictObject({
  accountId: v.pipe(v.string(), v.regex(/^acc_[0-9A-Za-z]{1,64}$/, 'must be an id starting acc_')),
  type: v.picklist(MANDATE_TYPES, `type must be one of ${MANDATE_TYPES.join(', ')}`),
  currency: Currency,
  reference: v.optional(v.string('reference must be a string')),
  counterparty: v.optional(
    v.strictObject({
      name: Name,
      sortCode: v.optional(v.pipe(v.string(), v.regex(/^[0-9]{6}$/, 'sortCode must be 6 digits'))),
      accountNumber: v.optional(v.pipe(v.string(), v.regex(/^[0-9]{8}$/, 'accountNumber must be 8 digits'))),
    }),
  ),
  limits: v.strictObject({
    maxPerPayment: v.unknown(),
    periods: v.pipe(
      v.array(
        v.strictObject({
          period: v.picklist(PERIODS, `period must be one of ${PERIODS.join(', ')}`),
          maxAmount: v.unknown(),
          alignment: v.picklist(ALIGNMENTS, `alignment must be one of ${ALIGNMENTS.join(', ')}`),
        }),
      ),
      v.maxLength(PERIODS.length, `at most ${PERIODS.length} periodic limits`),
    ),
  }),
  validFrom: v.optional(Instant('validFrom')),
  validTo: v.optional(Instant('validTo')),
});

export const MandatePaymentRequestSchema = v.strictObject({
  amount: v.unknown(),
  reference: v.optional(v.string('reference must be a string')),
  invoiceId: v.optional(v.pipe(v.string(), v.minLength(1), v.maxLength(128))),
});

export const ListMandatesQuerySchema = v.strictObject({ ...pageQueryEntries });
