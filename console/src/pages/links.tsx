import { useState } from 'preact/hooks';
import { idempotencyKey, ok } from '../../../clients/typescript/src/client';
import type { components } from '../../../clients/typescript/src/schema';
import { dateTime, money } from '../shell/format';
import type { PageProps } from '../shell/page';
import { ErrorBanner, Loading, Pager, StatusBadge, Table, useTitle } from '../shell/ui';
import { ConfirmAction } from './parts/confirm';
import { useCursor, useLoad } from './parts/load';
import './parts/pages.css';

type PaymentLink = components['schemas']['PaymentLink'];

const PAGE_SIZE = 50;

function LinkActions({ client, link, onChanged }: { readonly client: PageProps['client']; readonly link: PaymentLink; readonly onChanged: () => void }) {
  const [error, setError] = useState<unknown>(undefined);
  // One key per link shown: a retry after a lost answer is the same request, answered again rather than repeated.
  const [key] = useState(() => idempotencyKey());
  if (link.status !== 'active') return <span class="muted">—</span>;
  return (
    <>
      <ConfirmAction
        label="Deactivate"
        question={`Deactivate the link ${link.reference}? Its page takes no further payment; payments already made go on and settle.`}
        confirmLabel="Yes, deactivate"
        onConfirm={async () => {
          try {
            await ok(client.POST('/v1/payment-links/{linkId}/deactivate', { params: { path: { linkId: link.id }, header: key } }));
            setError(undefined);
            onChanged();
          } catch (failure) {
            setError(failure);
          }
        }}
      />
      {error === undefined ? null : <ErrorBanner error={error} />}
    </>
  );
}

/**
 * `#/links`: payment links (`GET /v1/payment-links`) with their hosted page, and deactivation. `#/links?id=lnk_…`
 * (a payment's page links here) shows that one link (`GET /v1/payment-links/{linkId}`) and the payments made through it.
 */
export function LinksPage({ client, query }: PageProps) {
  useTitle('Payment links');
  const pages = useCursor();
  const only = query.get('id') ?? undefined;
  const { loaded, reload } = useLoad(
    () =>
      only === undefined
        ? ok(client.GET('/v1/payment-links', { params: { query: { limit: PAGE_SIZE, ...(pages.cursor === undefined ? {} : { cursor: pages.cursor }) } } }))
        : ok(client.GET('/v1/payment-links/{linkId}', { params: { path: { linkId: only } } })).then((link) => ({ data: [link], nextCursor: null })),
    [pages.cursor, only],
  );
  return (
    <>
      <h1>Payment links</h1>
      <p class="muted ids">Links to Settled's hosted payment page. A single-use link takes one payment; a reusable one takes many until it expires or is deactivated.</p>
      {loaded.state === 'loading' ? <Loading /> : null}
      {loaded.state === 'failed' ? <ErrorBanner error={loaded.error} /> : null}
      {loaded.state === 'ready' ? (
        <>
          <Table<PaymentLink>
            caption="Payment links"
            rows={loaded.data.data}
            rowKey={(link) => link.id}
            empty="No payment links yet."
            columns={[
              { header: 'Reference', cell: (link) => link.reference },
              { header: 'Status', cell: (link) => <StatusBadge status={link.status} /> },
              { header: 'Amount', numeric: true, cell: (link) => money(link.amount, link.currency) },
              { header: 'Use', cell: (link) => (link.singleUse ? 'Single use' : 'Reusable') },
              {
                header: 'Payments',
                numeric: true,
                cell: (link) =>
                  only === undefined ? (
                    link.payments.length
                  ) : (
                    <span class="ids">
                      {link.payments.length === 0 ? 'None yet' : link.payments.map((paymentId) => <a key={paymentId} href={`#/payments/${encodeURIComponent(paymentId)}`}>{paymentId} </a>)}
                    </span>
                  ),
              },
              { header: 'Expires', cell: (link) => (link.expiresAt === null ? 'Never' : dateTime(link.expiresAt)) },
              {
                header: 'Hosted page',
                cell: (link) => (
                  <a href={link.url} target="_blank" rel="noopener noreferrer" aria-label={`Open the hosted page of ${link.reference} (new tab)`}>
                    Open ↗
                  </a>
                ),
              },
              { header: 'Link id', cell: (link) => <code>{link.id}</code> },
              { header: 'Action', cell: (link) => <LinkActions client={client} link={link} onChanged={reload} /> },
            ]}
          />
          {only === undefined ? <Pager nextCursor={loaded.data.nextCursor} onNext={pages.next} onFirst={pages.first} /> : <p><a href="#/links">All payment links</a></p>}
        </>
      ) : null}
    </>
  );
}
