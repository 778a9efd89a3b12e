import type { Account, AccountRepository, Page, PageRequest } from '../accounts/account';
import { NotFoundError, ValidationError } from '../errors';
import { currencyExponent } from '../money';
import { type Direction, isOpen, type Payment } from '../payments/payment';
import type { PaymentRepository } from '../payments/payment-repository';
import type { Clock } from '../ports';
import type { BankTransaction } from '../settlement/bank-transaction';
import type { TransactionStore } from '../settlement/settlement-store';
import { latencyHistogram, type LatencyBucket } from './latency-histogram';
import { EXCEPTION_TYPES, type ExceptionStore, type ExceptionType, type ReconciliationException } from './reconciliation-exception';

/** How a booked or pending transaction counts in the report (a return is its own status, never "matched"). */
export const REPORT_STATUSES = ['matched', 'unmatched', 'needsReview', 'returned', 'pending'] as const;
export type ReportStatus = (typeof REPORT_STATUSES)[number];

/** Age of an exception at the report's `asOf`: under 1 day, 1–7 days, 7–30 days, 30 days or more. */
export const AGE_BUCKETS = ['under1Day', 'days1To7', 'days7To30', 'over30Days'] as const;
export type AgeBucket = (typeof AGE_BUCKETS)[number];

/** The longest period one report covers. */
export const MAX_PERIOD_DAYS = 366;
const DAY_MS = 86_400_000;

/** A count and its amount: a decimal string with the currency's exponent, never signed (the direction says which way). */
export interface CountAndAmount {
  readonly count: number;
  readonly amount: string;
}

export type DirectionTotals = Readonly<Record<ReportStatus, CountAndAmount>> & {
  /** Every booked transaction of the direction (all statuses but pending). */
  readonly totalBooked: CountAndAmount;
};

export interface OpenResolved {
  readonly open: number;
  readonly resolved: number;
}

export interface LatencyPercentiles {
  readonly count: number;
  readonly p50Ms: number | null;
  readonly p90Ms: number | null;
  readonly p99Ms: number | null;
  /** The same latencies in fixed buckets (latency-histogram.ts), every bucket present; the counts add up to `count`. */
  readonly histogram: readonly LatencyBucket[];
}

/** One account in one currency: money in and money out kept apart, then what it means for payments and exceptions. */
export interface AccountCurrencyReport {
  readonly accountId: string;
  readonly accountName: string;
  readonly currency: string;
  readonly moneyIn: DirectionTotals;
  readonly moneyOut: DirectionTotals;
  /** moneyIn.totalBooked − moneyOut.totalBooked; the only signed amount. */
  readonly net: string;
  readonly payments: {
    readonly settledInPeriod: Readonly<Record<Direction, CountAndAmount>>;
    /** Payments created by the period's end and still open now; the amount is what they still owe. */
    readonly open: Readonly<Record<Direction, CountAndAmount>>;
  };
  readonly exceptions: OpenResolved & {
    readonly byType: Readonly<Record<ExceptionType, OpenResolved>>;
    readonly byAge: Readonly<Record<AgeBucket, OpenResolved>>;
  };
  /**
   * The work queue finance still has: exceptions opened by the period's end, however long ago, and still open now
   * (as `payments.open` counts payments), by type and by age at `asOf`.
   */
  readonly openExceptions: {
    readonly count: number;
    readonly byType: Readonly<Record<ExceptionType, number>>;
    readonly byAge: Readonly<Record<AgeBucket, number>>;
  };
  readonly settlementLatency: LatencyPercentiles;
}

export interface ReconciliationReport {
  readonly from: string;
  readonly to: string;
  readonly accountId: string | null;
  /** The instant exception ages are measured at: the period's end, or now if that is earlier. */
  readonly asOf: string;
  readonly accounts: readonly AccountCurrencyReport[];
  /** Across every account and currency in the report (percentiles cannot be added up from the groups). */
  readonly settlementLatency: LatencyPercentiles;
}

/**
 * Formats a bigint of minor units with the currency's exponent, as money.formatAmount does for a safe integer: a
 * period's sum may pass Number.MAX_SAFE_INTEGER even when every amount in it is safe.
 */
