import * as v from 'valibot';
import { HttpCallbackSender } from '../../shared/adapters/callbacks/http-callback-sender';
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

const { endpoints, eventLog } = tableAdapters(dynamoDbDocumentClient, getStringFromEnv(RESOURCE_VARIABLES.tableName));
const deliveries = new SqsDeliveryQueue(sqsClient(), getStringFromEnv(RESOURCE_VARIABLES.callbackQueueUrl), systemClock);
const sender = new HttpCallbackSender(systemClock, { allowLoopback: getBooleanFromEnv(SETTING_VARIABLES.allowPrivateCallbacks, false) });
const retryScale = Number(getOptionalStringFromEnv(SETTING_VARIABLES.callbackRetryScale) ?? '1');

const DeliveryAttemptSchema = v.object({
  tenantId: v.string(),
  eventId: v.string(),
  endpointId: v.string(),
  attempt: v.pipe(v.number(), v.integer(), v.minValue(1)),
  firstAttemptAt: v.pipe(v.string(), v.isoTimestamp()),
  notBefore: v.pipe(v.string(), v.isoTimestamp()),
});

export const handler = createSqsHandler(async (record) => {
  const attempt = v.parse(DeliveryAttemptSchema, JSON.parse(record.body));
  const outcome = await attemptDelivery(attempt, { log: eventLog, endpoints, sender, deliveries, clock: systemClock, random: Math.random, retryScale }).catch(
    (error: unknown) => {
      if (error instanceof CallbackDeliveryError) recordCallbackDelivery('abandoned');
      throw error;
    },
  );
  recordCallbackDelivery(outcome);
  logger.info('Callback delivery attempt', { eventId: attempt.eventId, endpointId: attempt.endpointId, attempt: attempt.attempt, outcome });
});
