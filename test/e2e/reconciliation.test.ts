import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningRuntime, startRuntime } from '../../infra/local/spawn-runtime';
import { connectAccount, idle, onboardTenant, positionOf, postBankWebhook, type Tenant } from './scenario';

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
    // Resolving again the same way is harmless; another way is refused; nothing moved twice.
    expect((await resolve({ action: 'match', paymentIds: [invoice.id] }, 'resolve-2')).status).toBe(200);
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
    // Recorded against the invoice as over-payment, for a person to refund or credit.
    expect((await payment(String(invoice.id))).settlement).toMatchObject({ amountSettled: '220.00', overpaidBy: '120.00' });
    const dismissed = await tenant.post(`/v1/reconciliation/exceptions/${String(duplicate?.id)}/resolve`, { action: 'dismiss', note: 'refunded to payer' });
    expect(dismissed).toMatchObject({ status: 200, body: { resolution: { action: 'dismiss', note: 'refunded to payer' } } });
    expect(await positionOf(tenant, account.id)).toMatchObject({ settledBalance: '220.00' });
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
    const events = (await tenant.get('/v1/events?type=payment.returned')).body.data;
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
