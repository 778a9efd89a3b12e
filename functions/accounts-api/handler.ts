import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { dynamoDbDocumentClient } from '../../shared/adapters/dynamodb/client';
import { tableAdapters } from '../../shared/adapters/dynamodb/repositories';
import { eventBridgeClient } from '../../shared/adapters/messaging/clients';
import { EventBridgePublisher } from '../../shared/adapters/messaging/eventbridge-publisher';
import { obieAccountAccess, operationLog } from '../../shared/adapters/open-banking-wiring';
import { cryptoSecrets, systemClock, ulidIds } from '../../shared/adapters/system';
import { tokenSealerFromEnvironment } from '../../shared/adapters/token-sealing/from-environment';
import { accountView, getAccount, listAccountTransactions } from '../../shared/domain/accounts/account-queries';
import { connectAccount } from '../../shared/domain/accounts/connect-account';
import { reconfirmConsent, revokeConsent } from '../../shared/domain/accounts/consents';
import { connectObieAccount, startObieReconfirmation } from '../../shared/domain/accounts/obie-account-access';
import { cashPositionView } from '../../shared/domain/cash/cash-position';
import { NotFoundError } from '../../shared/domain/errors';
import { parseAmount } from '../../shared/domain/money';
import { transactionView } from '../../shared/domain/settlement/transaction-view';
import { ConnectAccountRequestSchema, ListTransactionsQuerySchema, PageQuerySchema, ReconfirmConsentRequestSchema } from '../../shared/schemas/tenant-api';
import { meteredPublisher } from '../../shared/runtime/business-metrics';
import { getStringFromEnv } from '../../shared/runtime/config';
import { createApiHandler, json } from '../../shared/runtime/http/api-handler';
import { idempotentRoute } from '../../shared/runtime/http/idempotent-route';
import { pageOf, parseQuery, pathParameter } from '../../shared/runtime/http/query';
import { parseJsonBody, rawBodyOf } from '../../shared/runtime/http/request';
import { authenticateTenant } from '../../shared/runtime/http/tenant-auth';
import { RESOURCE_VARIABLES } from '../../shared/runtime/environment';

const { tenants, rateLimiter, accounts, transactions, cash, idempotency, authorisationSessions } = tableAdapters(
  dynamoDbDocumentClient,
  getStringFromEnv(RESOURCE_VARIABLES.tableName),
);
const events = meteredPublisher(new EventBridgePublisher(eventBridgeClient(), getStringFromEnv(RESOURCE_VARIABLES.eventBusName)));
const apiBaseUrl = getStringFromEnv(RESOURCE_VARIABLES.apiBaseUrl);
const { directory, gateway } = obieAccountAccess();
const obie = {
  accounts,
  aspsps: directory,
  gateway,
  sessions: authorisationSessions,
  sealer: tokenSealerFromEnvironment(),
  secrets: cryptoSecrets,
  ids: ulidIds,
  clock: systemClock,
  apiBaseUrl,
};

/** A POST whose body is optional: none (or an empty one) reads as `{}`. */
const optionalJsonBody = <T>(event: APIGatewayProxyEventV2, parse: (event: APIGatewayProxyEventV2) => T, empty: T): T =>
  rawBodyOf(event).trim() === '' ? empty : parse(event);

