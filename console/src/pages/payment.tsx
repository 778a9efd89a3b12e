import { useState } from 'preact/hooks';
import { ok, type SettledClient } from '../../../clients/typescript/src/client';
import type { components } from '../../../clients/typescript/src/schema';
import { dateTime, duration, money } from '../shell/format';
import type { PageProps } from '../shell/page';
import { usePolling } from '../shell/poll';
import { ErrorBanner, Loading, StatusBadge, Table, useTitle } from '../shell/ui';
import { matchReason, timelineOf } from './payment-timeline';

type Payment = components['schemas']['Payment'];
type Transaction = components['schemas']['Transaction'];

const REFRESH_MS = 10_000;
/** Pages of transactions read per lookup (100 each) before giving up on finding a settling transaction. */
const TRANSACTION_PAGES = 5;

/**
 * The transactions that settled the payment (settlement.transactionIds): looked up on the account first by the
 * payment's reference (`q`), then, for any still missing (a bank that mangled the reference, a manual match), among
 * the transactions booked between the payment's creation and its settlement.
 */
const settlingTransactions = async (client: SettledClient, payment: Payment): Promise<{ found: Transaction[]; missing: string[] }> => {
  const wanted = new Set(payment.settlement?.transactionIds ?? []);
  const found = new Map<string, Transaction>();
  const search = async (query: { q?: string; from?: string; to?: string }) => {
    let cursor: string | undefined;
    for (let page = 0; page < TRANSACTION_PAGES && found.size < wanted.size; page += 1) {
      const result = await ok(
        client.GET('/v1/accounts/{accountId}/transactions', {
          params: { path: { accountId: payment.accountId }, query: { ...query, limit: 100, ...(cursor === undefined ? {} : { cursor }) } },
        }),
      );
      for (const transaction of result.data) if (wanted.has(transaction.id)) found.set(transaction.id, transaction);
      cursor = result.nextCursor ?? undefined;
      if (cursor === undefined) break;
    }
  };
  if (wanted.size === 0) return { found: [], missing: [] };
  await search({ q: payment.reference });
  if (found.size < wanted.size && payment.settlement !== null) await search({ from: new Date(Date.parse(payment.createdAt) - 86_400_000).toISOString() });
  return { found: [...found.values()], missing: [...wanted].filter((id) => !found.has(id)) };
};

/** Pages (100 each) of the newest payments read to find a payment's refunds: the list has no `refundOf` filter. */
const REFUND_PAGES = 5;

/**
 * The refunds of a refunded inbound payment (`refundOf` = its id). Payments list newest first and a refund is
 * created after what it refunds, so the read stops at the first payment older than the original, or after
 * REFUND_PAGES pages (`complete` false then).
 */
const refundsOf = async (client: SettledClient, payment: Payment): Promise<{ refunds: Payment[]; complete: boolean }> => {
  const refunds: Payment[] = [];
  let cursor: string | undefined;
  for (let page = 0; page < REFUND_PAGES; page += 1) {
    const result = await ok(client.GET('/v1/payments', { params: { query: { limit: 100, ...(cursor === undefined ? {} : { cursor }) } } }));
    refunds.push(...result.data.filter((candidate) => candidate.refundOf === payment.id));
    cursor = result.nextCursor ?? undefined;
    if (cursor === undefined || result.data.some((candidate) => candidate.createdAt < payment.createdAt)) return { refunds, complete: true };
  }
  return { refunds, complete: false };
};

function Timeline({ payment }: { readonly payment: Payment }) {
  const steps = timelineOf(payment);
  return (
    <ol class="timeline" aria-label="Payment timeline">
      {steps.map((step) => (
        <li class={step.state} key={step.label} data-step={step.label}>
          <span class="dot" aria-hidden="true" />
          <span>
            <strong>{step.label}</strong>
            <span class="visually-hidden">{step.state === 'done' ? ' (done)' : step.state === 'failed' ? ' (failed)' : ' (not yet)'}</span>
            {step.at === undefined ? null : <> · <time dateTime={step.at}>{dateTime(step.at)}</time></>}
            {step.note === undefined ? null : <span class="muted"> · {step.note}</span>}
          </span>
        </li>
      ))}
    </ol>
  );
}

