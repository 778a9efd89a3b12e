/** Deliveries are retried for this long after the first attempt (docs/openapi.yaml, tenant callbacks: at least 72 hours). */
export const DELIVERY_WINDOW_MS = 72 * 60 * 60 * 1000;

/**
 * Wait before attempt n+1 after attempt n failed, in the spirit of the Standard Webhooks reference schedule:
 * quick retries for blips, then hours apart for an endpoint that is down; the last step repeats until the window
 * closes (about a dozen attempts over 72 hours).
 */
const BACKOFF_SECONDS = [5, 5 * 60, 30 * 60, 2 * 60 * 60, 5 * 60 * 60, 10 * 60 * 60];

/** Seconds before the attempt after `failedAttempt` (1-based), with ±20 % jitter so endpoints are not stampeded. */
export const retryDelaySeconds = (failedAttempt: number, random: () => number): number => {
  const base = BACKOFF_SECONDS[Math.min(Math.max(failedAttempt, 1), BACKOFF_SECONDS.length) - 1] ?? 5;
  return Math.max(1, Math.round(base * (0.8 + 0.4 * random())));
};
