import { sandboxPayeeVerifier } from '../../../../shared/adapters/sandbox-bank/payee-verifier';
import { describe, expect, it } from 'vitest';
import { ConflictError, UnprocessableError } from '../../../../shared/domain/errors';
import type { BankGateway } from '../../../../shared/domain/payments/bank-gateway';
import type { Payment } from '../../../../shared/domain/payments/payment';
import { type ResolveAction, resolveException } from '../../../../shared/domain/reconciliation/resolve-exception';
import type { ReportedTransaction } from '../../../../shared/domain/settlement/bank-transaction';
import { reconcileTransaction } from '../../../../shared/domain/settlement/reconcile-transaction';
import {
  anAccount,
  aPayment,
  aReportedTransaction,
  InMemoryAccountRepository,
  InMemoryExceptionStore,
  InMemoryPaymentRepository,
  InMemoryTransactionStore,
  RecordingEventPublisher,
  TENANT_ID,
} from '../../../support/domain-fakes';
import { fixedClock, sequentialIds } from '../../../support/fakes';

const account = anAccount();
const INVOICE = 'pay_01JD0000000000000000000001';
const OTHER_INVOICE = 'pay_01JD0000000000000000000002';
const RESOLVED_AT = '2026-11-24T11:30:00.000Z';
const PAYER = { name: 'J SMITH', sortCode: '200000', accountNumber: '55779911' };

/** An invoice of 55.00 paid twice by reference (the second credit a duplicate_payment), and another one open. */
const paidTwice = async (options: { payer?: ReportedTransaction['counterparty'] } = {}) => {
  const accounts = new InMemoryAccountRepository([account]);
  const payments = new InMemoryPaymentRepository([
    aPayment({ id: INVOICE, amount: 5_500, status: 'executed' }),
    aPayment({ id: OTHER_INVOICE, amount: 5_500, status: 'executed', reference: 'INV-OTHER-1', bankPaymentId: 'bp_0002' }),
  ]);
  const transactions = new InMemoryTransactionStore(payments);
  const exceptions = new InMemoryExceptionStore(transactions, payments);
  const events = new RecordingEventPublisher();
  const clock = fixedClock('2026-11-24T10:00:10.000Z');
  const ids = sequentialIds();
  const initiations: string[] = [];
  const gateway: BankGateway = {
    initiatePayment: async (payment) => {
      initiations.push(payment.id);
      return { bankPaymentId: `bp_refund_${initiations.length}`, authorisationUrl: `https://sandbox.example/authorise/bp_refund_${initiations.length}` };
    },
  };
  const settlementDeps = { accounts, payments, transactions, referenceIndex: payments, events, ids, clock };
  const counterparty = options.payer === undefined ? PAYER : options.payer;
  await reconcileTransaction(aReportedTransaction({ bankTransactionId: 'bank-first', amount: 5_500, counterparty }), settlementDeps);
  await reconcileTransaction(aReportedTransaction({ bankTransactionId: 'bank-second', amount: 5_500, counterparty }), settlementDeps);
  const [duplicate] = transactions.exceptions;
  if (duplicate?.type !== 'duplicate_payment') throw new Error('the second credit should be a duplicate_payment');
  clock.set(RESOLVED_AT);
  events.published.length = 0;
  const deps = { exceptions, transactions, payments, events, clock, refunds: { accounts, gateway, ids, randomIndex: () => 0, payees: sandboxPayeeVerifier } };
  const resolve = (command: ResolveAction & { resolvedBy?: string }) =>
    resolveException({ tenantId: TENANT_ID, exceptionId: duplicate.id, resolvedBy: 'key_0123456789abcdef', ...command }, deps);
  const invoice = async (id = INVOICE): Promise<Payment | undefined> => payments.get(TENANT_ID, id);
  return { duplicate, payments, transactions, exceptions, events, initiations, resolve, invoice };
};

