import { sandboxPayeeVerifier } from '../../../../shared/adapters/sandbox-bank/payee-verifier';
import { describe, expect, it } from 'vitest';
import type { IdempotencyCompletion } from '../../../../shared/domain/idempotency/idempotency';
import type { BankGateway } from '../../../../shared/domain/payments/bank-gateway';
import { initiatePayment } from '../../../../shared/domain/payments/initiate-payment';
import { GENERATED_REFERENCE_ALPHABET, matchingKey } from '../../../../shared/domain/references';
import { AT, anAccount, InMemoryAccountRepository, InMemoryPaymentRepository, RecordingEventPublisher, TENANT_ID } from '../../../support/domain-fakes';

/** A bank that records every initiation it is asked for. */
const recordingGateway = () => {
  const initiated: string[] = [];
  const gateway: BankGateway = {
    initiatePayment: async (payment) => {
      initiated.push(payment.reference);
      return { bankPaymentId: `sbp_${payment.id}`, authorisationUrl: `https://bank.example/${payment.id}` };
    },
  };
  return { gateway, initiated };
};

/** Ids in sequence, and a random source that yields `randomIndexes` in turn. */
const setup = (randomIndexes: readonly number[]) => {
  const account = anAccount();
  const accounts = new InMemoryAccountRepository([account]);
  const payments = new InMemoryPaymentRepository();
  const { gateway, initiated } = recordingGateway();
  let sequence = 0;
  let draw = 0;
  const deps = {
    accounts,
    payments,
    gateway,
    ids: { next: (prefix: string) => `${prefix}_${String((sequence += 1)).padStart(26, '0')}` },
    clock: { now: () => new Date(AT) },
    randomIndex: (max: number) => (randomIndexes[draw++ % randomIndexes.length] ?? 0) % max,
    payees: sandboxPayeeVerifier,
    events: new RecordingEventPublisher(),
  };
  return { account, payments, deps, initiated };
};

const command = (accountId: string) => ({ tenantId: TENANT_ID, accountId, direction: 'inbound' as const, amount: 1_234, currency: 'GBP' });

describe('initiatePayment', () => {
  it('claims a generated reference and completes the idempotency record in the write that stores the payment', async () => {
    // Prepare
    const { account, payments, deps } = setup([1, 2, 3, 4, 5, 6, 7, 8]);
    // Act
    const payment = await initiatePayment(command(account.id), deps, {
      idempotency: (created): IdempotencyCompletion => ({ tenantId: TENANT_ID, key: 'k-1', fingerprint: 'f', response: { statusCode: 201, body: { id: created.id } } }),
    });
    // Assess
    expect(await payments.get(TENANT_ID, payment.id)).toEqual(payment);
    expect(await payments.claimReference(TENANT_ID, matchingKey(payment.reference), 'pay_other')).toBe(false);
    expect(payments.completions).toEqual([{ tenantId: TENANT_ID, key: 'k-1', fingerprint: 'f', response: { statusCode: 201, body: { id: payment.id } } }]);
  });

  it('starts again with a new payment and reference when the generated one is already claimed, storing only the last', async () => {
    // Prepare: the first draw's reference is already another payment's
    const { account, payments, deps, initiated } = setup([0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1, 1, 1, 1]);
    const taken = `ST${GENERATED_REFERENCE_ALPHABET[0]?.repeat(8)}`;
    expect(await payments.claimReference(TENANT_ID, matchingKey(`${taken}2`), 'pay_earlier')).toBe(true);
    // Act
    const payment = await initiatePayment(command(account.id), deps);
    // Assess: two initiations at the bank, one payment stored with the second reference
    expect(initiated).toHaveLength(2);
    expect(initiated[0]?.startsWith(taken)).toBe(true);
    expect(payment.reference).toBe(initiated[1]);
    expect(payment.reference).not.toBe(initiated[0]);
    expect(await payments.get(TENANT_ID, payment.id)).toEqual(payment);
    expect((await payments.list(TENANT_ID, {}, { limit: 10, cursor: undefined })).data).toHaveLength(1);
  });

  it('claims no reference for a tenant reference: two payments may share one', async () => {
    const { account, payments, deps } = setup([0]);
    const first = await initiatePayment({ ...command(account.id), reference: 'INV-42' }, deps);
    const second = await initiatePayment({ ...command(account.id), reference: 'INV-42' }, deps);
    expect(first.id).not.toBe(second.id);
    expect(await payments.claimReference(TENANT_ID, matchingKey('INV-42'), 'pay_x')).toBe(true);
  });

  it('refuses an account that is not active before asking the bank', async () => {
    const { payments, deps, initiated } = setup([0]);
    const accounts = new InMemoryAccountRepository([anAccount({ id: 'acc_disconnected', status: 'disconnected' })]);
    await expect(initiatePayment(command('acc_disconnected'), { ...deps, accounts })).rejects.toMatchObject({ code: 'account_not_active' });
    expect(initiated).toEqual([]);
    expect((await payments.list(TENANT_ID, {}, { limit: 10, cursor: undefined })).data).toEqual([]);
  });
});
