import fc from 'fast-check';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { beforeAll, describe, expect, it } from 'vitest';
import { DynamoDbMandateRepository, mandateUsageKey } from '../../shared/adapters/dynamodb/mandate-repository';
import { tableAdapters } from '../../shared/adapters/dynamodb/repositories';
import { systemClock, ulidIds } from '../../shared/adapters/system';
import { connectAccount } from '../../shared/domain/accounts/connect-account';
import { UnprocessableError } from '../../shared/domain/errors';
import type { Mandate } from '../../shared/domain/mandates/mandate';
import { currentWindows } from '../../shared/domain/mandates/mandate';
import { type MandateDeps, payUnderMandate, revokeMandate } from '../../shared/domain/mandates/mandate-use-cases';
import type { MandateGateway } from '../../shared/domain/mandates/ports';
import { formatAmount } from '../../shared/domain/money';
import { aPayment } from '../support/domain-fakes';
import { createTestTable } from './table';

/**
 * Exact mandate limits under concurrency, on DynamoDB Local: N payments of random amounts at once against periodic
 * limits. The accepted ones sum to at most each limit, every refused one would have gone over a limit given the
 * accepted ones (exactly the allowed succeed), and only accepted ones reached the bank.
 */
describe('mandate limits on DynamoDB Local', () => {
  let table: Awaited<ReturnType<typeof createTestTable>>;
  let adapters: ReturnType<typeof tableAdapters>;
  let mandates: DynamoDbMandateRepository;
  let sequence = 0;
  /** What reached the (fake) bank, per mandate: the payments it was asked to take. */
  const taken = new Map<string, number[]>();
  const gateway: MandateGateway = {
    createMandate: async () => ({ bankMandateId: `sbm_${ulidIds.next('man')}`, authorisationUrl: 'http://bank/mandate' }),
    mandateStatus: async () => ({ status: 'approved', decidedAt: null }),
    nextPaymentId: () => `sbp_${ulidIds.next('pay')}`,
    executePayment: async (mandate, payment) => {
      taken.set(mandate.id, [...(taken.get(mandate.id) ?? []), payment.amount]);
    },
    revokeMandate: async () => undefined,
  };

  beforeAll(async () => {
    table = await createTestTable();
    adapters = tableAdapters(table.documentClient, table.tableName);
    mandates = new DynamoDbMandateRepository(table.documentClient, table.tableName);
  });

  const deps = (): MandateDeps => ({
    accounts: adapters.accounts,
    mandates,
    payments: adapters.payments,
    gatewayFor: () => gateway,
    events: { publish: async () => undefined },
    ids: ulidIds,
    clock: systemClock,
    randomIndex: (max) => Math.floor(Math.random() * max),
  });

  const anActiveMandate = async (limits: Mandate['limits']): Promise<Mandate> => {
    sequence += 1;
    const tenantId = ulidIds.next('ten');
    const account = await connectAccount(
      { tenantId, provider: 'sandbox', name: 'Acme', sortCode: '040004', accountNumber: String(40_000_000 + sequence), currency: 'GBP', sandboxProfile: 'exact', openingBalance: 0 },
      { accounts: adapters.accounts, ids: ulidIds, clock: systemClock },
    );
    const now = systemClock.now().toISOString();
    const mandate: Mandate = {
      id: ulidIds.next('man'),
      tenantId,
      accountId: account.id,
      type: 'sweeping',
      currency: 'GBP',
      reference: null,
      counterparty: null,
      limits,
      validFrom: null,
      validTo: null,
      status: 'active',
      provider: 'sandbox',
      bankMandateId: `sbm_${sequence}`,
      authorisationUrl: 'http://bank/mandate',
      createdAt: now,
      updatedAt: now,
      activatedAt: now,
      revokedAt: null,
      version: 2,
    };
    await mandates.create(mandate);
    return mandate;
  };

  const usedOf = async (mandate: Mandate, index: number) => {
    const claim = currentWindows(mandate, systemClock.now())[index];
    if (claim === undefined) throw new Error('no such period');
    const { Item } = await table.documentClient.send(
      new GetCommand({ TableName: table.tableName, Key: mandateUsageKey(mandate.tenantId, mandate.id, claim.limit.period, claim.window.start), ConsistentRead: true }),
    );
    return typeof Item?.used === 'number' ? Item.used : 0;
  };

  it('accepts exactly the payments that fit: accepted sums within every limit, each refusal would have gone over', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1_000, max: 10_000 }),
        fc.integer({ min: 10_000, max: 40_000 }),
        fc.integer({ min: 0, max: 30_000 }),
        fc.array(fc.integer({ min: 1, max: 10_000 }), { minLength: 4, maxLength: 14 }),
        async (maxPerPayment, dayMax, weekExtra, requested) => {
          const weekMax = dayMax + weekExtra;
          const mandate = await anActiveMandate({
            maxPerPayment,
            periods: [
              { period: 'day', maxAmount: dayMax, alignment: 'calendar' },
              { period: 'week', maxAmount: weekMax, alignment: 'consent' },
            ],
          });
          const outcomes = await Promise.allSettled(requested.map((amount) => payUnderMandate({ tenantId: mandate.tenantId, mandateId: mandate.id, amount: formatAmount(amount, 'GBP') }, deps())));

          const accepted: number[] = [];
          const refused: number[] = [];
          outcomes.forEach((outcome, index) => {
            const amount = requested[index] ?? 0;
            if (outcome.status === 'fulfilled') accepted.push(amount);
            else if (outcome.reason instanceof UnprocessableError && outcome.reason.code === 'mandate_limit_exceeded') refused.push(amount);
            else throw outcome.reason;
          });
          const sum = accepted.reduce((total, amount) => total + amount, 0);
          // Never over any limit.
          expect(accepted.every((amount) => amount <= maxPerPayment)).toBe(true);
          expect(sum).toBeLessThanOrEqual(Math.min(dayMax, weekMax));
          // Exactly the allowed ones: each refused payment would have gone over a limit given the accepted ones.
          for (const amount of refused) expect(amount > maxPerPayment || sum + amount > Math.min(dayMax, weekMax)).toBe(true);
          // The usage items hold exactly what was accepted, and only accepted payments reached the bank.
          expect(await usedOf(mandate, 0)).toBe(sum);
          expect(await usedOf(mandate, 1)).toBe(sum);
          expect([...(taken.get(mandate.id) ?? [])].sort((a, b) => a - b)).toEqual([...accepted].sort((a, b) => a - b));
        },
      ),
      { numRuns: 12, seed: 4242 },
    );
  }, 240_000);

  it('names the limit a refused payment would break, with what is left', async () => {
    const mandate = await anActiveMandate({ maxPerPayment: 10_000, periods: [{ period: 'month', maxAmount: 25_000, alignment: 'calendar' }] });
    const pay = (amount: string) => payUnderMandate({ tenantId: mandate.tenantId, mandateId: mandate.id, amount }, deps());
    await pay('100.00');
    await pay('100.00');
    const refusal = await pay('60.00').catch((error: unknown) => error);
    expect(refusal).toBeInstanceOf(UnprocessableError);
    expect(refusal).toMatchObject({ code: 'mandate_limit_exceeded', details: [{ path: 'limits.periods[0]', message: expect.stringContaining('remaining 50.00') }] });
    expect(String((refusal as Error).message)).toContain('month limit of 250.00');
    const tooBig = await pay('100.01').catch((error: unknown) => error);
    expect(tooBig).toMatchObject({ code: 'mandate_limit_exceeded', details: [{ path: 'limits.maxPerPayment' }] });
    expect(taken.get(mandate.id)).toEqual([10_000, 10_000]);
  });

  it('takes nothing after a revocation, even from a payment that read the mandate active', async () => {
    const mandate = await anActiveMandate({ maxPerPayment: 10_000, periods: [] });
    await revokeMandate(mandate.tenantId, mandate.id, deps());
    // The write's own check refuses it, not only the read before it.
    const payment = aPayment({ id: ulidIds.next('pay'), tenantId: mandate.tenantId, accountId: mandate.accountId, bankPaymentId: `sbp_${ulidIds.next('pay')}`, mandateId: mandate.id });
    expect(await mandates.createPayment(mandate, payment, currentWindows(mandate, systemClock.now()), { claimReference: false, outbox: [] })).toEqual({ outcome: 'mandate_not_active' });
    expect(await adapters.payments.get(mandate.tenantId, payment.id)).toBeUndefined();
    await expect(payUnderMandate({ tenantId: mandate.tenantId, mandateId: mandate.id, amount: '1.00' }, deps())).rejects.toMatchObject({ code: 'mandate_not_active' });
  });
});
