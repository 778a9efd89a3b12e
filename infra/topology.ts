/**
 * The one description of how Settled is wired: which functions exist, which HTTP routes reach them, which queues
 * feed them and which domain events are routed to them. The CDK stacks declare AWS resources from it and the local
 * runtime routes requests, queue messages and events from it, so the two cannot drift apart.
 *
 * Pure data: no aws-cdk-lib import, so the local runtime loads it without the CDK.
 */
import { EVENT_TYPES } from '../shared/domain/events/domain-event';
import type { BankSyncMessage } from '../shared/domain/open-banking/bank-sync';
import { RESOURCE_VARIABLES, SECRET_VARIABLES, type SecretName, secretArnVariableOf } from '../shared/runtime/environment';

/** What a function may touch; the CDK turns each grant into least-privilege IAM and an environment variable. */
export type ResourceAccess =
  | 'table:read'
  | 'table:write'
  | 'settlements-queue:send'
  | 'event-bus:put'
  | 'secret:admin-token'
  | 'sandbox-queue:send'
  | 'callback-queue:send'
  /** The API's own base URL (SETTLED_API_BASE_URL): authorisation links, the sandbox bank's webhook target. */
  | 'api:base-url'
  | 'secret:sandbox-webhook'
  /** The GoCardless webhook endpoint's secret (HMAC of `Webhook-Signature`). */
  | 'secret:gocardless-webhook'
  /** Seal and open bank tokens: the KMS key on AWS (TOKEN_KEY_ID); the local runtime passes its AES key instead. */
  | 'token-key:use'
  /** The ASPSP registry (the banks this deployment talks to). */
  | 'secret:aspsp-registry'
  /** Settled's Open Banking client credentials (signing key, transport certificate and key). */
  | 'secret:tpp-credentials'
  /** The bank-sync queue: pulls from banks (account transactions, payment status, aggregated polling). */
  | 'bank-sync-queue:send'
  /** The statement-imports queue: one job per accepted statement file. */
  | 'statement-import-queue:send'
  /** The statements bucket: accepted files are put there and read back by the import worker. */
  | 'statement-files:write'
  | 'statement-files:read'
  /** The payouts queue: one message per chunk of an authorised bulk payout. */
  | 'payouts-queue:send';

/**
 * How a function finds what one access grants it: an environment variable holding the resource's name or URL, or a
 * secret (its ARN on AWS, its value on the local runtime). CDK and the local runtime both set exactly these. A
 * resource with no local emulator may name the secret the local runtime passes in its stead (`localSecret`).
 */
export type AccessBinding =
  | { readonly variable: string }
  | { readonly secret: SecretName }
  | { readonly variable: string; readonly localSecret: SecretName };

export const accessBindings = {
  'table:read': { variable: RESOURCE_VARIABLES.tableName },
  'table:write': { variable: RESOURCE_VARIABLES.tableName },
  'settlements-queue:send': { variable: RESOURCE_VARIABLES.settlementsQueueUrl },
  'event-bus:put': { variable: RESOURCE_VARIABLES.eventBusName },
  'secret:admin-token': { secret: SECRET_VARIABLES.adminToken },
  'sandbox-queue:send': { variable: RESOURCE_VARIABLES.sandboxQueueUrl },
  'callback-queue:send': { variable: RESOURCE_VARIABLES.callbackQueueUrl },
  'api:base-url': { variable: RESOURCE_VARIABLES.apiBaseUrl },
  'secret:sandbox-webhook': { secret: SECRET_VARIABLES.sandboxWebhookSecret },
  'secret:gocardless-webhook': { secret: SECRET_VARIABLES.gocardlessWebhookSecret },
  'token-key:use': { variable: RESOURCE_VARIABLES.tokenKeyId, localSecret: SECRET_VARIABLES.tokenSealingKey },
  'secret:aspsp-registry': { secret: SECRET_VARIABLES.aspspRegistry },
  'secret:tpp-credentials': { secret: SECRET_VARIABLES.tppCredentials },
  'bank-sync-queue:send': { variable: RESOURCE_VARIABLES.bankSyncQueueUrl },
  'statement-import-queue:send': { variable: RESOURCE_VARIABLES.statementImportQueueUrl },
  'statement-files:write': { variable: RESOURCE_VARIABLES.statementFilesBucket },
  'statement-files:read': { variable: RESOURCE_VARIABLES.statementFilesBucket },
  'payouts-queue:send': { variable: RESOURCE_VARIABLES.payoutsQueueUrl },
} as const satisfies Record<ResourceAccess, AccessBinding>;

