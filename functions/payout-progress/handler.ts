import { dynamoDbDocumentClient } from '../../shared/adapters/dynamodb/client';
import { DynamoDbPayoutStore } from '../../shared/adapters/dynamodb/payout-store';
import { eventBridgeClient } from '../../shared/adapters/messaging/clients';
import { EventBridgePublisher } from '../../shared/adapters/messaging/eventbridge-publisher';
import { systemClock } from '../../shared/adapters/system';
import { completeIfDone, endedPayoutItem } from '../../shared/domain/payouts/process-payout';
import { getStringFromEnv } from '../../shared/runtime/config';
import { createEventHandler } from '../../shared/runtime/event-handler';
import { RESOURCE_VARIABLES } from '../../shared/runtime/environment';

const payouts = new DynamoDbPayoutStore(dynamoDbDocumentClient, getStringFromEnv(RESOURCE_VARIABLES.tableName));
const events = new EventBridgePublisher(eventBridgeClient(), getStringFromEnv(RESOURCE_VARIABLES.eventBusName));

/** A payout item ended: complete its batch if it was the last (payout.completed once). Other payments: nothing read. */
export const handler = createEventHandler(async (event) => {
  const item = endedPayoutItem(event);
  if (item === undefined) return;
  await completeIfDone(item.tenantId, item.payoutId, { payouts, events, clock: systemClock });
});