/** `#/payments/{paymentId}`: the payment's timeline, the bank transactions that settled it and why they matched. */
export function PaymentPage({ client, params }: PageProps) {
  const paymentId = params.paymentId ?? '';
  useTitle(`Payment ${paymentId}`);
  const [payment, setPayment] = useState<Payment | undefined>(undefined);
  const [transactions, setTransactions] = useState<{ found: Transaction[]; missing: string[] } | undefined>(undefined);
  const [refunds, setRefunds] = useState<{ refunds: Payment[]; complete: boolean } | undefined>(undefined);
  const [error, setError] = useState<unknown>(undefined);

  // Refreshed while open, so an operator watching a payment sees it settle.
  usePolling(async () => {
    try {
      const next = await ok(client.GET('/v1/payments/{paymentId}', { params: { path: { paymentId } } }));
      const settledChanged = JSON.stringify(next.settlement?.transactionIds) !== JSON.stringify(payment?.settlement?.transactionIds);
      setPayment(next);
      if (settledChanged || transactions === undefined) setTransactions(await settlingTransactions(client, next));
      const refundedNow: unknown = 'refunded' in next ? next.refunded : undefined;
      if (typeof refundedNow === 'string') setRefunds(await refundsOf(client, next));
      setError(undefined);
    } catch (failure) {
      setError(failure);
    }
  }, REFRESH_MS);

  if (payment === undefined) {
    return (
      <>
        <h1>Payment {paymentId}</h1>
        {error === undefined ? <Loading /> : <ErrorBanner error={error} />}
      </>
    );
  }
  const settlement = payment.settlement;
  const refunded: unknown = 'refunded' in payment ? payment.refunded : undefined;
  return (
    <>
      <h1>
        Payment <code>{payment.id}</code>
      </h1>
      {error === undefined ? null : <ErrorBanner error={error} />}
      <p>
        <StatusBadge status={payment.status} /> {payment.direction === 'inbound' ? 'Inbound' : 'Outbound'} {money(payment.amount, payment.currency)}, reference{' '}
        <code>{payment.reference}</code>
      </p>
      <section aria-labelledby="timeline-heading" class="card">
        <h2 id="timeline-heading">Timeline</h2>
        <Timeline payment={payment} />
        {payment.executedAt !== null && settlement !== null ? (
          <p class="muted">Executed to settled: {duration(Date.parse(settlement.settledAt) - Date.parse(payment.executedAt))}.</p>
        ) : null}
      </section>
      <section aria-labelledby="settlement-heading" class="card">
        <h2 id="settlement-heading">Settlement</h2>
        {settlement === null ? (
          <p>Not settled yet: no booked bank transaction has been matched to it.</p>
        ) : (
          <>
            <p data-testid="match-reason">
              <strong>Why it matched:</strong> {matchReason(payment)}
            </p>
            <dl class="facts">
              <dt>Settled</dt>
              <dd>{money(settlement.amountSettled, payment.currency)}</dd>
              <dt>Over-paid by</dt>
              <dd>{money(settlement.overpaidBy, payment.currency)}</dd>
              <dt>Settled at</dt>
              <dd>{dateTime(settlement.settledAt)}</dd>
              <dt>Matched by</dt>
              <dd>{settlement.matchedBy === 'reference' ? 'reference (automatic)' : 'hand (exceptions queue)'}</dd>
            </dl>
            {transactions === undefined ? (
              <Loading label="Looking up the bank transactions…" />
            ) : (
              <>
                <Table
                  caption="Bank transactions that settled it"
                  columns={[
                    { header: 'Transaction', cell: (row: Transaction) => <code>{row.id}</code> },
                    { header: 'Status', cell: (row: Transaction) => <StatusBadge status={row.status} /> },
                    { header: 'Amount', numeric: true, cell: (row: Transaction) => `${row.creditDebitIndicator === 'debit' ? '-' : ''}${money(row.amount, row.currency)}` },
                    { header: 'Reference', cell: (row: Transaction) => row.reference ?? '—' },
                    { header: 'Booked', cell: (row: Transaction) => dateTime(row.bookingDateTime) },
                    { header: 'Bank id', cell: (row: Transaction) => <code>{row.bankTransactionId}</code> },
                  ]}
                  rows={transactions.found}
                  rowKey={(row) => row.id}
                  empty="The transactions could not be found on the account."
                />
                {transactions.missing.length === 0 ? null : (
                  <p class="muted">
                    Not found in the account's recent transactions: {transactions.missing.join(', ')}.
                  </p>
                )}
              </>
            )}
          </>
        )}
      </section>
      <section aria-labelledby="details-heading" class="card">
        <h2 id="details-heading">Details</h2>
        <dl class="facts">
          <dt>Account</dt>
          <dd>
            <code>{payment.accountId}</code> (<a href="#/cash">cash</a>)
          </dd>
          <dt>Invoice</dt>
          <dd>{payment.invoiceId ?? '—'}</dd>
          <dt>Counterparty</dt>
          <dd>
            {payment.counterparty === null
              ? '—'
              : [payment.counterparty.name, payment.counterparty.sortCode, payment.counterparty.accountNumber].filter((part) => part !== undefined).join(' · ')}
          </dd>
          {payment.failureReason === null ? null : (
            <>
              <dt>Failure reason</dt>
              <dd>{payment.failureReason}</dd>
            </>
          )}
          {typeof refunded === 'string' ? (
            <>
              <dt>Refunded</dt>
              <dd>
                {money(refunded, payment.currency)}
                {refunds === undefined
                  ? null
                  : refunds.refunds.map((refund) => (
                      <div key={refund.id}>
                        <a href={`#/payments/${encodeURIComponent(refund.id)}`}>{refund.id}</a> {money(refund.amount, refund.currency)} <StatusBadge status={refund.status} />
                      </div>
                    ))}
                {refunds !== undefined && !refunds.complete ? <div class="muted">Only the latest {REFUND_PAGES * 100} payments were searched for its refunds.</div> : null}
              </dd>
            </>
          ) : null}
          {payment.refundOf === undefined ? null : (
            <>
              <dt>Refund of</dt>
              <dd>
                <a href={`#/payments/${encodeURIComponent(payment.refundOf)}`}>{payment.refundOf}</a>
              </dd>
            </>
          )}
          {payment.linkId === undefined ? null : (
            <>
              <dt>Payment link</dt>
              <dd>
                <a href={`#/links?id=${encodeURIComponent(payment.linkId)}`}>{payment.linkId}</a>
              </dd>
            </>
          )}
          {payment.payoutId === undefined ? null : (
            <>
              <dt>Payout</dt>
              <dd>
                <a href={`#/payouts/${encodeURIComponent(payment.payoutId)}`}>{payment.payoutId}</a>
              </dd>
            </>
          )}
          {payment.mandateId === undefined ? null : (
            <>
              <dt>Mandate</dt>
              <dd>
                <a href={`#/mandates/${encodeURIComponent(payment.mandateId)}`}>{payment.mandateId}</a>
              </dd>
            </>
          )}
          <dt>Created</dt>
          <dd>{dateTime(payment.createdAt)}</dd>
          <dt>Updated</dt>
          <dd>{dateTime(payment.updatedAt)}</dd>
          {Object.keys(payment.metadata).length === 0 ? null : (
            <>
              <dt>Metadata</dt>
              <dd>
                {Object.entries(payment.metadata).map(([key, value]) => (
                  <div key={key}>
                    <code>{key}</code>: {value}
                  </div>
                ))}
              </dd>
            </>
          )}
        </dl>
      </section>
    </>
  );
}
