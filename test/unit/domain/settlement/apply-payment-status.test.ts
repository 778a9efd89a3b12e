import { describe, expect, it } from 'vitest';
import type { Payment } from '../../../../shared/domain/payments/payment';
import { applyPaymentStatus } from '../../../../shared/domain/settlement/apply-payment-status';
import { aPayment, aStatusReport, InMemoryPaymentRepository, RecordingEventPublisher, TENANT_ID } from '../../../support/domain-fakes';
import { fixedClock } from '../../../support/fakes';

const PAYMENT_ID = 'pay_01JD0000000000000000000001';

const statusWorld = (payment: Payment) => {
  const payments = new InMemoryPaymentRepository([payment]);
  const events = new RecordingEventPublisher();
  const clock = fixedClock('2026-11-24T10:00:06.000Z');
  return { payments, events, clock, deps: { payments, events, clock } };
};

describe('applyPaymentStatus', () => {
  it('moves an authorised payment to executed and publishes payment.executed', async () => {
    // Prepare
    const world = statusWorld(aPayment({ status: 'authorised' }));
    // Act
    const outcome = await applyPaymentStatus(aStatusReport({ status: 'executed', at: '2026-11-24T10:00:05.000Z' }), world.deps);
    // Assess
    expect(outcome).toBe('applied');
    expect(await world.payments.get(TENANT_ID, PAYMENT_ID)).toMatchObject({
      status: 'executed',
      executedAt: '2026-11-24T10:00:05.000Z',
      updatedAt: '2026-11-24T10:00:06.000Z',
      version: 2,
    });
    expect(world.events.types()).toEqual(['payment.executed']);
    expect(world.events.published[0]?.data).toMatchObject({ id: PAYMENT_ID, status: 'executed' });
    expect(world.payments.outboxOf(TENANT_ID, PAYMENT_ID)).toEqual([]);
  });

  it('ignores a late executed report for a payment a booked credit already settled', async () => {
    // Prepare
    const settled = aPayment({
      status: 'settled',
      version: 2,
      settlement: { amountSettled: 12_500, overpaidBy: 0, settledAt: '2026-11-24T10:00:02.000Z', transactionIds: ['txn_1'], matchedBy: 'reference' },
    });
    const world = statusWorld(settled);
    // Act
    const outcome = await applyPaymentStatus(aStatusReport({ status: 'executed' }), world.deps);
    // Assess
    expect(outcome).toBe('ignored');
    expect(await world.payments.get(TENANT_ID, PAYMENT_ID)).toEqual(settled);
    expect(world.events.published).toEqual([]);
  });

  it('fails a rejected payment with the reason the bank gave', async () => {
    // Prepare
    const world = statusWorld(aPayment({ status: 'authorised' }));
    // Act
    const outcome = await applyPaymentStatus(aStatusReport({ status: 'rejected', reason: 'insufficient_funds' }), world.deps);
    // Assess
    expect(outcome).toBe('applied');
    expect(await world.payments.get(TENANT_ID, PAYMENT_ID)).toMatchObject({ status: 'failed', failureReason: 'insufficient_funds', executedAt: null });
    expect(world.events.types()).toEqual(['payment.failed']);
  });

  it('fails a rejected payment as rejected_by_bank when the bank gave no reason', async () => {
    // Prepare
    const world = statusWorld(aPayment({ status: 'authorisation_required' }));
    // Act
    await applyPaymentStatus(aStatusReport({ status: 'rejected', reason: null }), world.deps);
    // Assess
    expect((await world.payments.get(TENANT_ID, PAYMENT_ID))?.failureReason).toBe('rejected_by_bank');
  });

  it('moves a payment awaiting authorisation to authorised and publishes payment.authorised', async () => {
    // Prepare
    const world = statusWorld(aPayment({ status: 'authorisation_required' }));
    // Act
    const outcome = await applyPaymentStatus(aStatusReport({ status: 'authorised' }), world.deps);
    // Assess
    expect(outcome).toBe('applied');
    expect((await world.payments.get(TENANT_ID, PAYMENT_ID))?.status).toBe('authorised');
    expect(world.events.types()).toEqual(['payment.authorised']);
  });

  it('answers unknown_payment for a bank payment id it never issued', async () => {
    // Prepare
    const world = statusWorld(aPayment());
    // Act
    const outcome = await applyPaymentStatus(aStatusReport({ bankPaymentId: 'bp_unknown' }), world.deps);
    // Assess
    expect(outcome).toBe('unknown_payment');
    expect(world.events.published).toEqual([]);
  });

  it('changes nothing when the same report arrives twice', async () => {
    // Prepare
    const world = statusWorld(aPayment({ status: 'authorised' }));
    await applyPaymentStatus(aStatusReport({ status: 'executed' }), world.deps);
    const afterFirst = await world.payments.get(TENANT_ID, PAYMENT_ID);
    // Act
    const outcome = await applyPaymentStatus(aStatusReport({ status: 'executed' }), world.deps);
    // Assess
    expect(outcome).toBe('ignored');
    expect(await world.payments.get(TENANT_ID, PAYMENT_ID)).toEqual(afterFirst);
    expect(world.events.types()).toEqual(['payment.executed']);
  });

  it('publishes what an earlier delivery left in the outbox when the report is redelivered', async () => {
    // Prepare: the first delivery commits the change but EventBridge is down
    const world = statusWorld(aPayment({ status: 'authorised' }));
    world.events.failNext();
    await expect(applyPaymentStatus(aStatusReport({ status: 'executed' }), world.deps)).rejects.toThrow('EventBridge unavailable');
    const left = world.payments.outboxOf(TENANT_ID, PAYMENT_ID).map((event) => event.metadata.id);
    expect(left).toHaveLength(1);
    // Act
    const outcome = await applyPaymentStatus(aStatusReport({ status: 'executed' }), world.deps);
    // Assess
    expect(outcome).toBe('ignored');
    expect(world.events.ids()).toEqual(left);
    expect(world.events.types()).toEqual(['payment.executed']);
    expect(world.payments.outboxOf(TENANT_ID, PAYMENT_ID)).toEqual([]);
  });

  it('reads the payment again when it changed meanwhile, and then ignores a report that no longer applies', async () => {
    // Prepare: a booked credit settles the payment just before the executed status is written
    const world = statusWorld(aPayment({ status: 'authorised' }));
    world.payments.beforeNextUpdate = async () => {
      const current = await world.payments.get(TENANT_ID, PAYMENT_ID);
      if (current !== undefined) world.payments.put({ ...current, status: 'settled', version: current.version + 1 });
    };
    // Act
    const outcome = await applyPaymentStatus(aStatusReport({ status: 'executed' }), world.deps);
    // Assess
    expect(outcome).toBe('ignored');
    expect(await world.payments.get(TENANT_ID, PAYMENT_ID)).toMatchObject({ status: 'settled', version: 2, executedAt: null });
    expect(world.events.published).toEqual([]);
  });

  it('reads the payment again when it changed meanwhile, and applies a report that still applies', async () => {
    // Prepare: another writer bumps the version (metadata edit) just before the executed status is written
    const world = statusWorld(aPayment({ status: 'authorised' }));
    world.payments.beforeNextUpdate = async () => {
      const current = await world.payments.get(TENANT_ID, PAYMENT_ID);
      if (current !== undefined) world.payments.put({ ...current, metadata: { note: 'edited' }, version: current.version + 1 });
    };
    // Act
    const outcome = await applyPaymentStatus(aStatusReport({ status: 'executed' }), world.deps);
    // Assess
    expect(outcome).toBe('applied');
    expect(await world.payments.get(TENANT_ID, PAYMENT_ID)).toMatchObject({ status: 'executed', version: 3, metadata: { note: 'edited' } });
    expect(world.events.types()).toEqual(['payment.executed']);
  });
});
