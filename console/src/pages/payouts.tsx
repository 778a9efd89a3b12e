import { ok } from '../../../clients/typescript/src/client';
import type { components } from '../../../clients/typescript/src/schema';
import { dateTime, money } from '../shell/format';
import type { PageProps } from '../shell/page';
import { ErrorBanner, Loading, Pager, StatusBadge, Table, useTitle } from '../shell/ui';
import { useCursor, useLoad } from './parts/load';
import './parts/pages.css';

type Payout = components['schemas']['Payout'];
type Payment = components['schemas']['Payment'];

const PAGE_SIZE = 50;

const payoutHash = (payoutId: string) => `#/payouts/${encodeURIComponent(payoutId)}`;

/** `#/payouts`: the tenant's bulk payouts, newest first (`GET /v1/payouts`). */
export function PayoutsPage({ client }: PageProps) {
  useTitle('Payouts');
  const pages = useCursor();
  const { loaded } = useLoad(
    () => ok(client.GET('/v1/payouts', { params: { query: { limit: PAGE_SIZE, ...(pages.cursor === undefined ? {} : { cursor: pages.cursor }) } } })),
    [pages.cursor],
  );
  return (
    <>
      <h1>Payouts</h1>
      <p class="muted ids">Bulk payouts, newest first: each one many outbound payments under one authorisation.</p>
      {loaded.state === 'loading' ? <Loading /> : null}
      {loaded.state === 'failed' ? <ErrorBanner error={loaded.error} /> : null}
      {loaded.state === 'ready' ? (
        <>
          <Table<Payout>
            caption="Payouts"
            rows={loaded.data.data}
            rowKey={(payout) => payout.id}
            empty="No payouts yet."
            columns={[
              { header: 'Payout', cell: (payout) => <a href={payoutHash(payout.id)}>{payout.id}</a> },
              { header: 'Status', cell: (payout) => <StatusBadge status={payout.status} /> },
              { header: 'Created', cell: (payout) => dateTime(payout.createdAt) },
              { header: 'Items', numeric: true, cell: (payout) => payout.counts.total },
              { header: 'Settled', numeric: true, cell: (payout) => payout.counts.settled },
              { header: 'Failed', numeric: true, cell: (payout) => payout.counts.failed },
              { header: 'Total', numeric: true, cell: (payout) => money(payout.totals.amount, payout.currency) },
            ]}
          />
          <Pager nextCursor={loaded.data.nextCursor} onNext={pages.next} onFirst={pages.first} />
        </>
      ) : null}
    </>
  );
}

/** Items not settled, failed or returned yet: awaiting the authorisation or on their way through the bank. */
export const pendingItems = (counts: Payout['counts']): number => counts.pending + counts.authorised + counts.executed;

function PayoutSummary({ payout }: { readonly payout: Payout }) {
  return (
    <>
      <dl class="figures">
        <div>
          <dt>Status</dt>
          <dd>
            <StatusBadge status={payout.status} />
          </dd>
        </div>
        <div>
          <dt>Items</dt>
          <dd data-figure="total">{payout.counts.total}</dd>
        </div>
        <div>
          <dt>Settled</dt>
          <dd data-figure="settled">{payout.counts.settled}</dd>
        </div>
        <div>
          <dt>Failed</dt>
          <dd data-figure="failed">{payout.counts.failed}</dd>
        </div>
        <div>
          <dt>Pending</dt>
          <dd data-figure="pending">{pendingItems(payout.counts)}</dd>
        </div>
        {payout.counts.returned > 0 ? (
          <div>
            <dt>Returned</dt>
            <dd data-figure="returned">{payout.counts.returned}</dd>
          </div>
        ) : null}
      </dl>
      <dl class="figures">
        <div>
          <dt>Total amount</dt>
          <dd data-figure="amount">{money(payout.totals.amount, payout.currency)}</dd>
        </div>
        <div>
          <dt>Settled amount</dt>
          <dd data-figure="settled-amount">{money(payout.totals.settled, payout.currency)}</dd>
        </div>
        <div>
          <dt>Failed amount</dt>
          <dd data-figure="failed-amount">{money(payout.totals.failed, payout.currency)}</dd>
        </div>
      </dl>
      <p class="muted ids">
        Account {payout.accountId} · created {dateTime(payout.createdAt)}
        {payout.authorisedAt === null ? ' · not authorised yet' : ` · authorised ${dateTime(payout.authorisedAt)}`}
        {payout.completedAt === null ? '' : ` · completed ${dateTime(payout.completedAt)}`}
      </p>
      {payout.status === 'authorisation_required' ? (
        <p>
          <a href={payout.authorisationUrl} rel="noopener noreferrer" target="_blank">
            Authorise this payout at the bank
          </a>
        </p>
      ) : null}
    </>
  );
}

