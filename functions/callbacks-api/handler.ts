import { assertCallbackTarget } from '../../shared/adapters/callbacks/callback-url-policy';
import { dynamoDbDocumentClient } from '../../shared/adapters/dynamodb/client';
import { tableAdapters } from '../../shared/adapters/dynamodb/repositories';
import { cryptoSecrets, systemClock, ulidIds } from '../../shared/adapters/system';
import { sqsClient } from '../../shared/adapters/messaging/clients';
import { SqsDeliveryQueue } from '../../shared/adapters/messaging/sqs-delivery-queue';
import { redeliverEvent } from '../../shared/domain/callbacks/redeliver-event';
import { registerWebhookEndpoint } from '../../shared/domain/callbacks/register-webhook-endpoint';
import { callbackBody, webhookEndpointView } from '../../shared/domain/callbacks/webhook-endpoint';
import { NotFoundError } from '../../shared/domain/errors';
import { RedeliverEventRequestSchema } from '../../shared/schemas/redelivery';
import { CreateWebhookEndpointRequestSchema, ListEventsQuerySchema, PageQuerySchema } from '../../shared/schemas/tenant-api';
import { getBooleanFromEnv, getStringFromEnv } from '../../shared/runtime/config';
import { createApiHandler, json } from '../../shared/runtime/http/api-handler';
import { idempotentRoute } from '../../shared/runtime/http/idempotent-route';
import { pageOf, parseQuery, pathParameter } from '../../shared/runtime/http/query';
import { parseJsonBody } from '../../shared/runtime/http/request';
import { authenticateTenant } from '../../shared/runtime/http/tenant-auth';
import { RESOURCE_VARIABLES, SETTING_VARIABLES } from '../../shared/runtime/environment';

const { tenants, rateLimiter, endpoints, eventLog, idempotency } = tableAdapters(dynamoDbDocumentClient, getStringFromEnv(RESOURCE_VARIABLES.tableName));
const deliveries = new SqsDeliveryQueue(sqsClient(), getStringFromEnv(RESOURCE_VARIABLES.callbackQueueUrl), systemClock);
const urlPolicy = { allowLoopback: getBooleanFromEnv(SETTING_VARIABLES.allowPrivateCallbacks, false) };

export const handler = createApiHandler({
  'POST /v1/webhook-endpoints': async (event) => {
    const tenantId = await authenticateTenant(event, tenants, rateLimiter);
    return idempotentRoute(event, tenantId, { idempotency, clock: systemClock }, async () => {
      const request = parseJsonBody(event, CreateWebhookEndpointRequestSchema);
      const endpoint = await registerWebhookEndpoint(
        { tenantId, url: request.url, events: request.events },
        { endpoints, ids: ulidIds, secrets: cryptoSecrets, clock: systemClock, urlPolicy: (url) => assertCallbackTarget(url, urlPolicy) },
      );
      return json(201, { ...webhookEndpointView(endpoint), secret: endpoint.secret });
    });
  },
  'GET /v1/webhook-endpoints': async (event) => {
    const tenantId = await authenticateTenant(event, tenants, rateLimiter);
    const page = await endpoints.list(tenantId, pageOf(parseQuery(event, PageQuerySchema)));
    return json(200, { data: page.data.map(webhookEndpointView), nextCursor: page.nextCursor });
  },
  'GET /v1/webhook-endpoints/{endpointId}': async (event) => {
    const tenantId = await authenticateTenant(event, tenants, rateLimiter);
    const endpointId = pathParameter(event, 'endpointId');
    const endpoint = await endpoints.get(tenantId, endpointId);
    if (endpoint === undefined) throw new NotFoundError(`Webhook endpoint ${endpointId} does not exist.`);
    return json(200, webhookEndpointView(endpoint));
  },
  'DELETE /v1/webhook-endpoints/{endpointId}': async (event) => {
    const tenantId = await authenticateTenant(event, tenants, rateLimiter);
    const endpointId = pathParameter(event, 'endpointId');
    if (!(await endpoints.delete(tenantId, endpointId))) throw new NotFoundError(`Webhook endpoint ${endpointId} does not exist.`);
    return json(200, { id: endpointId, deleted: true });
  },
  'POST /v1/webhook-endpoints/{endpointId}/redeliveries': async (event) => {
    const tenantId = await authenticateTenant(event, tenants, rateLimiter);
    const endpointId = pathParameter(event, 'endpointId');
    return idempotentRoute(event, tenantId, { idempotency, clock: systemClock }, async () => {
      const request = parseJsonBody(event, RedeliverEventRequestSchema);
      const redelivery = await redeliverEvent({ tenantId, endpointId, eventId: request.eventId }, { endpoints, log: eventLog, deliveries, ids: ulidIds, clock: systemClock });
      return json(202, redelivery);
    });
  },
  'GET /v1/events': async (event) => {
    const tenantId = await authenticateTenant(event, tenants, rateLimiter);
    const { limit, cursor, since, ...filter } = parseQuery(event, ListEventsQuerySchema);
    // As the log's sort keys write instants (UTC, milliseconds), so an offset or a missing fraction compares right.
    const page = await eventLog.list(tenantId, { ...filter, since: since === undefined ? undefined : new Date(since).toISOString() }, pageOf({ limit, cursor }));
    return json(200, { data: page.data.map(callbackBody), nextCursor: page.nextCursor });
  },
});
