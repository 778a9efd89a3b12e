import { useState } from 'preact/hooks';
import { idempotencyKey, ok, type SettledClient } from '../../../clients/typescript/src/client';
import type { components } from '../../../clients/typescript/src/schema';
import { dateTime, money } from '../shell/format';
import type { PageProps } from '../shell/page';
import { usePolling } from '../shell/poll';
import { ErrorBanner, Loading, StatusBadge, useTitle } from '../shell/ui';

type ReconciliationException = components['schemas']['ReconciliationException'];
type ResolveExceptionRequest = components['schemas']['ResolveExceptionRequest'];
type Payment = components['schemas']['Payment'];
type Transaction = components['schemas']['Transaction'];

const REFRESH_MS = 10_000;
/** The open queue is read in full up to this many exceptions (the API lists newest first, 100 a page). */
export const QUEUE_READ_LIMIT = 2000;

/** Only `unmatched`, `ambiguous` and `duplicate_payment` can be matched or refunded; the others only dismissed. */
const actionsFor = (exception: ReconciliationException): readonly ResolveExceptionRequest['action'][] =>
  exception.type === 'amount_mismatch' || exception.type === 'returned'
    ? ['dismiss']
    : exception.creditDebitIndicator === 'credit'
      ? ['match', 'refund', 'dismiss']
      : ['match', 'dismiss'];

/** The open queue, oldest first (sorted here: the API answers newest first), and whether it was cut at the bound. */
const readOpenQueue = async (client: SettledClient): Promise<{ open: ReconciliationException[]; truncated: boolean }> => {
  const open: ReconciliationException[] = [];
  let cursor: string | undefined;
  do {
    const page = await ok(client.GET('/v1/reconciliation/exceptions', { params: { query: { status: 'open', limit: 100, ...(cursor === undefined ? {} : { cursor }) } } }));
    open.push(...page.data.filter((exception) => exception.status === 'open'));
    cursor = page.nextCursor ?? undefined;
  } while (cursor !== undefined && open.length < QUEUE_READ_LIMIT);
  open.sort((a, b) => a.createdAt.localeCompare(b.createdAt) || a.id.localeCompare(b.id));
  return { open, truncated: cursor !== undefined };
};

/** Pages of an account's transactions read per reconciliation status when looking for the exceptions' transactions. */
const TRANSACTION_PAGES = 3;

/**
 * The bank transactions behind the exceptions, for their reference, narrative and sender: the API has no lookup by
 * transaction id, so each account's `unmatched` and `needs_review` transactions are read (most exceptions' own
 * status) and picked by id. Ones not found (a `returned` or `amount_mismatch`, whose transaction matched) show
 * their ids only.
 */
const readTransactions = async (client: SettledClient, exceptions: readonly ReconciliationException[], known: ReadonlyMap<string, Transaction>): Promise<Map<string, Transaction>> => {
  const found = new Map(known);
  const wanted = exceptions.filter((exception) => !found.has(exception.transactionId));
  const accounts = [...new Set(wanted.map((exception) => exception.accountId))];
  const wantedIds = new Set(wanted.map((exception) => exception.transactionId));
  for (const accountId of accounts) {
    for (const reconciliation of ['unmatched', 'needs_review'] as const) {
      let cursor: string | undefined;
      for (let page = 0; page < TRANSACTION_PAGES; page += 1) {
        const result = await ok(
          client.GET('/v1/accounts/{accountId}/transactions', { params: { path: { accountId }, query: { reconciliation, limit: 100, ...(cursor === undefined ? {} : { cursor }) } } }),
        );
        for (const transaction of result.data) if (wantedIds.has(transaction.id)) found.set(transaction.id, transaction);
        cursor = result.nextCursor ?? undefined;
        if (cursor === undefined) break;
      }
    }
  }
  return found;
};

function TransactionFacts({ exception, transaction }: { readonly exception: ReconciliationException; readonly transaction: Transaction | undefined }) {
  return (
    <>
      <code>{exception.transactionId}</code> (bank id <code>{exception.bankTransactionId}</code>) on account <code>{exception.accountId}</code>
      {transaction === undefined ? null : (
        <>
          <br />
          Reference <code>{transaction.reference ?? '—'}</code>
          {transaction.description === null ? null : <>, narrative “{transaction.description}”</>}
          {transaction.counterparty?.name === undefined ? null : <>, from {transaction.counterparty.name}</>}, booked {dateTime(transaction.bookingDateTime)}
        </>
      )}
    </>
  );
}

