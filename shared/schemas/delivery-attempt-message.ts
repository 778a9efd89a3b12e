import * as v from 'valibot';
import { EVENT_TYPES } from '../domain/events/domain-event';
import { EventDetailSchema } from './domain-event';

const CarriedEventSchema = v.object({ type: v.picklist(EVENT_TYPES), metadata: EventDetailSchema.entries.metadata, data: v.unknown() });

/** A message on the callback-deliveries queue: one attempt, with the event it delivers when the message carries it. */
export const DeliveryAttemptMessageSchema = v.object({
  tenantId: v.string(),
  eventId: v.string(),
  endpointId: v.string(),
  attempt: v.pipe(v.number(), v.integer(), v.minValue(1)),
  firstAttemptAt: v.pipe(v.string(), v.isoTimestamp()),
  notBefore: v.pipe(v.string(), v.isoTimestamp()),
  // Absent in messages queued before attempts carried it, and in those too large to: the deliverer reads the log.
  // Set on the attempts of a redelivery the tenant asked for (its own claim): absent on every first delivery.
  redeliveryId: v.optional(v.pipe(v.string(), v.startsWith('rdl_'))),
  event: v.optional(CarriedEventSchema),
  // The rest of a group: more events of the same write for the same endpoint, sent after `event` in order.
  more: v.optional(v.pipe(v.array(CarriedEventSchema), v.minLength(1))),
});