describe('resolveException: a duplicate_payment', () => {
  it('leaves the settled payment as it was until a person decides', async () => {
    const world = await paidTwice();
    expect(await world.invoice()).toMatchObject({ status: 'settled', settlement: { amountSettled: 5_500, overpaidBy: 0 } });
    expect(world.duplicate).toMatchObject({ status: 'open', candidatePaymentIds: [INVOICE], amount: 5_500, resolution: null });
  });

  it('matched to the same settled payment accepts the over-payment: amountSettled grows, overpaidBy shows it, settledAt stays', async () => {
    // Prepare
    const world = await paidTwice();
    const before = await world.invoice();
    // Act
    const resolved = await world.resolve({ action: 'match', paymentIds: [INVOICE] });
    // Assess
    expect(await world.invoice()).toMatchObject({
      status: 'settled',
      version: (before?.version ?? 0) + 1,
      settlement: { amountSettled: 11_000, overpaidBy: 5_500, settledAt: before?.settlement?.settledAt, matchedBy: 'reference', transactionIds: [...(before?.settlement?.transactionIds ?? []), world.duplicate.transactionId] },
    });
    expect(resolved).toMatchObject({
      status: 'resolved',
      resolution: { action: 'match', by: 'key_0123456789abcdef', at: RESOLVED_AT, paymentIds: [INVOICE], note: null, refundPaymentId: null },
    });
    const stored = await world.transactions.get(TENANT_ID, account.id, 'bank-second');
    expect(stored?.transaction.reconciliation).toMatchObject({ status: 'matched', paymentIds: [INVOICE], matchedBy: 'manual' });
    // One event says so; the payment was settled already, so no second payment.settled.
    expect(world.events.types()).toEqual(['reconciliation.exception_resolved']);
    expect(world.events.published[0]?.data).toMatchObject({ id: world.duplicate.id, status: 'resolved', resolution: { action: 'match', by: 'key_0123456789abcdef', at: RESOLVED_AT } });
  });

  it('matched to another open payment settles that one through the conditional write, manually', async () => {
    const world = await paidTwice();
    await world.resolve({ action: 'match', paymentIds: [OTHER_INVOICE] });
    expect(await world.invoice(OTHER_INVOICE)).toMatchObject({ status: 'settled', settlement: { amountSettled: 5_500, matchedBy: 'manual' } });
    expect(await world.invoice()).toMatchObject({ settlement: { amountSettled: 5_500 } });
    expect(world.events.types()).toEqual(['payment.settled', 'reconciliation.exception_resolved']);
  });

  it('cannot be matched to a settled payment it does not name', async () => {
    const world = await paidTwice();
    world.payments.put({ ...aPayment({ id: OTHER_INVOICE, amount: 5_500, reference: 'INV-OTHER-1', bankPaymentId: 'bp_0002' }), version: 2, status: 'settled', settlement: { amountSettled: 5_500, overpaidBy: 0, settledAt: RESOLVED_AT, transactionIds: ['txn_x'], matchedBy: 'reference' } });
    await expect(world.resolve({ action: 'match', paymentIds: [OTHER_INVOICE] })).rejects.toMatchObject({ code: 'payment_not_matchable' });
    expect(world.events.published).toEqual([]);
  });

  it('refunded: an outbound payment of the amount to the payer, linked to the exception and transaction, created with the resolution', async () => {
    // Prepare
    const world = await paidTwice();
    // Act
    const resolved = await world.resolve({ action: 'refund' });
    // Assess
    const refundId = resolved.resolution?.refundPaymentId;
    expect(refundId).toMatch(/^pay_/);
    expect(await world.invoice(String(refundId))).toMatchObject({
      direction: 'outbound',
      amount: 5_500,
      currency: 'GBP',
      accountId: account.id,
      counterparty: PAYER,
      status: 'authorisation_required',
      metadata: { refundOfTransactionId: world.duplicate.transactionId, exceptionId: world.duplicate.id },
    });
    expect(world.initiations).toEqual([refundId]);
    expect(resolved.resolution).toMatchObject({ action: 'refund', by: 'key_0123456789abcdef', at: RESOLVED_AT, paymentIds: [], note: null });
    // The invoice keeps what it settled.
    expect(await world.invoice()).toMatchObject({ settlement: { amountSettled: 5_500, overpaidBy: 0 } });
    expect(world.events.types()).toEqual(['reconciliation.exception_resolved']);
  });

  it.each([
    { description: 'no counterparty at all', payer: null },
    { description: 'a name but no account', payer: { name: 'J SMITH' } },
  ])('refused with counterparty_account_unknown when the bank reported $description, and stays open', async ({ payer }) => {
    const world = await paidTwice({ payer });
    const refusal = world.resolve({ action: 'refund' });
    await expect(refusal).rejects.toBeInstanceOf(UnprocessableError);
    await expect(refusal).rejects.toMatchObject({ code: 'counterparty_account_unknown' });
    expect((await world.exceptions.get(TENANT_ID, world.duplicate.id))?.exception.status).toBe('open');
    expect(world.initiations).toEqual([]);
  });

  it('dismissed with a note records the note, who and when, and moves nothing', async () => {
    const world = await paidTwice();
    const resolved = await world.resolve({ action: 'dismiss', note: 'credit note issued', resolvedBy: 'key_fedcba9876543210' });
    expect(resolved.resolution).toEqual({ action: 'dismiss', by: 'key_fedcba9876543210', at: RESOLVED_AT, paymentIds: [], note: 'credit note issued', refundPaymentId: null });
    expect(await world.invoice()).toMatchObject({ settlement: { amountSettled: 5_500 } });
    expect(world.events.types()).toEqual(['reconciliation.exception_resolved']);
  });
});

