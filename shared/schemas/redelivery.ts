import * as v from 'valibot';

/** POST /v1/webhook-endpoints/{endpointId}/redeliveries: which event to send again. Strict: unknown fields refused. */
export const RedeliverEventRequestSchema = v.strictObject({
  eventId: v.pipe(v.string('eventId must be a string'), v.regex(/^evt_[0-9A-Za-z]{1,64}$/, 'must be an id starting evt_')),
});
