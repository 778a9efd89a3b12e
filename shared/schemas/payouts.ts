import * as v from 'valibot';
import type { ErrorDetail } from '../domain/errors';
import { ValidationError } from '../domain/errors';
import { PAYMENT_STATUSES } from '../domain/payments/payment';
import type { MismatchPolicy } from '../domain/payments/payee-verification';
import { MAX_PAYOUT_ITEMS } from '../domain/payouts/payout';
import { type PayoutItemInput, type ValidPayoutItem, validatePayoutItems } from '../domain/payouts/validate-items';
import { issuesToDetails } from '../runtime/http/request';
import { pageQueryEntries } from '../runtime/http/query';

const Name = v.pipe(v.string('name must be a string'), v.trim(), v.minLength(1, 'must not be empty'), v.maxLength(140, 'must be at most 140 characters'));
const SortCode = v.pipe(v.string('sortCode must be a string'), v.regex(/^[0-9]{6}$/, 'sortCode must be 6 digits'));
const AccountNumber = v.pipe(v.string('accountNumber must be a string'), v.regex(/^[0-9]{8}$/, 'accountNumber must be 8 digits'));

/** One item's shape; its rules (amount, reference, duplicates) are the domain's (validate-items.ts). */
const PayoutItemSchema = v.strictObject({
  amount: v.unknown(),
  reference: v.optional(v.string('reference must be a string')),
  externalId: v.optional(v.pipe(v.string('externalId must be a string'), v.minLength(1, 'must not be empty'), v.maxLength(128, 'must be at most 128 characters'))),
  counterparty: v.strictObject({ name: Name, sortCode: SortCode, accountNumber: AccountNumber }),
});

/** The batch without its items, which are checked one by one so every bad one is reported by index. */
const PayoutEnvelopeSchema = v.strictObject({
  accountId: v.pipe(v.string(), v.regex(/^acc_[0-9A-Za-z]{1,64}$/, 'must be an id starting acc_')),
  currency: v.pipe(v.string('currency must be a string'), v.regex(/^[A-Z]{3}$/, 'currency must be an ISO 4217 code such as GBP')),
  items: v.pipe(
    v.array(v.unknown(), 'items must be a list (JSON array)'),
    v.minLength(1, 'items must hold at least one item'),
    v.maxLength(MAX_PAYOUT_ITEMS, `items must hold at most ${MAX_PAYOUT_ITEMS} items; split larger runs into several payouts`),
  ),
  /** What a Confirmation of Payee mismatch does to an item (API.md): stop it (the default) or let it go. */
  confirmationOfPayee: v.optional(v.picklist(['stop', 'proceed_on_mismatch'], 'confirmationOfPayee must be stop or proceed_on_mismatch')),
});

export interface PayoutRequest {
  readonly accountId: string;
  readonly currency: string;
  readonly items: readonly ValidPayoutItem[];
  readonly mismatchPolicy: MismatchPolicy;
}

/**
 * The whole request, or one 400 naming every bad item by index (`items[3].amount`) and every bad envelope field.
 * Items are parsed one by one after the envelope: a batch with one bad item is refused whole, but its error lists
 * them all.
 */
export const parsePayoutRequest = (input: unknown): PayoutRequest => {
  const envelope = v.safeParse(PayoutEnvelopeSchema, input);
  if (!envelope.success) throw new ValidationError('The request body is invalid.', { details: issuesToDetails(envelope.issues) });
  const { accountId, currency, items, confirmationOfPayee } = envelope.output;
  const shapeDetails: ErrorDetail[] = [];
  const shaped: (PayoutItemInput | undefined)[] = items.map((item, index) => {
    const parsed = v.safeParse(PayoutItemSchema, item);
    if (parsed.success) return parsed.output;
    for (const detail of issuesToDetails(parsed.issues)) {
      shapeDetails.push({ path: detail.path === '' ? `items[${index}]` : `items[${index}].${detail.path}`, message: detail.message });
    }
    return undefined;
  });
  return { accountId, currency, items: validatePayoutItems(shaped, currency, shapeDetails), mismatchPolicy: confirmationOfPayee ?? 'stop' };
};

export const ListPayoutPaymentsQuerySchema = v.strictObject({
  ...pageQueryEntries,
  status: v.optional(v.picklist(PAYMENT_STATUSES)),
});

export const ListPayoutsQuerySchema = v.strictObject({ ...pageQueryEntries });

/** A message of the payouts queue (one chunk of a batch). */
export const PayoutChunkMessageSchema = v.object({
  tenantId: v.string(),
  payoutId: v.pipe(v.string(), v.startsWith('bat_')),
  chunk: v.pipe(v.number(), v.integer(), v.minValue(0)),
  from: v.pipe(v.number(), v.integer(), v.minValue(0)),
  to: v.pipe(v.number(), v.integer(), v.minValue(1)),
  action: v.picklist(['submit', 'reject', 'follow']),
});