describe('resolveException: once', () => {
  it('a second resolution, the same or another, is a 409 and moves nothing twice', async () => {
    const world = await paidTwice();
    await world.resolve({ action: 'match', paymentIds: [INVOICE] });
    for (const again of [{ action: 'match', paymentIds: [INVOICE] }, { action: 'refund' }, { action: 'dismiss', note: 'again' }] as const) {
      const refusal = world.resolve(again);
      await expect(refusal).rejects.toBeInstanceOf(ConflictError);
      await expect(refusal).rejects.toMatchObject({ code: 'exception_already_resolved' });
    }
    expect(await world.invoice()).toMatchObject({ settlement: { amountSettled: 11_000 } });
    expect(world.initiations).toEqual([]);
    expect(world.events.types()).toEqual(['reconciliation.exception_resolved']);
  });

  it('of two resolutions at the same moment exactly one wins; the other is a 409 and its refund is never created', async () => {
    // Prepare: a colleague's dismissal lands between this refund's decision and its write
    const world = await paidTwice();
    world.exceptions.beforeNextResolve = async () => {
      await world.resolve({ action: 'dismiss', note: 'handled by phone', resolvedBy: 'key_colleague00000000' });
    };
    // Act
    const refusal = world.resolve({ action: 'refund' });
    // Assess
    await expect(refusal).rejects.toMatchObject({ code: 'exception_already_resolved' });
    const stored = await world.exceptions.get(TENANT_ID, world.duplicate.id);
    expect(stored?.exception.resolution).toMatchObject({ action: 'dismiss', by: 'key_colleague00000000' });
    // The refund was initiated with the bank but never stored: nothing for the tenant to authorise.
    expect(world.initiations).toHaveLength(1);
    expect(await world.invoice(world.initiations[0])).toBeUndefined();
    expect(world.events.types()).toEqual(['reconciliation.exception_resolved']);
  });

  it('publishes exception_resolved from the outbox: lost with EventBridge down, sent by the next request, once', async () => {
    const world = await paidTwice();
    world.events.failNext();
    await expect(world.resolve({ action: 'dismiss', note: 'duplicate, refunded by cheque' })).rejects.toThrow('EventBridge unavailable');
    expect(world.events.published).toEqual([]);
    await expect(world.resolve({ action: 'dismiss', note: 'duplicate, refunded by cheque' })).rejects.toMatchObject({ code: 'exception_already_resolved' });
    await expect(world.resolve({ action: 'dismiss', note: 'duplicate, refunded by cheque' })).rejects.toMatchObject({ code: 'exception_already_resolved' });
    expect(world.events.types()).toEqual(['reconciliation.exception_resolved']);
  });
});

describe('resolveException: exceptions whose money is already applied', () => {
  it.each(['match', 'refund'] as const)('an amount_mismatch cannot be resolved by %s, only dismissed', async (action) => {
    const accounts = new InMemoryAccountRepository([account]);
    const payments = new InMemoryPaymentRepository([aPayment({ id: INVOICE, amount: 5_500, status: 'executed' })]);
    const transactions = new InMemoryTransactionStore(payments);
    const exceptions = new InMemoryExceptionStore(transactions, payments);
    const events = new RecordingEventPublisher();
    const clock = fixedClock();
    const ids = sequentialIds();
    await reconcileTransaction(aReportedTransaction({ amount: 6_000, counterparty: PAYER }), { accounts, payments, transactions, referenceIndex: payments, events, ids, clock });
    const [mismatch] = transactions.exceptions;
    expect(mismatch?.type).toBe('amount_mismatch');
    const gateway: BankGateway = { initiatePayment: async () => ({ bankPaymentId: 'bp_never', authorisationUrl: 'https://sandbox.example/never' }) };
    const command = action === 'match' ? { action, paymentIds: [INVOICE] } : { action };
    await expect(
      resolveException(
        { tenantId: TENANT_ID, exceptionId: String(mismatch?.id), resolvedBy: 'key_0123456789abcdef', ...command },
        { exceptions, transactions, payments, events, clock, refunds: { accounts, gateway, ids, randomIndex: () => 0, payees: sandboxPayeeVerifier } },
      ),
    ).rejects.toMatchObject({ code: action === 'match' ? 'nothing_to_match' : 'nothing_to_refund' });
  });
});
