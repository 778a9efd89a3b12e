import type { Page, PageRequest } from '../accounts/account';
import type { DomainEvent, EventType } from '../events/domain-event';

/** Where a tenant wants its events delivered, with the secret that signs them. */
export interface WebhookEndpoint {
  readonly id: string;
  readonly tenantId: string;
  readonly url: string;
  /** null: every event type. */
  readonly events: readonly EventType[] | null;
  readonly secret: string;
  readonly status: 'enabled' | 'disabled';
  readonly disabledReason: string | null;
  readonly createdAt: string;
}

export const subscribes = (endpoint: WebhookEndpoint, type: EventType): boolean =>
  endpoint.status === 'enabled' && (endpoint.events === null || endpoint.events.includes(type));

/** An endpoint as the API shows it after creation: never the secret. */
export const webhookEndpointView = (endpoint: WebhookEndpoint) => ({
  id: endpoint.id,
  url: endpoint.url,
  events: endpoint.events,
  status: endpoint.status,
  disabledReason: endpoint.disabledReason,
  createdAt: endpoint.createdAt,
});

export interface WebhookEndpointRepository {
  create(endpoint: WebhookEndpoint): Promise<void>;
  get(tenantId: string, endpointId: string): Promise<WebhookEndpoint | undefined>;
  list(tenantId: string, page: PageRequest): Promise<Page<WebhookEndpoint>>;
  /** Every enabled endpoint of the tenant (a tenant has few). */
  listEnabled(tenantId: string): Promise<WebhookEndpoint[]>;
  delete(tenantId: string, endpointId: string): Promise<boolean>;
  disable(tenantId: string, endpointId: string, reason: string): Promise<void>;
}

export interface EventListFilter {
  readonly type?: EventType | undefined;
  readonly after?: string | undefined;
  readonly since?: string | undefined;
}

/** The tenant's event log: every event once, for replay and polling. */
export interface EventLog {
  /** false when the event (by id) is already in the log. */
  append(event: DomainEvent): Promise<boolean>;
  /**
   * Appends the events of one write in one atomic write: true if none was in the log (all are now), false if any was
   * (then none is written by this call: append them one by one to learn which).
   */
  appendAll(events: readonly DomainEvent[]): Promise<boolean>;
  get(tenantId: string, eventId: string): Promise<DomainEvent | undefined>;
  /** Oldest first; `since` (an ISO instant as toISOString writes it): only events that occurred at or after it. */
  list(tenantId: string, filter: EventListFilter, page: PageRequest): Promise<Page<DomainEvent>>;
  /**
   * Claims attempt `attempt` of this delivery with one conditional write keyed by event and endpoint: it succeeds
   * if no attempt this far was claimed, or this one was claimed before `staleBefore` and never finished (its sender
   * died). Otherwise it says why not: delivered, another copy holds it (`in_flight`, since `claimedAt`), it finished
   * without delivering and a later attempt is scheduled or was sent (`taken`), or this attempt gave the delivery up
   * (`given_up`; an earlier attempt arriving after that is `taken`). The only guard against sending twice: the
   * fan-out schedules a first attempt for every copy of an event without reading anything.
   */
  claimAttempt(ref: DeliveryRef, attempt: number, now: string, staleBefore: string): Promise<AttemptClaim>;
  /**
   * Claims attempt `attempt` of several deliveries to one endpoint (the events of one write) in one atomic write, each
   * under the same condition as claimAttempt: true if every one was claimed, false if any was not (then none is).
   */
  claimAttempts(refs: readonly DeliveryRef[], attempt: number, now: string, staleBefore: string): Promise<boolean>;
  /** Records several deliveries as done in one write. */
  markAllDelivered(refs: readonly DeliveryRef[], at: string): Promise<void>;
  /** Records that attempt `attempt` ended without delivering (its retry is scheduled, or the delivery given up). */
  finishAttempt(ref: DeliveryRef, attempt: number, outcome: 'retry_scheduled' | 'given_up'): Promise<void>;
  /** Records the delivery as done; `redeliveryId` names a redelivery's own receipt (see DeliveryRef). */
  markDelivered(tenantId: string, eventId: string, endpointId: string, at: string, redeliveryId?: string): Promise<void>;
}

export type AttemptClaim =
  | { readonly kind: 'claimed' }
  | { readonly kind: 'delivered' }
  | { readonly kind: 'taken' }
  | { readonly kind: 'given_up' }
  | { readonly kind: 'in_flight'; readonly claimedAt: string };

/** One event to one endpoint. */
export interface DeliveryRef {
  readonly tenantId: string;
  readonly eventId: string;
  readonly endpointId: string;
  /**
   * Set on a redelivery the tenant asked for (POST …/redeliveries): its claim and receipt are its own, keyed by this
   * id besides event and endpoint, so it is sent once whatever the first delivery did, and never blocks or repeats it.
   */
  readonly redeliveryId?: string | undefined;
}

/** The body a tenant's endpoint receives. */
export const callbackBody = (event: DomainEvent) => ({
  id: event.metadata.id,
  type: event.type,
  createdAt: event.metadata.occurredAt,
  data: event.data,
});

export type DeliveryResult =
  | { readonly kind: 'response'; readonly status: number }
  | { readonly kind: 'timeout' }
  | { readonly kind: 'refused'; readonly reason: string };

/** Sends one signed HTTP POST to a tenant endpoint. */
export interface CallbackSender {
  send(endpoint: WebhookEndpoint, eventId: string, body: string): Promise<DeliveryResult>;
}
