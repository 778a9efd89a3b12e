import { useState } from 'preact/hooks';
import { ok, type SettledClient } from '../../../clients/typescript/src/client';
import type { components } from '../../../clients/typescript/src/schema';
import { dateTime } from '../shell/format';
import type { PageProps } from '../shell/page';
import { ErrorBanner, Loading, Pager, useTitle } from '../shell/ui';
import { useLoad } from './parts/load';
import { type Redelivery, redeliver } from './parts/redeliver';
import './parts/pages.css';

type Event = components['schemas']['Event'];
type EventType = components['schemas']['EventType'];
type Endpoint = components['schemas']['WebhookEndpoint'];

/** Every event type, for the filter (the record makes the compiler name any type added to the API). */
const EVENT_TYPE_NAMES: Readonly<Record<EventType, true>> = {
  'payment.authorised': true,
  'payment.executed': true,
  'payment.settled': true,
  'payment.partially_settled': true,
  'payment.failed': true,
  'payment.returned': true,
  'payout.completed': true,
  'mandate.activated': true,
  'mandate.revoked': true,
  'transaction.received': true,
  'reconciliation.exception_opened': true,
  'reconciliation.exception_resolved': true,
  'cash_position.updated': true,
  'consent.reconfirmation_required': true,
  'payment_link.completed': true,
  'statement.imported': true,
};
const isEventType = (value: string): value is EventType => Object.hasOwn(EVENT_TYPE_NAMES, value);
const EVENT_TYPES: readonly EventType[] = Object.keys(EVENT_TYPE_NAMES).filter(isEventType).sort();

const eventTypeOf = (value: string | null): EventType | undefined => EVENT_TYPES.find((type) => type === value);

/** The newest view reads the log (oldest first) in pages of this size, at most READ_LIMIT events… */
export const READ_PAGE = 500;
export const READ_LIMIT = 5000;
/** …and shows the newest this many, newest first. */
export const NEWEST_SHOWN = 100;
const OLDEST_PAGE = 50;

/** The id of what an event is about (the payment, the link, …), or its account for a cash position. */
const subjectOf = (event: Event): string => {
  const data: object = event.data;
  if ('id' in data && typeof data.id === 'string') return data.id;
  if ('accountId' in data && typeof data.accountId === 'string') return data.accountId;
  return '—';
};

interface Newest {
  readonly events: readonly Event[];
  readonly read: number;
  /** Whether the log had more than READ_LIMIT events (then these are the newest of the first READ_LIMIT). */
  readonly truncated: boolean;
}

/** Follows the log's cursor to its end (GET /v1/events is oldest first) and keeps the newest NEWEST_SHOWN. */
const readNewest = async (client: SettledClient, type: EventType | undefined): Promise<Newest> => {
  let cursor: string | undefined;
  let kept: Event[] = [];
  let read = 0;
  for (;;) {
    const page = await ok(client.GET('/v1/events', { params: { query: { limit: READ_PAGE, ...(type === undefined ? {} : { type }), ...(cursor === undefined ? {} : { cursor }) } } }));
    read += page.data.length;
    kept = [...kept, ...page.data].slice(-NEWEST_SHOWN);
    if (page.nextCursor === null) return { events: kept.reverse(), read, truncated: false };
    if (read >= READ_LIMIT) return { events: kept.reverse(), read, truncated: true };
    cursor = page.nextCursor;
  }
};

function RedeliverForm({ client, event, endpoints }: { readonly client: SettledClient; readonly event: Event; readonly endpoints: readonly Endpoint[] }) {
  const [endpointId, setEndpointId] = useState(endpoints[0]?.id ?? '');
  const [outcome, setOutcome] = useState<{ readonly queued: Redelivery } | { readonly error: unknown } | undefined>(undefined);
  const [sending, setSending] = useState(false);
  // One key per endpoint and event on this page: sending the same again (a lost answer) is answered, not repeated.
  const [keys] = useState(() => new Map<string, string>());
  if (endpoints.length === 0) return <p class="muted ids">No webhook endpoint to redeliver to.</p>;
  const selectId = `redeliver-${event.id}`;
  return (
    <form
      class="redeliver fit"
      onSubmit={async (submitted) => {
        submitted.preventDefault();
        const key = keys.get(endpointId) ?? globalThis.crypto.randomUUID();
        keys.set(endpointId, key);
        setSending(true);
        try {
          setOutcome({ queued: await redeliver(client, endpointId, event.id, key) });
        } catch (error) {
          setOutcome({ error });
        } finally {
          setSending(false);
        }
      }}
    >
      <div>
        <label for={selectId}>Endpoint</label>
        <select id={selectId} value={endpointId} onChange={(change) => setEndpointId(change.currentTarget.value)}>
          {endpoints.map((endpoint) => (
            <option key={endpoint.id} value={endpoint.id}>
              {endpoint.url} ({endpoint.status})
            </option>
          ))}
        </select>
      </div>
      <div>
        <button type="submit" disabled={sending}>
          Redeliver
        </button>
      </div>
      <div aria-live="polite">
        {outcome !== undefined && 'queued' in outcome ? (
          <p class="queued" role="status">
            Queued ({outcome.queued.id})
          </p>
        ) : null}
      </div>
      {outcome !== undefined && 'error' in outcome ? <ErrorBanner error={outcome.error} /> : null}
    </form>
  );
}

