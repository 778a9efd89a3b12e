import * as v from 'valibot';
import { HttpCallbackSender } from '../../shared/adapters/callbacks/http-callback-sender';
import { CachedWebhookEndpoints } from '../../shared/adapters/callbacks/cached-webhook-endpoints';
import { dynamoDbDocumentClient } from '../../shared/adapters/dynamodb/client';
import { tableAdapters } from '../../shared/adapters/dynamodb/repositories';
import { sqsClient } from '../../shared/adapters/messaging/clients';
import { SqsDeliveryQueue } from '../../shared/adapters/messaging/sqs-delivery-queue';
import { systemClock } from '../../shared/adapters/system';
import { attemptDelivery, CallbackDeliveryError } from '../../shared/domain/callbacks/deliver-event';
import { getBooleanFromEnv, getOptionalStringFromEnv, getStringFromEnv } from '../../shared/runtime/config';
import { logger } from '../../shared/runtime/powertools';
import { createSqsHandler } from '../../shared/runtime/sqs-handler';
import { recordCallbackDelivery } from '../../shared/runtime/business-metrics';
import { RESOURCE_VARIABLES, SETTING_VARIABLES } from '../../shared/runtime/environment';
import { DeliveryAttemptMessageSchema } from '../../shared/schemas/delivery-attempt-message';

const { endpoints: endpointTable, eventLog } = tableAdapters(dynamoDbDocumentClient, getStringFromEnv(RESOURCE_VARIABLES.tableName));
// Enabled endpoints per tenant, read at most once per few seconds by this instance (not per event or delivery).
const endpoints = new CachedWebhookEndpoints(endpointTable, systemClock);
const deliveries = new SqsDeliveryQueue(sqsClient(), getStringFromEnv(RESOURCE_VARIABLES.callbackQueueUrl), systemClock);
const sender = new HttpCallbackSender(systemClock, { allowLoopback: getBooleanFromEnv(SETTING_VARIABLES.allowPrivateCallbacks, false) });
const retryScale = Number(getOptionalStringFromEnv(SETTING_VARIABLES.callbackRetryScale) ?? '1');

export const handler = createSqsHandler(async (record) => {
  const attempt = v.parse(DeliveryAttemptMessageSchema, JSON.parse(record.body));
  const outcome = await attemptDelivery(attempt, { log: eventLog, endpoints, sender, deliveries, clock: systemClock, random: Math.random, retryScale }).catch(
    (error: unknown) => {
      if (error instanceof CallbackDeliveryError) recordCallbackDelivery('abandoned');
      throw error;
    },
  );
  recordCallbackDelivery(outcome);
  logger.info('Callback delivery attempt', { eventId: attempt.eventId, endpointId: attempt.endpointId, attempt: attempt.attempt, outcome });
});
