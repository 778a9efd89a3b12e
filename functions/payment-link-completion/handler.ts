import { dynamoDbDocumentClient } from '../../shared/adapters/dynamodb/client';
import { DynamoDbPaymentLinkStore } from '../../shared/adapters/dynamodb/payment-link-store';
import { eventBridgeClient } from '../../shared/adapters/messaging/clients';
import { EventBridgePublisher } from '../../shared/adapters/messaging/eventbridge-publisher';
import { systemClock } from '../../shared/adapters/system';
import { completeLinkOnSettlement } from '../../shared/domain/payment-links/complete-payment-link';
import { getStringFromEnv } from '../../shared/runtime/config';
import { createEventHandler } from '../../shared/runtime/event-handler';
import { RESOURCE_VARIABLES } from '../../shared/runtime/environment';

const links = new DynamoDbPaymentLinkStore(dynamoDbDocumentClient, getStringFromEnv(RESOURCE_VARIABLES.tableName));
const events = new EventBridgePublisher(eventBridgeClient(), getStringFromEnv(RESOURCE_VARIABLES.eventBusName));

// payment.settled of a payment made through a single-use link completes the link; every other event costs nothing.
export const handler = createEventHandler(async (event) => {
  await completeLinkOnSettlement(event, { links, events, clock: systemClock });
});
