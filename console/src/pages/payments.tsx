import { useEffect, useState } from 'preact/hooks';
import { ok } from '../../../clients/typescript/src/client';
import type { components } from '../../../clients/typescript/src/schema';
import { dateTime, money } from '../shell/format';
import type { PageProps } from '../shell/page';
import { ErrorBanner, Loading, Pager, StatusBadge, Table, useTitle } from '../shell/ui';

type Payment = components['schemas']['Payment'];
type PaymentStatus = components['schemas']['PaymentStatus'];

/** Every status, in the order a payment passes them (docs/openapi.yaml "Payment status model"). */
export const PAYMENT_STATUSES: readonly PaymentStatus[] = ['authorisation_required', 'authorised', 'executed', 'settled', 'partially_settled', 'failed', 'expired', 'returned'];

const isPaymentStatus = (value: string | null): value is PaymentStatus => PAYMENT_STATUSES.some((status) => status === value);

const PAGE_SIZE = 25;

/** The hash of the list with these filters (and cursor), so filters survive a reload and can be shared. */
const listHash = (filters: Readonly<Record<string, string>>): string => {
  const query = new URLSearchParams(Object.entries(filters).filter(([, value]) => value !== ''));
  const text = query.toString();
  return text === '' ? '#/payments' : `#/payments?${text}`;
};

/** `#/payments`: the tenant's payments, newest first, filtered by status, invoice id or reference as the API allows. */
export function PaymentsPage({ client, query, navigate }: PageProps) {
  useTitle('Payments');
  const rawStatus = query.get('status');
  const status = isPaymentStatus(rawStatus) ? rawStatus : undefined;
  const invoiceId = query.get('invoiceId') ?? '';
  const reference = query.get('reference') ?? '';
  const cursor = query.get('cursor') ?? undefined;
  const [page, setPage] = useState<{ data: readonly Payment[]; nextCursor: string | null } | undefined>(undefined);
  const [error, setError] = useState<unknown>(undefined);
  const [form, setForm] = useState({ status: status ?? '', invoiceId, reference });

  useEffect(() => {
    let current = true;
    ok(
      client.GET('/v1/payments', {
        params: {
          query: {
            limit: PAGE_SIZE,
            ...(status === undefined ? {} : { status }),
            ...(invoiceId === '' ? {} : { invoiceId }),
            ...(reference === '' ? {} : { reference }),
            ...(cursor === undefined ? {} : { cursor }),
          },
        },
      }),
    ).then(
      (result) => current && setPage({ data: result.data, nextCursor: result.nextCursor }),
      (failure: unknown) => current && setError(failure),
    );
    return () => {
      current = false;
    };
  }, [client, status, invoiceId, reference, cursor]);

  const filters = { status: status ?? '', invoiceId, reference };
  return (
    <>
      <h1>Payments</h1>
      <p class="muted">Newest first. The API filters by status, exact invoice id and exact (case-sensitive) reference.</p>
      <form
        class="filters"
        role="search"
        aria-label="Filter payments"
        onSubmit={(event) => {
          event.preventDefault();
          navigate(listHash({ status: form.status, invoiceId: form.invoiceId.trim(), reference: form.reference.trim() }));
        }}
      >
        <div>
          <label for="filter-status">Status</label>
          <select id="filter-status" value={form.status} onChange={(event) => setForm({ ...form, status: event.currentTarget.value })}>
            <option value="">Any</option>
            {PAYMENT_STATUSES.map((value) => (
              <option value={value} key={value}>
                {value.replaceAll('_', ' ')}
              </option>
            ))}
          </select>
        </div>
        <div>
          <label for="filter-reference">Reference</label>
          <input id="filter-reference" maxLength={18} value={form.reference} onInput={(event) => setForm({ ...form, reference: event.currentTarget.value })} />
        </div>
        <div>
          <label for="filter-invoice">Invoice id</label>
          <input id="filter-invoice" maxLength={128} value={form.invoiceId} onInput={(event) => setForm({ ...form, invoiceId: event.currentTarget.value })} />
        </div>
        <button type="submit">Filter</button>
        {status === undefined && invoiceId === '' && reference === '' ? null : (
          <button type="button" class="secondary" onClick={() => navigate('#/payments')}>
            Clear filters
          </button>
        )}
      </form>
      {error === undefined ? null : <ErrorBanner error={error} />}
      {page === undefined ? (
        error === undefined ? <Loading /> : null
      ) : (
        <>
          <Table
            caption={cursor === undefined ? 'Payments, newest first' : 'Payments, newest first (a later page)'}
            columns={[
              {
                header: 'Payment',
                cell: (row: Payment) => (
                  <a href={`#/payments/${encodeURIComponent(row.id)}`}>
                    <code>{row.id}</code>
                  </a>
                ),
              },
              { header: 'Status', cell: (row: Payment) => <StatusBadge status={row.status} /> },
              { header: 'Direction', cell: (row: Payment) => (row.direction === 'inbound' ? 'In' : 'Out') },
              { header: 'Amount', numeric: true, cell: (row: Payment) => money(row.amount, row.currency) },
              { header: 'Reference', cell: (row: Payment) => row.reference },
              { header: 'Invoice', cell: (row: Payment) => row.invoiceId ?? '—' },
              { header: 'Created', cell: (row: Payment) => dateTime(row.createdAt) },
            ]}
            rows={page.data}
            rowKey={(row) => row.id}
            empty="No payments match."
          />
          <Pager
            nextCursor={page.nextCursor}
            onNext={(next) => navigate(listHash({ ...filters, cursor: next }))}
            onFirst={cursor === undefined ? undefined : () => navigate(listHash(filters))}
          />
        </>
      )}
    </>
  );
}
