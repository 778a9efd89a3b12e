import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningRuntime, startRuntime } from '../../infra/local/spawn-runtime';
import { connectAccount, idle, onboardTenant, paymentWithStatus, positionOf, postBankWebhook, type Tenant } from './scenario';

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
      const approved = await fetch(String(refund.authorisationUrl), { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ outcome: 'approve' }) });
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

  it('reports the period: matched, unmatched, open, exceptions and settlement latency', async () => {
    const account = await connectAccount(tenant, 'exact', '0.00');
    const from = new Date(Date.now() - 60_000).toISOString();
    const settledOne = await pay(account.id, '10.00');
    await pay(account.id, '20.00');
    await bank(account)({ creditDebitIndicator: 'credit', amount: '10.00', reference: settledOne.reference });
    await bank(account)({ creditDebitIndicator: 'credit', amount: '5.00', reference: 'WHO KNOWS' });
    const to = new Date(Date.now() + 60_000).toISOString();

    const report = await tenant.get(`/v1/reconciliation/report?from=${from}&to=${to}&accountId=${account.id}`);

    expect(report.status).toBe(200);
    expect(report.body).toMatchObject({
      accountId: account.id,
      transactions: { matched: { count: 1, amounts: { GBP: '10.00' } }, unmatched: { count: 1, amounts: { GBP: '5.00' } } },
      payments: { open: { count: 1, amounts: { GBP: '20.00' } }, settledInPeriod: { count: 1, amounts: { GBP: '10.00' } } },
      exceptions: { open: { count: 1, byType: { unmatched: 1 } } },
    });
    expect((await tenant.get(`/v1/reconciliation/report?from=${to}&to=${from}`)).status).toBe(400);
  });
});
