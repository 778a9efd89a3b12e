import type { Account } from '../../shared/domain/accounts/account';
import type { Payment } from '../../shared/domain/payments/payment';
import type { ReconciliationException } from '../../shared/domain/reconciliation/reconciliation-exception';
import type { BankTransaction, Reconciliation } from '../../shared/domain/settlement/bank-transaction';
import { anAccount, aBankTransaction, aPayment, TENANT_ID } from './domain-fakes';

/**
 * November 2026 on two accounts, built by hand so a test can state the report's figures by hand:
 * GBP account (its name is a spreadsheet formula, to prove the CSV neutralises it):
 * - in: 1,200.00 and 1,252.40 matched (the 1,252.40 first reported pending, then booked: counted once),
 *   75.00 unmatched, 40.00 needing review, 50.00 still pending;
 * - out: 428.75 matched to an outbound payment, 300.00 returning an inbound payment settled in October;
 * - payments settled in November after 5 minutes, 1 hour and 30 seconds; open: the returned 300.00, 500.00 not yet
 *   paid, 150.00 still owed on a part-paid 200.00, 100.00 outbound executed; one created after the period;
 * - exceptions: unmatched open since 20 Nov 12:00 (10.5 days at the end), returned open since 28 Nov 09:00,
 *   ambiguous resolved (30 Nov 18:00); one from October, outside the period.
 * EUR account: 10.00 in matched (settled after 10 seconds), 2.50 in returning an outbound payment (resolved).
 */
export const PERIOD = { from: '2026-11-01T00:00:00.000Z', to: '2026-12-01T00:00:00.000Z' } as const;
/** Two days after the period: exception ages are measured at the period's end. */
export const REPORT_NOW = '2026-12-03T09:00:00.000Z';

export const GBP_ACCOUNT = anAccount({ id: 'acc_01JD00000000000000000000A1', name: '=SUM(A1:A9), "Ops"', currency: 'GBP' });
export const EUR_ACCOUNT = anAccount({ id: 'acc_01JD00000000000000000000B2', name: 'Euro account', currency: 'EUR' });
export const PERIOD_ACCOUNTS: readonly Account[] = [GBP_ACCOUNT, EUR_ACCOUNT];

const reconciled = (status: Reconciliation['status'], paymentIds: string[] = [], exceptionId: string | null = null): Reconciliation => ({
  status,
  paymentIds,
  exceptionId,
  matchedBy: status === 'matched' ? 'reference' : null,
  keys: [],
  candidatePaymentIds: [],
});

const txn = (id: string, accountId: string, currency: string, creditDebitIndicator: 'credit' | 'debit', amount: number, bookingDateTime: string, reconciliation: Reconciliation, extra: Partial<BankTransaction> = {}) =>
  aBankTransaction({ id, bankTransactionId: `bank-${id}`, accountId, currency, creditDebitIndicator, amount, bookingDateTime, receivedAt: bookingDateTime, reconciliation, ...extra });

const gbp = GBP_ACCOUNT.id;
const eur = EUR_ACCOUNT.id;

export const PERIOD_TRANSACTIONS: readonly BankTransaction[] = [
  txn('txn_in1', gbp, 'GBP', 'credit', 120_000, '2026-11-02T10:05:00.000Z', reconciled('matched', ['pay_1'])),
  txn('txn_in2pending', gbp, 'GBP', 'credit', 125_240, '2026-11-03T09:00:00.000Z', reconciled('pending', ['pay_2']), {
    status: 'pending',
    supersededBy: 'txn_in2',
  }),
  txn('txn_in2', gbp, 'GBP', 'credit', 125_240, '2026-11-03T10:00:00.000Z', reconciled('matched', ['pay_2']), { supersedes: 'txn_in2pending' }),
  txn('txn_out1', gbp, 'GBP', 'debit', 42_875, '2026-11-05T08:00:30.000Z', reconciled('matched', ['pay_3'])),
  txn('txn_in3', gbp, 'GBP', 'credit', 7_500, '2026-11-20T12:00:00.000Z', reconciled('unmatched', [], 'exc_1')),
  // A return: matched to the payment it returns, with a `returned` exception.
  txn('txn_out2', gbp, 'GBP', 'debit', 30_000, '2026-11-28T09:00:00.000Z', reconciled('matched', ['pay_4'], 'exc_2')),
  txn('txn_in4', gbp, 'GBP', 'credit', 5_000, '2026-11-30T16:00:00.000Z', reconciled('pending'), { status: 'pending' }),
  txn('txn_in5', gbp, 'GBP', 'credit', 4_000, '2026-11-30T18:00:00.000Z', reconciled('needs_review', [], 'exc_3')),
  txn('txn_eur1', eur, 'EUR', 'credit', 1_000, '2026-11-15T10:00:10.000Z', reconciled('matched', ['pay_e1'])),
  txn('txn_eur2', eur, 'EUR', 'credit', 250, '2026-11-16T00:00:00.000Z', reconciled('matched', ['pay_e2'], 'exc_e1')),
];

