import { describe, expect, it } from 'vitest';
import type { Account, Page } from '../../../../shared/domain/accounts/account';
import { NotFoundError, ValidationError } from '../../../../shared/domain/errors';
import type { Payment } from '../../../../shared/domain/payments/payment';
import type { ReconciliationException } from '../../../../shared/domain/reconciliation/reconciliation-exception';
import { buildReconciliationReport, type ReportDeps, summariseReconciliation } from '../../../../shared/domain/reconciliation/reconciliation-report';
import type { BankTransaction } from '../../../../shared/domain/settlement/bank-transaction';
import { OTHER_TENANT_ID, TENANT_ID } from '../../../support/domain-fakes';
import { fixedClock } from '../../../support/fakes';
import {
  EUR_ACCOUNT,
  GBP_ACCOUNT,
  PERIOD,
  PERIOD_ACCOUNTS,
  PERIOD_EXCEPTIONS,
  PERIOD_PAYMENTS,
  PERIOD_TRANSACTIONS,
  REPORT_NOW,
} from '../../../support/reconciliation-period';

const onePage = <T>(data: readonly T[]): Page<T> => ({ data: [...data], nextCursor: null });

/** Reads the fixture the way the stores do: one tenant, transactions of one account booked in the period. */
const periodDeps = (world: { accounts?: readonly Account[]; transactions?: readonly BankTransaction[]; payments?: readonly Payment[]; exceptions?: readonly ReconciliationException[] } = {}): ReportDeps => {
  const accounts = world.accounts ?? PERIOD_ACCOUNTS;
  return {
    accounts: {
      get: async (tenantId, accountId) => accounts.find((account) => account.tenantId === tenantId && account.id === accountId),
      list: async (tenantId) => onePage(accounts.filter((account) => account.tenantId === tenantId)),
    },
    transactions: {
      list: async (_tenantId, accountId, filter) =>
        onePage(
          (world.transactions ?? PERIOD_TRANSACTIONS).filter(
            (transaction) =>
              transaction.accountId === accountId && transaction.bookingDateTime >= (filter.from ?? '') && transaction.bookingDateTime <= (filter.to ?? '\uffff'),
          ),
        ),
    },
    payments: { list: async (_tenantId, filter) => onePage((world.payments ?? PERIOD_PAYMENTS).filter((payment) => payment.createdAt <= (filter.createdTo ?? '\uffff'))) },
    exceptions: {
      list: async (_tenantId, filter) =>
        onePage(
          (world.exceptions ?? PERIOD_EXCEPTIONS).filter(
            (exception) =>
              exception.createdAt >= (filter.createdFrom ?? '') &&
              exception.createdAt <= (filter.createdTo ?? '\uffff') &&
              (filter.status === undefined || exception.status === filter.status),
          ),
        ),
      get: async (_tenantId, exceptionId) => {
        const exception = (world.exceptions ?? PERIOD_EXCEPTIONS).find((candidate) => candidate.id === exceptionId);
        return exception === undefined ? undefined : { exception, outbox: [] };
      },
    },
    clock: fixedClock(REPORT_NOW),
  };
};

const zero = (amount: string) => ({ count: 0, amount });

/** The latency histogram expected: every fixed bucket, in order, with the given counts by bound and 0 elsewhere. */
const buckets = (counts: Readonly<Record<number, number>>) =>
  [1_000, 5_000, 30_000, 60_000, 300_000, 900_000, 3_600_000, 14_400_000, 86_400_000, null].map((upToMs) => ({ upToMs, count: upToMs === null ? 0 : (counts[upToMs] ?? 0) }));

