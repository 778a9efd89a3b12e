import { randomUUID } from 'node:crypto';
import { Webhook } from 'standardwebhooks';
import { afterEach, beforeAll, expect } from 'vitest';
import { createSettledClient, idempotencyKey, type SettledClient } from '../../clients/typescript/src';
import { api as runtimeApi, type RunningRuntime } from '../../infra/local/spawn-runtime';
import { prepareResponseValidation, takeViolations, validatedFetch } from './openapi-conformance';

export { validatedFetch } from './openapi-conformance';

/**
 * The e2e tests' HTTP client: every response is checked against docs/openapi.yaml (see openapi-conformance.ts).
 * Tests use this and `validatedFetch`, never `fetch` itself.
 */
export const api = (baseUrl: string, bearer?: string) => runtimeApi(baseUrl, bearer, validatedFetch);

/** The typed client's requests, sent through validatedFetch so its answers are checked against the document too. */
const checkedRequest = async (request: Request): Promise<Response> => {
  const body = request.method === 'GET' || request.method === 'HEAD' ? undefined : await request.text();
  return validatedFetch(request.url, { method: request.method, headers: request.headers, redirect: request.redirect, ...(body === undefined ? {} : { body }) });
};

/** The typed client of clients/typescript (generated from docs/openapi.yaml), as a tenant's own code uses it. */
export const settledClient = (baseUrl: string, apiKey?: string): SettledClient => createSettledClient({ baseUrl, apiKey, fetch: checkedRequest });

// Before any runtime starts, so no request waits on schema compilation.
beforeAll(prepareResponseValidation, 120_000);

// A violation thrown inside a polling probe (`eventually`) is retried away; it still fails the test here.
afterEach(() => {
  const violations = takeViolations();
  if (violations.length > 0) throw new Error(`Responses that docs/openapi.yaml does not describe:\n${violations.join('\n')}`);
});

/**
 * A tenant with its API clients, created through the admin API by the typed client: `client` is the typed client
 * (clients/typescript) with the tenant's key, `get`/`post`/… the untyped one.
 */
export const onboardTenant = async (runtime: RunningRuntime, name = 'Acme Billing') => {
  const created = await settledClient(runtime.url, runtime.adminToken).POST('/v1/admin/tenants', { body: { name } });
  expect(created.response.status).toBe(201);
  if (created.data === undefined) throw new Error('POST /v1/admin/tenants answered no tenant');
  const apiKey = created.data.apiKey;
  const client = api(runtime.url, apiKey);
  /** POST with a fresh Idempotency-Key unless one is given. */
  const post = (path: string, body: unknown, key: string = randomUUID()) => client.post(path, body, { 'idempotency-key': key });
  /** POST a file body (a statement) with its media type and a fresh Idempotency-Key. */
  const upload = (path: string, body: string, contentType: string) => client.post(path, body, { 'content-type': contentType, 'idempotency-key': randomUUID() });
  return { tenantId: created.data.id, apiKey, client: settledClient(runtime.url, apiKey), get: client.get, post, upload, delete: client.delete };
};

export type Tenant = Awaited<ReturnType<typeof onboardTenant>>;

/** A sandbox account with a random account number, so tests never share one. */
export const connectAccount = async (tenant: Tenant, profile: 'exact' | 'uk-realistic' | 'chaotic', openingBalance = '1000.00') => {
  const accountNumber = String(10_000_000 + Math.floor(Math.random() * 89_999_999));
  const response = await tenant.client.POST('/v1/accounts', {
    params: { header: idempotencyKey() },
    body: { provider: 'sandbox', name: 'Acme Ltd', sortCode: '040004', accountNumber, currency: 'GBP', sandboxProfile: profile, openingBalance },
  });
  expect(response.response.status).toBe(201);
  if (response.data === undefined) throw new Error('POST /v1/accounts answered no account');
  return { id: response.data.id, sortCode: '040004', accountNumber };
};

/** Polls until `probe` returns a value (not undefined), or fails after `timeoutMs`. */
export const eventually = async <T>(probe: () => Promise<T | undefined>, timeoutMs = 20_000, what = 'the condition'): Promise<T> => {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < deadline) {
    try {
      const value = await probe();
      if (value !== undefined) return value;
    } catch (error) {
      last = error;
    }
    await new Promise((resolveWait) => setTimeout(resolveWait, 100));
  }
  throw new Error(`Timed out waiting for ${what}${last === undefined ? '' : `: ${String(last)}`}`);
};

export const paymentWithStatus = (tenant: Tenant, paymentId: string, status: string) =>
  eventually(
    async () => {
      const response = await tenant.get(`/v1/payments/${paymentId}`);
      return response.body.status === status ? response.body : undefined;
    },
    20_000,
    `payment ${paymentId} to be ${status}`,
  );

export const positionOf = async (tenant: Tenant, accountId: string) => {
  const response = await tenant.get('/v1/cash-position');
  expect(response.status).toBe(200);
  return (response.body.positions as Record<string, string>[]).find((position) => position.accountId === accountId);
};

