import { createHash, randomInt } from 'node:crypto';
import * as v from 'valibot';
import { dynamoDbDocumentClient } from '../../shared/adapters/dynamodb/client';
import { DynamoDbPayoutStore } from '../../shared/adapters/dynamodb/payout-store';
import { tableAdapters } from '../../shared/adapters/dynamodb/repositories';
import { cachedAccountReads } from '../../shared/adapters/cached-account-reads';
import { SandboxBulkGateway, sandboxBulkLimit } from '../../shared/adapters/sandbox-bank/bulk';
import { ProviderBulkGateway } from '../../shared/adapters/bulk-gateways';
import { obiePayouts } from '../../shared/adapters/open-banking-wiring';
import { ObieBulkGateway } from '../../shared/domain/open-banking/payout-files';
import { sandboxPayeeVerifier } from '../../shared/adapters/sandbox-bank/payee-verifier';
import { systemClock } from '../../shared/adapters/system';
import { NotFoundError, ValidationError } from '../../shared/domain/errors';
import { requestFingerprint } from '../../shared/domain/idempotency/idempotency';
import { paymentView } from '../../shared/domain/payments/payment-view';
import { createPayout } from '../../shared/domain/payouts/create-payout';
import { type Payout, payoutView } from '../../shared/domain/payouts/payout';
import type { Payment } from '../../shared/domain/payments/payment';
import { ListPayoutPaymentsQuerySchema, ListPayoutsQuerySchema, parsePayoutRequest } from '../../shared/schemas/payouts';
import { getOptionalStringFromEnv, getStringFromEnv } from '../../shared/runtime/config';
import { type ApiResponse, createApiHandler, json } from '../../shared/runtime/http/api-handler';
import { idempotentRoute } from '../../shared/runtime/http/idempotent-route';
import { pageOf, parseQuery, pathParameter } from '../../shared/runtime/http/query';
import { parseJsonBody } from '../../shared/runtime/http/request';
import { authenticateTenant } from '../../shared/runtime/http/tenant-auth';
import { RESOURCE_VARIABLES, SETTING_VARIABLES } from '../../shared/runtime/environment';

const tableName = getStringFromEnv(RESOURCE_VARIABLES.tableName);
const { tenants, rateLimiter, accounts, idempotency, sandbox } = tableAdapters(dynamoDbDocumentClient, tableName);
const payouts = new DynamoDbPayoutStore(dynamoDbDocumentClient, tableName);
const sandboxBank = new SandboxBulkGateway(
  dynamoDbDocumentClient,
  tableName,
  sandbox,
  getStringFromEnv(RESOURCE_VARIABLES.apiBaseUrl),
  // The API only asks for the batch's authorisation; chunks go to the bank from the payouts queue.
  async () => {
    throw new Error('The payouts API schedules no sandbox webhooks');
  },
  sandboxBulkLimit(getOptionalStringFromEnv(SETTING_VARIABLES.sandboxBulkLimit)),
);
// Open Banking accounts pay out through their bank's file payments; the registry holds each bank's file limit.
const bank = new ProviderBulkGateway({
  sandbox: sandboxBank,
  obie: new ObieBulkGateway(obiePayouts(dynamoDbDocumentClient, tableName, getStringFromEnv(RESOURCE_VARIABLES.apiBaseUrl))),
});
const payoutAccounts = cachedAccountReads(accounts, systemClock);

/** A 10,000-item payout is about 1.3 MB of JSON; Lambda takes 6 MB. */
const MAX_PAYOUT_BODY_BYTES = 5 * 1024 * 1024;
/** Items a page of a payout's payments reads at most before it answers (short, with a cursor). */
const MAX_SCANNED_PER_PAGE = 2_000;
const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/** The batch id of a request: derived from the tenant and its Idempotency-Key, so a retry stores the same batch. */
const payoutIdFor = (tenantId: string, key: string): string => {
  const digest = createHash('sha256').update(`${tenantId}|payout|${key}`, 'utf8').digest();
  let id = '';
  for (let i = 0; i < 26; i += 1) id += CROCKFORD.charAt((digest[i] ?? 0) % 32);
  return `bat_${id}`;
};

const createdView = (payout: Payout, counters: Awaited<ReturnType<typeof payouts.counters>>, payments: readonly Payment[]) => ({
  ...payoutView(payout, counters),
  payments: payments.map((payment) => ({
    id: payment.id,
    externalId: payment.metadata.externalId ?? null,
    reference: payment.reference,
    status: payment.status,
    failureReason: payment.failureReason,
  })),
});

