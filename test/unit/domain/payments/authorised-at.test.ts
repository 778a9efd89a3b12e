import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { authorisedAtAfter, type Payment, PAYMENT_STATUSES } from '../../../../shared/domain/payments/payment';
import { paymentView } from '../../../../shared/domain/payments/payment-view';
import { applyPaymentStatus } from '../../../../shared/domain/settlement/apply-payment-status';
import { aPayment, aStatusReport, InMemoryPaymentRepository, RecordingEventPublisher, TENANT_ID } from '../../../support/domain-fakes';
import { fixedClock } from '../../../support/fakes';

const PAYMENT_ID = 'pay_01JD0000000000000000000001';

const statusWorld = (payment: Payment) => {
  const payments = new InMemoryPaymentRepository([payment]);
  const events = new RecordingEventPublisher();
  return { payments, events, deps: { payments, events, clock: fixedClock('2026-11-24T10:00:06.000Z') } };
};

describe('authorisedAt', () => {
  it('is set by the change into authorised, kept by every later change, and never set by a change into another state', () => {
    fc.assert(
      fc.property(fc.constantFrom(...PAYMENT_STATUSES), fc.option(fc.constant('2026-11-24T09:00:00.000Z'), { nil: undefined }), (status, before) => {
        const after = authorisedAtAfter({ authorisedAt: before }, status, '2026-11-24T10:00:00.000Z');
        if (before !== undefined) expect(after).toBe(before);
        else expect(after).toBe(status === 'authorised' ? '2026-11-24T10:00:00.000Z' : undefined);
      }),
    );
  });

  it('takes the bank’s time of the authorised report, in the same write as the status, and keeps it through execution', async () => {
    // Prepare
    const world = statusWorld(aPayment({ status: 'authorisation_required' }));
    // Act
    await applyPaymentStatus(aStatusReport({ status: 'authorised', at: '2026-11-24T10:00:01.000Z' }), world.deps);
    const authorised = await world.payments.get(TENANT_ID, PAYMENT_ID);
    await applyPaymentStatus(aStatusReport({ status: 'executed', at: '2026-11-24T10:00:05.000Z' }), world.deps);
    const executed = await world.payments.get(TENANT_ID, PAYMENT_ID);
    // Assess
    expect(authorised).toMatchObject({ status: 'authorised', authorisedAt: '2026-11-24T10:00:01.000Z', version: 2 });
    expect(executed).toMatchObject({ status: 'executed', authorisedAt: '2026-11-24T10:00:01.000Z', executedAt: '2026-11-24T10:00:05.000Z', version: 3 });
    expect(world.events.published.map((event) => event.data)).toEqual([
      expect.objectContaining({ status: 'authorised', authorisedAt: '2026-11-24T10:00:01.000Z' }),
      expect.objectContaining({ status: 'executed', authorisedAt: '2026-11-24T10:00:01.000Z', executedAt: '2026-11-24T10:00:05.000Z' }),
    ]);
  });

  it('stays unset when the executed report comes first, and a late authorised report changes nothing', async () => {
    // Prepare
    const world = statusWorld(aPayment({ status: 'authorisation_required' }));
    // Act
    await applyPaymentStatus(aStatusReport({ status: 'executed', at: '2026-11-24T10:00:05.000Z' }), world.deps);
    const late = await applyPaymentStatus(aStatusReport({ status: 'authorised', at: '2026-11-24T10:00:01.000Z' }), world.deps);
    // Assess
    expect(late).toBe('ignored');
    const payment = await world.payments.get(TENANT_ID, PAYMENT_ID);
    expect(payment?.status).toBe('executed');
    expect(payment?.authorisedAt).toBeUndefined();
    expect(payment === undefined ? undefined : Object.keys(paymentView(payment))).not.toContain('authorisedAt');
  });

  it('is shown in the view only when set', () => {
    // Prepare
    const without = aPayment({ status: 'authorisation_required' });
    const withIt = aPayment({ status: 'authorised', authorisedAt: '2026-11-24T10:00:01.000Z' });
    // Act
    const [viewWithout, viewWith] = [paymentView(without), paymentView(withIt)];
    // Assess
    expect(Object.keys(viewWithout)).not.toContain('authorisedAt');
    expect(viewWith).toMatchObject({ authorisedAt: '2026-11-24T10:00:01.000Z' });
  });
});
