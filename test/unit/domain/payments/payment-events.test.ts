import { describe, expect, it } from 'vitest';
import type { Account } from '../../../../shared/domain/accounts/account';
import type { PaymentStatus } from '../../../../shared/domain/payments/payment';
import { changeTime, paymentEvents, statesPassed } from '../../../../shared/domain/payments/payment-events';
import { applyPaymentStatus } from '../../../../shared/domain/settlement/apply-payment-status';
import type { ReportedTransaction } from '../../../../shared/domain/settlement/bank-transaction';
import type { PaymentStatusReport } from '../../../../shared/domain/settlement/settlement-store';
import { reconcileTransaction } from '../../../../shared/domain/settlement/reconcile-transaction';
import {
  anAccount,
  aPayment,
  aReportedTransaction,
  aStatusReport,
  InMemoryAccountRepository,
  InMemoryPaymentRepository,
  InMemoryTransactionStore,
  RecordingEventPublisher,
  TENANT_ID,
} from '../../../support/domain-fakes';
import { fixedClock, sequentialIds } from '../../../support/fakes';

const NOW = '2026-11-24T10:00:10.000Z';
const PAYMENT_ID = 'pay_01JD0000000000000000000001';

describe('statesPassed', () => {
  it.each<{ from: PaymentStatus; to: PaymentStatus; passed: PaymentStatus[] }>([
    { from: 'authorisation_required', to: 'authorised', passed: ['authorised'] },
    { from: 'authorisation_required', to: 'executed', passed: ['authorised', 'executed'] },
    { from: 'authorisation_required', to: 'settled', passed: ['authorised', 'executed', 'settled'] },
    { from: 'authorisation_required', to: 'partially_settled', passed: ['authorised', 'executed', 'partially_settled'] },
    { from: 'authorised', to: 'executed', passed: ['executed'] },
    { from: 'authorised', to: 'settled', passed: ['executed', 'settled'] },
    { from: 'executed', to: 'settled', passed: ['settled'] },
    { from: 'partially_settled', to: 'settled', passed: ['settled'] },
    { from: 'settled', to: 'returned', passed: ['returned'] },
    { from: 'returned', to: 'settled', passed: ['settled'] },
    // Refused before the payer authorised: nothing to infer.
    { from: 'authorisation_required', to: 'failed', passed: ['failed'] },
    { from: 'authorised', to: 'failed', passed: ['failed'] },
    { from: 'authorised', to: 'expired', passed: ['expired'] },
  ])('$from → $to passes $passed', ({ from, to, passed }) => {
    expect(statesPassed(from, to)).toEqual(passed);
  });
});

describe('paymentEvents', () => {
  it('emits the skipped states first, a millisecond apart, each showing the payment in that state', () => {
    // Prepare
    const from = aPayment({ status: 'authorisation_required' });
    const to = aPayment({
      status: 'settled',
      version: 2,
      updatedAt: NOW,
      settlement: { amountSettled: 12_500, overpaidBy: 0, settledAt: NOW, transactionIds: ['txn_1'], matchedBy: 'reference' },
    });
    // Act
    const events = paymentEvents(from, to, 'txn_1', NOW);
    // Assess
    expect(events.map((event) => [event.type, event.metadata.occurredAt])).toEqual([
      ['payment.authorised', '2026-11-24T10:00:09.998Z'],
      ['payment.executed', '2026-11-24T10:00:09.999Z'],
      ['payment.settled', NOW],
    ]);
    expect(events.map((event) => event.data)).toEqual([
      expect.objectContaining({ status: 'authorised', settlement: null }),
      expect.objectContaining({ status: 'executed', executedAt: '2026-11-24T10:00:09.999Z', settlement: null }),
      expect.objectContaining({ status: 'settled', settlement: expect.objectContaining({ amountSettled: '125.00' }) }),
    ]);
  });

  it('gives a once-only state the same id whichever change reaches it', () => {
    // Prepare
    const executed = aPayment({ status: 'executed', version: 2 });
    // Act
    const byStatusReport = paymentEvents(aPayment({ status: 'authorisation_required' }), executed, 'bp_0001', NOW);
    const byPendingCredit = paymentEvents(aPayment({ status: 'authorisation_required' }), executed, 'txn_9', '2026-11-24T11:00:00.000Z');
    // Assess
    expect(byPendingCredit.map((event) => event.metadata.id)).toEqual(byStatusReport.map((event) => event.metadata.id));
  });

  it('publishes nothing for a settled payment paid again (its exception says so)', () => {
    const settled = aPayment({ status: 'settled' });
    expect(paymentEvents(settled, { ...settled, version: 2 }, 'txn_2', NOW)).toEqual([]);
  });
});