function EventRow({ client, event, endpoints }: { readonly client: SettledClient; readonly event: Event; readonly endpoints: readonly Endpoint[] }) {
  return (
    <li class="card" data-event-id={event.id}>
      <details class="event">
        <summary>
          <code class="event-type">{event.type}</code> · {dateTime(event.createdAt)} · {subjectOf(event)}
        </summary>
        <p class="muted ids">
          Event <code>{event.id}</code>
        </p>
        <pre>{JSON.stringify(event, null, 2)}</pre>
        <RedeliverForm client={client} event={event} endpoints={endpoints} />
      </details>
    </li>
  );
}

/**
 * `#/events`: the tenant's event log (`GET /v1/events`), newest first by default (`?order=oldest` pages from the
 * oldest by cursor), filtered by type; each event's JSON, and "Redeliver" to one of the tenant's endpoints.
 */
export function EventsPage({ client, query, navigate }: PageProps) {
  useTitle('Events');
  const type = eventTypeOf(query.get('type'));
  const oldest = query.get('order') === 'oldest';
  const cursor = query.get('cursor') ?? undefined;
  const endpoints = useLoad(() => ok(client.GET('/v1/webhook-endpoints', { params: { query: { limit: 500 } } })), []);
  const newest = useLoad(() => (oldest ? Promise.resolve(undefined) : readNewest(client, type)), [oldest, type]);
  const page = useLoad(
    () =>
      oldest
        ? ok(client.GET('/v1/events', { params: { query: { limit: OLDEST_PAGE, ...(type === undefined ? {} : { type }), ...(cursor === undefined ? {} : { cursor }) } } }))
        : Promise.resolve(undefined),
    [oldest, type, cursor],
  );
  const go = (next: { type?: EventType | undefined; oldest?: boolean; cursor?: string | undefined }) => {
    const params = new URLSearchParams();
    const nextType = 'type' in next ? next.type : type;
    if (nextType !== undefined) params.set('type', nextType);
    if (next.oldest ?? oldest) params.set('order', 'oldest');
    if (next.cursor !== undefined) params.set('cursor', next.cursor);
    const text = params.toString();
    navigate(text === '' ? '#/events' : `#/events?${text}`);
  };
  const endpointList = endpoints.loaded.state === 'ready' ? endpoints.loaded.data.data : [];
  const shown: readonly Event[] | undefined = oldest
    ? page.loaded.state === 'ready' && page.loaded.data !== undefined
      ? page.loaded.data.data
      : undefined
    : newest.loaded.state === 'ready' && newest.loaded.data !== undefined
      ? newest.loaded.data.events
      : undefined;
  const current = oldest ? page.loaded : newest.loaded;
  return (
    <>
      <h1>Events</h1>
      <div class="filters fit">
        <div>
          <label for="event-type">Type</label>
          <select id="event-type" value={type ?? ''} onChange={(change) => go({ type: eventTypeOf(change.currentTarget.value) })}>
            <option value="">Every type</option>
            {EVENT_TYPES.map((name) => (
              <option key={name} value={name}>
                {name}
              </option>
            ))}
          </select>
        </div>
        <div>
          <label for="event-order">Order</label>
          <select id="event-order" value={oldest ? 'oldest' : 'newest'} onChange={(change) => go({ oldest: change.currentTarget.value === 'oldest' })}>
            <option value="newest">Newest first</option>
            <option value="oldest">Oldest first (page by page)</option>
          </select>
        </div>
      </div>
      {endpoints.loaded.state === 'failed' ? <ErrorBanner error={endpoints.loaded.error} /> : null}
      {current.state === 'loading' ? <Loading label="Reading the event log…" /> : null}
      {current.state === 'failed' ? <ErrorBanner error={current.error} /> : null}
      {!oldest && newest.loaded.state === 'ready' && newest.loaded.data !== undefined ? (
        <p class="muted ids">
          The newest {newest.loaded.data.events.length} of {newest.loaded.data.read} events read
          {newest.loaded.data.truncated ? ` (the log holds more than ${READ_LIMIT}: choose "Oldest first" to page through all of it)` : ''}.
        </p>
      ) : null}
      {shown === undefined ? null : shown.length === 0 ? (
        <p>No events{type === undefined ? '' : ` of type ${type}`} on this page.</p>
      ) : (
        <ol class="events" aria-label="Events">
          {shown.map((event) => (
            <EventRow key={event.id} client={client} event={event} endpoints={endpointList} />
          ))}
        </ol>
      )}
      {oldest && page.loaded.state === 'ready' && page.loaded.data !== undefined ? (
        <Pager nextCursor={page.loaded.data.nextCursor} onNext={(next) => go({ cursor: next })} onFirst={cursor === undefined ? undefined : () => go({})} />
      ) : null}
    </>
  );
}
