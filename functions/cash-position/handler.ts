import { dynamoDbDocumentClient } from '../../shared/adapters/dynamodb/client';
import { tableAdapters } from '../../shared/adapters/dynamodb/repositories';
import { eventBridgeClient } from '../../shared/adapters/messaging/clients';
import { EventBridgePublisher } from '../../shared/adapters/messaging/eventbridge-publisher';
import { announcePosition } from '../../shared/domain/cash/announce-position';
import { getStringFromEnv } from '../../shared/runtime/config';
import { createEventHandler } from '../../shared/runtime/event-handler';
import { RESOURCE_VARIABLES } from '../../shared/runtime/environment';

const { cash } = tableAdapters(dynamoDbDocumentClient, getStringFromEnv(RESOURCE_VARIABLES.tableName));
const events = new EventBridgePublisher(eventBridgeClient(), getStringFromEnv(RESOURCE_VARIABLES.eventBusName));

export const handler = createEventHandler(async (event) => {
  await announcePosition(event, { cash, events });
});
