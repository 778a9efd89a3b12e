import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { beforeAll, describe, expect, it } from 'vitest';
import { referenceClaimKey } from '../../shared/adapters/dynamodb/keys';
import { tableAdapters } from '../../shared/adapters/dynamodb/repositories';
import { systemClock, ulidIds } from '../../shared/adapters/system';
import { sandboxPayeeVerifier } from '../../shared/adapters/sandbox-bank/payee-verifier';
import { connectAccount } from '../../shared/domain/accounts/connect-account';
import { ConflictError } from '../../shared/domain/errors';
import { requestFingerprint, runIdempotently } from '../../shared/domain/idempotency/idempotency';
import type { BankGateway } from '../../shared/domain/payments/bank-gateway';
import { initiatePayment } from '../../shared/domain/payments/initiate-payment';
import type { Payment } from '../../shared/domain/payments/payment';
import type { IdGenerator } from '../../shared/domain/ports';
import { createTestTable } from './table';

/**
 * Creating a payment on DynamoDB Local: the payment, its generated reference's claim and the idempotency record's
 * stored answer are one TransactWriteItems, so they exist together or not at all.
 */
describe('payment creation on DynamoDB Local', () => {
  let adapters: ReturnType<typeof tableAdapters>;
  let table: Awaited<ReturnType<typeof createTestTable>>;
  let sequence = 0;
  let initiations = 0;
  const gateway: BankGateway = {
    initiatePayment: async () => ((initiations += 1), { bankPaymentId: `sbp_${ulidIds.next('pay')}`, authorisationUrl: 'http://bank/authorise' }),
  };
  const random = (max: number) => Math.floor(Math.random() * max);

  beforeAll(async () => {
    table = await createTestTable();
    adapters = tableAdapters(table.documentClient, table.tableName);
  });

  const anAccount = async () => {
    sequence += 1;
    const tenantId = ulidIds.next('ten');
    const account = await connectAccount(
      { tenantId, provider: 'sandbox', name: 'Acme', sortCode: '040004', accountNumber: String(30_000_000 + sequence), currency: 'GBP', sandboxProfile: 'exact', openingBalance: 0 },
      { accounts: adapters.accounts, ids: ulidIds, clock: systemClock },
    );
    return { tenantId, account };
  };
  /** Every payment id handed out, so a test can read each one back (a list reads an index that may lag). */
  const paymentIds: string[] = [];
  const ids: IdGenerator = {
    next: (prefix) => {
      const id = ulidIds.next(prefix);
      if (prefix === 'pay') paymentIds.push(id);
      return id;
    },
  };
  const deps = () => ({ accounts: adapters.accounts, payments: adapters.payments, gateway, ids, clock: systemClock, randomIndex: random, payees: sandboxPayeeVerifier, events: { publish: async () => undefined } });
  const storedAmong = async (tenantId: string, candidates: readonly string[]) =>
    (await Promise.all(candidates.map((id) => adapters.payments.get(tenantId, id)))).filter((payment) => payment !== undefined);
  const now = new Date();
  const expiresAt = new Date(now.getTime() + 60_000);

  it('stores the payment, claims its reference and completes the idempotency record in one write', async () => {
    // Prepare
    const { tenantId, account } = await anAccount();
    const fingerprint = requestFingerprint('POST /v1/payments', { n: 1 });
    await adapters.idempotency.reserve(tenantId, 'k-one', fingerprint, expiresAt);
    // Act
    const payment = await initiatePayment({ tenantId, accountId: account.id, direction: 'inbound', amount: 100, currency: 'GBP' }, deps(), {
      idempotency: (created) => ({ tenantId, key: 'k-one', fingerprint, response: { statusCode: 201, body: { id: created.id } } }),
    });
    // Assess
    expect(await adapters.payments.get(tenantId, payment.id)).toEqual(payment);
    const claim = await table.documentClient.send(new GetCommand({ TableName: table.tableName, Key: referenceClaimKey(tenantId, payment.matchingKey) }));
    expect(claim.Item).toMatchObject({ paymentId: payment.id });
    await expect(adapters.idempotency.reserve(tenantId, 'k-one', fingerprint, expiresAt)).resolves.toEqual({
      state: 'completed',
      fingerprint,
      response: { statusCode: 201, body: { id: payment.id } },
    });
  });

  it('writes nothing when the reference is already claimed, and says so', async () => {
    // Prepare: another payment holds the reference
    const { tenantId, account } = await anAccount();
    const first = await initiatePayment({ tenantId, accountId: account.id, direction: 'inbound', amount: 100, currency: 'GBP' }, deps());
    const fingerprint = requestFingerprint('POST /v1/payments', { n: 2 });
    await adapters.idempotency.reserve(tenantId, 'k-taken', fingerprint, expiresAt);
    const second: Payment = { ...first, id: ulidIds.next('pay'), bankPaymentId: `sbp_${ulidIds.next('pay')}` };
    // Act
    const outcome = await adapters.payments.create(second, {
      claimReference: true,
      idempotency: { tenantId, key: 'k-taken', fingerprint, response: { statusCode: 201, body: { id: second.id } } },
    });
    // Assess
    expect(outcome).toBe('reference_taken');
    expect(await adapters.payments.get(tenantId, second.id)).toBeUndefined();
    await expect(adapters.idempotency.reserve(tenantId, 'k-taken', fingerprint, expiresAt)).resolves.toEqual({ state: 'in_progress', fingerprint });
  });

  it('writes no payment when the idempotency record is not this request’s', async () => {
    const { tenantId, account } = await anAccount();
    await adapters.idempotency.reserve(tenantId, 'k-other', 'another-fingerprint', expiresAt);
    const before = paymentIds.length;
    const attempt = initiatePayment({ tenantId, accountId: account.id, direction: 'inbound', amount: 100, currency: 'GBP', reference: 'INV-OTHER' }, deps(), {
      idempotency: () => ({ tenantId, key: 'k-other', fingerprint: 'this-fingerprint', response: { statusCode: 201, body: {} } }),
    });
    await expect(attempt).rejects.toBeInstanceOf(TransactionCanceledException);
    expect(paymentIds.length).toBe(before + 1);
    expect(await storedAmong(tenantId, paymentIds.slice(before))).toEqual([]);
  });

  it('ten concurrent requests with one key create one payment, and a retry gets its answer', async () => {
    // Prepare
    const { tenantId, account } = await anAccount();
    const fingerprint = requestFingerprint('POST /v1/payments', { amount: '1.00' });
    initiations = 0;
    const before = paymentIds.length;
    // The winner's work waits until all ten reservations have been answered, so the other nine meet it in progress
    // however the machine schedules them (on a loaded runner the winner could otherwise finish before they reserve).
    let reserved = 0;
    let allReserved: () => void = () => undefined;
    const everyoneReserved = new Promise<void>((resolve) => (allReserved = resolve));
    const store = {
      reserve: async (...args: Parameters<typeof adapters.idempotency.reserve>) => {
        const reservation = await adapters.idempotency.reserve(...args);
        reserved += 1;
        if (reserved >= 10) allReserved();
        return reservation;
      },
      complete: (...args: Parameters<typeof adapters.idempotency.complete>) => adapters.idempotency.complete(...args),
      release: (...args: Parameters<typeof adapters.idempotency.release>) => adapters.idempotency.release(...args),
    };
    const once = () =>
      runIdempotently({ tenantId, key: 'k-race', fingerprint, now }, store, async (completionOf) => {
        await everyoneReserved;
        const payment = await initiatePayment({ tenantId, accountId: account.id, direction: 'inbound', amount: 100, currency: 'GBP' }, deps(), {
          idempotency: (created) => completionOf({ statusCode: 201, body: { id: created.id } }),
        });
        return { statusCode: 201, body: { id: payment.id }, recorded: true };
      });
    // Act
    const outcomes = await Promise.allSettled(Array.from({ length: 10 }, once));
    // Assess
    const created = outcomes.flatMap((outcome) => (outcome.status === 'fulfilled' ? [outcome.value] : []));
    expect(created).toHaveLength(1);
    expect(outcomes.filter((outcome) => outcome.status === 'rejected' && outcome.reason instanceof ConflictError)).toHaveLength(9);
    expect(initiations).toBe(1);
    const payments = await storedAmong(tenantId, paymentIds.slice(before));
    expect(payments.map((payment) => payment.id)).toEqual([(created[0]?.body as { id: string }).id]);
    await expect(once()).resolves.toEqual({ statusCode: 201, body: { id: payments[0]?.id }, replayed: true });
  });
});