const metadataText = (metadata: Payment['metadata']): string =>
  Object.entries(metadata)
    .filter(([name]) => name !== 'externalId')
    .map(([name, value]) => `${name}=${value}`)
    .join(', ');

function PayoutFailures({ client, payout }: { readonly client: PageProps['client']; readonly payout: Payout }) {
  const pages = useCursor();
  const { loaded } = useLoad(
    () =>
      ok(
        client.GET('/v1/payouts/{payoutId}/payments', {
          params: { path: { payoutId: payout.id }, query: { status: 'failed', limit: PAGE_SIZE, ...(pages.cursor === undefined ? {} : { cursor: pages.cursor }) } },
        }),
      ),
    [payout.id, pages.cursor],
  );
  return (
    <section aria-labelledby="failures">
      <h2 id="failures">Failed items</h2>
      {loaded.state === 'loading' ? <Loading label="Loading the failed items…" /> : null}
      {loaded.state === 'failed' ? <ErrorBanner error={loaded.error} /> : null}
      {loaded.state === 'ready' ? (
        <>
          <Table<Payment>
            caption="Failed items, in item order"
            rows={loaded.data.data}
            rowKey={(payment) => payment.id}
            empty={payout.counts.failed === 0 ? 'No item failed.' : 'No failed item on this page: follow the next page.'}
            columns={[
              { header: 'External id', cell: (payment) => payment.metadata.externalId ?? '—' },
              { header: 'Payment', cell: (payment) => <a href={`#/payments/${encodeURIComponent(payment.id)}`}>{payment.id}</a> },
              { header: 'Payee', cell: (payment) => payment.counterparty?.name ?? '—' },
              { header: 'Reference', cell: (payment) => payment.reference },
              { header: 'Amount', numeric: true, cell: (payment) => money(payment.amount, payment.currency) },
              { header: 'Failure reason', cell: (payment) => <code class="failure-reason">{payment.failureReason ?? 'not given'}</code> },
              { header: 'Metadata', cell: (payment) => metadataText(payment.metadata) || '—' },
            ]}
          />
          <Pager nextCursor={loaded.data.nextCursor} onNext={pages.next} onFirst={pages.first} />
        </>
      ) : null}
    </section>
  );
}

/** `#/payouts/{payoutId}`: one payout's status, counts and totals, and its failed items with their reasons. */
export function PayoutPage({ client, params }: PageProps) {
  const payoutId = params.payoutId ?? '';
  useTitle(`Payout ${payoutId}`);
  const { loaded, reload } = useLoad(() => ok(client.GET('/v1/payouts/{payoutId}', { params: { path: { payoutId } } })), [payoutId]);
  return (
    <>
      <p>
        <a href="#/payouts">← All payouts</a>
      </p>
      <h1 class="long-title">Payout {payoutId}</h1>
      {loaded.state === 'loading' ? <Loading /> : null}
      {loaded.state === 'failed' ? <ErrorBanner error={loaded.error} /> : null}
      {loaded.state === 'ready' ? (
        <>
          <PayoutSummary payout={loaded.data} />
          <p>
            <button type="button" class="secondary" onClick={reload}>
              Refresh
            </button>
          </p>
          <PayoutFailures client={client} payout={loaded.data} />
        </>
      ) : null}
    </>
  );
}