describe('buildReconciliationReport', () => {
  it('keeps money in and money out apart per account and currency, with returns as returns, against hand-computed figures', async () => {
    // Act
    const report = await buildReconciliationReport({ tenantId: TENANT_ID, ...PERIOD, accountId: undefined }, periodDeps());

    // Assess
    const [gbp, eur] = report.accounts;
    expect(report).toMatchObject({ from: PERIOD.from, to: PERIOD.to, accountId: null, asOf: PERIOD.to });
    expect(report.accounts).toHaveLength(2);
    expect(gbp).toMatchObject({ accountId: GBP_ACCOUNT.id, accountName: '=SUM(A1:A9), "Ops"', currency: 'GBP' });
    // 1,200.00 + 1,252.40 matched (the pending 1,252.40 replaced by its booked twin is not counted again).
    expect(gbp?.moneyIn).toEqual({
      matched: { count: 2, amount: '2452.40' },
      unmatched: { count: 1, amount: '75.00' },
      needsReview: { count: 1, amount: '40.00' },
      returned: zero('0.00'),
      pending: { count: 1, amount: '50.00' },
      // 2,452.40 + 75.00 + 40.00
      totalBooked: { count: 4, amount: '2567.40' },
    });
    // The 300.00 debit returning a settled inbound payment is returned, not matched.
    expect(gbp?.moneyOut).toEqual({
      matched: { count: 1, amount: '428.75' },
      unmatched: zero('0.00'),
      needsReview: zero('0.00'),
      returned: { count: 1, amount: '300.00' },
      pending: zero('0.00'),
      totalBooked: { count: 2, amount: '728.75' },
    });
    // 2,567.40 − 728.75
    expect(gbp?.net).toBe('1838.65');
    expect(gbp?.payments).toEqual({
      settledInPeriod: { inbound: { count: 2, amount: '2452.40' }, outbound: { count: 1, amount: '428.75' } },
      // 300.00 returned + 500.00 unpaid + 150.00 still owed on 200.00; 100.00 outbound executed. Not the one created in December.
      open: { inbound: { count: 3, amount: '950.00' }, outbound: { count: 1, amount: '100.00' } },
    });
    expect(gbp?.exceptions).toEqual({
      open: 2,
      resolved: 1,
      byType: {
        unmatched: { open: 1, resolved: 0 },
        ambiguous: { open: 0, resolved: 1 },
        amount_mismatch: { open: 0, resolved: 0 },
        duplicate_payment: { open: 0, resolved: 0 },
        returned: { open: 1, resolved: 0 },
      },
      // At 1 Dec 00:00: 10.5 days, 2.6 days, 6 hours.
      byAge: { under1Day: { open: 0, resolved: 1 }, days1To7: { open: 1, resolved: 0 }, days7To30: { open: 1, resolved: 0 }, over30Days: { open: 0, resolved: 0 } },
    });
    // The backlog, however old: October's unmatched credit (61 days at 1 Dec), November's (10.5) and the return (2.6).
    expect(gbp?.openExceptions).toEqual({
      count: 3,
      byType: { unmatched: 2, ambiguous: 0, amount_mismatch: 0, duplicate_payment: 0, returned: 1 },
      byAge: { under1Day: 0, days1To7: 1, days7To30: 1, over30Days: 1 },
    });
    // 30 s, 5 min, 1 h: nearest rank.
    expect(gbp?.settlementLatency).toEqual({ count: 3, p50Ms: 300_000, p90Ms: 3_600_000, p99Ms: 3_600_000, histogram: buckets({ 30_000: 1, 300_000: 1, 3_600_000: 1 }) });

    expect(eur).toMatchObject({
      accountId: EUR_ACCOUNT.id,
      currency: 'EUR',
      // The 2.50 credit returning an outbound payment is returned money in.
      moneyIn: { matched: { count: 1, amount: '10.00' }, returned: { count: 1, amount: '2.50' }, totalBooked: { count: 2, amount: '12.50' } },
      moneyOut: { matched: zero('0.00'), returned: zero('0.00'), totalBooked: zero('0.00') },
      net: '12.50',
      payments: { settledInPeriod: { inbound: { count: 1, amount: '10.00' }, outbound: zero('0.00') }, open: { inbound: zero('0.00'), outbound: { count: 1, amount: '2.50' } } },
      exceptions: { open: 0, resolved: 1, byType: { returned: { open: 0, resolved: 1 } }, byAge: { days7To30: { open: 0, resolved: 1 } } },
      settlementLatency: { count: 1, p50Ms: 10_000, p90Ms: 10_000, p99Ms: 10_000, histogram: buckets({ 30_000: 1 }) },
    });
    // Across both accounts: 10 s, 30 s, 5 min, 1 h.
    expect(report.settlementLatency).toEqual({ count: 4, p50Ms: 30_000, p90Ms: 3_600_000, p99Ms: 3_600_000, histogram: buckets({ 30_000: 2, 300_000: 1, 3_600_000: 1 }) });
  });

  it('reports one account when asked, and a quiet account in its own currency with zeros', async () => {
    const report = await buildReconciliationReport({ tenantId: TENANT_ID, ...PERIOD, accountId: EUR_ACCOUNT.id }, periodDeps({ transactions: [], payments: [], exceptions: [] }));

    expect(report.accountId).toBe(EUR_ACCOUNT.id);
    expect(report.accounts).toEqual([
      expect.objectContaining({ accountId: EUR_ACCOUNT.id, currency: 'EUR', moneyIn: expect.objectContaining({ totalBooked: zero('0.00') }), net: '0.00' }),
    ]);
    expect(report.settlementLatency).toEqual({ count: 0, p50Ms: null, p90Ms: null, p99Ms: null, histogram: buckets({}) });
  });

  it('measures exception ages at now when the period has not ended yet', async () => {
    const report = await buildReconciliationReport(
      { tenantId: TENANT_ID, from: PERIOD.from, to: '2027-01-01T00:00:00.000Z', accountId: GBP_ACCOUNT.id },
      periodDeps(),
    );

    expect(report.asOf).toBe(REPORT_NOW);
    // At 3 Dec 09:00 the unmatched exception is 12.9 days old, the returned one 5 days, the ambiguous one 2.6 days.
    expect(report.accounts[0]?.exceptions.byAge).toEqual({
      under1Day: { open: 0, resolved: 0 },
      days1To7: { open: 1, resolved: 1 },
      days7To30: { open: 1, resolved: 0 },
      over30Days: { open: 0, resolved: 0 },
    });
  });

  it('counts a return as returned even when its exception was opened before the period', async () => {
    // The bank's booking time ran ahead of ours: the return is booked in the period, its exception opened just before.
    const early = PERIOD_EXCEPTIONS.map((exception) => (exception.id === 'exc_2' ? { ...exception, createdAt: '2026-10-31T23:59:00.000Z' } : exception));

    const report = await buildReconciliationReport({ tenantId: TENANT_ID, ...PERIOD, accountId: GBP_ACCOUNT.id }, periodDeps({ exceptions: early }));

    expect(report.accounts[0]?.moneyOut).toMatchObject({ matched: { count: 1, amount: '428.75' }, returned: { count: 1, amount: '300.00' } });
    // Read to tell the return, but not counted among the period's exceptions.
    expect(report.accounts[0]?.exceptions).toMatchObject({ open: 1, byType: { returned: { open: 0, resolved: 0 } } });
  });

  it('sums beyond a safe integer of minor units without losing a penny', () => {
    const big = PERIOD_TRANSACTIONS.filter((transaction) => transaction.id === 'txn_in1').flatMap((transaction) => [
      { ...transaction, id: 'txn_big1', amount: Number.MAX_SAFE_INTEGER },
      { ...transaction, id: 'txn_big2', amount: 2 },
    ]);

    const report = summariseReconciliation({ ...PERIOD, accountId: null, now: new Date(REPORT_NOW), accounts: [GBP_ACCOUNT], transactions: big, payments: [], exceptions: [] });

    // 9,007,199,254,740,991 + 2 minor units
    expect(report.accounts[0]?.moneyIn.matched).toEqual({ count: 2, amount: '90071992547409.93' });
  });

  it.each([
    { description: 'to before from', from: PERIOD.to, to: PERIOD.from, message: 'must be after from' },
    { description: 'an empty period', from: PERIOD.from, to: PERIOD.from, message: 'must be after from' },
    { description: 'more than 366 days', from: '2025-11-01T00:00:00.000Z', to: '2026-11-02T00:00:01.000Z', message: 'must be at most 366 days after from' },
  ])('refuses $description with a 400 naming `to`', async ({ from, to, message }) => {
    const attempt = buildReconciliationReport({ tenantId: TENANT_ID, from, to, accountId: undefined }, periodDeps());

    await expect(attempt).rejects.toBeInstanceOf(ValidationError);
    await expect(attempt).rejects.toMatchObject({ details: [{ path: 'to', message }] });
  });

  it('answers 404 for an account of another tenant', async () => {
    const theirs = { ...GBP_ACCOUNT, tenantId: OTHER_TENANT_ID, id: 'acc_01JD00000000000000000000C3' };

    const attempt = buildReconciliationReport({ tenantId: TENANT_ID, ...PERIOD, accountId: theirs.id }, periodDeps({ accounts: [...PERIOD_ACCOUNTS, theirs] }));

    await expect(attempt).rejects.toBeInstanceOf(NotFoundError);
  });
});
