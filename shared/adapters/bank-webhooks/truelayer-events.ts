import * as v from 'valibot';
import { ValidationError } from '../../domain/errors';
import type { SettlementMessage } from '../../domain/settlement/settlement-message';
import type { PaymentStatusReport } from '../../domain/settlement/settlement-store';
import { issuesToDetails } from '../../runtime/http/request';
import { parseWebhookJson } from './webhook-body';

/**
 * TrueLayer Payments API v3 webhooks → settlement messages.
 *
 * Mapping (each webhook names one payment or payout by TrueLayer's id, which Settled keeps as the payment's
 * `bankPaymentId`; a report naming a payment Settled does not know is dropped by the reconciler as `unknown_payment`):
 * - `payment_authorized` → `authorised` (at `authorized_at`)
 * - `payment_executed` → `executed` (at `executed_at`)
 * - `payment_settled` → `executed` (at `settled_at`): the money reached the merchant account, so the payment was
 *   executed; for a payment already executed the report changes nothing.
 * - `payment_failed` → `rejected` (at `failed_at`, reason = `failure_reason`)
 * - `payout_executed` / `payout_failed` → `executed` / `rejected` for the payout id: a payout is TrueLayer's
 *   outbound payment (what a Settled refund or outbound payment is), whatever its beneficiary.
 * - Ignored (202, nothing queued): `payment_creditable` and `payment_settlement_stalled` (no payment state of
 *   Settled's says either), `refund_executed` / `refund_failed` (TrueLayer's refunds of a TrueLayer payment; Settled's
 *   refunds are outbound payments, i.e. payouts), `external_payment_received` (a credit to a TrueLayer merchant
 *   account, which names the merchant account by TrueLayer id only: no connected account can be found from it until
 *   accounts can be connected through TrueLayer), and any type TrueLayer adds later.
 * Fields Settled does not use (`payment_method`, `payment_source`, `beneficiary`, `metadata`) are not read, so an
 * unknown payment method or beneficiary type does not refuse the event.
 */

const Id = v.pipe(v.string(), v.minLength(1));
const Timestamp = v.pipe(v.string(), v.isoTimestamp());

const Envelope = v.looseObject({ type: Id, event_id: Id });

const PaymentEvents = {
  payment_authorized: v.looseObject({ payment_id: Id, authorized_at: Timestamp }),
  payment_executed: v.looseObject({ payment_id: Id, executed_at: Timestamp }),
  payment_settled: v.looseObject({ payment_id: Id, settled_at: Timestamp }),
  payment_failed: v.looseObject({ payment_id: Id, failed_at: Timestamp, failure_reason: v.optional(v.string()) }),
  payout_executed: v.looseObject({ payout_id: Id, executed_at: Timestamp }),
  payout_failed: v.looseObject({ payout_id: Id, failed_at: Timestamp, failure_reason: v.optional(v.string()) }),
} as const;

/** Types TrueLayer documents that Settled has no use for (see above). */
export const TRUELAYER_IGNORED_TYPES = [
  'payment_creditable',
  'payment_settlement_stalled',
  'refund_executed',
  'refund_failed',
  'external_payment_received',
] as const;

export type TrueLayerWebhookOutcome =
  | { readonly outcome: 'accepted'; readonly eventId: string; readonly type: string; readonly messages: readonly SettlementMessage[] }
  | { readonly outcome: 'ignored'; readonly eventId: string; readonly type: string; readonly known: boolean };

const isPaymentEventType = (type: string): type is keyof typeof PaymentEvents => Object.hasOwn(PaymentEvents, type);

const parsed = <TSchema extends v.GenericSchema>(schema: TSchema, input: unknown, what: string): v.InferOutput<TSchema> => {
  const result = v.safeParse(schema, input);
  if (!result.success) throw new ValidationError(`The TrueLayer webhook is not a valid ${what}.`, { details: issuesToDetails(result.issues) });
  return result.output;
};

const report = (bankPaymentId: string, status: PaymentStatusReport['status'], at: string, reason: string | null): SettlementMessage => ({
  kind: 'payment_status',
  // TrueLayer sends milliseconds and Z; normalised to UTC like every other timestamp Settled stores.
  report: { provider: 'truelayer', bankPaymentId, status, at: new Date(at).toISOString(), reason },
});

/**
 * Parses a (verified) TrueLayer webhook body and says what it means for Settled.
 *
 * @throws ValidationError (400) when the body is too large, not JSON, has no `type`/`event_id`, or is a type Settled
 *   maps without the fields it needs.
 */
export const normaliseTrueLayerWebhook = (rawBody: string): TrueLayerWebhookOutcome => {
  const body = parseWebhookJson(rawBody);
  const { type, event_id: eventId } = parsed(Envelope, body, 'event');
  if (!isPaymentEventType(type)) {
    return { outcome: 'ignored', eventId, type, known: TRUELAYER_IGNORED_TYPES.some((ignored) => ignored === type) };
  }
  const accepted = (message: SettlementMessage): TrueLayerWebhookOutcome => ({ outcome: 'accepted', eventId, type, messages: [message] });
  switch (type) {
    case 'payment_authorized': {
      const event = parsed(PaymentEvents.payment_authorized, body, type);
      return accepted(report(event.payment_id, 'authorised', event.authorized_at, null));
    }
    case 'payment_executed': {
      const event = parsed(PaymentEvents.payment_executed, body, type);
      return accepted(report(event.payment_id, 'executed', event.executed_at, null));
    }
    case 'payment_settled': {
      const event = parsed(PaymentEvents.payment_settled, body, type);
      return accepted(report(event.payment_id, 'executed', event.settled_at, null));
    }
    case 'payment_failed': {
      const event = parsed(PaymentEvents.payment_failed, body, type);
      return accepted(report(event.payment_id, 'rejected', event.failed_at, event.failure_reason ?? null));
    }
    case 'payout_executed': {
      const event = parsed(PaymentEvents.payout_executed, body, type);
      return accepted(report(event.payout_id, 'executed', event.executed_at, null));
    }
    case 'payout_failed': {
      const event = parsed(PaymentEvents.payout_failed, body, type);
      return accepted(report(event.payout_id, 'rejected', event.failed_at, event.failure_reason ?? null));
    }
  }
};