/** The variable an access sets on AWS: the resource's name or URL, or `<SECRET>_SECRET_ARN`. */
export const awsVariableOf = (access: ResourceAccess): string => {
  const binding: AccessBinding = accessBindings[access];
  return 'secret' in binding ? secretArnVariableOf(binding.secret) : binding.variable;
};

/**
 * The variable an access sets on the local runtime: the same, except that a secret's value is passed as `<SECRET>`
 * (and a resource with no local emulator, the KMS key, is replaced by its `localSecret`).
 */
export const localVariableOf = (access: ResourceAccess): string => {
  const binding: AccessBinding = accessBindings[access];
  if ('localSecret' in binding) return binding.localSecret;
  return 'secret' in binding ? binding.secret : binding.variable;
};

export interface FunctionSpec {
  /** One line for the Lambda console. */
  readonly description: string;
  readonly timeoutSeconds: number;
  readonly memoryMb: number;
  readonly access: readonly ResourceAccess[];
}

/** What every function that calls an Open Banking bank needs: the token key, the bank registry, Settled's credentials. */
const OPEN_BANKING_ACCESS = ['token-key:use', 'secret:aspsp-registry', 'secret:tpp-credentials'] as const satisfies readonly ResourceAccess[];

export const functions = {
  health: {
    description: 'GET /health and the catch-all route that answers unknown routes in the contract error shape',
    timeoutSeconds: 5,
    memoryMb: 256,
    access: ['table:read'],
  },
  'api-docs': {
    description: 'The API reference: GET /openapi.json (the document, its server this runtime) and GET /docs (Swagger UI, served from the bundle)',
    timeoutSeconds: 10,
    memoryMb: 512,
    access: [],
  },
  console: {
    description: 'The operations console: GET /console (the page) and its script and stylesheet, built into the bundle',
    timeoutSeconds: 10,
    memoryMb: 256,
    access: [],
  },
  'admin-api': {
    description: 'Operator API: tenants and their API keys',
    timeoutSeconds: 10,
    memoryMb: 512,
    access: ['table:read', 'table:write', 'secret:admin-token'],
  },
  'accounts-api': {
    description: 'Tenant API: bank accounts and AIS consents (reconfirm, revoke), banks, transactions, access log, cash position',
    timeoutSeconds: 29,
    memoryMb: 512,
    // Bank calls (consents, revocations) need the registry, the client credentials and the token key; the event bus
    // carries consent.reconfirmation_required.
    access: ['table:read', 'table:write', 'event-bus:put', 'api:base-url', ...OPEN_BANKING_ACCESS],
  },
  'consent-callback': {
    description: "The banks' OAuth redirect: claims the single-use state; connects the account, submits the payment, or activates the mandate",
    timeoutSeconds: 29,
    memoryMb: 512,
    access: [
      'table:read',
      'table:write',
      'api:base-url',
      ...OPEN_BANKING_ACCESS,
      'settlements-queue:send',
      'bank-sync-queue:send',
      // mandate.activated once the payer authorised a VRP consent.
      'event-bus:put',
    ],
  },
  checkout: {
    description: "The payer's hosted bank choice for Open Banking payments: a consent at the chosen bank, then its page",
    timeoutSeconds: 29,
    memoryMb: 512,
    access: ['table:read', 'table:write', 'api:base-url', ...OPEN_BANKING_ACCESS],
  },
  'bank-sync': {
    description: 'Bank-sync queue consumer: fetches account transactions and payment statuses from Open Banking banks, polls their events',
    timeoutSeconds: 60,
    memoryMb: 1024,
    access: [
      'table:read',
      'table:write',
      'event-bus:put',
      'api:base-url',
      ...OPEN_BANKING_ACCESS,
      'settlements-queue:send',
      'bank-sync-queue:send',
    ],
  },
  'statements-api': {
    description: 'Tenant API: statement files (camt.053/054, CSV with a saved mapping) read, checked and queued for import; mappings',
    timeoutSeconds: 29,
    // A 50 MB file is held once as the request body and read through the streaming parsers.
    memoryMb: 2048,
    access: ['table:read', 'table:write', 'event-bus:put', 'statement-files:write', 'statement-import-queue:send'],
  },
  'statement-import': {
    description: "Statement-imports queue consumer: streams an accepted file and queues its transactions for reconciliation",
    timeoutSeconds: 900,
    memoryMb: 1024,
    access: ['table:read', 'statement-files:read', 'settlements-queue:send'],
  },
  'payments-api': {
    description: 'Tenant API: single payments and refunds (Confirmation of Payee, initiation through the bank gateway, reads and lists)',
    timeoutSeconds: 29,
    memoryMb: 512,
    // An outbound Open Banking payment creates its consent at the tenant's bank; a payment Confirmation of Payee
    // stops is published as payment.failed from here.
    access: ['table:read', 'table:write', 'event-bus:put', 'api:base-url', ...OPEN_BANKING_ACCESS],
  },
  'payment-links-api': {
    description: "Tenant API: payment links; and the payer's hosted link page (amount, payee, bank choice) that pays through one",
    timeoutSeconds: 29,
    memoryMb: 512,
    // A payment through a link is initiated at the account's bank: the sandbox bank or an Open Banking bank.
    access: ['table:read', 'table:write', 'api:base-url', ...OPEN_BANKING_ACCESS],
  },
  'payment-link-completion': {
    description: 'Domain event target: payment.settled of a single-use link payment completes the link (payment_link.completed), once',
    timeoutSeconds: 30,
    memoryMb: 512,
    access: ['table:read', 'table:write', 'event-bus:put'],
  },
  'mandates-api': {
    description: 'Tenant API: variable recurring payment mandates (create, authorise once, payments within exact limits, revoke)',
    timeoutSeconds: 29,
    memoryMb: 512,
    // The sandbox bank takes a mandate payment with no page: its webhooks are queued on the sandbox queue. At an
    // Open Banking bank the VRP consent and payments need the bank access; the bank's answer to a payment is queued
    // as a bank report.
    access: ['table:read', 'table:write', 'event-bus:put', 'api:base-url', 'sandbox-queue:send', ...OPEN_BANKING_ACCESS, 'settlements-queue:send'],
  },
  'callbacks-api': {
    description: 'Tenant API: webhook endpoints, the event log and redeliveries',
    timeoutSeconds: 10,
    memoryMb: 512,
    // A redelivery is queued as a delivery attempt before the 202.
    access: ['table:read', 'table:write', 'callback-queue:send'],
  },
  'reconciliation-api': {
    description: 'Tenant API: reconciliation exceptions (list, resolve by manual match, refund or dismissal) and the report',
    timeoutSeconds: 29,
    memoryMb: 1024,
    // A refund is an outbound payment through the account's bank gateway.
    access: ['table:read', 'table:write', 'event-bus:put', 'api:base-url', ...OPEN_BANKING_ACCESS],
  },
  'bank-webhooks': {
    description: 'Bank webhook ingress: verify the signature, validate, normalise, enqueue for reconciliation or bank sync',
    timeoutSeconds: 10,
    memoryMb: 512,
    // Open Banking event notifications: verified with the bank's JWKS (the registry), jti taken once (the table).
    access: [
      'settlements-queue:send',
      'secret:sandbox-webhook',
      'secret:gocardless-webhook',
      'table:read',
      'table:write',
      'bank-sync-queue:send',
      'secret:aspsp-registry',
      'secret:tpp-credentials',
    ],
  },
  reconcile: {
    description: 'Settlements queue consumer: store bank transactions once, match references, settle payments, deliver their events',
    timeoutSeconds: 30,
    memoryMb: 1024,
    // A bank's decision on a bulk payout's authorisation queues the batch's chunks; the events of its own writes it
    // logs and schedules for delivery itself (callbacks/deliver-write.ts).
    access: ['table:read', 'table:write', 'event-bus:put', 'payouts-queue:send', 'callback-queue:send'],
  },
  'payouts-api': {
    description: 'Tenant API: bulk payouts of 1 to 10,000 items (validated by index, stored in batches, one authorisation), reads and item lists',
    timeoutSeconds: 29,
    // A 10,000-item request is held as its body, its parsed items and their payments at once (BENCHMARKS.md, bulk payouts).
    memoryMb: 1024,
    // An Open Banking bank's file limit (the registry) sizes a payout's chunks.
    access: ['table:read', 'table:write', 'api:base-url', ...OPEN_BANKING_ACCESS],
  },
  'payout-chunks': {
    description: 'Payouts queue consumer: hands one chunk of an authorised payout to the bank once, or fails its items with the bank\'s reason',
    timeoutSeconds: 120,
    memoryMb: 1024,
    // Files to Open Banking banks (the payer's sealed tokens), and the follow-up questions on them queued to itself.
    access: ['table:read', 'table:write', 'event-bus:put', 'sandbox-queue:send', 'api:base-url', 'payouts-queue:send', ...OPEN_BANKING_ACCESS],
  },
  'payout-progress': {
    description: 'Domain event target: completes a payout once every item is settled or failed (payout.completed, once)',
    timeoutSeconds: 30,
    memoryMb: 512,
    access: ['table:read', 'table:write', 'event-bus:put'],
  },
  'cash-position': {
    description: 'Domain event target: announces a cash position its cause moved (cash_position.updated), once per moving write',
    timeoutSeconds: 30,
    memoryMb: 512,
    access: ['table:read', 'table:write', 'event-bus:put'],
  },
  'tenant-callbacks': {
    description: 'Domain event target: writes the tenant event log and schedules a delivery per subscribed endpoint',
    timeoutSeconds: 30,
    memoryMb: 512,
    access: ['table:read', 'table:write', 'callback-queue:send'],
  },
  'callback-deliverer': {
    description: 'Callback deliveries queue consumer: signed POSTs to tenant endpoints, retried with backoff for 72 hours',
    timeoutSeconds: 30,
    memoryMb: 512,
    access: ['table:read', 'table:write', 'callback-queue:send'],
  },
  'sandbox-bank': {
    description: 'The sandbox bank: hosted authorisation pages; schedules its webhooks on the sandbox queue',
    timeoutSeconds: 10,
    memoryMb: 512,
    access: ['table:read', 'table:write', 'sandbox-queue:send'],
  },
  'sandbox-bank-sender': {
    description: 'The sandbox bank: sends its signed webhooks to the bank webhook endpoint, as a real bank does',
    timeoutSeconds: 30,
    memoryMb: 512,
    access: ['secret:sandbox-webhook', 'api:base-url'],
  },
} as const satisfies Record<string, FunctionSpec>;

