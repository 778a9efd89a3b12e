import { randomInt } from 'node:crypto';
import { dynamoDbDocumentClient } from '../../shared/adapters/dynamodb/client';
import { tableAdapters } from '../../shared/adapters/dynamodb/repositories';
import { DynamoDbRefundStore } from '../../shared/adapters/dynamodb/refund-store';
import { bankGateways } from '../../shared/adapters/bank-gateways';
import { cachedAccountReads } from '../../shared/adapters/cached-account-reads';
import { eventBridgeClient } from '../../shared/adapters/messaging/clients';
import { EventBridgePublisher } from '../../shared/adapters/messaging/eventbridge-publisher';
import { payeeVerifier } from '../../shared/adapters/payee-verifiers';
import { systemClock, ulidIds } from '../../shared/adapters/system';
import { NotFoundError } from '../../shared/domain/errors';
import { formatAmount, parseAmount } from '../../shared/domain/money';
import { initiatePayment, publishCreationEvents } from '../../shared/domain/payments/initiate-payment';
import { wasSentToBank } from '../../shared/domain/payments/payment';
import { paymentView } from '../../shared/domain/payments/payment-view';
import { refundPayment } from '../../shared/domain/payments/refund-payment';
import { CreatePaymentRequestSchema, CreateRefundRequestSchema, ListPaymentsQuerySchema } from '../../shared/schemas/tenant-api';
import { getStringFromEnv } from '../../shared/runtime/config';
import { createApiHandler, json } from '../../shared/runtime/http/api-handler';
import { idempotentRoute } from '../../shared/runtime/http/idempotent-route';
import { pageOf, parseQuery, pathParameter } from '../../shared/runtime/http/query';
import { parseJsonBody } from '../../shared/runtime/http/request';
import { authenticateTenant } from '../../shared/runtime/http/tenant-auth';
import { RESOURCE_VARIABLES } from '../../shared/runtime/environment';

const tableName = getStringFromEnv(RESOURCE_VARIABLES.tableName);
const { tenants, rateLimiter, accounts, payments, transactions, idempotency } = tableAdapters(dynamoDbDocumentClient, tableName);
const refunds = new DynamoDbRefundStore(dynamoDbDocumentClient, tableName);
const paymentAccounts = cachedAccountReads(accounts, systemClock);
const gateway = bankGateways(dynamoDbDocumentClient, tableName, getStringFromEnv(RESOURCE_VARIABLES.apiBaseUrl));
// Only a payment stopped by Confirmation of Payee publishes from here (payment.failed): nothing on the inbound path.
const events = new EventBridgePublisher(eventBridgeClient(), getStringFromEnv(RESOURCE_VARIABLES.eventBusName));
const initiation = { accounts: paymentAccounts, payments, gateway, ids: ulidIds, clock: systemClock, randomIndex: randomInt, payees: payeeVerifier(), events };

export const handler = createApiHandler({
  'POST /v1/payments': async (event) => {
    const tenantId = await authenticateTenant(event, tenants, rateLimiter);
    // The payment, its reference claim and the stored answer for retries go in one write (docs/architecture.md §9).
    return idempotentRoute(event, tenantId, { idempotency, clock: systemClock }, async (completionOf) => {
      const request = parseJsonBody(event, CreatePaymentRequestSchema);
      const payment = await initiatePayment({ ...request, tenantId, amount: parseAmount(request.amount, request.currency) }, initiation, {
        idempotency: (created) => completionOf(json(201, paymentView(created))),
      });
      return { ...json(201, paymentView(payment)), recorded: true };
    });
  },
  // The refund, the raise of the original's refund counter and the stored answer go in one write (docs/architecture.md).
  'POST /v1/payments/{paymentId}/refunds': async (event) => {
    const tenantId = await authenticateTenant(event, tenants, rateLimiter);
    return idempotentRoute(event, tenantId, { idempotency, clock: systemClock }, async (completionOf) => {
      const request = parseJsonBody(event, CreateRefundRequestSchema);
      const refund = await refundPayment(
        { ...request, tenantId, paymentId: pathParameter(event, 'paymentId') },
        { ...initiation, refunds, transactions },
        { idempotency: (created) => completionOf(json(201, paymentView(created))) },
      );
      return { ...json(201, paymentView(refund)), recorded: true };
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
    const stored = await payments.getWithOutbox(tenantId, paymentId);
    if (stored === undefined) throw new NotFoundError(`Payment ${paymentId} does not exist.`);
    // A crash between the creating write of a payment stopped before it was sent and its publish left its
    // payment.failed in the outbox: it goes out now (a sent payment's outbox is its bank messages' to republish).
    if (!wasSentToBank(stored.payment)) await publishCreationEvents(stored.payment, stored.outbox, { payments, events });
    // What its refunds took so far (docs/architecture.md §8.2), read in the same request as the payment.
    const refunded = stored.refunded === undefined ? {} : { refunded: formatAmount(stored.refunded, stored.payment.currency) };
    return json(200, { ...paymentView(stored.payment), ...refunded });
  },
});
