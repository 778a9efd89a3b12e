import { createHmac, timingSafeEqual } from 'node:crypto';
import * as v from 'valibot';
import { UnauthorizedError, ValidationError } from '../../domain/errors';
import type { SettlementMessage } from '../../domain/settlement/settlement-message';
import type { PaymentStatusReport } from '../../domain/settlement/settlement-store';
import { issuesToDetails } from '../../runtime/http/request';
import { parseWebhookJson } from './webhook-body';

/**
 * Verifies GoCardless's `Webhook-Signature`: the hex HMAC-SHA256 of the raw body with the endpoint's secret, as
 * GoCardless documents it and its client libraries check it. Compared in constant time (same length first, so
 * `timingSafeEqual` never throws). GoCardless signs no timestamp, so there is no freshness check: every message a
 * replay could yield is idempotent downstream (a payment's status only moves forward).
 *
 * @throws UnauthorizedError when the header is missing, not 64 hex digits, or does not match.
 */
export const verifyGoCardlessWebhook = (rawBody: string, headers: Record<string, string | undefined>, secret: string): void => {
  const signature = Object.entries(headers)
    .find(([name]) => name.toLowerCase() === 'webhook-signature')?.[1]
    ?.trim()
    .toLowerCase();
  if (signature === undefined || signature === '') throw new UnauthorizedError('Missing Webhook-Signature header.');
  if (!/^[0-9a-f]{64}$/.test(signature)) throw new UnauthorizedError('Malformed Webhook-Signature header.');
  const expected = createHmac('sha256', secret).update(rawBody, 'utf8').digest();
  if (!timingSafeEqual(expected, Buffer.from(signature, 'hex'))) throw new UnauthorizedError('GoCardless webhook signature rejected.');
};

/**
 * GoCardless events → payment status reports, for the payment (`links.payment`) or payout (`links.payout`) named,
 * which Settled would keep as the payment's `bankPaymentId` (an id Settled does not know is dropped by the reconciler
 * as `unknown_payment`):
 * - payments `submitted` → `authorised` (the mandate authorised it; it is on its way to the banks)
 * - payments `confirmed`, `paid_out` → `executed` (collected from the payer; paid out to the creditor)
 * - payments `failed`, `cancelled` → `rejected`, reason = `details.cause` (e.g. `mandate_cancelled`)
 * - payouts `paid` → `executed` for the payout id
 * - anything else is ignored: other resource types (mandates, subscriptions, refunds, ...) and other actions
 *   (`created`, `customer_approval_granted`, `charged_back`, `late_failure_settled`, `resubmission_requested`, ...:
 *   a reversal after the money arrived is not a rejection of the payment, and Settled has no state for it).
 * `at` is the event's `created_at`.
 */
const MAPPING: Readonly<Record<string, Readonly<Record<string, PaymentStatusReport['status']>>>> = {
  payments: { submitted: 'authorised', confirmed: 'executed', paid_out: 'executed', failed: 'rejected', cancelled: 'rejected' },
  payouts: { paid: 'executed' },
};
const LINK_OF: Readonly<Record<string, string>> = { payments: 'payment', payouts: 'payout' };

const Text = v.pipe(v.string(), v.minLength(1));
const EventSchema = v.looseObject({
  id: Text,
  created_at: v.pipe(v.string(), v.isoTimestamp()),
  resource_type: Text,
  action: Text,
  links: v.optional(v.record(v.string(), v.string()), {}),
  details: v.optional(v.looseObject({ cause: v.optional(v.string()) }), {}),
});
const BodySchema = v.object({ events: v.pipe(v.array(EventSchema), v.maxLength(1000)) });

export type GoCardlessEvent = v.InferOutput<typeof EventSchema>;

/** The messages a GoCardless webhook yields, and the events it ignored (for the log). */
export interface GoCardlessWebhookOutcome {
  readonly messages: readonly SettlementMessage[];
  readonly ignored: readonly { readonly id: string; readonly resourceType: string; readonly action: string }[];
}

/** What one event means for Settled: a status report, or nothing. */
export const normaliseGoCardlessEvent = (event: GoCardlessEvent): SettlementMessage | undefined => {
  const status = MAPPING[event.resource_type]?.[event.action];
  const link = LINK_OF[event.resource_type];
  const bankPaymentId = link === undefined ? undefined : event.links[link];
  if (status === undefined || bankPaymentId === undefined || bankPaymentId === '') return undefined;
  return {
    kind: 'payment_status',
    report: {
      provider: 'gocardless',
      bankPaymentId,
      status,
      at: new Date(event.created_at).toISOString(),
      reason: status === 'rejected' ? (event.details.cause ?? null) : null,
    },
  };
};

/**
 * Parses a (verified) GoCardless webhook body `{ "events": [...] }` into settlement messages.
 *
 * @throws ValidationError (400) when it is too large, not JSON, or not a list of events with id, created_at,
 *   resource_type and action.
 */
export const normaliseGoCardlessWebhook = (rawBody: string): GoCardlessWebhookOutcome => {
  const body = parseWebhookJson(rawBody);
  const result = v.safeParse(BodySchema, body);
  if (!result.success) throw new ValidationError('The GoCardless webhook is not a list of events.', { details: issuesToDetails(result.issues) });
  const messages: SettlementMessage[] = [];
  const ignored: { id: string; resourceType: string; action: string }[] = [];
  for (const event of result.output.events) {
    const message = normaliseGoCardlessEvent(event);
    if (message === undefined) ignored.push({ id: event.id, resourceType: event.resource_type, action: event.action });
    else messages.push(message);
  }
  return { messages, ignored };
};