export type FunctionName = keyof typeof functions;

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/** An HTTP API route. `path` uses API Gateway's `{param}` syntax; `$default` catches every unmatched request. */
export interface HttpRoute {
  readonly method: HttpMethod | 'ANY';
  readonly path: string;
  readonly function: FunctionName;
}

export const DEFAULT_ROUTE_PATH = '$default';

export const httpRoutes: readonly HttpRoute[] = [
  { method: 'GET', path: '/health', function: 'health' },
  { method: 'GET', path: '/openapi.json', function: 'api-docs' },
  { method: 'GET', path: '/docs', function: 'api-docs' },
  { method: 'GET', path: '/docs/assets/{asset}', function: 'api-docs' },
  { method: 'GET', path: '/console', function: 'console' },
  { method: 'GET', path: '/console/assets/{asset}', function: 'console' },
  { method: 'POST', path: '/v1/admin/tenants', function: 'admin-api' },
  { method: 'GET', path: '/v1/admin/tenants/{tenantId}', function: 'admin-api' },
  { method: 'POST', path: '/v1/accounts', function: 'accounts-api' },
  { method: 'GET', path: '/v1/accounts', function: 'accounts-api' },
  { method: 'GET', path: '/v1/accounts/{accountId}', function: 'accounts-api' },
  { method: 'GET', path: '/v1/accounts/{accountId}/transactions', function: 'accounts-api' },
  { method: 'POST', path: '/v1/accounts/{accountId}/statements', function: 'statements-api' },
  { method: 'GET', path: '/v1/accounts/{accountId}/statements/{importId}', function: 'statements-api' },
  { method: 'POST', path: '/v1/statement-mappings', function: 'statements-api' },
  { method: 'GET', path: '/v1/statement-mappings/{mappingId}', function: 'statements-api' },
  { method: 'GET', path: '/v1/consents/{consentId}/access-log', function: 'accounts-api' },
  { method: 'POST', path: '/v1/consents/{consentId}/reconfirm', function: 'accounts-api' },
  { method: 'POST', path: '/v1/consents/{consentId}/revoke', function: 'accounts-api' },
  { method: 'GET', path: '/v1/consents/callback', function: 'consent-callback' },
  { method: 'GET', path: '/payout-authorisations/{bankBatchId}', function: 'consent-callback' },
  { method: 'GET', path: '/checkout/{bankPaymentId}', function: 'checkout' },
  { method: 'POST', path: '/checkout/{bankPaymentId}', function: 'checkout' },
  { method: 'GET', path: '/v1/aspsps', function: 'accounts-api' },
  { method: 'GET', path: '/v1/cash-position', function: 'accounts-api' },
  { method: 'POST', path: '/v1/payments', function: 'payments-api' },
  { method: 'GET', path: '/v1/payments', function: 'payments-api' },
  { method: 'GET', path: '/v1/payments/{paymentId}', function: 'payments-api' },
  { method: 'POST', path: '/v1/payment-links', function: 'payment-links-api' },
  { method: 'GET', path: '/v1/payment-links', function: 'payment-links-api' },
  { method: 'GET', path: '/v1/payment-links/{linkId}', function: 'payment-links-api' },
  { method: 'POST', path: '/v1/payment-links/{linkId}/deactivate', function: 'payment-links-api' },
  { method: 'GET', path: '/links/{linkId}', function: 'payment-links-api' },
  { method: 'POST', path: '/links/{linkId}', function: 'payment-links-api' },
  { method: 'POST', path: '/v1/payments/{paymentId}/refunds', function: 'payments-api' },
  { method: 'POST', path: '/v1/mandates', function: 'mandates-api' },
  { method: 'GET', path: '/v1/mandates', function: 'mandates-api' },
  { method: 'GET', path: '/v1/mandates/{mandateId}', function: 'mandates-api' },
  { method: 'POST', path: '/v1/mandates/{mandateId}/payments', function: 'mandates-api' },
  { method: 'POST', path: '/v1/mandates/{mandateId}/revoke', function: 'mandates-api' },
  { method: 'POST', path: '/v1/payouts', function: 'payouts-api' },
  { method: 'GET', path: '/v1/payouts', function: 'payouts-api' },
  { method: 'GET', path: '/v1/payouts/{payoutId}', function: 'payouts-api' },
  { method: 'GET', path: '/v1/payouts/{payoutId}/payments', function: 'payouts-api' },
  { method: 'POST', path: '/v1/webhook-endpoints', function: 'callbacks-api' },
  { method: 'GET', path: '/v1/webhook-endpoints', function: 'callbacks-api' },
  { method: 'GET', path: '/v1/webhook-endpoints/{endpointId}', function: 'callbacks-api' },
  { method: 'DELETE', path: '/v1/webhook-endpoints/{endpointId}', function: 'callbacks-api' },
  { method: 'POST', path: '/v1/webhook-endpoints/{endpointId}/redeliveries', function: 'callbacks-api' },
  { method: 'GET', path: '/v1/events', function: 'callbacks-api' },
  { method: 'GET', path: '/v1/reconciliation/exceptions', function: 'reconciliation-api' },
  { method: 'GET', path: '/v1/reconciliation/exceptions/{exceptionId}', function: 'reconciliation-api' },
  { method: 'POST', path: '/v1/reconciliation/exceptions/{exceptionId}/resolve', function: 'reconciliation-api' },
  { method: 'GET', path: '/v1/reconciliation/report', function: 'reconciliation-api' },
  { method: 'POST', path: '/v1/bank-webhooks/{provider}', function: 'bank-webhooks' },
  { method: 'GET', path: '/sandbox/authorisations/{bankPaymentId}', function: 'sandbox-bank' },
  { method: 'POST', path: '/sandbox/authorisations/{bankPaymentId}', function: 'sandbox-bank' },
  { method: 'ANY', path: DEFAULT_ROUTE_PATH, function: 'health' },
];

