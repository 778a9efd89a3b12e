import type { Provider } from '../accounts/account';
import { ConflictError, UnprocessableError, ValidationError } from '../errors';
import { formatAmount } from '../money';
import type { Counterparty } from '../payments/payment';
import { type Alignment, isAlignmentAllowed, type Period, windowAt, type Window } from './periods';

/** Stored statuses; `expired` is derived from `validTo` when read (mandateStatusAt). */
export const MANDATE_STATUSES = ['authorisation_required', 'active', 'rejected', 'revoked', 'expired'] as const;
export type MandateStatus = (typeof MANDATE_STATUSES)[number];
export type StoredMandateStatus = Exclude<MandateStatus, 'expired'>;
export const MANDATE_TYPES = ['sweeping', 'commercial'] as const;
export type MandateType = (typeof MANDATE_TYPES)[number];

export interface PeriodicLimit {
  readonly period: Period;
  /** Minor units. */
  readonly maxAmount: number;
  readonly alignment: Alignment;
}

export interface MandateLimits {
  /** Minor units. */
  readonly maxPerPayment: number;
  readonly periods: readonly PeriodicLimit[];
}

/**
 * A variable recurring payment mandate: the payer (PSU) lets the tenant pull payments into `accountId` within the
 * limits, authorised once at the payer's bank.
 */
export interface Mandate {
  readonly id: string;
  readonly tenantId: string;
  readonly accountId: string;
  readonly type: MandateType;
  readonly currency: string;
  readonly reference: string | null;
  readonly counterparty: Counterparty | null;
  readonly limits: MandateLimits;
  readonly validFrom: string | null;
  readonly validTo: string | null;
  readonly status: StoredMandateStatus;
  readonly provider: Provider;
  /** The bank's id for the mandate (its consent): `sbm_…` at the sandbox bank. */
  readonly bankMandateId: string;
  readonly authorisationUrl: string;
  readonly createdAt: string;
  readonly updatedAt: string;
  readonly activatedAt: string | null;
  readonly revokedAt: string | null;
  readonly version: number;
}

/** One periodic limit's current window and what is used of it. */
export interface PeriodUsage {
  readonly limit: PeriodicLimit;
  readonly window: Window;
  /** Minor units. */
  readonly used: number;
}

/** `expired` once `validTo` has passed for a mandate that could still pay (or still awaited authorisation). */
export const mandateStatusAt = (mandate: Pick<Mandate, 'status' | 'validTo'>, now: Date): MandateStatus =>
  (mandate.status === 'active' || mandate.status === 'authorisation_required') && mandate.validTo !== null && now.getTime() >= Date.parse(mandate.validTo)
    ? 'expired'
    : mandate.status;

/**
 * Where consent-aligned windows are counted from: validFrom, or the activation when there is none (before
 * activation, the creation, so a window can still be shown).
 */
export const anchorOf = (mandate: Pick<Mandate, 'validFrom' | 'activatedAt' | 'createdAt'>): number =>
  Date.parse(mandate.validFrom ?? mandate.activatedAt ?? mandate.createdAt);

/** The window of each periodic limit that contains `now`. */
export const currentWindows = (mandate: Pick<Mandate, 'limits' | 'validFrom' | 'activatedAt' | 'createdAt'>, now: Date) =>
  mandate.limits.periods.map((limit) => ({ limit, window: windowAt(limit.period, limit.alignment, anchorOf(mandate), now.getTime()) }));

/** The rules a mandate's terms must meet (the request's shape is checked by its schema). */
export const validateTerms = (terms: { limits: MandateLimits; validFrom: string | null; validTo: string | null }): void => {
  const details: { path: string; message: string }[] = [];
  const seen = new Set<string>();
  terms.limits.periods.forEach((limit, index) => {
    if (!isAlignmentAllowed(limit.period, limit.alignment)) {
      details.push({ path: `limits.periods[${index}].alignment`, message: 'a fortnight has only consent alignment' });
    }
    if (seen.has(limit.period)) details.push({ path: `limits.periods[${index}].period`, message: `only one ${limit.period} limit per mandate` });
    seen.add(limit.period);
    if (limit.maxAmount < terms.limits.maxPerPayment) {
      details.push({ path: `limits.periods[${index}].maxAmount`, message: 'must be at least maxPerPayment' });
    }
  });
  if (terms.validFrom !== null && terms.validTo !== null && Date.parse(terms.validTo) <= Date.parse(terms.validFrom)) {
    details.push({ path: 'validTo', message: 'must be after validFrom' });
  }
  if (details.length > 0) throw new ValidationError('The mandate terms are invalid.', { details });
};