describe('changeTime', () => {
  it('is now, unless a payment changed within the last few milliseconds: then just after that change', () => {
    const now = new Date('2026-11-24T10:00:10.000Z');
    expect(changeTime([aPayment({ updatedAt: '2026-11-24T10:00:00.000Z' })], now)).toBe('2026-11-24T10:00:10.000Z');
    expect(changeTime([aPayment({ updatedAt: '2026-11-24T10:00:10.000Z' })], now)).toBe('2026-11-24T10:00:10.003Z');
    expect(changeTime([], now)).toBe('2026-11-24T10:00:10.000Z');
  });

  // Regression (e2e): two writers changing one payment in the same millisecond gave executed and authorised the
  // same time, and the event log listed them by id: executed first.
  it('orders the events of two changes made in the same millisecond', async () => {
    // Prepare: a clock that never moves
    const world = pipelineWorld('authorisation_required');
    world.freeze();
    // Act
    await world.report(aStatusReport({ status: 'authorised' }));
    await world.report(aStatusReport({ status: 'executed' }));
    await world.transaction(aReportedTransaction({ bankTransactionId: 'bank-B' }));
    // Assess
    const byTime = [...world.paymentEvents()].sort((a, b) => a.metadata.occurredAt.localeCompare(b.metadata.occurredAt));
    expect(byTime.map((event) => event.type)).toEqual(['payment.authorised', 'payment.executed', 'payment.settled']);
    expect(new Set(byTime.map((event) => event.metadata.occurredAt)).size).toBe(3);
  });
});

/** Both writers of a payment's state, sharing one world, as the settlement pipeline runs them. */
const pipelineWorld = (status: PaymentStatus, account: Account = anAccount()) => {
  const accounts = new InMemoryAccountRepository([account]);
  const payments = new InMemoryPaymentRepository([aPayment({ status, version: 1 })]);
  const transactions = new InMemoryTransactionStore(payments);
  const events = new RecordingEventPublisher();
  const clock = fixedClock(NOW);
  const ids = sequentialIds();
  let seconds = 10;
  let frozen = false;
  /** Each message is handled a second after the one before (unless frozen). */
  const tick = () => {
    if (frozen) return;
    seconds += 1;
    clock.set(`2026-11-24T10:00:${String(seconds).padStart(2, '0')}.000Z`);
  };
  return {
    events,
    freeze: () => void (frozen = true),
    report: (report: PaymentStatusReport) => {
      tick();
      return applyPaymentStatus(report, { payments, events, clock });
    },
    transaction: (report: ReportedTransaction) => {
      tick();
      return reconcileTransaction(report, { accounts, payments, transactions, referenceIndex: payments, events, ids, clock });
    },
    paymentEvents: () => events.published.filter((event) => event.type.startsWith('payment.')),
  };
};

type Step = { kind: 'status'; status: 'authorised' | 'executed' } | { kind: 'transaction'; status: 'pending' | 'booked'; id: string };

describe('what a tenant hears about one payment, whatever order the bank reports in', () => {
  // Every order the sandbox profiles produce, plus redeliveries of each message.
  it.each<{ description: string; steps: Step[] }>([
    {
      description: 'exact: authorised, executed, booked',
      steps: [{ kind: 'status', status: 'authorised' }, { kind: 'status', status: 'executed' }, { kind: 'transaction', status: 'booked', id: 'B' }],
    },
    {
      description: 'exact, racing: executed before authorised',
      steps: [{ kind: 'status', status: 'executed' }, { kind: 'status', status: 'authorised' }, { kind: 'transaction', status: 'booked', id: 'B' }],
    },
    {
      description: 'uk-realistic: authorised, pending, executed, booked',
      steps: [
        { kind: 'status', status: 'authorised' },
        { kind: 'transaction', status: 'pending', id: 'P' },
        { kind: 'status', status: 'executed' },
        { kind: 'transaction', status: 'booked', id: 'B' },
      ],
    },
    {
      description: 'chaotic: pending and booked before any status, then everything again',
      steps: [
        { kind: 'transaction', status: 'pending', id: 'P' },
        { kind: 'transaction', status: 'booked', id: 'B' },
        { kind: 'status', status: 'authorised' },
        { kind: 'status', status: 'executed' },
        { kind: 'transaction', status: 'booked', id: 'B' },
        { kind: 'status', status: 'executed' },
      ],
    },
    {
      description: 'chaotic: the booked credit first, executed status lost',
      steps: [{ kind: 'transaction', status: 'booked', id: 'B' }, { kind: 'status', status: 'authorised' }],
    },
  ])('$description → authorised, executed, settled once each, in that order', async ({ steps }) => {
    // Prepare
    const world = pipelineWorld('authorisation_required');
    // Act
    for (const step of steps) {
      if (step.kind === 'status') await world.report(aStatusReport({ status: step.status }));
      else await world.transaction(aReportedTransaction({ status: step.status, bankTransactionId: `bank-${step.id}` }));
    }
    // Assess: each fact once (by id), in the payment's own order (by occurredAt, as the event log lists them)
    const heard = world.paymentEvents();
    const firstOfEach = heard.filter((event, index) => heard.findIndex((other) => other.metadata.id === event.metadata.id) === index);
    expect(firstOfEach.map((event) => event.type)).toEqual(['payment.authorised', 'payment.executed', 'payment.settled']);
    expect(heard).toHaveLength(3);
    const byTime = [...firstOfEach].sort((a, b) => a.metadata.occurredAt.localeCompare(b.metadata.occurredAt));
    expect(byTime.map((event) => event.type)).toEqual(['payment.authorised', 'payment.executed', 'payment.settled']);
    expect(firstOfEach.every((event) => (event.data as { id: string }).id === PAYMENT_ID && event.metadata.tenantId === TENANT_ID)).toBe(true);
  });
});