/**
 * Waits until every queue is drained and every event delivered. The runtime answers 504 after a minute; on a loaded
 * runner a large payout can take longer than that, so a second wait is allowed before failing with what is pending.
 */
export const idle = async (runtime: RunningRuntime, attempts = 3) => {
  let pending = '';
  for (let attempt = 0; attempt < attempts; attempt += 1) {
    const response = await validatedFetch(`${runtime.url}/_local/idle`, { method: 'POST' });
    if (response.status === 200) return;
    expect(response.status, 'the runtime answers 200 when idle, 504 when its wait ran out').toBe(504);
    pending = await response.text();
  }
  expect.fail(`the runtime was not idle after ${attempts} waits: ${pending}`);
};

/** Signs a canonical bank webhook as the sandbox bank does, and posts it. */
export const postBankWebhook = async (
  runtime: RunningRuntime,
  payload: unknown,
  options: { secret?: string; at?: Date; tamper?: (body: string) => string; webhookId?: string } = {},
) => {
  const body = JSON.stringify(payload);
  const at = options.at ?? new Date();
  const webhookId = options.webhookId ?? `msg_${randomUUID()}`;
  const signature = new Webhook(options.secret ?? runtime.sandboxWebhookSecret).sign(webhookId, at, body);
  const response = await validatedFetch(`${runtime.url}/v1/bank-webhooks/sandbox`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'webhook-id': webhookId,
      'webhook-timestamp': String(Math.floor(at.getTime() / 1000)),
      'webhook-signature': signature,
    },
    body: options.tamper === undefined ? body : options.tamper(body),
  });
  return { status: response.status, body: (await response.json()) as Record<string, any> };
};

export const queueStats = async (runtime: RunningRuntime, name: string) => {
  const response = await validatedFetch(`${runtime.url}/_local/queues/${name}`);
  return (await response.json()) as { sent: number; deleted: number; deadLettered: number; messages: unknown[] };
};

export interface MockBankInfo {
  readonly id: string;
  readonly name: string;
  readonly apiVersion: string;
  readonly authorizationEndpoint: string;
  readonly resourceBaseUrl: string;
  readonly controlUrl: string;
}

/**
 * The local runtime's mock Open Banking banks, seen as a customer's browser and a test harness see them: their
 * consent pages and their `/_mock` controls. Not Settled's API, so not checked against docs/openapi.yaml; this client
 * refuses any URL that is not one of theirs, so Settled's own responses cannot slip past the check through it.
 */
export const mockBanks = async (runtime: RunningRuntime) => {
  const response = await validatedFetch(`${runtime.url}/_local/banks`);
  const { banks } = (await response.json()) as { banks: MockBankInfo[] };
  const origins = new Set(banks.flatMap((bank) => [new URL(bank.authorizationEndpoint).origin, new URL(bank.controlUrl).origin]));
  const bankFetch = async (url: string, init: RequestInit = {}): Promise<Response> => {
    if (!origins.has(new URL(url).origin)) throw new Error(`${url} is not a mock bank's page`);
    return fetch(url, init);
  };
  const bank = (id: string): MockBankInfo => {
    const found = banks.find((candidate) => candidate.id === id);
    if (found === undefined) throw new Error(`No mock bank ${id}`);
    return found;
  };
  /** The PSU approves (or refuses) on the bank's page; the bank answers 303 back to Settled with code and state. */
  const decide = async (authorisationUrl: string, outcome: 'approve' | 'reject' = 'approve'): Promise<string> => {
    const answer = await bankFetch(authorisationUrl, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: `outcome=${outcome}`, redirect: 'manual' });
    expect(answer.status).toBe(303);
    return answer.headers.get('location') ?? '';
  };
  const control = async (bankId: string, path: string, body?: unknown): Promise<Record<string, any>> => {
    const answer = await bankFetch(`${bank(bankId).controlUrl}${path}`, body === undefined ? {} : { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    expect(answer.status).toBeLessThan(300);
    return (await answer.json()) as Record<string, any>;
  };
  /** Every breach of the specs, JWS, mTLS or client-authentication rules the banks saw Settled commit. */
  const violations = async (): Promise<string[]> => ((await (await validatedFetch(`${runtime.url}/_local/banks`)).json()) as { violations: string[] }).violations;
  return { banks, bank, bankFetch, decide, control, violations };
};

/** Imports a statement file and waits until the import completed; returns the final import. */
export const importStatement = async (tenant: Tenant, accountId: string, body: string, contentType = 'application/xml', query = '') => {
  const accepted = await tenant.upload(`/v1/accounts/${accountId}/statements${query}`, body, contentType);
  expect(accepted.status, JSON.stringify(accepted.body)).toBe(202);
  return eventually(
    async () => {
      const current = await tenant.get(`/v1/accounts/${accountId}/statements/${String(accepted.body.id)}`);
      return current.body.status === 'completed' ? current.body : undefined;
    },
    30_000,
    `statement import ${String(accepted.body.id)} to complete`,
  );
};
