import * as v from 'valibot';
import { EVENT_TYPES } from '../domain/events/domain-event';

/** The detail of a Settled event on EventBridge: `{ metadata, data }` (docs/architecture.md §7). */
export const EventDetailSchema = v.object({
  metadata: v.object({
    id: v.pipe(v.string(), v.startsWith('evt_')),
    tenantId: v.pipe(v.string(), v.startsWith('ten_')),
    occurredAt: v.pipe(v.string(), v.isoTimestamp()),
    version: v.literal(1),
    movedPosition: v.optional(v.object({ accountId: v.string(), currency: v.string() })),
    fannedOut: v.optional(v.literal(true)),
  }),
  data: v.unknown(),
});

export const EventEnvelopeSchema = v.object({ 'detail-type': v.picklist(EVENT_TYPES), detail: EventDetailSchema });

/** What the cash-position function needs from the resource an event carries. */
export const PaymentRefSchema = v.object({ id: v.pipe(v.string(), v.startsWith('pay_')) });
export const TransactionRefSchema = v.object({ accountId: v.string(), bankTransactionId: v.string() });
