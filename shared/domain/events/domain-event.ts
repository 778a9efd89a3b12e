import { createHash } from 'node:crypto';

/** `source` of every Settled domain event on the event bus; rules on AWS and locally match on it. */
export const EVENT_SOURCE = 'settled';

/** Event types tenants can subscribe to (docs/openapi.yaml, tenant callbacks). */
export const EVENT_TYPES = [
  'payment.authorised',
  'payment.executed',
  'payment.settled',
  'payment.partially_settled',
  'payment.failed',
  'payment.returned',
  'payout.completed',
  'mandate.activated',
  'mandate.revoked',
  'transaction.received',
  'reconciliation.exception_opened',
  'reconciliation.exception_resolved',
  'cash_position.updated',
  'consent.reconfirmation_required',
  'payment_link.completed',
  'statement.imported',
] as const;

export type EventType = (typeof EVENT_TYPES)[number];

export const isEventType = (value: string): value is EventType => (EVENT_TYPES as readonly string[]).includes(value);

/** The `{ metadata, data }` envelope every domain event travels in (docs/architecture.md §7). */
export interface DomainEvent<TData = unknown> {
  readonly type: EventType;
  readonly metadata: {
    readonly id: string;
    readonly tenantId: string;
    readonly occurredAt: string;
    readonly version: 1;
    /**
     * Internal (never in a callback body): the write that produced this event moved this cash position. One event per
     * such write carries it, so the cash-position function publishes one `cash_position.updated` per move, not per event.
     */
    readonly movedPosition?: { readonly accountId: string; readonly currency: string };
    /**
     * Internal (never in a callback body): the writer already logged this event, scheduled its deliveries to the
     * tenant's endpoints and announced the position its write moved (callbacks/deliver-write.ts). The fan-out and the
     * cash-position function leave such a copy alone; every other consumer takes it as any event.
     */
    readonly fannedOut?: true;
  };
  /** The resource the event is about, as its GET returns it. */
  readonly data: TData;
}

const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/**
 * Event ids derive from the business identity of what happened (`payment.settled` of pay_x by txn_y), so the
 * same fact published twice — a redelivered message, a retried put — carries the same id and every consumer
 * can drop the copy with a conditional write.
 */
export const eventIdFor = (type: EventType, ...identity: readonly string[]): string => {
  const digest = createHash('sha256').update([type, ...identity].join('|'), 'utf8').digest();
  let id = '';
  for (let i = 0; i < 26; i += 1) id += CROCKFORD.charAt((digest[i] ?? 0) % 32);
  return `evt_${id}`;
};

export const domainEvent = <TData>(
  type: EventType,
  tenantId: string,
  occurredAt: string,
  data: TData,
  identity: readonly string[],
): DomainEvent<TData> => ({
  type,
  metadata: { id: eventIdFor(type, tenantId, ...identity), tenantId, occurredAt, version: 1 },
  data,
});

/** The events of one write, the first marked as having moved `position` (nothing marked without one). */
export const withMovedPosition = (
  events: readonly DomainEvent[],
  position: { readonly accountId: string; readonly currency: string } | undefined,
): DomainEvent[] =>
  events.map((event, index) =>
    index === 0 && position !== undefined ? { ...event, metadata: { ...event.metadata, movedPosition: { accountId: position.accountId, currency: position.currency } } } : event,
  );

/** Publishes domain events; at-least-once, so consumers dedupe by `metadata.id`. */
export interface EventPublisher {
  publish(events: readonly DomainEvent[]): Promise<void>;
}
