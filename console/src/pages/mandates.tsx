import { useState } from 'preact/hooks';
import { idempotencyKey, ok } from '../../../clients/typescript/src/client';
import type { components } from '../../../clients/typescript/src/schema';
import { dateTime, money } from '../shell/format';
import type { PageProps } from '../shell/page';
import { ErrorBanner, Loading, Pager, StatusBadge, Table, useTitle } from '../shell/ui';
import { ConfirmAction } from './parts/confirm';
import { useCursor, useLoad } from './parts/load';
import './parts/pages.css';

type Mandate = components['schemas']['Mandate'];
type Usage = Mandate['usage'][number];
type PeriodLimit = Mandate['limits']['periods'][number];

const PAGE_SIZE = 50;

const mandateHash = (mandateId: string) => `#/mandates/${encodeURIComponent(mandateId)}`;

const PERIOD_NAMES: Readonly<Record<PeriodLimit['period'], string>> = {
  day: 'day',
  week: 'week',
  fortnight: 'fortnight',
  month: 'month',
  'half-year': 'half-year',
  year: 'year',
};

/** `£300.00 a month (calendar)`. */
const periodLimitText = (limit: PeriodLimit, currency: string): string => `${money(limit.maxAmount, currency)} a ${PERIOD_NAMES[limit.period]} (${limit.alignment})`;

/** `#/mandates`: variable recurring payment mandates, newest first (`GET /v1/mandates`). */
export function MandatesPage({ client }: PageProps) {
  useTitle('Mandates');
  const pages = useCursor();
  const { loaded } = useLoad(
    () => ok(client.GET('/v1/mandates', { params: { query: { limit: PAGE_SIZE, ...(pages.cursor === undefined ? {} : { cursor: pages.cursor }) } } })),
    [pages.cursor],
  );
  return (
    <>
      <h1>Mandates</h1>
      <p class="muted ids">Variable recurring payment mandates: payments taken from a payer within limits they authorised once.</p>
      {loaded.state === 'loading' ? <Loading /> : null}
      {loaded.state === 'failed' ? <ErrorBanner error={loaded.error} /> : null}
      {loaded.state === 'ready' ? (
        <>
          <Table<Mandate>
            caption="Mandates"
            rows={loaded.data.data}
            rowKey={(mandate) => mandate.id}
            empty="No mandates yet."
            columns={[
              { header: 'Mandate', cell: (mandate) => <a href={mandateHash(mandate.id)}>{mandate.id}</a> },
              { header: 'Status', cell: (mandate) => <StatusBadge status={mandate.status} /> },
              { header: 'Type', cell: (mandate) => mandate.type },
              { header: 'Reference', cell: (mandate) => mandate.reference ?? '—' },
              { header: 'Per payment', numeric: true, cell: (mandate) => money(mandate.limits.maxPerPayment, mandate.currency) },
              { header: 'Period limits', cell: (mandate) => mandate.limits.periods.map((limit) => periodLimitText(limit, mandate.currency)).join('; ') || 'none' },
              {
                header: 'Used this period',
                cell: (mandate) =>
                  mandate.usage.map((usage) => `${money(usage.used, mandate.currency)} of ${money(usage.maxAmount, mandate.currency)} (${usage.period})`).join('; ') || '—',
              },
              { header: 'Created', cell: (mandate) => dateTime(mandate.createdAt) },
            ]}
          />
          <Pager nextCursor={loaded.data.nextCursor} onNext={pages.next} onFirst={pages.first} />
        </>
      ) : null}
    </>
  );
}

