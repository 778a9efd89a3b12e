import { HttpCallbackSender } from '../../shared/adapters/callbacks/http-callback-sender';
import { dynamoDbDocumentClient } from '../../shared/adapters/dynamodb/client';
import { tableAdapters } from '../../shared/adapters/dynamodb/repositories';
import { systemClock } from '../../shared/adapters/system';
import { deliverEvent } from '../../shared/domain/callbacks/deliver-event';
import { getBooleanFromEnv, getStringFromEnv } from '../../shared/runtime/config';
import { createEventHandler } from '../../shared/runtime/event-handler';

const { endpoints, eventLog } = tableAdapters(dynamoDbDocumentClient, getStringFromEnv('TABLE_NAME'));
const sender = new HttpCallbackSender(systemClock, { allowPrivate: getBooleanFromEnv('SETTLED_ALLOW_PRIVATE_CALLBACKS', false) });

export const handler = createEventHandler(async (event) => {
  await deliverEvent(event, { log: eventLog, endpoints, sender, clock: systemClock });
});