/** The API Gateway route key a handler sees in `event.routeKey`. */
export const routeKeyOf = (route: Pick<HttpRoute, 'method' | 'path'>): string =>
  route.path === DEFAULT_ROUTE_PATH ? DEFAULT_ROUTE_PATH : `${route.method} ${route.path}`;

export interface QueueSpec {
  /** Function that consumes the queue through an SQS event source with partial batch responses. */
  readonly consumer: FunctionName;
  readonly batchSize: number;
  readonly maxBatchingWindowSeconds: number;
  /** Receives before a message is moved to the dead-letter queue. */
  readonly maxReceiveCount: number;
}

export const queues = {
  settlements: {
    consumer: 'reconcile',
    batchSize: 10,
    maxBatchingWindowSeconds: 1,
    maxReceiveCount: 5,
  },
  /**
   * One message per (event, endpoint) delivery attempt; a failed attempt schedules the next with DelaySeconds
   * (callbacks/retry-schedule.ts) for 72 hours, then the message fails to the DLQ, whose depth is alarmed.
   */
  'callback-deliveries': {
    consumer: 'callback-deliverer',
    batchSize: 10,
    maxBatchingWindowSeconds: 0,
    maxReceiveCount: 3,
  },
  /**
   * Pulls from Open Banking banks, one per message: an account's new transactions, a payment's status (polled with
   * DelaySeconds while the bank has not executed it), a bank's aggregated-polling queue, the scheduled sweep.
   */
  'bank-sync': {
    consumer: 'bank-sync',
    batchSize: 5,
    maxBatchingWindowSeconds: 0,
    maxReceiveCount: 8,
  },
  /** One job per accepted statement file; the worker may take minutes for a 200,000-entry file. */
  'statement-imports': {
    consumer: 'statement-import',
    batchSize: 1,
    maxBatchingWindowSeconds: 0,
    maxReceiveCount: 5,
  },
  /** One message per chunk of an authorised bulk payout (the bank's bulk limit of items); handed to the bank once. */
  payouts: {
    consumer: 'payout-chunks',
    batchSize: 1,
    maxBatchingWindowSeconds: 0,
    maxReceiveCount: 5,
  },
  /** The sandbox bank's outgoing webhooks, delayed with DelaySeconds as a bank's settlement takes time. */
  'sandbox-bank': {
    consumer: 'sandbox-bank-sender',
    batchSize: 10,
    maxBatchingWindowSeconds: 0,
    maxReceiveCount: 10,
  },
} as const satisfies Record<string, QueueSpec>;