/**
 * Whether a payment of `amount` may be taken now (before any write): the mandate active and within its validity
 * window, the amount within maxPerPayment and within every period's own maximum. The periods' usage is checked by
 * the atomic write itself (never here: a read would race with concurrent payments).
 */
export const assertPayable = (mandate: Mandate, amount: number, now: Date): void => {
  const status = mandateStatusAt(mandate, now);
  if (status !== 'active') {
    throw new ConflictError(`Mandate ${mandate.id} is ${status}; payments need an active mandate.`, { code: 'mandate_not_active' });
  }
  if (mandate.validFrom !== null && now.getTime() < Date.parse(mandate.validFrom)) {
    throw new ConflictError(`Mandate ${mandate.id} is valid from ${mandate.validFrom}.`, { code: 'mandate_not_active' });
  }
  const money = (minor: number) => formatAmount(minor, mandate.currency);
  if (amount > mandate.limits.maxPerPayment) {
    throw limitExceeded(
      `The payment of ${money(amount)} is over the mandate's maxPerPayment of ${money(mandate.limits.maxPerPayment)}.`,
      'limits.maxPerPayment',
      `maxPerPayment ${money(mandate.limits.maxPerPayment)}; this payment ${money(amount)}`,
    );
  }
  mandate.limits.periods.forEach((limit, index) => {
    if (amount > limit.maxAmount) {
      throw limitExceeded(
        `The payment of ${money(amount)} is over the mandate's ${limit.period} limit of ${money(limit.maxAmount)}.`,
        `limits.periods[${index}]`,
        `${limit.period} limit ${money(limit.maxAmount)}; this payment ${money(amount)}`,
      );
    }
  });
};

/** 422 for a period whose window would go over its maximum, naming it, its max and what is left. */
export const periodLimitExceeded = (mandate: Mandate, usage: PeriodUsage, amount: number): UnprocessableError => {
  const money = (minor: number) => formatAmount(minor, mandate.currency);
  const index = mandate.limits.periods.findIndex((limit) => limit.period === usage.limit.period);
  const remaining = Math.max(0, usage.limit.maxAmount - usage.used);
  const window = `${new Date(usage.window.start).toISOString()} to ${new Date(usage.window.end).toISOString()}`;
  return limitExceeded(
    `The payment of ${money(amount)} would go over the mandate's ${usage.limit.period} limit of ${money(usage.limit.maxAmount)}: ${money(remaining)} is left in the window ${window}.`,
    `limits.periods[${index}]`,
    `${usage.limit.period} limit ${money(usage.limit.maxAmount)}; used ${money(usage.used)}; remaining ${money(remaining)}; this payment ${money(amount)}`,
  );
};

const limitExceeded = (message: string, path: string, detail: string) =>
  new UnprocessableError('mandate_limit_exceeded', message, { details: [{ path, message: detail }] });

/** A mandate as the API returns it (and as `mandate.*` events carry it): money as decimal strings. */
export const mandateView = (mandate: Mandate, usage: readonly PeriodUsage[], now: Date) => {
  const money = (minor: number) => formatAmount(minor, mandate.currency);
  return {
    id: mandate.id,
    status: mandateStatusAt(mandate, now),
    type: mandate.type,
    accountId: mandate.accountId,
    currency: mandate.currency,
    reference: mandate.reference,
    counterparty: mandate.counterparty,
    limits: {
      maxPerPayment: money(mandate.limits.maxPerPayment),
      periods: mandate.limits.periods.map((limit) => ({ period: limit.period, maxAmount: money(limit.maxAmount), alignment: limit.alignment })),
    },
    validFrom: mandate.validFrom,
    validTo: mandate.validTo,
    authorisationUrl: mandate.authorisationUrl,
    usage: usage.map((entry) => ({
      period: entry.limit.period,
      alignment: entry.limit.alignment,
      maxAmount: money(entry.limit.maxAmount),
      windowStart: new Date(entry.window.start).toISOString(),
      windowEnd: new Date(entry.window.end).toISOString(),
      used: money(entry.used),
      remaining: money(Math.max(0, entry.limit.maxAmount - entry.used)),
    })),
    createdAt: mandate.createdAt,
    updatedAt: mandate.updatedAt,
    activatedAt: mandate.activatedAt,
    revokedAt: mandate.revokedAt,
  };
};

export type MandateView = ReturnType<typeof mandateView>;
