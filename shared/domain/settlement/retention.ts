/**
 * Bank transactions are kept seven years from booking (UK record-keeping for accounts, and what reconciliation and
 * audit reach back to); then the table's TTL removes them and what only they index.
 */
export const RETENTION_YEARS = 7;

/** When a transaction booked at `bookingDateTime` may go: the same instant seven calendar years on, in epoch seconds. */
export const retentionExpiry = (bookingDateTime: string): number => {
  const expiry = new Date(bookingDateTime);
  if (Number.isNaN(expiry.getTime())) throw new Error(`Not a booking time: ${bookingDateTime}`);
  expiry.setUTCFullYear(expiry.getUTCFullYear() + RETENTION_YEARS);
  return Math.floor(expiry.getTime() / 1000);
};
