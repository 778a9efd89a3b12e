import { describe, expect, it } from 'vitest';
import { reconciliationReportCsv, reconciliationReportFileName } from '../../../../shared/adapters/csv/reconciliation-report-csv';
import { summariseReconciliation } from '../../../../shared/domain/reconciliation/reconciliation-report';
import { anAccount } from '../../../support/domain-fakes';
import { PERIOD, PERIOD_ACCOUNTS, PERIOD_EXCEPTIONS, PERIOD_PAYMENTS, PERIOD_TRANSACTIONS, REPORT_NOW } from '../../../support/reconciliation-period';

const periodReport = (accounts = PERIOD_ACCOUNTS) =>
  summariseReconciliation({
    ...PERIOD,
    accountId: null,
    now: new Date(REPORT_NOW),
    accounts,
    transactions: PERIOD_TRANSACTIONS,
    payments: PERIOD_PAYMENTS,
    exceptions: PERIOD_EXCEPTIONS,
  });

const lines = (csv: string) => csv.split('\r\n');

describe('reconciliationReportCsv', () => {
  it('writes one row per account, currency, section, direction and status with the hand-computed figures', () => {
    // Act
    const csv = reconciliationReportCsv(periodReport());

    // Assess: the GBP account's name is a formula and holds a comma and quotes, so it is neutralised and quoted.
    const gbp = `acc_01JD00000000000000000000A1,"'=SUM(A1:A9), ""Ops""",GBP`;
    expect(csv.endsWith('\r\n')).toBe(true);
    expect(lines(csv).slice(0, 23)).toEqual([
      'account_id,account_name,currency,section,direction,status,count,amount,milliseconds',
      `${gbp},transactions,in,matched,2,2452.40,`,
      `${gbp},transactions,in,unmatched,1,75.00,`,
      `${gbp},transactions,in,needs_review,1,40.00,`,
      `${gbp},transactions,in,returned,0,0.00,`,
      `${gbp},transactions,in,pending,1,50.00,`,
      `${gbp},transactions,in,total_booked,4,2567.40,`,
      `${gbp},transactions,out,matched,1,428.75,`,
      `${gbp},transactions,out,unmatched,0,0.00,`,
      `${gbp},transactions,out,needs_review,0,0.00,`,
      `${gbp},transactions,out,returned,1,300.00,`,
      `${gbp},transactions,out,pending,0,0.00,`,
      `${gbp},transactions,out,total_booked,2,728.75,`,
      `${gbp},net,in,total_booked,,1838.65,`,
      `${gbp},payments,in,settled_in_period,2,2452.40,`,
      `${gbp},payments,in,open,3,950.00,`,
      `${gbp},payments,out,settled_in_period,1,428.75,`,
      `${gbp},payments,out,open,1,100.00,`,
      `${gbp},exceptions_by_type,,unmatched/open,1,,`,
      `${gbp},exceptions_by_type,,unmatched/resolved,0,,`,
      `${gbp},exceptions_by_type,,ambiguous/open,0,,`,
      `${gbp},exceptions_by_type,,ambiguous/resolved,1,,`,
      `${gbp},exceptions_by_type,,amount_mismatch/open,0,,`,
    ]);
    expect(lines(csv)).toEqual(
      expect.arrayContaining([
        `${gbp},exceptions_by_type,,returned/open,1,,`,
        `${gbp},exceptions_by_age,,days7To30/open,1,,`,
        `${gbp},exceptions_by_age,,days1To7/open,1,,`,
        `${gbp},exceptions_by_age,,under1Day/resolved,1,,`,
        `${gbp},open_exceptions_by_type,,unmatched,2,,`,
        `${gbp},open_exceptions_by_age,,over30Days,1,,`,
        `${gbp},settlement_latency,,p50,3,,300000`,
        `${gbp},settlement_latency,,p90,3,,3600000`,
        `${gbp},settlement_latency,,p99,3,,3600000`,
        // 30 s, 5 min, 1 h: each in the bucket whose bound it reaches; every other bucket 0.
        `${gbp},settlement_latency_histogram,,le_1000,0,,`,
        `${gbp},settlement_latency_histogram,,le_30000,1,,`,
        `${gbp},settlement_latency_histogram,,le_60000,0,,`,
        `${gbp},settlement_latency_histogram,,le_300000,1,,`,
        `${gbp},settlement_latency_histogram,,le_3600000,1,,`,
        `${gbp},settlement_latency_histogram,,le_86400000,0,,`,
        `${gbp},settlement_latency_histogram,,gt_86400000,0,,`,
        'acc_01JD00000000000000000000B2,Euro account,EUR,transactions,in,returned,1,2.50,',
        'acc_01JD00000000000000000000B2,Euro account,EUR,net,in,total_booked,,12.50,',
        'acc_01JD00000000000000000000B2,Euro account,EUR,payments,out,open,1,2.50,',
      ]),
    );
    // 2 groups × (12 transactions + net + 4 payments + 10 by type + 8 by age + 5 + 4 open backlog + 3 latency
    // + 10 latency buckets) + header + final CRLF.
    expect(lines(csv)).toHaveLength(2 * 57 + 2);
    expect(lines(csv).filter((line) => line.startsWith(`${gbp},settlement_latency_histogram,`)).map((line) => line.split(',').at(-4))).toEqual([
      'le_1000',
      'le_5000',
      'le_30000',
      'le_60000',
      'le_300000',
      'le_900000',
      'le_3600000',
      'le_14400000',
      'le_86400000',
      'gt_86400000',
    ]);
  });

  it('writes a net outflow as an unsigned amount in the out direction, so no number cell starts with a sign', () => {
    const outflow = summariseReconciliation({
      ...PERIOD,
      accountId: null,
      now: new Date(REPORT_NOW),
      accounts: PERIOD_ACCOUNTS,
      transactions: PERIOD_TRANSACTIONS.filter((transaction) => transaction.creditDebitIndicator === 'debit'),
      payments: [],
      exceptions: PERIOD_EXCEPTIONS,
    });
    expect(outflow.accounts[0]?.net).toBe('-728.75');

    const csv = reconciliationReportCsv(outflow);

    expect(lines(csv)).toContain(`acc_01JD00000000000000000000A1,"'=SUM(A1:A9), ""Ops""",GBP,net,out,total_booked,,728.75,`);
    expect(csv).not.toMatch(/,'?-[0-9]/);
  });

  it.each([
    { description: 'a formula', name: '=HYPERLINK("http://evil.example")', cell: `"'=HYPERLINK(""http://evil.example"")"` },
    { description: 'a plus sign', name: '+44 team', cell: `'+44 team` },
    { description: 'a minus sign', name: '-1 account', cell: `'-1 account` },
    { description: 'an at sign', name: '@SUM(1)', cell: `'@SUM(1)` },
    { description: 'a tab', name: '\tTab', cell: `'\tTab` },
    { description: 'a carriage return', name: '\rCR', cell: `"'\rCR"` },
    { description: 'a line break inside', name: 'Ops\nTeam', cell: `"Ops\nTeam"` },
    { description: 'a comma', name: 'Acme, Ltd', cell: `"Acme, Ltd"` },
  ])('neutralises and quotes an account name with $description', ({ name, cell }) => {
    const csv = reconciliationReportCsv(periodReport([anAccount({ name })]));

    expect(csv.split('\r\n')[1]).toBe(`acc_01JD0000000000000000000001,${cell},GBP,transactions,in,matched,0,0.00,`);
  });

  it('names the download after the period', () => {
    expect(reconciliationReportFileName(PERIOD)).toBe('reconciliation-report_2026-11-01_2026-12-01.csv');
  });
});