const formatMinor = (minor: bigint, currency: string): string => {
  const exponent = currencyExponent(currency);
  if (exponent === undefined) throw new RangeError(`unsupported currency ${JSON.stringify(currency)}`);
  const negative = minor < 0n;
  const digits = (negative ? -minor : minor).toString().padStart(exponent + 1, '0');
  const whole = digits.slice(0, digits.length - exponent);
  return `${negative ? '-' : ''}${whole}${exponent > 0 ? `.${digits.slice(digits.length - exponent)}` : ''}`;
};

interface Tally {
  count: number;
  minor: bigint;
}
const tally = (): Tally => ({ count: 0, minor: 0n });
const addTo = (target: Tally, minor: number) => {
  target.count += 1;
  target.minor += BigInt(minor);
};
const view = (target: Tally, currency: string): CountAndAmount => ({ count: target.count, amount: formatMinor(target.minor, currency) });

const openResolved = () => ({ open: 0, resolved: 0 });
/** A record with a fresh value for every key (the cast is sound: every key of K is set here). */
const keyed = <K extends string, V>(keys: readonly K[], make: () => V): Record<K, V> =>
  Object.fromEntries(keys.map((key) => [key, make()])) as Record<K, V>;

/** Nearest-rank percentile of an ascending list, or null when it is empty. */
const percentile = (sorted: readonly number[], p: number): number | null =>
  sorted.length === 0 ? null : (sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? null);

const percentiles = (latencies: number[]): LatencyPercentiles => {
  const sorted = [...latencies].sort((a, b) => a - b);
  return { count: sorted.length, p50Ms: percentile(sorted, 50), p90Ms: percentile(sorted, 90), p99Ms: percentile(sorted, 99), histogram: latencyHistogram(sorted) };
};

const ageBucket = (ageMs: number): AgeBucket =>
  ageMs < DAY_MS ? 'under1Day' : ageMs < 7 * DAY_MS ? 'days1To7' : ageMs < 30 * DAY_MS ? 'days7To30' : 'over30Days';

class Group {
  readonly moneyIn = keyed([...REPORT_STATUSES, 'totalBooked'] as const, tally);
  readonly moneyOut = keyed([...REPORT_STATUSES, 'totalBooked'] as const, tally);
  readonly settled = keyed(['inbound', 'outbound'] as const, tally);
  readonly open = keyed(['inbound', 'outbound'] as const, tally);
  readonly exceptions = openResolved();
  readonly byType = keyed(EXCEPTION_TYPES, openResolved);
  readonly byAge = keyed(AGE_BUCKETS, openResolved);
  readonly backlog = { count: 0, byType: keyed(EXCEPTION_TYPES, () => 0), byAge: keyed(AGE_BUCKETS, () => 0) };
  readonly latencies: number[] = [];

  constructor(
    readonly account: Pick<Account, 'id' | 'name'>,
    readonly currency: string,
  ) {}

  toView(): AccountCurrencyReport {
    const direction = (totals: Record<ReportStatus | 'totalBooked', Tally>): DirectionTotals => ({
      matched: view(totals.matched, this.currency),
      unmatched: view(totals.unmatched, this.currency),
      needsReview: view(totals.needsReview, this.currency),
      returned: view(totals.returned, this.currency),
      pending: view(totals.pending, this.currency),
      totalBooked: view(totals.totalBooked, this.currency),
    });
    return {
      accountId: this.account.id,
      accountName: this.account.name,
      currency: this.currency,
      moneyIn: direction(this.moneyIn),
      moneyOut: direction(this.moneyOut),
      net: formatMinor(this.moneyIn.totalBooked.minor - this.moneyOut.totalBooked.minor, this.currency),
      payments: {
        settledInPeriod: { inbound: view(this.settled.inbound, this.currency), outbound: view(this.settled.outbound, this.currency) },
        open: { inbound: view(this.open.inbound, this.currency), outbound: view(this.open.outbound, this.currency) },
      },
      exceptions: { ...this.exceptions, byType: this.byType, byAge: this.byAge },
      openExceptions: this.backlog,
      settlementLatency: percentiles(this.latencies),
    };
  }
}

