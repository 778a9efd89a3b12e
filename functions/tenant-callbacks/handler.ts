import { CachedWebhookEndpoints } from '../../shared/adapters/callbacks/cached-webhook-endpoints';
import { dynamoDbDocumentClient } from '../../shared/adapters/dynamodb/client';
import { tableAdapters } from '../../shared/adapters/dynamodb/repositories';
import { sqsClient } from '../../shared/adapters/messaging/clients';
import { SqsDeliveryQueue } from '../../shared/adapters/messaging/sqs-delivery-queue';
import { systemClock } from '../../shared/adapters/system';
import { fanOutEvent } from '../../shared/domain/callbacks/deliver-event';
import { getStringFromEnv } from '../../shared/runtime/config';
import { createEventHandler } from '../../shared/runtime/event-handler';
import { RESOURCE_VARIABLES } from '../../shared/runtime/environment';

const { endpoints: endpointTable, eventLog } = tableAdapters(dynamoDbDocumentClient, getStringFromEnv(RESOURCE_VARIABLES.tableName));
// Enabled endpoints per tenant, read at most once per few seconds by this instance (not per event or delivery).
const endpoints = new CachedWebhookEndpoints(endpointTable, systemClock);
const deliveries = new SqsDeliveryQueue(sqsClient(), getStringFromEnv(RESOURCE_VARIABLES.callbackQueueUrl), systemClock);

export const handler = createEventHandler(async (event) => {
  await fanOutEvent(event, { log: eventLog, endpoints, deliveries, clock: systemClock });
});