export type QueueName = keyof typeof queues;

/** SQS visibility must outlast every retry of one receive by the consumer (AWS's guidance: 6× its timeout). */
export const VISIBILITY_TIMEOUT_FACTOR = 6;

/** An EventBridge rule on the domain event bus: events whose detail-type is listed go to `target`. */
export interface EventRule {
  readonly name: string;
  readonly detailTypes: readonly string[];
  /**
   * Only events whose detail has this field (a dotted path such as `data.payoutId`): an EventBridge `exists`
   * pattern on AWS, the same test on the local bus, so a target is not invoked for events it would ignore.
   */
  readonly detailFieldPresent?: string;
  /** Only events whose detail lacks this field: an EventBridge `exists: false` pattern on AWS, the same test locally. */
  readonly detailFieldAbsent?: string;
  readonly target: FunctionName;
  /** Asynchronous invocation retries before the event is dead-lettered. */
  readonly retryAttempts: number;
  readonly maxEventAgeSeconds: number;
}

const PAYMENT_EVENTS = EVENT_TYPES.filter((type) => type.startsWith('payment.'));

export const eventRules: readonly EventRule[] = [
  {
    name: 'cash-position',
    detailTypes: [...PAYMENT_EVENTS, 'transaction.received'],
    // Only the event that carries its write's cash move (one per moving write): the others would read nothing.
    detailFieldPresent: 'metadata.movedPosition',
    target: 'cash-position',
    retryAttempts: 185,
    maxEventAgeSeconds: 24 * 60 * 60,
  },
  {
    // Only payment.settled of a payment made through a link: it completes a single-use link once. A plain
    // settlement neither invokes it nor costs a request.
    name: 'payment-link-completion',
    detailTypes: ['payment.settled'],
    detailFieldPresent: 'data.linkId',
    target: 'payment-link-completion',
    retryAttempts: 185,
    maxEventAgeSeconds: 24 * 60 * 60,
  },
  {
    name: 'tenant-callbacks',
    // Every event a tenant can subscribe to: the event log keeps them all. A copy its writer already logged and
    // handed to the endpoints itself (callbacks/deliver-write.ts) does not invoke it.
    detailTypes: EVENT_TYPES,
    detailFieldAbsent: 'metadata.fannedOut',
    target: 'tenant-callbacks',
    retryAttempts: 185,
    maxEventAgeSeconds: 24 * 60 * 60,
  },
  {
    name: 'payout-progress',
    // The events of a payout item ending; payments that are not payout items never invoke it.
    detailTypes: ['payment.settled', 'payment.failed', 'payment.returned'],
    detailFieldPresent: 'data.payoutId',
    target: 'payout-progress',
    retryAttempts: 185,
    maxEventAgeSeconds: 24 * 60 * 60,
  },
];