function Candidate({ client, paymentId }: { readonly client: SettledClient; readonly paymentId: string }) {
  const [payment, setPayment] = useState<Payment | undefined>(undefined);
  const [failed, setFailed] = useState(false);
  usePolling(async () => {
    if (payment !== undefined || failed) return;
    try {
      setPayment(await ok(client.GET('/v1/payments/{paymentId}', { params: { path: { paymentId } } })));
    } catch {
      setFailed(true);
    }
  }, 60_000);
  return (
    <>
      <a href={`#/payments/${encodeURIComponent(paymentId)}`}>
        <code>{paymentId}</code>
      </a>
      {payment === undefined ? null : (
        <>
          {' '}
          {money(payment.amount, payment.currency)}, reference <code>{payment.reference}</code> <StatusBadge status={payment.status} />
        </>
      )}
    </>
  );
}

interface ResolveFormProps {
  readonly client: SettledClient;
  readonly exception: ReconciliationException;
  readonly onResolved: (resolved: ReconciliationException) => void;
}

function ResolveForm({ client, exception, onResolved }: ResolveFormProps) {
  const actions = actionsFor(exception);
  const [action, setAction] = useState<ResolveExceptionRequest['action']>(actions[0] ?? 'dismiss');
  const [candidate, setCandidate] = useState<string>(exception.candidatePaymentIds[0] ?? '');
  const [typedPaymentId, setTypedPaymentId] = useState('');
  const [note, setNote] = useState('');
  const [error, setError] = useState<unknown>(undefined);
  const [busy, setBusy] = useState(false);
  // One key per intended resolution: a retry after a timeout sends the same key, so the API acts once.
  const [key, setKey] = useState(() => idempotencyKey());
  const id = exception.id;

  const body = (): ResolveExceptionRequest | string => {
    if (action === 'match') {
      const paymentId = typedPaymentId.trim() !== '' ? typedPaymentId.trim() : candidate;
      if (paymentId === '') return 'Pick a candidate payment or enter a payment id.';
      return { action: 'match', paymentIds: [paymentId] };
    }
    if (action === 'dismiss') {
      if (note.trim() === '') return 'Say why it is dismissed.';
      return { action: 'dismiss', note: note.trim() };
    }
    return { action: 'refund' };
  };

  const submit = async (event: Event) => {
    event.preventDefault();
    const request = body();
    if (typeof request === 'string') {
      setError(new Error(request));
      return;
    }
    setBusy(true);
    setError(undefined);
    try {
      const resolved = await ok(client.POST('/v1/reconciliation/exceptions/{exceptionId}/resolve', { params: { path: { exceptionId: id }, header: key }, body: request }));
      onResolved(resolved);
    } catch (failure) {
      setError(failure);
      // A refused request (4xx) will not be replayed: a new attempt is a new request with a new key.
      setKey(idempotencyKey());
    } finally {
      setBusy(false);
    }
  };

  return (
    <form class="resolve" onSubmit={submit} aria-label={`Resolve ${id}`}>
      <fieldset>
        <legend>Resolve</legend>
        {actions.map((value) => (
          <label class="choice" key={value}>
            <input type="radio" name={`action-${id}`} value={value} checked={action === value} onChange={() => setAction(value)} />{' '}
            {value === 'match' ? 'Match to a payment' : value === 'refund' ? 'Refund to the payer' : 'Dismiss with a note'}
          </label>
        ))}
      </fieldset>
      {action === 'match' ? (
        <div class="filters">
          {exception.candidatePaymentIds.length === 0 ? null : (
            <div>
              <label for={`candidate-${id}`}>Candidate</label>
              <select id={`candidate-${id}`} value={candidate} onChange={(event) => setCandidate(event.currentTarget.value)}>
                {exception.candidatePaymentIds.map((paymentId) => (
                  <option value={paymentId} key={paymentId}>
                    {paymentId}
                  </option>
                ))}
              </select>
            </div>
          )}
          <div>
            <label for={`payment-${id}`}>{exception.candidatePaymentIds.length === 0 ? 'Payment id' : 'Or another payment id'}</label>
            <input id={`payment-${id}`} placeholder="pay_…" value={typedPaymentId} onInput={(event) => setTypedPaymentId(event.currentTarget.value)} />
          </div>
        </div>
      ) : null}
      {action === 'dismiss' ? (
        <div class="field">
          <label for={`note-${id}`}>Note</label>
          <textarea id={`note-${id}`} rows={2} maxLength={500} value={note} onInput={(event) => setNote(event.currentTarget.value)} />
        </div>
      ) : null}
      {action === 'refund' ? <p class="muted">Sends {money(exception.amount, exception.currency)} back to the sender the bank reported (an outbound payment you then authorise).</p> : null}
      {error === undefined ? null : <ErrorBanner error={error} />}
      <button type="submit" disabled={busy}>
        {busy ? 'Resolving…' : action === 'match' ? 'Match' : action === 'refund' ? 'Refund' : 'Dismiss'}
      </button>
    </form>
  );
}

