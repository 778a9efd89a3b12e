import * as v from 'valibot';
import { SANDBOX_PROFILES } from '../domain/accounts/account';
import { parseIban } from '../domain/accounts/iban';
import { EVENT_TYPES } from '../domain/events/domain-event';
import { PAYMENT_STATUSES } from '../domain/payments/payment';
import { EXCEPTION_TYPES } from '../domain/reconciliation/reconciliation-exception';
import { pageQueryEntries } from '../runtime/http/query';

/** Request schemas of the tenant API. Strict objects: unknown fields are refused (no mass assignment). */
const Currency = v.pipe(v.string('currency must be a string'), v.regex(/^[A-Z]{3}$/, 'currency must be an ISO 4217 code such as GBP'));
const SortCode = v.pipe(v.string('sortCode must be a string'), v.regex(/^[0-9]{6}$/, 'sortCode must be 6 digits'));
const AccountNumber = v.pipe(v.string('accountNumber must be a string'), v.regex(/^[0-9]{8}$/, 'accountNumber must be 8 digits'));
/** An IBAN as printed or electronic, any case; the output is its electronic form (GB29NWBK60161331926819). */
const Iban = v.pipe(
  v.string('iban must be a string'),
  v.maxLength(64, 'iban must be at most 64 characters'),
  v.rawTransform(({ dataset, addIssue, NEVER }) => {
    const parsed = parseIban(dataset.value);
    if (parsed.ok) return parsed.value.iban;
    addIssue({ message: parsed.message });
    return NEVER;
  }),
);
const Name = v.pipe(v.string(), v.trim(), v.minLength(1, 'must not be empty'), v.maxLength(140, 'must be at most 140 characters'));
/** Amounts stay strings here; shared/domain/money parses them with the currency's exponent. */
const AmountString = v.unknown();
const Id = (prefix: string) => v.pipe(v.string(), v.regex(new RegExp(`^${prefix}_[0-9A-Za-z]{1,64}$`), `must be an id starting ${prefix}_`));