/** What the idempotency record keeps for a payout: the batch's id only (the full answer of 10,000 items is ~1 MB, over DynamoDB's 400 KB item limit). */
const CompactAnswerSchema = v.object({ payoutId: v.pipe(v.string(), v.startsWith('bat_')), compact: v.literal(true) });

const storedPayout = async (tenantId: string, payoutId: string): Promise<Payout> => {
  const payout = await payouts.get(tenantId, payoutId);
  if (payout === undefined || payout.status === 'storing') throw new NotFoundError(`Payout ${payoutId} does not exist.`);
  return payout;
};

/** A replayed POST answers the batch and its items as they are now, rebuilt from the compact record. */
const expandReplay = async (tenantId: string, response: ApiResponse): Promise<ApiResponse> => {
  const compact = v.safeParse(CompactAnswerSchema, response.body);
  if (!compact.success) return response;
  const payout = await storedPayout(tenantId, compact.output.payoutId);
  const [counters, items] = await Promise.all([payouts.counters(tenantId, payout.id), payouts.items(payout, 0, payout.itemCount)]);
  return { ...response, body: createdView(payout, counters, items) };
};

const cursorOf = (payoutId: string, index: number): string => Buffer.from(JSON.stringify({ payoutId, index }), 'utf8').toString('base64url');
const CursorSchema = v.object({ payoutId: v.string(), index: v.pipe(v.number(), v.integer(), v.minValue(0)) });
const indexFromCursor = (payoutId: string, cursor: string | undefined): number => {
  if (cursor === undefined) return 0;
  let decoded: unknown;
  try {
    decoded = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    decoded = undefined;
  }
  const parsed = v.safeParse(CursorSchema, decoded);
  if (!parsed.success || parsed.output.payoutId !== payoutId) {
    throw new ValidationError('The cursor is invalid.', { details: [{ path: 'cursor', message: 'use nextCursor from a previous page' }] });
  }
  return parsed.output.index;
};

export const handler = createApiHandler({
  'POST /v1/payouts': async (event) => {
    const tenantId = await authenticateTenant(event, tenants, rateLimiter);
    const response = await idempotentRoute(event, tenantId, { idempotency, clock: systemClock }, async (completionOf) => {
      const body: unknown = parseJsonBody(event, v.unknown(), MAX_PAYOUT_BODY_BYTES);
      const request = parsePayoutRequest(body);
      const created = await createPayout(
        {
          tenantId,
          payoutId: payoutIdFor(tenantId, event.headers['idempotency-key'] ?? ''),
          fingerprint: requestFingerprint(event.routeKey, body),
          accountId: request.accountId,
          currency: request.currency,
          items: request.items,
          mismatchPolicy: request.mismatchPolicy,
        },
        { accounts: payoutAccounts, payouts, bank, payees: sandboxPayeeVerifier, clock: systemClock, randomIndex: randomInt },
        (payout) => completionOf(json(201, { payoutId: payout.id, compact: true })),
      );
      const counters = await payouts.counters(tenantId, created.payout.id);
      return { ...json(201, createdView(created.payout, counters, created.payments)), recorded: created.recorded };
    });
    return response.headers?.['idempotent-replayed'] === 'true' ? expandReplay(tenantId, response) : response;
  },
  'GET /v1/payouts': async (event) => {
    const tenantId = await authenticateTenant(event, tenants, rateLimiter);
    const { limit, cursor } = parseQuery(event, ListPayoutsQuerySchema);
    const page = await payouts.list(tenantId, pageOf({ limit, cursor }));
    const data = await Promise.all(page.data.map(async (payout) => payoutView(payout, await payouts.counters(tenantId, payout.id))));
    return json(200, { data, nextCursor: page.nextCursor });
  },
  'GET /v1/payouts/{payoutId}': async (event) => {
    const tenantId = await authenticateTenant(event, tenants, rateLimiter);
    const payout = await storedPayout(tenantId, pathParameter(event, 'payoutId'));
    return json(200, payoutView(payout, await payouts.counters(tenantId, payout.id)));
  },
  // Items in index order; `status` keeps those in it now (failures show the moment the bank reports them).
  'GET /v1/payouts/{payoutId}/payments': async (event) => {
    const tenantId = await authenticateTenant(event, tenants, rateLimiter);
    const payout = await storedPayout(tenantId, pathParameter(event, 'payoutId'));
    const { limit, cursor, status } = parseQuery(event, ListPayoutPaymentsQuerySchema);
    const page = await payouts.itemsPage(payout, { from: indexFromCursor(payout.id, cursor), limit: pageOf({ limit, cursor }).limit, status, maxScanned: MAX_SCANNED_PER_PAGE });
    return json(200, { data: page.data.map(paymentView), nextCursor: page.next === null ? null : cursorOf(payout.id, page.next) });
  },
});