function MandateDetail({ client, mandate, onChanged }: { readonly client: PageProps['client']; readonly mandate: Mandate; readonly onChanged: () => void }) {
  const [error, setError] = useState<unknown>(undefined);
  const [key] = useState(() => idempotencyKey());
  const revocable = mandate.status === 'active' || mandate.status === 'authorisation_required';
  return (
    <>
      <dl class="figures">
        <div>
          <dt>Status</dt>
          <dd>
            <StatusBadge status={mandate.status} />
          </dd>
        </div>
        <div>
          <dt>Type</dt>
          <dd>{mandate.type}</dd>
        </div>
        <div>
          <dt>Most per payment</dt>
          <dd data-figure="max-per-payment">{money(mandate.limits.maxPerPayment, mandate.currency)}</dd>
        </div>
        <div>
          <dt>Reference</dt>
          <dd>{mandate.reference ?? '—'}</dd>
        </div>
      </dl>
      <p class="muted ids">
        Account {mandate.accountId}
        {mandate.counterparty === null ? '' : ` · payer ${mandate.counterparty.name}`}
        {` · valid ${mandate.validFrom === null ? 'from its activation' : `from ${dateTime(mandate.validFrom)}`}`}
        {mandate.validTo === null ? '' : ` to ${dateTime(mandate.validTo)}`}
        {mandate.activatedAt === null ? '' : ` · activated ${dateTime(mandate.activatedAt)}`}
        {mandate.revokedAt === null ? '' : ` · revoked ${dateTime(mandate.revokedAt)}`}
      </p>
      <Table<Usage>
        caption="Limits per period: the current window, what payments used of it and what is left"
        rows={mandate.usage}
        rowKey={(usage) => `${usage.period}-${usage.alignment}`}
        empty="This mandate has no periodic limit, only its limit per payment."
        columns={[
          { header: 'Period', cell: (usage) => `${PERIOD_NAMES[usage.period]} (${usage.alignment})` },
          { header: 'Window', cell: (usage) => `${dateTime(usage.windowStart)} – ${dateTime(usage.windowEnd)}` },
          { header: 'Limit', numeric: true, cell: (usage) => money(usage.maxAmount, mandate.currency) },
          { header: 'Used', numeric: true, cell: (usage) => <span data-figure="used">{money(usage.used, mandate.currency)}</span> },
          { header: 'Remaining', numeric: true, cell: (usage) => money(usage.remaining, mandate.currency) },
        ]}
      />
      {mandate.status === 'authorisation_required' ? (
        <p>
          The payer has not authorised it yet:{' '}
          <a href={mandate.authorisationUrl} target="_blank" rel="noopener noreferrer">
            its authorisation page
          </a>
          .
        </p>
      ) : null}
      {revocable ? (
        <ConfirmAction
          label="Revoke mandate"
          question="Revoke this mandate? No payment can be taken under it afterwards, and the payer's bank is told."
          confirmLabel="Yes, revoke"
          onConfirm={async () => {
            try {
              await ok(client.POST('/v1/mandates/{mandateId}/revoke', { params: { path: { mandateId: mandate.id }, header: key } }));
              setError(undefined);
              onChanged();
            } catch (failure) {
              setError(failure);
            }
          }}
        />
      ) : null}
      {error === undefined ? null : <ErrorBanner error={error} />}
    </>
  );
}

/** `#/mandates/{mandateId}`: one mandate, its limits and its usage in the current windows (`GET /v1/mandates/{id}`), revoke. */
export function MandatePage({ client, params }: PageProps) {
  const mandateId = params.mandateId ?? '';
  useTitle(`Mandate ${mandateId}`);
  const { loaded, reload } = useLoad(() => ok(client.GET('/v1/mandates/{mandateId}', { params: { path: { mandateId } } })), [mandateId]);
  return (
    <>
      <p>
        <a href="#/mandates">← All mandates</a>
      </p>
      <h1 class="long-title">Mandate {mandateId}</h1>
      {loaded.state === 'loading' ? <Loading /> : null}
      {loaded.state === 'failed' ? <ErrorBanner error={loaded.error} /> : null}
      {loaded.state === 'ready' ? <MandateDetail client={client} mandate={loaded.data} onChanged={reload} /> : null}
    </>
  );
}
