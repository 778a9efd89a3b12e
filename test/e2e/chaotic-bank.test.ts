import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningRuntime, startRuntime } from '../../infra/local/spawn-runtime';
import { connectAccount, eventually, idle, onboardTenant, positionOf, type Tenant } from './scenario';

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

  it('settles each approved payment once and keeps the cash exact', async () => {
    // Prepare: 24 payments, enough for every chaotic behaviour to occur (they are deterministic per payment)
    const account = await connectAccount(tenant, 'chaotic', '500.00');
    const created = [];
    for (let i = 0; i < 24; i += 1) {
      const payment = await tenant.post('/v1/payments', { accountId: account.id, direction: 'inbound', amount: `${i + 1}.25`, currency: 'GBP' });
      expect(payment.status).toBe(201);
      created.push(payment.body);
    }

    // Act
    await Promise.all(
      created.map((payment) =>
        fetch(String(payment.authorisationUrl), { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"outcome":"approve"}' }),
      ),
    );
    const final = await eventually(
      async () => {
        const listed = (await tenant.get(`/v1/payments?limit=100`)).body.data as Record<string, any>[];
        const ours = listed.filter((payment) => payment.accountId === account.id);
        return ours.every((payment) => payment.status === 'settled' || payment.status === 'failed') ? ours : undefined;
      },
      30_000,
      'every payment to be settled or failed',
    );
    await idle(runtime);

    // Assess
    const settled = final.filter((payment) => payment.status === 'settled');
    const failed = final.filter((payment) => payment.status === 'failed');
    expect(settled.length + failed.length).toBe(24);
    expect(settled.length).toBeGreaterThan(0);
    for (const payment of settled) {
      expect(payment.settlement).toMatchObject({ amountSettled: payment.amount, overpaidBy: '0.00' });
      expect(payment.settlement.transactionIds).toHaveLength(1);
    }
    const receivedMinor = settled.reduce((sum, payment) => sum + Math.round(Number(String(payment.amount).replace('.', ''))), 0);
    const expectedBalance = 50_000 + receivedMinor;
    const position = await positionOf(tenant, account.id);
    expect(position).toMatchObject({
      settledBalance: `${Math.floor(expectedBalance / 100)}.${String(expectedBalance % 100).padStart(2, '0')}`,
      pendingInbound: '0.00',
      pendingOutbound: '0.00',
    });
    const booked = ((await tenant.get(`/v1/accounts/${account.id}/transactions?status=booked&limit=500`)).body.data as unknown[]).length;
    expect(booked).toBe(settled.length);
  });
});
