import './env';
import { randomBytes } from 'node:crypto';
import { parseArgs } from 'node:util';
import { startLocalRuntime } from './runtime';

/**
 * `npm start`: the whole product on this machine. Settings come from the environment (README "Running locally");
 * `--in-memory` keeps nothing on disk (tests, throwaway runs).
 */
const { values } = parseArgs({
  options: { 'in-memory': { type: 'boolean', default: false }, port: { type: 'string' } },
  allowPositionals: false,
});

const port = Number(values.port ?? process.env.PORT ?? 3000);
if (!Number.isInteger(port) || port < 0 || port > 65_535) {
  console.error(`PORT must be a TCP port number, got "${values.port ?? process.env.PORT}"`);
  process.exit(2);
}
const sandboxWebhookSecret = process.env.SETTLED_SANDBOX_WEBHOOK_SECRET ?? `whsec_${randomBytes(24).toString('base64')}`;
if (!/^whsec_[A-Za-z0-9+/]+={0,2}$/.test(sandboxWebhookSecret)) {
  console.error('SETTLED_SANDBOX_WEBHOOK_SECRET must be whsec_ followed by base64');
  process.exit(2);
}
// GoCardless secrets are opaque strings it issues per endpoint; a random one per start unless one is given.
const gocardlessWebhookSecret = process.env.SETTLED_GOCARDLESS_WEBHOOK_SECRET ?? randomBytes(24).toString('base64url');
const adminToken = process.env.SETTLED_ADMIN_TOKEN ?? `adm_${randomBytes(24).toString('base64url')}`;
const dataDir = values['in-memory'] ? undefined : (process.env.SETTLED_DATA_DIR ?? '.settled-data');
const log = (line: string) => console.error(`[settled] ${line}`);
// An in-memory run may use a DynamoDB Local that is already running (the e2e tests share one) instead of its own.
const sharedEndpoint = process.env.SETTLED_DYNAMODB_ENDPOINT;
const sharedTable = process.env.SETTLED_DYNAMODB_TABLE ?? 'settled';
if (sharedEndpoint !== undefined && sharedEndpoint !== '') {
  if (dataDir !== undefined) {
    console.error('SETTLED_DYNAMODB_ENDPOINT needs --in-memory: a data dir keeps its own DynamoDB Local beside the queue journal.');
    process.exit(2);
  }
  if (!URL.canParse(sharedEndpoint) || !/^https?:$/.test(new URL(sharedEndpoint).protocol)) {
    console.error(`SETTLED_DYNAMODB_ENDPOINT must be an http(s) URL, got "${sharedEndpoint}"`);
    process.exit(2);
  }
  if (!/^[A-Za-z0-9_.-]{3,255}$/.test(sharedTable)) {
    console.error(`SETTLED_DYNAMODB_TABLE must be a DynamoDB table name (3-255 of A-Z a-z 0-9 _ . -), got "${sharedTable}"`);
    process.exit(2);
  }
}

const startedAt = Date.now();
let runtime: Awaited<ReturnType<typeof startLocalRuntime>>;
try {
  runtime = await startLocalRuntime({
    port,
    dataDir,
    adminToken,
    sandboxWebhookSecret,
    gocardlessWebhookSecret,
    visibilityTimeoutMs: Number(process.env.SETTLED_LOCAL_VISIBILITY_TIMEOUT_MS ?? 1_000),
    openBanking: {
      registryFile: process.env.SETTLED_ASPSP_REGISTRY_FILE,
      credentialsFile: process.env.SETTLED_TPP_CREDENTIALS_FILE,
      bookingDelayMs: process.env.SETTLED_MOCK_BANK_BOOKING_DELAY_MS === undefined ? undefined : Number(process.env.SETTLED_MOCK_BANK_BOOKING_DELAY_MS),
    },
    bankSyncIntervalMs: Number(process.env.SETTLED_BANK_SYNC_INTERVAL_SECONDS ?? 60) * 1000,
    ...(sharedEndpoint === undefined || sharedEndpoint === '' ? {} : { sharedDynamoDb: { endpoint: sharedEndpoint, tableName: sharedTable } }),
    log,
  });
} catch (error) {
  log(`could not start: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
}

console.log(
  [
    '',
    `Settled is running at ${runtime.url}  (ready in ${((Date.now() - startedAt) / 1000).toFixed(1)} s)`,
    `  API reference           ${runtime.url}/docs  (Swagger UI; the document: ${runtime.url}/openapi.json)`,
    `  operations console      ${runtime.url}/console  (sign in with a tenant API key)`,
    `  admin token             ${adminToken}`,
    `  sandbox webhook secret  ${sandboxWebhookSecret}`,
    `  GoCardless secret       ${gocardlessWebhookSecret}`,
    `  Open Banking banks      ${runtime.banks.length === 0 ? 'none configured' : `${runtime.banks.length} (GET /v1/aspsps)`}`,
    ...runtime.banks.map((bank) => `    ${bank.id.padEnd(20)} ${bank.name} (${bank.apiVersion}), customers authorise at ${bank.authorizationEndpoint}`),
    `  data                    ${dataDir === undefined ? 'in memory (lost on stop)' : `${dataDir} (DynamoDB Local, queued messages and events)`}`,
    `  try: curl -s -X POST ${runtime.url}/v1/admin/tenants -H 'authorization: Bearer ${adminToken}' -H 'content-type: application/json' -d '{"name":"Acme Billing"}'`,
    '',
  ].join('\n'),
);

let stopping = false;
const shutdown = (signal: NodeJS.Signals) => {
  if (stopping) return;
  stopping = true;
  log(`${signal}: stopping`);
  runtime.stop().then(
    () => process.exit(0),
    (error: unknown) => {
      log(`stop failed: ${String(error)}`);
      process.exit(1);
    },
  );
};
process.on('SIGINT', shutdown);
process.on('SIGTERM', shutdown);
