import type { Account, AccountRepository, Page, PageRequest } from '../accounts/account';
import { NotFoundError, ValidationError } from '../errors';
import { formatAmount } from '../money';
import { isOpen, type Payment } from '../payments/payment';
import type { PaymentRepository } from '../payments/payment-repository';
import type { BankTransaction } from '../settlement/bank-transaction';
import type { TransactionStore } from '../settlement/settlement-store';
import type { ExceptionStore, ExceptionType, ReconciliationException } from './reconciliation-exception';

/** Amounts are summed per currency (never across currencies), in minor units until formatted. */
type Totals = Map<string, number>;

const add = (totals: Totals, currency: string, amount: number) => totals.set(currency, (totals.get(currency) ?? 0) + amount);
const formatTotals = (totals: Totals): Record<string, string> =>
  Object.fromEntries([...totals].sort(([a], [b]) => a.localeCompare(b)).map(([currency, amount]) => [currency, formatAmount(amount, currency)]));

const percentile = (sorted: readonly number[], p: number): number | null =>
  sorted.length === 0 ? null : (sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? null);

/**
 * The month-end view (pure): transactions in the period by reconciliation status, payments still open, payments
 * settled in the period and how long they took from executed to settled, and exceptions by type and status.
 */
export const summariseReconciliation = (input: {
  readonly from: string;
  readonly to: string;
  readonly accountId: string | null;
  readonly transactions: readonly BankTransaction[];
  readonly payments: readonly Payment[];
  readonly exceptions: readonly ReconciliationException[];
}) => {
  const byStatus = { matched: new Map(), unmatched: new Map(), needs_review: new Map(), pending: new Map() } as Record<BankTransaction['reconciliation']['status'], Totals>;
  const counts = { matched: 0, unmatched: 0, needs_review: 0, pending: 0 };
  for (const transaction of input.transactions) {
    if (transaction.supersededBy !== null) continue; // a pending entry replaced by its booked twin is not counted twice
    counts[transaction.reconciliation.status] += 1;
    add(byStatus[transaction.reconciliation.status], transaction.currency, transaction.amount);
  }

  const open: Totals = new Map();
  const settled: Totals = new Map();
  let openCount = 0;
  let settledCount = 0;
  const latencies: number[] = [];
  for (const payment of input.payments) {
    if (isOpen(payment)) {
      openCount += 1;
      add(open, payment.currency, Math.max(0, payment.amount - (payment.settlement?.amountSettled ?? 0)));
    }
    const settledAt = payment.settlement?.settledAt;
    if (payment.status === 'settled' && settledAt !== undefined && settledAt >= input.from && settledAt <= input.to) {
      settledCount += 1;
      add(settled, payment.currency, payment.settlement?.amountSettled ?? 0);
      if (payment.executedAt !== null) latencies.push(Math.max(0, Date.parse(settledAt) - Date.parse(payment.executedAt)));
    }
  }
  latencies.sort((a, b) => a - b);

  const exceptionsByType: Partial<Record<ExceptionType, number>> = {};
  const exceptionAmounts: Totals = new Map();
  let openExceptions = 0;
  let resolvedExceptions = 0;
  for (const exception of input.exceptions) {
    if (exception.status === 'open') {
      openExceptions += 1;
      exceptionsByType[exception.type] = (exceptionsByType[exception.type] ?? 0) + 1;
      add(exceptionAmounts, exception.currency, exception.amount);
    } else {
      resolvedExceptions += 1;
    }
  }

  const section = (status: keyof typeof counts) => ({ count: counts[status], amounts: formatTotals(byStatus[status]) });
  return {
    from: input.from,
    to: input.to,
    accountId: input.accountId,
    transactions: { matched: section('matched'), unmatched: section('unmatched'), needsReview: section('needs_review'), pending: section('pending') },
    payments: { open: { count: openCount, amounts: formatTotals(open) }, settledInPeriod: { count: settledCount, amounts: formatTotals(settled) } },
    exceptions: { open: { count: openExceptions, byType: exceptionsByType, amounts: formatTotals(exceptionAmounts) }, resolved: { count: resolvedExceptions } },
    settlementLatency: { count: latencies.length, p50Ms: percentile(latencies, 50), p90Ms: percentile(latencies, 90), p99Ms: percentile(latencies, 99) },
  };
};

/** A report reads at most this many records of each kind; a larger period must be narrowed. */
export const REPORT_RECORD_LIMIT = 50_000;

const readAll = async <T>(read: (page: PageRequest) => Promise<Page<T>>, what: string): Promise<T[]> => {
  const all: T[] = [];
  let cursor: string | undefined;
  do {
    const page = await read({ limit: 500, cursor });
    all.push(...page.data);
    if (all.length > REPORT_RECORD_LIMIT) {
      throw new ValidationError(`The period holds more than ${REPORT_RECORD_LIMIT} ${what}; narrow it or choose an account.`, {
        details: [{ path: 'from', message: 'narrow the period' }],
      });
    }
    cursor = page.nextCursor ?? undefined;
  } while (cursor !== undefined);
  return all;
};

/**
 * Builds the reconciliation report for a period (and optionally one account).
 * Primary course: read the period's transactions per account, the tenant's payments and exceptions, and summarise.
 */
export const buildReconciliationReport = async (
  request: { tenantId: string; from: string; to: string; accountId: string | undefined },
  deps: { readonly accounts: AccountRepository; readonly transactions: TransactionStore; readonly payments: PaymentRepository; readonly exceptions: ExceptionStore },
) => {
  if (request.from > request.to) {
    throw new ValidationError('The period ends before it starts.', { details: [{ path: 'to', message: 'must not be before from' }] });
  }
  let accounts: Account[];
  if (request.accountId === undefined) {
    accounts = await readAll((page) => deps.accounts.list(request.tenantId, page), 'accounts');
  } else {
    const account = await deps.accounts.get(request.tenantId, request.accountId);
    if (account === undefined) throw new NotFoundError(`Account ${request.accountId} does not exist.`);
    accounts = [account];
  }
  const inScope = (accountId: string) => accounts.some((account) => account.id === accountId);
  const transactions = (
    await Promise.all(
      accounts.map((account) => readAll((page) => deps.transactions.list(request.tenantId, account.id, { from: request.from, to: request.to }, page), 'transactions')),
    )
  ).flat();
  const payments = (await readAll((page) => deps.payments.list(request.tenantId, {}, page), 'payments')).filter((payment) => inScope(payment.accountId));
  const exceptions = (await readAll((page) => deps.exceptions.list(request.tenantId, {}, page), 'exceptions')).filter(
    (exception) => inScope(exception.accountId) && exception.createdAt >= request.from && exception.createdAt <= request.to,
  );
  return summariseReconciliation({ from: request.from, to: request.to, accountId: request.accountId ?? null, transactions, payments, exceptions });
};