export const handler = createApiHandler({
  'GET /v1/aspsps': async (event) => {
    await authenticateTenant(event, tenants, rateLimiter);
    return json(200, { data: await directory.list() });
  },
  'POST /v1/accounts': async (event) => {
    const tenantId = await authenticateTenant(event, tenants, rateLimiter);
    return idempotentRoute(event, tenantId, { idempotency, clock: systemClock }, async () => {
      const request = parseJsonBody(event, ConnectAccountRequestSchema);
      if (request.provider === 'obie') {
        const account = await connectObieAccount(
          {
            tenantId,
            aspspId: request.aspspId,
            name: request.name,
            currency: request.currency,
            sortCode: request.sortCode ?? null,
            accountNumber: request.accountNumber ?? null,
            redirectUrl: request.redirectUrl ?? null,
          },
          obie,
        );
        return json(201, accountView(account));
      }
      const openingBalance = parseAmount(request.openingBalance, request.currency, { path: 'openingBalance', allowZero: true });
      const account = await connectAccount({ ...request, tenantId, openingBalance }, { accounts, ids: ulidIds, clock: systemClock });
      return json(201, accountView(account));
    });
  },
  'POST /v1/consents/{consentId}/reconfirm': async (event) => {
    const tenantId = await authenticateTenant(event, tenants, rateLimiter);
    return idempotentRoute(event, tenantId, { idempotency, clock: systemClock }, async () => {
      const request = optionalJsonBody(event, (body) => parseJsonBody(body, ReconfirmConsentRequestSchema), {});
      const account = await reconfirmConsent(
        { tenantId, consentId: pathParameter(event, 'consentId'), redirectUrl: request.redirectUrl ?? null },
        { accounts, events, clock: systemClock, startObieReconfirmation: startObieReconfirmation(obie) },
      );
      return json(200, accountView(account));
    });
  },
  'POST /v1/consents/{consentId}/revoke': async (event) => {
    const tenantId = await authenticateTenant(event, tenants, rateLimiter);
    return idempotentRoute(event, tenantId, { idempotency, clock: systemClock }, async () => {
      const account = await revokeConsent({ tenantId, consentId: pathParameter(event, 'consentId') }, { accounts, events, clock: systemClock, gateway, log: operationLog });
      return json(200, accountView(account));
    });
  },
  'GET /v1/accounts': async (event) => {
    const tenantId = await authenticateTenant(event, tenants, rateLimiter);
    const page = await accounts.list(tenantId, pageOf(parseQuery(event, PageQuerySchema)));
    return json(200, { data: page.data.map(accountView), nextCursor: page.nextCursor });
  },
  'GET /v1/accounts/{accountId}': async (event) => {
    const tenantId = await authenticateTenant(event, tenants, rateLimiter);
    return json(200, accountView(await getAccount(tenantId, pathParameter(event, 'accountId'), { accounts })));
  },
  'GET /v1/accounts/{accountId}/transactions': async (event) => {
    const tenantId = await authenticateTenant(event, tenants, rateLimiter);
    const { limit, cursor, from, to, ...filter } = parseQuery(event, ListTransactionsQuerySchema);
    const page = await listAccountTransactions(
      {
        tenantId,
        accountId: pathParameter(event, 'accountId'),
        // Stored booking times are UTC ISO strings; compare like with like whatever offset the caller used.
        filter: { ...filter, from: from === undefined ? undefined : new Date(from).toISOString(), to: to === undefined ? undefined : new Date(to).toISOString() },
        page: pageOf({ limit, cursor }),
        requestId: event.requestContext.requestId,
        endpoint: `GET ${event.rawPath}`,
      },
      { accounts, transactions, events, clock: systemClock },
    );
    return json(200, { data: page.data.map(transactionView), nextCursor: page.nextCursor });
  },
  'GET /v1/consents/{consentId}/access-log': async (event) => {
    const tenantId = await authenticateTenant(event, tenants, rateLimiter);
    const consentId = pathParameter(event, 'consentId');
    if ((await accounts.findByConsent(tenantId, consentId)) === undefined) throw new NotFoundError(`Consent ${consentId} does not exist.`);
    const page = await accounts.listAccessLog(tenantId, consentId, pageOf(parseQuery(event, PageQuerySchema)));
    return json(200, {
      data: page.data.map(({ at, endpoint, scope, count, requestId }) => ({ at, endpoint, scope, count, requestId })),
      nextCursor: page.nextCursor,
    });
  },
  'GET /v1/cash-position': async (event) => {
    const tenantId = await authenticateTenant(event, tenants, rateLimiter);
    return json(200, { positions: (await cash.list(tenantId)).map(cashPositionView) });
  },
});