/** How a transaction counts: pending until booked; a return (its exception says so) is returned, whatever else. */
const reportStatus = (transaction: BankTransaction, exceptionsById: ReadonlyMap<string, ReconciliationException>): ReportStatus => {
  const { status, exceptionId } = transaction.reconciliation;
  if (status === 'pending' || transaction.status === 'pending') return 'pending';
  if (exceptionId !== null && exceptionsById.get(exceptionId)?.type === 'returned') return 'returned';
  return status === 'needs_review' ? 'needsReview' : status;
};

/**
 * The month-end view (pure), per account and currency, money in and money out kept apart (never one sum of credits
 * and debits): the period's transactions by how they reconciled (a pending entry replaced by its booked twin counts
 * once, as the booked one; a return counts as returned, not matched), payments settled in the period and payments
 * still open by direction, exceptions opened in the period by type and by age at `asOf`, and executed→settled
 * latency in milliseconds. Sums are bigint minor units until formatted.
 *
 * `transactions` are those booked in the period; `exceptions` must include the exception of every transaction that
 * has one (to tell returns), whenever it was opened: only those opened in the period are counted.
 */
export const summariseReconciliation = (input: {
  readonly from: string;
  readonly to: string;
  readonly accountId: string | null;
  readonly now: Date;
  readonly accounts: readonly Pick<Account, 'id' | 'name' | 'currency'>[];
  readonly transactions: readonly BankTransaction[];
  readonly payments: readonly Payment[];
  readonly exceptions: readonly ReconciliationException[];
  /** Still open now and opened by the period's end, however long ago; by default the open ones of `exceptions`. */
  readonly openExceptions?: readonly ReconciliationException[];
}): ReconciliationReport => {
  const exceptionsById = new Map(input.exceptions.map((exception) => [exception.id, exception]));
  const asOfMs = Math.min(Date.parse(input.to), input.now.getTime());
  const accountsById = new Map(input.accounts.map((account) => [account.id, account]));
  const groups = new Map<string, Group>();
  const groupOf = (accountId: string, currency: string): Group | undefined => {
    const account = accountsById.get(accountId);
    if (account === undefined) return undefined; // not in the report's scope
    const key = `${accountId}\u0000${currency}`;
    let group = groups.get(key);
    if (group === undefined) {
      group = new Group(account, currency);
      groups.set(key, group);
    }
    return group;
  };
  // Every account in scope shows, in its own currency, even in a quiet period.
  for (const account of input.accounts) groupOf(account.id, account.currency);

  for (const transaction of input.transactions) {
    if (transaction.supersededBy !== null) continue; // its booked twin counts instead
    const group = groupOf(transaction.accountId, transaction.currency);
    if (group === undefined) continue;
    const totals = transaction.creditDebitIndicator === 'credit' ? group.moneyIn : group.moneyOut;
    const status = reportStatus(transaction, exceptionsById);
    addTo(totals[status], transaction.amount);
    if (status !== 'pending') addTo(totals.totalBooked, transaction.amount);
  }

  const allLatencies: number[] = [];
  for (const payment of input.payments) {
    if (payment.createdAt > input.to) continue;
    const group = groupOf(payment.accountId, payment.currency);
    if (group === undefined) continue;
    if (isOpen(payment)) addTo(group.open[payment.direction], Math.max(0, payment.amount - (payment.settlement?.amountSettled ?? 0)));
    const settledAt = payment.settlement?.settledAt;
    if (payment.status === 'settled' && settledAt !== undefined && settledAt >= input.from && settledAt <= input.to) {
      addTo(group.settled[payment.direction], payment.settlement?.amountSettled ?? 0);
      if (payment.executedAt !== null) {
        const latency = Math.max(0, Date.parse(settledAt) - Date.parse(payment.executedAt));
        group.latencies.push(latency);
        allLatencies.push(latency);
      }
    }
  }

  for (const exception of input.exceptions) {
    if (exception.createdAt < input.from || exception.createdAt > input.to) continue;
    const group = groupOf(exception.accountId, exception.currency);
    if (group === undefined) continue;
    const state = exception.status === 'open' ? 'open' : 'resolved';
    group.exceptions[state] += 1;
    group.byType[exception.type][state] += 1;
    group.byAge[ageBucket(Math.max(0, asOfMs - Date.parse(exception.createdAt)))][state] += 1;
  }
  for (const exception of input.openExceptions ?? input.exceptions) {
    if (exception.status !== 'open' || exception.createdAt > input.to) continue;
    const group = groupOf(exception.accountId, exception.currency);
    if (group === undefined) continue;
    group.backlog.count += 1;
    group.backlog.byType[exception.type] += 1;
    group.backlog.byAge[ageBucket(Math.max(0, asOfMs - Date.parse(exception.createdAt)))] += 1;
  }

  const accounts = [...groups.values()]
    .map((group) => group.toView())
    .sort((a, b) => a.accountId.localeCompare(b.accountId) || a.currency.localeCompare(b.currency));
  return {
    from: input.from,
    to: input.to,
    accountId: input.accountId,
    asOf: new Date(asOfMs).toISOString(),
    accounts,
    settlementLatency: percentiles(allLatencies),
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

/** Checks the period: from before to, and at most MAX_PERIOD_DAYS long; each error names its field. */
const checkPeriod = (from: string, to: string): void => {
  const span = Date.parse(to) - Date.parse(from);
  if (span <= 0) {
    throw new ValidationError('The period must end after it starts.', { details: [{ path: 'to', message: 'must be after from' }] });
  }
  if (span > MAX_PERIOD_DAYS * DAY_MS) {
    throw new ValidationError(`A report covers at most ${MAX_PERIOD_DAYS} days.`, {
      details: [{ path: 'to', message: `must be at most ${MAX_PERIOD_DAYS} days after from` }],
    });
  }
};

/** Only the reads the report makes. */
export interface ReportDeps {
  readonly accounts: Pick<AccountRepository, 'get' | 'list'>;
  readonly transactions: Pick<TransactionStore, 'list'>;
  readonly payments: Pick<PaymentRepository, 'list'>;
  readonly exceptions: Pick<ExceptionStore, 'get' | 'list'>;
  readonly clock: Clock;
}

/**
 * Builds the reconciliation report for a period (and optionally one account; another tenant's answers 404).
 * Primary course: check the period, read each account's transactions booked in it, the tenant's payments created by
 * its end and exceptions opened from its start (plus any other exception a transaction names), and summarise.
 */
export const buildReconciliationReport = async (
  request: { tenantId: string; from: string; to: string; accountId: string | undefined },
  deps: ReportDeps,
): Promise<ReconciliationReport> => {
  checkPeriod(request.from, request.to);
  let accounts: Account[];
  if (request.accountId === undefined) {
    accounts = await readAll((page) => deps.accounts.list(request.tenantId, page), 'accounts');
  } else {
    const account = await deps.accounts.get(request.tenantId, request.accountId);
    if (account === undefined) throw new NotFoundError(`Account ${request.accountId} does not exist.`);
    accounts = [account];
  }
  const transactions = (
    await Promise.all(
      accounts.map((account) => readAll((page) => deps.transactions.list(request.tenantId, account.id, { from: request.from, to: request.to }, page), 'transactions')),
    )
  ).flat();
  const payments = await readAll((page) => deps.payments.list(request.tenantId, { createdTo: request.to }, page), 'payments');
  // Opened from the period's start on (a return booked in the period may be processed after it ends)...
  const exceptions = await readAll((page) => deps.exceptions.list(request.tenantId, { createdFrom: request.from }, page), 'exceptions');
  // ...and, rarely, one opened before it (a bank's booking time ahead of ours): read it to tell a return.
  const known = new Set(exceptions.map((exception) => exception.id));
  for (const { reconciliation } of transactions) {
    if (reconciliation.exceptionId === null || known.has(reconciliation.exceptionId)) continue;
    known.add(reconciliation.exceptionId);
    const found = await deps.exceptions.get(request.tenantId, reconciliation.exceptionId);
    if (found !== undefined) exceptions.push(found.exception);
  }
  // The open backlog, however old: open exceptions are few, and the filter keeps pages full.
  const openExceptions = await readAll((page) => deps.exceptions.list(request.tenantId, { status: 'open', createdTo: request.to }, page), 'exceptions');
  return summariseReconciliation({
    from: request.from,
    to: request.to,
    accountId: request.accountId ?? null,
    now: deps.clock.now(),
    accounts,
    transactions,
    payments,
    exceptions,
    openExceptions,
  });
};