/** The rule's field conditions, as `[dotted path, whether it must exist]`. */
const fieldConditions = (rule: Pick<EventRule, 'detailFieldPresent' | 'detailFieldAbsent'>): readonly [string, boolean][] => [
  ...(rule.detailFieldPresent === undefined ? [] : [[rule.detailFieldPresent, true] as [string, boolean]]),
  ...(rule.detailFieldAbsent === undefined ? [] : [[rule.detailFieldAbsent, false] as [string, boolean]]),
];

const fieldOf = (detail: unknown, path: string): unknown => {
  let current: unknown = detail;
  for (const key of path.split('.')) {
    if (current === null || typeof current !== 'object' || Array.isArray(current)) return undefined;
    current = new Map(Object.entries(current)).get(key);
  }
  return current;
};

/** Whether an event's detail meets the rule's field conditions (every event, for a rule without any). */
export const detailMatches = (rule: Pick<EventRule, 'detailFieldPresent' | 'detailFieldAbsent'>, detail: unknown): boolean =>
  fieldConditions(rule).every(([path, present]) => (fieldOf(detail, path) !== undefined) === present);

/**
 * The EventBridge pattern part for the rule's field conditions:
 * `{ detail: { data: { payoutId: [{ exists: true }] }, metadata: { fannedOut: [{ exists: false }] } } }`.
 */
