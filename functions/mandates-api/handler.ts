import { randomInt } from 'node:crypto';
import { cachedAccountReads } from '../../shared/adapters/cached-account-reads';
import { dynamoDbDocumentClient } from '../../shared/adapters/dynamodb/client';
import { DynamoDbMandateRepository } from '../../shared/adapters/dynamodb/mandate-repository';
import { tableAdapters } from '../../shared/adapters/dynamodb/repositories';
import { eventBridgeClient, sqsClient } from '../../shared/adapters/messaging/clients';
import { SqsSettlementQueue } from '../../shared/adapters/messaging/sqs-settlement-queue';
import { obieMandates } from '../../shared/adapters/open-banking-wiring';
import { EventBridgePublisher } from '../../shared/adapters/messaging/eventbridge-publisher';
import { SandboxMandateGateway, SandboxMandateStore } from '../../shared/adapters/sandbox-bank/sandbox-mandates';
import { behaviourFromEnvironment, queueScheduler } from '../../shared/adapters/sandbox-bank/scheduler';
import { systemClock, ulidIds } from '../../shared/adapters/system';
import { createMandate, currentMandate, listMandates, type MandateDeps, payUnderMandate, revokeMandate, viewOf } from '../../shared/domain/mandates/mandate-use-cases';
import { parseAmount } from '../../shared/domain/money';
import { currentWindows, type Mandate, mandateView } from '../../shared/domain/mandates/mandate';
import { paymentView } from '../../shared/domain/payments/payment-view';
import { CreateMandateRequestSchema, ListMandatesQuerySchema, MandatePaymentRequestSchema } from '../../shared/schemas/mandates-api';
import { meteredPublisher } from '../../shared/runtime/business-metrics';
import { getStringFromEnv } from '../../shared/runtime/config';
import { RESOURCE_VARIABLES } from '../../shared/runtime/environment';
import { createApiHandler, json } from '../../shared/runtime/http/api-handler';
import { idempotentRoute } from '../../shared/runtime/http/idempotent-route';
import { pageOf, parseQuery, pathParameter } from '../../shared/runtime/http/query';
import { parseJsonBody } from '../../shared/runtime/http/request';
import { authenticateTenant } from '../../shared/runtime/http/tenant-auth';

const tableName = getStringFromEnv(RESOURCE_VARIABLES.tableName);
const { tenants, rateLimiter, accounts, payments, idempotency } = tableAdapters(dynamoDbDocumentClient, tableName);
const apiBaseUrl = getStringFromEnv(RESOURCE_VARIABLES.apiBaseUrl);
const sandboxMandates = new SandboxMandateGateway(
  new SandboxMandateStore(dynamoDbDocumentClient, tableName),
  apiBaseUrl,
  queueScheduler(getStringFromEnv(RESOURCE_VARIABLES.sandboxQueueUrl)),
  behaviourFromEnvironment(),
  systemClock,
);
// Open Banking accounts: VRP at the account's v4.0 bank; the bank's answer to each payment is queued as a bank report.
const obie = obieMandates(dynamoDbDocumentClient, tableName, apiBaseUrl, {
  accounts,
  settlements: new SqsSettlementQueue(sqsClient(), getStringFromEnv(RESOURCE_VARIABLES.settlementsQueueUrl)),
});
const deps: MandateDeps = {
  accounts: cachedAccountReads(accounts, systemClock),
  mandates: new DynamoDbMandateRepository(dynamoDbDocumentClient, tableName),
  payments,
  gatewayFor: (provider) => (provider === 'sandbox' ? sandboxMandates : provider === 'obie' ? obie : undefined),
  events: meteredPublisher(new EventBridgePublisher(eventBridgeClient(), getStringFromEnv(RESOURCE_VARIABLES.eventBusName))),
  ids: ulidIds,
  clock: systemClock,
  randomIndex: randomInt,
};

export const handler = createApiHandler({
  'POST /v1/mandates': async (event) => {
    const tenantId = await authenticateTenant(event, tenants, rateLimiter);
    return idempotentRoute(event, tenantId, { idempotency, clock: systemClock }, async (completionOf) => {
      const request = parseJsonBody(event, CreateMandateRequestSchema);
      const limits = {
        maxPerPayment: parseAmount(request.limits.maxPerPayment, request.currency, { path: 'limits.maxPerPayment' }),
        periods: request.limits.periods.map((limit, index) => ({
          ...limit,
          maxAmount: parseAmount(limit.maxAmount, request.currency, { path: `limits.periods[${index}].maxAmount` }),
        })),
      };
      // Nothing is used of a mandate nobody authorised yet: its windows show empty.
      const viewOfNew = (mandate: Mandate) => mandateView(mandate, currentWindows(mandate, systemClock.now()).map((window) => ({ ...window, used: 0 })), systemClock.now());
      const mandate = await createMandate({ ...request, tenantId, limits }, deps, (created) => completionOf(json(201, viewOfNew(created))));
      return { ...json(201, viewOfNew(mandate)), recorded: true };
    });
  },
  'GET /v1/mandates': async (event) => {
    const tenantId = await authenticateTenant(event, tenants, rateLimiter);
    const { limit, cursor } = parseQuery(event, ListMandatesQuerySchema);
    const page = await listMandates(tenantId, pageOf({ limit, cursor }), deps);
    return json(200, { data: await Promise.all(page.data.map((mandate) => viewOf(mandate, deps))), nextCursor: page.nextCursor });
  },
  'GET /v1/mandates/{mandateId}': async (event) => {
    const tenantId = await authenticateTenant(event, tenants, rateLimiter);
    return json(200, await viewOf(await currentMandate(tenantId, pathParameter(event, 'mandateId'), deps), deps));
  },
  'POST /v1/mandates/{mandateId}/revoke': async (event) => {
    const tenantId = await authenticateTenant(event, tenants, rateLimiter);
    return idempotentRoute(event, tenantId, { idempotency, clock: systemClock }, async () => {
      const revoked = await revokeMandate(tenantId, pathParameter(event, 'mandateId'), deps);
      return json(200, await viewOf(revoked, deps));
    });
  },
  'POST /v1/mandates/{mandateId}/payments': async (event) => {
    const tenantId = await authenticateTenant(event, tenants, rateLimiter);
    return idempotentRoute(event, tenantId, { idempotency, clock: systemClock }, async (completionOf) => {
      const request = parseJsonBody(event, MandatePaymentRequestSchema);
      const payment = await payUnderMandate(
        { tenantId, mandateId: pathParameter(event, 'mandateId'), amount: request.amount, reference: request.reference, invoiceId: request.invoiceId },
        deps,
        (created) => completionOf(json(201, paymentView(created))),
      );
      return { ...json(201, paymentView(payment)), recorded: true };
    });
  },
});