const settledPayment = (id: string, accountId: string, currency: string, direction: 'inbound' | 'outbound', amount: number, executedAt: string, settledAt: string) =>
  aPayment({
    id,
    accountId,
    currency,
    direction,
    amount,
    status: 'settled',
    createdAt: executedAt,
    executedAt,
    settlement: { amountSettled: amount, overpaidBy: 0, settledAt, transactionIds: [], matchedBy: 'reference' },
  });

const returnedPayment = (id: string, accountId: string, currency: string, direction: 'inbound' | 'outbound', amount: number, createdAt: string) =>
  aPayment({
    id,
    accountId,
    currency,
    direction,
    amount,
    status: 'returned',
    createdAt,
    executedAt: createdAt,
    settlement: { amountSettled: 0, overpaidBy: 0, settledAt: createdAt, transactionIds: [], matchedBy: 'reference' },
  });

export const PERIOD_PAYMENTS: readonly Payment[] = [
  settledPayment('pay_1', gbp, 'GBP', 'inbound', 120_000, '2026-11-02T10:00:00.000Z', '2026-11-02T10:05:00.000Z'),
  settledPayment('pay_2', gbp, 'GBP', 'inbound', 125_240, '2026-11-03T09:00:00.000Z', '2026-11-03T10:00:00.000Z'),
  settledPayment('pay_3', gbp, 'GBP', 'outbound', 42_875, '2026-11-05T08:00:00.000Z', '2026-11-05T08:00:30.000Z'),
  returnedPayment('pay_4', gbp, 'GBP', 'inbound', 30_000, '2026-10-15T11:00:00.000Z'),
  aPayment({ id: 'pay_5', accountId: gbp, amount: 50_000, status: 'authorisation_required', createdAt: '2026-11-25T09:00:00.000Z' }),
  aPayment({
    id: 'pay_6',
    accountId: gbp,
    amount: 20_000,
    status: 'partially_settled',
    createdAt: '2026-11-10T09:00:00.000Z',
    settlement: { amountSettled: 5_000, overpaidBy: 0, settledAt: '2026-11-11T09:00:00.000Z', transactionIds: [], matchedBy: 'reference' },
  }),
  aPayment({ id: 'pay_7', accountId: gbp, direction: 'outbound', amount: 10_000, status: 'executed', createdAt: '2026-11-29T12:00:00.000Z', executedAt: '2026-11-29T12:00:00.000Z' }),
  settledPayment('pay_8', gbp, 'GBP', 'inbound', 9_900, '2026-10-19T10:00:00.000Z', '2026-10-20T10:00:00.000Z'),
  aPayment({ id: 'pay_9', accountId: gbp, amount: 77_700, status: 'authorisation_required', createdAt: '2026-12-02T09:00:00.000Z' }),
  settledPayment('pay_e1', eur, 'EUR', 'inbound', 1_000, '2026-11-15T10:00:00.000Z', '2026-11-15T10:00:10.000Z'),
  returnedPayment('pay_e2', eur, 'EUR', 'outbound', 250, '2026-11-01T12:00:00.000Z'),
];

const exception = (id: string, accountId: string, currency: string, type: ReconciliationException['type'], status: 'open' | 'resolved', createdAt: string, amount: number, creditDebitIndicator: 'credit' | 'debit'): ReconciliationException => ({
  id,
  tenantId: TENANT_ID,
  accountId,
  type,
  reason: `${type} in the fixture`,
  transactionId: `txn_for_${id}`,
  bankTransactionId: `bank-for-${id}`,
  creditDebitIndicator,
  amount,
  currency,
  candidatePaymentIds: [],
  status,
  resolution: status === 'open' ? null : { action: 'dismiss', by: 'key_fixture', at: createdAt, paymentIds: [], note: 'handled', refundPaymentId: null },
  createdAt,
});

export const PERIOD_EXCEPTIONS: readonly ReconciliationException[] = [
  exception('exc_0', gbp, 'GBP', 'unmatched', 'open', '2026-10-01T09:00:00.000Z', 1_234, 'credit'),
  exception('exc_1', gbp, 'GBP', 'unmatched', 'open', '2026-11-20T12:00:00.000Z', 7_500, 'credit'),
  exception('exc_2', gbp, 'GBP', 'returned', 'open', '2026-11-28T09:00:00.000Z', 30_000, 'debit'),
  exception('exc_3', gbp, 'GBP', 'ambiguous', 'resolved', '2026-11-30T18:00:00.000Z', 4_000, 'credit'),
  exception('exc_e1', eur, 'EUR', 'returned', 'resolved', '2026-11-16T00:00:00.000Z', 250, 'credit'),
];
