/**
 * The DynamoDB request budgets the local runtime's request counter is held to (test/e2e/settlement-budget.test.ts).
 * Issue 11 ("Cost per settlement") sets the targets: ≤ 8 requests per settlement (one booked credit settling one open
 * payment, from the bank webhook in to the callbacks delivered, one endpoint subscribed to every event) and ≤ 5 to
 * create a payment (POST /v1/payments: auth, rate limit, idempotency and the write included). The figures below are
 * what the code costs today; lower each as a cut lands, never raise one to let a change through.
 */

/** DynamoDB requests per settlement, every function on the path. Measured before the cuts: 42; with the cash moved in reconcile's write: 26–27. Target: 8. */
export const SETTLEMENT_REQUEST_BUDGET = 27;

/** DynamoDB requests per POST /v1/payments, one call at a time. Measured before the cuts: 9. Target: 5. */
export const PAYMENT_CREATE_REQUEST_BUDGET = 9;
