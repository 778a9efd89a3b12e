/**
 * The names of every environment variable Settled's functions read, in one place: the handlers read them, the CDK
 * bindings (infra/constructs/settled-function.ts) and the local runtime (infra/local/) set them, and the tests check
 * them, all from this module, so a renamed variable cannot work in one place and be missing in another.
 */

/** Where a function finds a resource its topology grants it (infra/topology.ts `access`). */
export const RESOURCE_VARIABLES = {
  tableName: 'TABLE_NAME',
  settlementsQueueUrl: 'SETTLEMENTS_QUEUE_URL',
  sandboxQueueUrl: 'SANDBOX_QUEUE_URL',
  callbackQueueUrl: 'CALLBACK_QUEUE_URL',
  eventBusName: 'EVENT_BUS_NAME',
  /** The API's own base URL: authorisation links, the sandbox bank's webhook target. */
  apiBaseUrl: 'SETTLED_API_BASE_URL',
  /** The KMS key that encrypts bank tokens at rest (AWS). */
  tokenKeyId: 'TOKEN_KEY_ID',
  /** The queue of bank syncs: fetch an account's transactions, a payment's status, a bank's polled events. */
  bankSyncQueueUrl: 'BANK_SYNC_QUEUE_URL',
  /** The queue of statement imports: one job per accepted statement file. */
  statementImportQueueUrl: 'STATEMENT_IMPORT_QUEUE_URL',
  /** The bucket that keeps accepted statement files until the import worker has read them. */
  statementFilesBucket: 'STATEMENT_FILES_BUCKET',
  /** The queue of payout chunks: one message per chunk of an authorised batch, handed to the bank once. */
  payoutsQueueUrl: 'PAYOUTS_QUEUE_URL',
} as const;

/**
 * Secrets, by name. On AWS a function gets `<NAME>_SECRET_ARN` ({@link secretArnVariableOf}) and reads Secrets
 * Manager; the local runtime passes the value itself in `<NAME>` (shared/adapters/secret-source.ts).
 */
export const SECRET_VARIABLES = {
  adminToken: 'SETTLED_ADMIN_TOKEN',
  sandboxWebhookSecret: 'SETTLED_SANDBOX_WEBHOOK_SECRET',
  /** The secret of Settled's GoCardless webhook endpoint (GoCardless shows it when the endpoint is created). */
  gocardlessWebhookSecret: 'SETTLED_GOCARDLESS_WEBHOOK_SECRET',
  /** The ASPSP registry: JSON `{ "aspsps": [...] }` (shared/adapters/obie/configuration.ts). */
  aspspRegistry: 'SETTLED_ASPSP_REGISTRY',
  /** Settled's Open Banking client credentials: JSON (signing key, transport certificate and key). */
  tppCredentials: 'SETTLED_TPP_CREDENTIALS',
  /** Local runtime only: the AES-256 key (base64) that seals bank tokens at rest; AWS uses the KMS key instead. */
  tokenSealingKey: 'SETTLED_TOKEN_SEALING_KEY',
} as const;

export type SecretName = (typeof SECRET_VARIABLES)[keyof typeof SECRET_VARIABLES];

/** The variable that carries a secret's ARN on AWS. */
export const secretArnVariableOf = <Name extends string>(name: Name): `${Name}_SECRET_ARN` => `${name}_SECRET_ARN`;

/** Optional settings: unset on AWS (each has a safe default), set by the local runtime or a developer. */
export const SETTING_VARIABLES = {
  /** Let tenant callbacks reach loopback/private addresses (local only; false when unset). */
  allowPrivateCallbacks: 'SETTLED_ALLOW_PRIVATE_CALLBACKS',
  /** Multiplies the callback retry schedule (tests shorten it). */
  callbackRetryScale: 'SETTLED_CALLBACK_RETRY_SCALE',
  /** Overrides the sandbox bank's settlement delay for every profile. */
  sandboxSettlementDelaySeconds: 'SETTLED_SANDBOX_SETTLEMENT_DELAY_SECONDS',
  tenantRateLimitPerSecond: 'SETTLED_TENANT_RATE_LIMIT_PER_SECOND',
  /** Sub-items each cash balance is spread over (docs/architecture.md, cash position); may be raised, never lowered. */
  balanceShards: 'SETTLED_BALANCE_SHARDS',
  /** Shard schedules of the bucketed list partitions (`YYYY-MM:N,...`; docs/architecture.md §6): the table's layout. */
  listShards: 'SETTLED_LIST_SHARDS',
  eventListShards: 'SETTLED_EVENT_LIST_SHARDS',
  /**
   * The JWKS URLs a TrueLayer webhook's `jku` may name, comma-separated; unset: TrueLayer's production and sandbox
   * URLs. Not a secret: narrowing it (production only) is the point.
   */
  truelayerJwksUrls: 'SETTLED_TRUELAYER_JWKS_URLS',
  /** Items per chunk the sandbox bank accepts in a bulk payout (default 500). */
  sandboxBulkLimit: 'SETTLED_SANDBOX_BULK_LIMIT',
} as const;

/** Endpoint overrides per AWS service: unset on AWS (the SDK's defaults), the local emulators' URLs locally. */
export const ENDPOINT_VARIABLES = {
  dynamoDb: 'DYNAMODB_ENDPOINT',
  sqs: 'SQS_ENDPOINT',
  eventBridge: 'EVENTBRIDGE_ENDPOINT',
  s3: 'S3_ENDPOINT',
  /** Not set by the local runtime, which passes secret values instead of ARNs. */
  secretsManager: 'SECRETS_MANAGER_ENDPOINT',
} as const;

/** Powertools settings every function gets, on AWS from the function construct, locally from the runtime. */
export const POWERTOOLS_VARIABLES = {
  serviceName: 'POWERTOOLS_SERVICE_NAME',
  metricsNamespace: 'POWERTOOLS_METRICS_NAMESPACE',
  metricsDisabled: 'POWERTOOLS_METRICS_DISABLED',
  traceEnabled: 'POWERTOOLS_TRACE_ENABLED',
  logLevel: 'POWERTOOLS_LOG_LEVEL',
} as const;

/** The Powertools service name and the CloudWatch namespace of Settled's business metrics. */
export const SERVICE_NAME = 'settled';
export const METRICS_NAMESPACE = 'Settled';