export const detailPattern = (rule: Pick<EventRule, 'detailFieldPresent' | 'detailFieldAbsent'>): { readonly detail?: Record<string, unknown> } => {
  const conditions = fieldConditions(rule);
  if (conditions.length === 0) return {};
  const detail: Record<string, unknown> = {};
  for (const [path, present] of conditions) {
    const keys = path.split('.');
    let node = detail;
    for (const key of keys.slice(0, -1)) {
      const next = node[key];
      const child: Record<string, unknown> = next !== null && typeof next === 'object' && !Array.isArray(next) ? { ...next } : {};
      node[key] = child;
      node = child;
    }
    node[keys[keys.length - 1] ?? ''] = [{ exists: present }];
  }
  return { detail };
};

/** A JSON object, as a scheduled message body is. */
export type JsonObject = { readonly [key: string]: JsonValue };
export type JsonValue = string | number | boolean | null | readonly JsonValue[] | JsonObject;

/**
 * A message sent to a topology queue on a fixed rate: EventBridge Scheduler on AWS (infra/constructs/queue-schedule.ts),
 * a timer on the local runtime.
 */
export interface ScheduleSpec {
  readonly queue: QueueName;
  /** The rate. The local runtime runs its timer more often by default (SETTLED_BANK_SYNC_INTERVAL_SECONDS). */
  readonly everyMinutes: number;
  /** The message body, sent as JSON; it must be a message the queue's consumer accepts. */
  readonly message: JsonObject;
  /** Delivery retries (EventBridge Scheduler: 0 to 185) before the message goes to the schedule's dead-letter queue. */
  readonly retryAttempts: number;
  /** How long a delivery is retried (60 to 86,400 s). */
  readonly maxEventAgeSeconds: number;
}

const BANK_SYNC_SWEEP: BankSyncMessage = { kind: 'sweep' };

export const schedules = {
  /**
   * The catch-up for banks that send no event notifications: the sweep queues an account sync per connected account
   * and a poll per aggregated-polling bank. A delivery that still fails after the next sweep is due is superseded by
   * it, so retries stop at the rate; what fails is dead-lettered and alarmed (the queue is unreachable).
   */
  'bank-sync-sweep': {
    queue: 'bank-sync',
    everyMinutes: 5,
    message: BANK_SYNC_SWEEP,
    retryAttempts: 3,
    maxEventAgeSeconds: 5 * 60,
  },
} as const satisfies Record<string, ScheduleSpec>;

export type ScheduleName = keyof typeof schedules;