/** `#/exceptions`: the open reconciliation queue, oldest first, each resolvable in place. */
export function ExceptionsPage({ client }: PageProps) {
  useTitle('Exceptions');
  const [queue, setQueue] = useState<{ open: ReconciliationException[]; truncated: boolean } | undefined>(undefined);
  const [resolvedIds, setResolvedIds] = useState<ReadonlySet<string>>(new Set());
  const [transactions, setTransactions] = useState<ReadonlyMap<string, Transaction>>(new Map());
  const [announcement, setAnnouncement] = useState('');
  const [error, setError] = useState<unknown>(undefined);

  usePolling(async () => {
    try {
      const next = await readOpenQueue(client);
      setQueue(next);
      setError(undefined);
      setTransactions(await readTransactions(client, next.open, transactions));
    } catch (failure) {
      setError(failure);
    }
  }, REFRESH_MS);

  const open = queue?.open.filter((exception) => !resolvedIds.has(exception.id)) ?? [];
  const onResolved = (resolved: ReconciliationException) => {
    setResolvedIds(new Set([...resolvedIds, resolved.id]));
    const resolution = resolved.resolution;
    const how =
      resolution === null
        ? 'resolved'
        : resolution.action === 'match'
          ? `matched to ${resolution.paymentIds.join(', ')}`
          : resolution.action === 'refund'
            ? `refunded by ${resolution.refundPaymentId ?? 'a new payment'}`
            : 'dismissed';
    setAnnouncement(`${resolved.id} ${how}.`);
  };

  return (
    <>
      <h1>Exceptions</h1>
      <p class="muted">
        Open exceptions, oldest first (the API lists newest first; this page reads the whole open queue, up to {QUEUE_READ_LIMIT.toLocaleString('en-GB')}, and sorts it).
        Checked for new ones every {REFRESH_MS / 1000} s.
      </p>
      <p class="notice-line" role="status" aria-live="polite">
        {announcement}
      </p>
      {error === undefined ? null : <ErrorBanner error={error} />}
      {queue === undefined ? (
        error === undefined ? <Loading /> : null
      ) : (
        <>
          <p>
            <strong data-testid="open-count">{open.length}</strong> open{queue.truncated ? ` (the first ${QUEUE_READ_LIMIT.toLocaleString('en-GB')} read; there are more)` : ''}.
          </p>
          {open.length === 0 ? <p>Nothing to resolve.</p> : null}
          <ol class="queue">
            {open.map((exception) => (
              <li key={exception.id} class="card" data-exception={exception.id}>
                <h2>
                  <StatusBadge status={exception.type} /> {exception.creditDebitIndicator === 'credit' ? 'Money in' : 'Money out'} {money(exception.amount, exception.currency)}
                </h2>
                <p>{exception.reason}</p>
                <dl class="facts">
                  <dt>Exception</dt>
                  <dd>
                    <code>{exception.id}</code>, opened {dateTime(exception.createdAt)}
                  </dd>
                  <dt>Transaction</dt>
                  <dd>
                    <TransactionFacts exception={exception} transaction={transactions.get(exception.transactionId)} />
                  </dd>
                  <dt>Candidates</dt>
                  <dd>
                    {exception.candidatePaymentIds.length === 0
                      ? 'none: no open payment of this direction and currency carries the reference'
                      : exception.candidatePaymentIds.map((paymentId) => (
                          <div key={paymentId}>
                            <Candidate client={client} paymentId={paymentId} />
                          </div>
                        ))}
                  </dd>
                </dl>
                <ResolveForm client={client} exception={exception} onResolved={onResolved} />
              </li>
            ))}
          </ol>
        </>
      )}
    </>
  );
}