/** Where a browser is sent back to after a bank's pages (a tenant's own page). */
const RedirectUrl = v.pipe(
  v.string('redirectUrl must be a string'),
  v.maxLength(2048),
  v.url('redirectUrl must be a URL'),
  v.regex(/^https?:\/\//, 'redirectUrl must be an http or https URL'),
);

/**
 * The sandbox's bank account is named by `iban`, or by `sortCode` + `accountNumber`, or (a GB IBAN) by all three
 * agreeing; the domain (identifyBankAccount) checks the combination. `openingBalance` defaults to "0", a zero valid
 * in every currency's exponent (JPY has no decimal places).
 */
const SandboxAccountRequestSchema = v.strictObject({
  provider: v.literal('sandbox'),
  name: Name,
  iban: v.optional(Iban),
  sortCode: v.optional(SortCode),
  accountNumber: v.optional(AccountNumber),
  currency: Currency,
  sandboxProfile: v.optional(v.picklist(SANDBOX_PROFILES, `sandboxProfile must be one of ${SANDBOX_PROFILES.join(', ')}`), 'exact'),
  openingBalance: v.optional(AmountString, '0'),
});

/** A real bank (Open Banking UK): no sandbox profile or opening balance (the bank's booked balance is the opening). */
const ObieAccountRequestSchema = v.strictObject({
  provider: v.literal('obie'),
  aspspId: v.pipe(v.string('aspspId must be a string'), v.minLength(1, 'aspspId must not be empty'), v.maxLength(63, 'aspspId must be at most 63 characters')),
  name: Name,
  currency: Currency,
  sortCode: v.optional(SortCode),
  accountNumber: v.optional(AccountNumber),
  redirectUrl: v.optional(RedirectUrl),
});

export const ConnectAccountRequestSchema = v.pipe(
  v.variant('provider', [SandboxAccountRequestSchema, ObieAccountRequestSchema], 'provider must be "sandbox" or "obie"'),
  v.check(
    (request) => request.provider === 'sandbox' || (request.sortCode === undefined) === (request.accountNumber === undefined),
    'name the bank account with both sortCode and accountNumber, or with neither',
  ),
);

/** `POST /v1/consents/{id}/reconfirm`: an optional page for the customer's browser after the bank. */
export const ReconfirmConsentRequestSchema = v.strictObject({ redirectUrl: v.optional(RedirectUrl) });

const Counterparty = v.strictObject({
  name: Name,
  sortCode: v.optional(SortCode),
  accountNumber: v.optional(AccountNumber),
});

/** What a Confirmation of Payee mismatch does to an outbound payment: `stop` (the default) or proceed anyway. */
export const ConfirmationOfPayee = v.picklist(['stop', 'proceed_on_mismatch'], 'confirmationOfPayee must be stop or proceed_on_mismatch');

export const CreatePaymentRequestSchema = v.strictObject({
  accountId: Id('acc'),
  direction: v.picklist(['inbound', 'outbound'], 'direction must be inbound or outbound'),
  amount: AmountString,
  currency: Currency,
  reference: v.optional(v.string('reference must be a string')),
  invoiceId: v.optional(v.pipe(v.string(), v.minLength(1), v.maxLength(128))),
  redirectUrl: v.optional(
    v.pipe(v.string('redirectUrl must be a string'), v.maxLength(2048), v.url('redirectUrl must be a URL'), v.regex(/^https?:\/\//, 'redirectUrl must be an http or https URL')),
  ),
  counterparty: v.optional(Counterparty),
  confirmationOfPayee: v.optional(ConfirmationOfPayee),
  metadata: v.optional(
    v.pipe(
      v.record(v.pipe(v.string(), v.maxLength(40)), v.pipe(v.string('metadata values must be strings'), v.maxLength(500))),
      v.check((record) => Object.keys(record).length <= 20, 'metadata holds at most 20 keys'),
    ),
  ),
});

/** POST /v1/payments/{id}/refunds: all fields optional (the amount defaults to all still refundable). */
export const CreateRefundRequestSchema = v.strictObject({
  amount: v.optional(AmountString),
  reference: v.optional(v.string('reference must be a string')),
  confirmationOfPayee: v.optional(ConfirmationOfPayee),
});

export const ListPaymentsQuerySchema = v.strictObject({
  ...pageQueryEntries,
  status: v.optional(v.picklist(PAYMENT_STATUSES)),
  invoiceId: v.optional(v.pipe(v.string(), v.maxLength(128))),
  reference: v.optional(v.pipe(v.string(), v.maxLength(18))),
});

export const ListTransactionsQuerySchema = v.strictObject({
  ...pageQueryEntries,
  from: v.optional(v.pipe(v.string(), v.isoTimestamp('from must be an ISO 8601 timestamp'))),
  to: v.optional(v.pipe(v.string(), v.isoTimestamp('to must be an ISO 8601 timestamp'))),
  status: v.optional(v.picklist(['booked', 'pending'])),
  reconciliation: v.optional(v.picklist(['matched', 'unmatched', 'needs_review', 'pending'])),
  direction: v.optional(v.picklist(['credit', 'debit'])),
  q: v.optional(v.pipe(v.string(), v.trim(), v.minLength(1, 'q must not be empty'), v.maxLength(140, 'q must be at most 140 characters'))),
  includeSuperseded: v.optional(v.pipe(v.picklist(['true', 'false'], 'includeSuperseded must be true or false'), v.transform((flag) => flag === 'true'))),
});

export const PageQuerySchema = v.strictObject({ ...pageQueryEntries });

export const CreateWebhookEndpointRequestSchema = v.strictObject({
  url: v.pipe(v.string('url must be a string'), v.maxLength(2048)),
  events: v.optional(v.pipe(v.array(v.picklist(EVENT_TYPES, 'unknown event type')), v.minLength(1, 'omit events to receive all of them'))),
});

export const ListEventsQuerySchema = v.strictObject({
  ...pageQueryEntries,
  type: v.optional(v.picklist(EVENT_TYPES)),
  after: v.optional(Id('evt')),
  // Only events created at or after this instant (the console's history charts); read from its month's buckets on.
  since: v.optional(
    v.pipe(v.string(), v.isoTimestamp('since must be an ISO 8601 timestamp'), v.check((value) => !/^\d{4}-\d\d-\d\dT/.test(value) || isCalendarDate(value), 'since is not a date in the calendar')),
  ),
});

export const ListExceptionsQuerySchema = v.strictObject({
  ...pageQueryEntries,
  status: v.optional(v.picklist(['open', 'resolved'])),
  type: v.optional(v.picklist(EXCEPTION_TYPES)),
  accountId: v.optional(Id('acc')),
});

export const ResolveExceptionRequestSchema = v.variant('action', [
  v.strictObject({
    action: v.literal('match'),
    paymentIds: v.pipe(
      v.array(Id('pay')),
      v.minLength(1, 'name at least one payment'),
      v.maxLength(50, 'at most 50 payments'),
      v.check((ids) => new Set(ids).size === ids.length, 'a payment may be named once'),
    ),
  }),
  v.strictObject({ action: v.literal('refund'), confirmationOfPayee: v.optional(ConfirmationOfPayee) }),
  v.strictObject({ action: v.literal('dismiss'), note: v.pipe(v.string(), v.trim(), v.minLength(1, 'say why it is dismissed'), v.maxLength(1000)) }),
]);

/** Whether the timestamp's calendar date exists: the ISO pattern lets 2026-02-30 through, which Date rolls into March. */
const isCalendarDate = (timestamp: string): boolean => {
  const [year = NaN, month = NaN, day = NaN] = timestamp.slice(0, 10).split('-').map(Number);
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
};
const ReportInstant = (name: string) =>
  v.pipe(v.string(), v.isoTimestamp(`${name} must be an ISO 8601 timestamp`), v.check(isCalendarDate, `${name} is not a date in the calendar`));

export const ReportQuerySchema = v.strictObject({
  from: ReportInstant('from'),
  to: ReportInstant('to'),
  accountId: v.optional(Id('acc')),
  /** `csv` answers text/csv for a spreadsheet; the default is JSON. */
  format: v.optional(v.picklist(['json', 'csv'], 'format must be json or csv')),
});
