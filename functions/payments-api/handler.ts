import { randomInt } from 'node:crypto';
import { dynamoDbDocumentClient } from '../../shared/adapters/dynamodb/client';
import { tableAdapters } from '../../shared/adapters/dynamodb/repositories';
import { bankGateways } from '../../shared/adapters/bank-gateways';
import { cachedAccountReads } from '../../shared/adapters/cached-account-reads';
import { systemClock, ulidIds } from '../../shared/adapters/system';
import { NotFoundError } from '../../shared/domain/errors';
import { parseAmount } from '../../shared/domain/money';
import { initiatePayment } from '../../shared/domain/payments/initiate-payment';
import { paymentView } from '../../shared/domain/payments/payment-view';
import { CreatePaymentRequestSchema, ListPaymentsQuerySchema } from '../../shared/schemas/tenant-api';
import { getStringFromEnv } from '../../shared/runtime/config';
import { createApiHandler, json } from '../../shared/runtime/http/api-handler';
import { idempotentRoute } from '../../shared/runtime/http/idempotent-route';
import { pageOf, parseQuery, pathParameter } from '../../shared/runtime/http/query';
import { parseJsonBody } from '../../shared/runtime/http/request';
import { authenticateTenant } from '../../shared/runtime/http/tenant-auth';
import { RESOURCE_VARIABLES } from '../../shared/runtime/environment';

const { tenants, rateLimiter, accounts, payments, idempotency } = tableAdapters(dynamoDbDocumentClient, getStringFromEnv(RESOURCE_VARIABLES.tableName));
const paymentAccounts = cachedAccountReads(accounts, systemClock);
const gateway = bankGateways(dynamoDbDocumentClient, getStringFromEnv(RESOURCE_VARIABLES.tableName), getStringFromEnv(RESOURCE_VARIABLES.apiBaseUrl));

export const handler = createApiHandler({
  'POST /v1/payments': async (event) => {
    const tenantId = await authenticateTenant(event, tenants, rateLimiter);
    // The payment, its reference claim and the stored answer for retries go in one write (docs/architecture.md §9).
    return idempotentRoute(event, tenantId, { idempotency, clock: systemClock }, async (completionOf) => {
      const request = parseJsonBody(event, CreatePaymentRequestSchema);
      const payment = await initiatePayment(
        { ...request, tenantId, amount: parseAmount(request.amount, request.currency) },
        { accounts: paymentAccounts, payments, gateway, ids: ulidIds, clock: systemClock, randomIndex: randomInt },
        { idempotency: (created) => completionOf(json(201, paymentView(created))) },
      );
      return { ...json(201, paymentView(payment)), recorded: true };
    });
  },
  'GET /v1/payments': async (event) => {
    const tenantId = await authenticateTenant(event, tenants, rateLimiter);
    const { limit, cursor, ...filter } = parseQuery(event, ListPaymentsQuerySchema);
    const page = await payments.list(tenantId, filter, pageOf({ limit, cursor }));
    return json(200, { data: page.data.map(paymentView), nextCursor: page.nextCursor });
  },
  'GET /v1/payments/{paymentId}': async (event) => {
    const tenantId = await authenticateTenant(event, tenants, rateLimiter);
    const paymentId = pathParameter(event, 'paymentId');
    const payment = await payments.get(tenantId, paymentId);
    if (payment === undefined) throw new NotFoundError(`Payment ${paymentId} does not exist.`);
    return json(200, paymentView(payment));
  },
});
