import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningRuntime, startRuntime } from '../../infra/local/spawn-runtime';
import { connectAccount, idle, onboardTenant, paymentWithStatus, positionOf, postBankWebhook, type Tenant, validatedFetch } from './scenario';

/** Reconciliation a finance team can trust, over HTTP: exceptions, manual resolution, returns, the report. */
describe('reconciliation', () => {
  let runtime: RunningRuntime;
  let tenant: Tenant;
  let sequence = 0;

  beforeAll(async () => {
    runtime = await startRuntime();
    tenant = await onboardTenant(runtime);
  });
  afterAll(async () => {
    await runtime?.stop();
  });

  const bank = (account: { sortCode: string; accountNumber: string }) => async (transaction: Record<string, unknown>) => {
    sequence += 1;
    const response = await postBankWebhook(runtime, {
      type: 'transactions',
      account: { sortCode: account.sortCode, accountNumber: account.accountNumber },
      transactions: [{ transactionId: `bank-${sequence}`, status: 'booked', currency: 'GBP', bookingDateTime: new Date().toISOString(), ...transaction }],
    });
    expect(response.status).toBe(202);
    await idle(runtime);
  };
  const pay = async (accountId: string, amount: string, reference?: string) => {
    const response = await tenant.post('/v1/payments', { accountId, direction: 'inbound', amount, currency: 'GBP', ...(reference === undefined ? {} : { reference }) });
    expect(response.status).toBe(201);
    return response.body;
  };
  const openExceptions = async (accountId: string) =>
    (await tenant.get(`/v1/reconciliation/exceptions?status=open&accountId=${accountId}`)).body.data as Record<string, any>[];
  const payment = async (id: string) => (await tenant.get(`/v1/payments/${id}`)).body;
  /** Every event of a type in the tenant's log: the type filter applies to each page read, so follow the pages. */
  const eventsOfType = async (type: string) => {
    const found: Record<string, any>[] = [];
    let cursor: string | null = null;
    do {
      const page: Record<string, any> = (await tenant.get(`/v1/events?type=${type}&limit=100${cursor === null ? '' : `&cursor=${encodeURIComponent(cursor)}`}`)).body;
      found.push(...(page.data as Record<string, any>[]));
      cursor = page.nextCursor ?? null;
    } while (cursor !== null);
    return found;
  };

  it('opens an exception for an unexplained credit, and a manual match settles through the same exactly-once write', async () => {
    // Prepare
    const account = await connectAccount(tenant, 'exact', '0.00');
    const invoice = await pay(account.id, '80.00');
    await bank(account)({ creditDebitIndicator: 'credit', amount: '80.00', reference: 'PAYMENT THANKS', description: 'A N OTHER' });
    const [exception] = await openExceptions(account.id);
    expect(exception).toMatchObject({ type: 'unmatched', status: 'open', amount: '80.00', candidatePaymentIds: [] });
    expect(String(exception?.reason)).toContain('No open payment');
    expect((await payment(String(invoice.id))).status).toBe('authorisation_required');

    // Act
    const resolve = (body: unknown, key: string) => tenant.post(`/v1/reconciliation/exceptions/${String(exception?.id)}/resolve`, body, key);
    const resolved = await resolve({ action: 'match', paymentIds: [invoice.id] }, 'resolve-1');
    await idle(runtime);

    // Assess
    expect(resolved).toMatchObject({ status: 200, body: { status: 'resolved', resolution: { action: 'match', paymentIds: [invoice.id] } } });
    expect(await payment(String(invoice.id))).toMatchObject({ status: 'settled', settlement: { amountSettled: '80.00', matchedBy: 'manual' } });
    const transactions = (await tenant.get(`/v1/accounts/${account.id}/transactions`)).body.data;
    expect(transactions[0].reconciliation).toMatchObject({ status: 'matched', paymentIds: [invoice.id], matchedBy: 'manual', exceptionId: exception?.id });
    expect(await positionOf(tenant, account.id)).toMatchObject({ settledBalance: '80.00', pendingInbound: '0.00' });
    // A retry with the same key answers the first response again; a second resolution, the same or another, is 409;
    // nothing moved twice.
    const replayed = await resolve({ action: 'match', paymentIds: [invoice.id] }, 'resolve-1');
    expect(replayed.status).toBe(200);
    expect(replayed.headers.get('idempotent-replayed')).toBe('true');
    expect(await resolve({ action: 'match', paymentIds: [invoice.id] }, 'resolve-2')).toMatchObject({ status: 409, body: { error: { code: 'exception_already_resolved' } } });
    expect(await resolve({ action: 'dismiss', note: 'changed my mind' }, 'resolve-3')).toMatchObject({ status: 409, body: { error: { code: 'exception_already_resolved' } } });
    expect((await payment(String(invoice.id))).settlement.transactionIds).toHaveLength(1);
    expect(await openExceptions(account.id)).toEqual([]);
  });

  it('sends a reference shared by two open invoices for review, and never picks one', async () => {
    const account = await connectAccount(tenant, 'exact', '0.00');
    const first = await pay(account.id, '50.00', 'INV-77');
    const second = await pay(account.id, '50.00', 'INV-77');
    await bank(account)({ creditDebitIndicator: 'credit', amount: '50.00', reference: 'INV-77' });
    const [exception] = await openExceptions(account.id);
    expect(exception).toMatchObject({ type: 'ambiguous', candidatePaymentIds: expect.arrayContaining([first.id, second.id]) });
    expect((await payment(String(first.id))).status).toBe('authorisation_required');
    expect((await payment(String(second.id))).status).toBe('authorisation_required');
  });

  it('settles an over-payment and opens amount_mismatch; a second payment of a settled invoice is a duplicate', async () => {
    const account = await connectAccount(tenant, 'exact', '0.00');
    const invoice = await pay(account.id, '100.00', 'INV-2024-0042');
    await bank(account)({ creditDebitIndicator: 'credit', amount: '120.00', description: 'j smith inv 2024 0042 fp 24/11/26 1432' });
    expect(await payment(String(invoice.id))).toMatchObject({ status: 'settled', settlement: { amountSettled: '120.00', overpaidBy: '20.00' } });
    expect(await openExceptions(account.id)).toEqual([expect.objectContaining({ type: 'amount_mismatch', candidatePaymentIds: [invoice.id] })]);

    await bank(account)({ creditDebitIndicator: 'credit', amount: '100.00', reference: 'INV-2024-0042' });
    const duplicate = (await openExceptions(account.id)).find((exception) => exception.type === 'duplicate_payment');
    expect(duplicate).toMatchObject({ candidatePaymentIds: [invoice.id], amount: '100.00' });
    // The invoice keeps what it settled; the second payment is unapplied cash until a person decides.
    expect((await payment(String(invoice.id))).settlement).toMatchObject({ amountSettled: '120.00', overpaidBy: '20.00' });
    const dismissed = await tenant.post(`/v1/reconciliation/exceptions/${String(duplicate?.id)}/resolve`, { action: 'dismiss', note: 'refunded to payer' });
    expect(dismissed).toMatchObject({ status: 200, body: { resolution: { action: 'dismiss', note: 'refunded to payer' } } });
    expect(await positionOf(tenant, account.id)).toMatchObject({ settledBalance: '220.00' });
  });

  describe('a settled payment paid again (issue 8 §3)', () => {
    const PAYER = { name: 'J SMITH', sortCode: '200000', accountNumber: '55779911' };

    /** An invoice of 55.00 and two booked credits for it, one after the other: settled once, one duplicate_payment. */
    const paidTwice = async (payer: Record<string, string> = PAYER) => {
      const account = await connectAccount(tenant, 'exact', '0.00');
      const invoice = await pay(account.id, '55.00');
      await bank(account)({ creditDebitIndicator: 'credit', amount: '55.00', reference: invoice.reference, counterparty: payer });
      await bank(account)({ creditDebitIndicator: 'credit', amount: '55.00', reference: invoice.reference, counterparty: payer });
      expect(await payment(String(invoice.id))).toMatchObject({ status: 'settled', settlement: { amountSettled: '55.00', overpaidBy: '0.00' } });
      const exceptions = await openExceptions(account.id);
      expect(exceptions).toEqual([expect.objectContaining({ type: 'duplicate_payment', status: 'open', amount: '55.00', candidatePaymentIds: [invoice.id], resolution: null })]);
      // The cash is real: both credits moved it.
      expect(await positionOf(tenant, account.id)).toMatchObject({ settledBalance: '110.00' });
      return { account, invoice, duplicate: exceptions[0] ?? {} };
    };
    const resolve = (exception: Record<string, unknown>, body: unknown) => tenant.post(`/v1/reconciliation/exceptions/${String(exception.id)}/resolve`, body);
    /** Who resolves: the id of the tenant's API key, never the key. */
    const resolvedBy = expect.stringMatching(/^key_[0-9a-f]{16}$/);

    it('matched to the same payment accepts the over-payment, records who and when, and says so once', async () => {
      // Prepare
      const { invoice, duplicate } = await paidTwice();
      const before = Date.now();
      // Act
      const resolved = await resolve(duplicate, { action: 'match', paymentIds: [invoice.id] });
      await idle(runtime);
      // Assess
      expect(resolved).toMatchObject({ status: 200, body: { status: 'resolved', resolution: { action: 'match', by: resolvedBy, paymentIds: [invoice.id] } } });
      expect(Date.parse(resolved.body.resolution.at)).toBeGreaterThanOrEqual(before - 1_000);
      expect(JSON.stringify(resolved.body)).not.toContain(tenant.apiKey);
      expect(await payment(String(invoice.id))).toMatchObject({ status: 'settled', settlement: { amountSettled: '110.00', overpaidBy: '55.00' } });
      const events = await eventsOfType('reconciliation.exception_resolved');
      expect(events.filter((event) => event.data.id === duplicate.id)).toEqual([
        expect.objectContaining({ type: 'reconciliation.exception_resolved', data: expect.objectContaining({ status: 'resolved', resolution: expect.objectContaining({ action: 'match', by: resolvedBy }) }) }),
      ]);
      // It is listed, resolved, with its resolution.
      const listed = (await tenant.get(`/v1/reconciliation/exceptions?status=resolved&type=duplicate_payment`)).body.data as Record<string, any>[];
      expect(listed.find((exception) => exception.id === duplicate.id)?.resolution).toMatchObject({ action: 'match', by: resolvedBy, at: resolved.body.resolution.at });
      expect((await resolve(duplicate, { action: 'refund' })).status).toBe(409);
    });

    it('refunded: an outbound payment to the payer for the amount, which goes through the sandbox bank like any other', async () => {
      const { account, invoice, duplicate } = await paidTwice();
      const resolved = await resolve(duplicate, { action: 'refund' });
      expect(resolved).toMatchObject({ status: 200, body: { resolution: { action: 'refund', by: resolvedBy, refundPaymentId: expect.stringMatching(/^pay_/) } } });
      const refundId = String(resolved.body.resolution.refundPaymentId);
      const refund = await payment(refundId);
      expect(refund).toMatchObject({ direction: 'outbound', amount: '55.00', accountId: account.id, status: 'authorisation_required', counterparty: PAYER });
      expect(refund.metadata).toMatchObject({ exceptionId: duplicate.id, refundOfTransactionId: duplicate.transactionId });
      expect((await payment(String(invoice.id))).settlement).toMatchObject({ amountSettled: '55.00' });
      // The tenant authorises it at the bank; the bank pays it out and its debit settles it.
      const approved = await validatedFetch(String(refund.authorisationUrl), { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ outcome: 'approve' }) });
      expect(approved.status).toBe(200);
      await paymentWithStatus(tenant, refundId, 'settled');
      await idle(runtime);
      expect(await positionOf(tenant, account.id)).toMatchObject({ settledBalance: '55.00' });
    });

    it('refund needs the payer\'s account details: 422 counterparty_account_unknown, and it stays open', async () => {
      const { account, duplicate } = await paidTwice({ name: 'J SMITH' });
      expect(await resolve(duplicate, { action: 'refund' })).toMatchObject({ status: 422, body: { error: { code: 'counterparty_account_unknown' } } });
      expect(await openExceptions(account.id)).toEqual([expect.objectContaining({ id: duplicate.id, status: 'open' })]);
    });

    it('dismissed with a note records the note, who and when; a dismissal without a note is refused', async () => {
      const { invoice, duplicate } = await paidTwice();
      expect((await resolve(duplicate, { action: 'dismiss' })).status).toBe(400);
      const dismissed = await resolve(duplicate, { action: 'dismiss', note: 'credit note CN-104 issued' });
      expect(dismissed).toMatchObject({ status: 200, body: { resolution: { action: 'dismiss', note: 'credit note CN-104 issued', by: resolvedBy, at: expect.any(String) } } });
      expect((await payment(String(invoice.id))).settlement).toMatchObject({ amountSettled: '55.00', overpaidBy: '0.00' });
    });
  });

  it('a return reopens the payment as returned, restores the cash and says so, never netted', async () => {
    const account = await connectAccount(tenant, 'exact', '10.00');
    const invoice = await pay(account.id, '35.00');
    await bank(account)({ creditDebitIndicator: 'credit', amount: '35.00', reference: invoice.reference });
    expect((await payment(String(invoice.id))).status).toBe('settled');
    await bank(account)({ creditDebitIndicator: 'debit', amount: '35.00', reference: invoice.reference, description: `RETURN ${String(invoice.reference)}` });

    expect(await payment(String(invoice.id))).toMatchObject({ status: 'returned', settlement: { amountSettled: '0.00' } });
    expect(await openExceptions(account.id)).toEqual([expect.objectContaining({ type: 'returned', candidatePaymentIds: [invoice.id] })]);
    expect(await positionOf(tenant, account.id)).toMatchObject({ settledBalance: '10.00', pendingInbound: '0.00' });
    const events = (await eventsOfType('payment.returned')).filter((event) => event.data.id === invoice.id);
    expect(events).toEqual([expect.objectContaining({ data: expect.objectContaining({ id: invoice.id, status: 'returned' }) })]);
    // Paid again, it settles again.
    await bank(account)({ creditDebitIndicator: 'credit', amount: '35.00', reference: invoice.reference });
    expect(await payment(String(invoice.id))).toMatchObject({ status: 'settled', settlement: { amountSettled: '35.00' } });
  });

  it('reports the period per account and currency with money in and out apart, the same in JSON and CSV', async () => {
    // Prepare: a period built through the API; every figure below is computed by hand from these steps.
    const account = await connectAccount(tenant, 'exact', '0.00');
    const from = new Date(Date.now() - 3_600_000).toISOString();
    const paidFirst = await pay(account.id, '1200.00');
    const paidSecond = await pay(account.id, '1252.40');
    const returnedLater = await pay(account.id, '300.00');
    await pay(account.id, '500.00');
    const supplier = await tenant.post('/v1/payments', {
      accountId: account.id,
      direction: 'outbound',
      amount: '428.75',
      currency: 'GBP',
      counterparty: { name: 'J Smith', sortCode: '200000', accountNumber: '55779911' },
    });
    expect(supplier.status).toBe(201);
    const credit = bank(account);
    await credit({ creditDebitIndicator: 'credit', amount: '1200.00', reference: paidFirst.reference });
    // Pending ten minutes ago (the ledger proves execution), then booked: one transaction, settled ~10 minutes on.
    const executedAt = new Date(Date.now() - 600_000).toISOString();
    await credit({ status: 'pending', creditDebitIndicator: 'credit', amount: '1252.40', reference: paidSecond.reference, endToEndId: 'E2E-REPORT-1', bookingDateTime: executedAt });
    await credit({ creditDebitIndicator: 'credit', amount: '1252.40', reference: paidSecond.reference, endToEndId: 'E2E-REPORT-1' });
    await credit({ creditDebitIndicator: 'debit', amount: '428.75', reference: supplier.body.reference });
    await credit({ creditDebitIndicator: 'credit', amount: '300.00', reference: returnedLater.reference });
    await credit({ creditDebitIndicator: 'debit', amount: '300.00', reference: returnedLater.reference, description: `RETURN ${String(returnedLater.reference)}` });
    await credit({ creditDebitIndicator: 'credit', amount: '75.00', reference: 'WHO KNOWS' });
    await credit({ status: 'pending', creditDebitIndicator: 'credit', amount: '50.00', reference: 'NOT YET', endToEndId: 'E2E-REPORT-2' });
    const to = new Date(Date.now() + 60_000).toISOString();
    const query = `from=${encodeURIComponent(from)}&to=${encodeURIComponent(to)}&accountId=${account.id}`;

    // Act
    const report = await tenant.get(`/v1/reconciliation/report?${query}`);
    const csv = await tenant.get(`/v1/reconciliation/report?${query}&format=csv`);

    // Assess
    expect(report.status).toBe(200);
    expect(report.body.accountId).toBe(account.id);
    expect(report.body.accounts).toHaveLength(1);
    const [group] = report.body.accounts;
    const none = { count: 0, amount: '0.00' };
    expect(group).toMatchObject({
      accountId: account.id,
      accountName: 'Acme Ltd',
      currency: 'GBP',
      // 1,200.00 + 1,252.40 (its pending twin not counted again) + 300.00 later returned by the debit.
      moneyIn: {
        matched: { count: 3, amount: '2752.40' },
        unmatched: { count: 1, amount: '75.00' },
        needsReview: none,
        returned: none,
        pending: { count: 1, amount: '50.00' },
        totalBooked: { count: 4, amount: '2827.40' },
      },
      // The 300.00 debit is a return, not a match; never netted into one figure with the credits.
      moneyOut: { matched: { count: 1, amount: '428.75' }, unmatched: none, needsReview: none, returned: { count: 1, amount: '300.00' }, pending: none, totalBooked: { count: 2, amount: '728.75' } },
      net: '2098.65',
      payments: {
        settledInPeriod: { inbound: { count: 2, amount: '2452.40' }, outbound: { count: 1, amount: '428.75' } },
        // The returned 300.00 is owed again, with the 500.00 nobody paid.
        open: { inbound: { count: 2, amount: '800.00' }, outbound: none },
      },
      exceptions: {
        open: 2,
        resolved: 0,
        byType: { unmatched: { open: 1, resolved: 0 }, returned: { open: 1, resolved: 0 }, ambiguous: { open: 0, resolved: 0 } },
        byAge: { under1Day: { open: 2, resolved: 0 }, days1To7: { open: 0, resolved: 0 } },
      },
      // The same two are the open backlog at the period's end.
      openExceptions: { count: 2, byType: { unmatched: 1, returned: 1, ambiguous: 0 }, byAge: { under1Day: 2, over30Days: 0 } },
      settlementLatency: { count: 1 },
    });
    // Executed by the pending entry ten minutes before the booked one settled it.
    expect(group.settlementLatency.p50Ms).toBeGreaterThanOrEqual(600_000);
    expect(group.settlementLatency.p50Ms).toBeLessThan(660_000);

    expect(csv.status).toBe(200);
    expect(csv.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(csv.headers.get('content-disposition')).toBe(`attachment; filename="reconciliation-report_${from.slice(0, 10)}_${to.slice(0, 10)}.csv"`);
    const [header, ...rows] = String(csv.body).trimEnd().split('\r\n').map((line) => line.split(','));
    expect(header).toEqual(['account_id', 'account_name', 'currency', 'section', 'direction', 'status', 'count', 'amount', 'milliseconds']);
    const cell = (section: string, direction: string, status: string) => {
      const row = rows.find((candidate) => candidate[3] === section && candidate[4] === direction && candidate[5] === status);
      return { count: Number(row?.[6]), amount: row?.[7] };
    };
    // The CSV says what the JSON says, row for row.
    const csvStatus = { matched: 'matched', unmatched: 'unmatched', needsReview: 'needs_review', returned: 'returned', pending: 'pending', totalBooked: 'total_booked' };
    for (const [direction, totals] of [['in', group.moneyIn], ['out', group.moneyOut]] as const) {
      for (const [status, name] of Object.entries(csvStatus)) expect(cell('transactions', direction, name)).toEqual(totals[status]);
    }
    expect(rows.find((row) => row[3] === 'net')?.slice(0, 8)).toEqual([account.id, 'Acme Ltd', 'GBP', 'net', 'in', 'total_booked', '', '2098.65']);
    expect(cell('payments', 'in', 'settled_in_period')).toEqual({ count: 2, amount: '2452.40' });
    expect(cell('payments', 'in', 'open')).toEqual({ count: 2, amount: '800.00' });
    expect(cell('exceptions_by_type', '', 'returned/open').count).toBe(1);
    expect(cell('open_exceptions_by_age', '', 'under1Day').count).toBe(2);
    expect(rows.find((row) => row[3] === 'settlement_latency' && row[5] === 'p50')?.[8]).toBe(String(group.settlementLatency.p50Ms));
  });

  it.each([
    { description: 'without from', query: (to: string) => `to=${to}`, path: 'from' },
    { description: 'with to before from', query: (to: string, from: string) => `from=${to}&to=${from}`, path: 'to' },
    { description: 'over more than 366 days', query: (to: string) => `from=2020-01-01T00:00:00Z&to=${to}`, path: 'to' },
    { description: 'in an unknown format', query: (to: string, from: string) => `from=${from}&to=${to}&format=xlsx`, path: 'format' },
  ])('refuses a report $description with a 400 naming the field', async ({ query, path }) => {
    const from = new Date(Date.now() - 3_600_000).toISOString();
    const to = new Date().toISOString();

    const response = await tenant.get(`/v1/reconciliation/report?${query(to, from)}`);

    expect(response.status).toBe(400);
    expect(response.body.error.details).toEqual([expect.objectContaining({ path })]);
  });

  it("answers 404 for another tenant's account", async () => {
    const other = await onboardTenant(runtime, 'Other Co');
    const theirs = await connectAccount(other, 'exact');
    const from = new Date(Date.now() - 3_600_000).toISOString();

    const response = await tenant.get(`/v1/reconciliation/report?from=${from}&to=${new Date().toISOString()}&accountId=${theirs.id}`);

    expect(response.status).toBe(404);
  });
});
