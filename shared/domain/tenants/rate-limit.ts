import { TooManyRequestsError } from '../errors';

/** What one request costs against its tenant's allowance: whether it may proceed, and if not, when to retry. */
export interface RateLimitDecision {
  readonly allowed: boolean;
  readonly retryAfterSeconds: number;
}

/** Counts a tenant's requests per window; the adapter decides atomically, so concurrent requests cannot overshoot. */
export interface RateLimiter {
  take(tenantId: string, now: Date): Promise<RateLimitDecision>;
}

/** Requests per tenant per second when `SETTLED_TENANT_RATE_LIMIT_PER_SECOND` is not set. */
export const DEFAULT_TENANT_RATE_LIMIT_PER_SECOND = 100;

/** The policy is a fixed one-second window: a request belongs to the window of its whole epoch second. */
export const rateWindowOf = (now: Date): number => Math.floor(now.getTime() / 1000);

/**
 * The next window opens within a second, and Retry-After counts whole seconds: a refused request is told 1 (never 0,
 * which would invite an immediate retry storm).
 */
export const RETRY_AFTER_SECONDS = 1;

/** Spends one request of the tenant's allowance, or refuses it with when to retry. */
export const enforceRateLimit = async (tenantId: string, now: Date, limiter: RateLimiter): Promise<void> => {
  const decision = await limiter.take(tenantId, now);
  if (!decision.allowed) {
    throw new TooManyRequestsError('Too many requests for this tenant. Retry after the number of seconds in Retry-After.', {
      retryAfterSeconds: Math.max(1, Math.ceil(decision.retryAfterSeconds)),
    });
  }
};
