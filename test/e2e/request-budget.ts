/**
 * The DynamoDB request budgets the local runtime's request counter is held to (test/e2e/settlement-budget.test.ts).
 * Issue 11 ("Cost per settlement") sets the targets: ≤ 8 requests per settlement (one booked credit settling one open
 * payment, from the bank webhook in to the callbacks delivered, one endpoint subscribed to every event) and ≤ 5 to
 * create a payment (POST /v1/payments: auth, rate limit, idempotency and the write included). The figures below are
 * what the code costs today; lower each as a cut lands, never raise one to let a change through.
 */

/**
 * DynamoDB requests per settlement, every function on the path, once the account's routing is remembered.
 * Measured: 42 before issue 11; 26 with the cash moved in reconcile's write; 14 with the callback path's cuts; 8 with
 * reconcile delivering its own writes' events (callbacks/deliver-write.ts).
 * Target: 8.
 */
export const SETTLEMENT_REQUEST_BUDGET = 8;

/** DynamoDB requests per POST /v1/payments, one call at a time, the account's details remembered. Measured before the cuts: 9. Target: 5. */
export const PAYMENT_CREATE_REQUEST_BUDGET = 5;

/**
 * What a function instance's first call on an account adds: one read of what it then remembers for a few seconds
 * (the account's details in payments-api, its routing in reconcile).
 */
export const COLD_CACHE_READS = 1;

/** Reads of a tenant's webhook endpoints when their 5 s memory has lapsed: one in tenant-callbacks, one in callback-deliverer. */
export const ENDPOINT_CACHE_READS = 2;
