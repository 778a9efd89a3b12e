import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningRuntime, startRuntime } from '../../infra/local/spawn-runtime';
import { connectAccount, eventually, idle, onboardTenant, positionOf, type Tenant, validatedFetch } from './scenario';

/**
 * The chaotic profile: duplicated booked webhooks, the ledger before the payment status, status webhooks lost,
 * rejections at execution. Whatever the bank does, each payment ends settled exactly once or failed, and the cash
 * position is the opening balance plus what really arrived.
 */
describe('a chaotic bank', () => {
  let runtime: RunningRuntime;
  let tenant: Tenant;

  beforeAll(async () => {
    runtime = await startRuntime({ env: { SETTLED_SANDBOX_SETTLEMENT_DELAY_SECONDS: '1' } });
    tenant = await onboardTenant(runtime);
  });
  afterAll(async () => {
    await runtime?.stop();
  });

  it('settles each approved payment once, shows returns, and keeps the cash exact', async () => {
    // Prepare: 30 payments, enough for most chaotic behaviours to occur (they are deterministic per payment)
    const account = await connectAccount(tenant, 'chaotic', '500.00');
    const created = [];
    for (let i = 0; i < 30; i += 1) {
      const payment = await tenant.post('/v1/payments', { accountId: account.id, direction: 'inbound', amount: `${i + 1}.25`, currency: 'GBP' });
      expect(payment.status).toBe(201);
      created.push(payment.body);
    }

    // Act
    await Promise.all(
      created.map((payment) =>
        validatedFetch(String(payment.authorisationUrl), { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"outcome":"approve"}' }),
      ),
    );
    await eventually(
      async () => {
        const listed = (await tenant.get(`/v1/payments?limit=100`)).body.data as Record<string, any>[];
        const ours = listed.filter((payment) => payment.accountId === account.id);
        return ours.every((payment) => ['settled', 'failed', 'returned'].includes(String(payment.status))) ? ours : undefined;
      },
      30_000,
      'every payment to be settled, failed or returned',
    );
    // Returns come seconds after settlement: wait until the sandbox bank has sent everything it planned.
    await idle(runtime);
    const final = ((await tenant.get(`/v1/payments?limit=100`)).body.data as Record<string, any>[]).filter((payment) => payment.accountId === account.id);

    // Assess
    const settled = final.filter((payment) => payment.status === 'settled');
    const failed = final.filter((payment) => payment.status === 'failed');
    const returned = final.filter((payment) => payment.status === 'returned');
    expect(settled.length + failed.length + returned.length).toBe(30);
    // A return is never netted: each has its exception, and its money is out of the balance again.
    const returnExceptions = (await tenant.get(`/v1/reconciliation/exceptions?type=returned&accountId=${account.id}&limit=500`)).body.data as { candidatePaymentIds: string[] }[];
    expect(returnExceptions.map((exception) => exception.candidatePaymentIds[0]).sort()).toEqual(returned.map((payment) => payment.id).sort());
    for (const payment of returned) expect(payment.settlement).toMatchObject({ amountSettled: '0.00' });
    expect(settled.length).toBeGreaterThan(0);
    for (const payment of settled) {
      expect(payment.settlement).toMatchObject({ amountSettled: payment.amount, overpaidBy: '0.00' });
      expect(payment.settlement.transactionIds).toHaveLength(1);
    }
    // Cash: the opening balance plus every booked transaction once, whatever order the bank's messages came in.
    const booked = (await tenant.get(`/v1/accounts/${account.id}/transactions?status=booked&limit=500`)).body.data as Record<string, any>[];
    const minor = (amount: string) => Number(amount.replace('.', ''));
    const expectedBalance = booked.reduce((sum, transaction) => sum + (transaction.creditDebitIndicator === 'credit' ? 1 : -1) * minor(transaction.amount), 50_000);
    const position = await positionOf(tenant, account.id);
    expect(position).toMatchObject({
      settledBalance: `${Math.floor(expectedBalance / 100)}.${String(expectedBalance % 100).padStart(2, '0')}`,
      pendingInbound: '0.00',
      pendingOutbound: '0.00',
    });
    // One credit per settled or returned payment (duplicates stored once), and every debit explained by an exception:
    // a return, or (when the bank's return overtook its own credit) an unmatched debit left for a person.
    expect(booked.filter((transaction) => transaction.creditDebitIndicator === 'credit')).toHaveLength(settled.length + returned.length);
    for (const debit of booked.filter((transaction) => transaction.creditDebitIndicator === 'debit')) {
      expect(debit.reconciliation.exceptionId, `debit ${String(debit.bankTransactionId)}`).toEqual(expect.stringMatching(/^exc_/));
    }
  });
});
