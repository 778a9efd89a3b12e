import * as v from 'valibot';
import { dynamoDbDocumentClient } from '../../shared/adapters/dynamodb/client';
import { DynamoDbPayoutStore } from '../../shared/adapters/dynamodb/payout-store';
import { tableAdapters } from '../../shared/adapters/dynamodb/repositories';
import { eventBridgeClient, sqsClient } from '../../shared/adapters/messaging/clients';
import { SqsPayoutChunkQueue } from '../../shared/adapters/messaging/sqs-payout-chunk-queue';
import { EventBridgePublisher } from '../../shared/adapters/messaging/eventbridge-publisher';
import { SandboxBulkGateway, sandboxBulkLimit } from '../../shared/adapters/sandbox-bank/bulk';
import { ProviderBulkGateway } from '../../shared/adapters/bulk-gateways';
import { obiePayouts } from '../../shared/adapters/open-banking-wiring';
import { ObieBulkGateway } from '../../shared/domain/open-banking/payout-files';
import { behaviourWithDelay, sqsWebhookScheduler } from '../../shared/adapters/sandbox-bank/scheduling';
import { systemClock } from '../../shared/adapters/system';
import { processChunk } from '../../shared/domain/payouts/process-payout';
import { PayoutChunkMessageSchema } from '../../shared/schemas/payouts';
import { getOptionalStringFromEnv, getStringFromEnv } from '../../shared/runtime/config';
import { createSqsHandler } from '../../shared/runtime/sqs-handler';
import { meteredPublisher } from '../../shared/runtime/business-metrics';
import { RESOURCE_VARIABLES, SETTING_VARIABLES } from '../../shared/runtime/environment';

const tableName = getStringFromEnv(RESOURCE_VARIABLES.tableName);
const { accounts, payments, sandbox } = tableAdapters(dynamoDbDocumentClient, tableName);
const payouts = new DynamoDbPayoutStore(dynamoDbDocumentClient, tableName);
const sandboxBank = new SandboxBulkGateway(
  dynamoDbDocumentClient,
  tableName,
  sandbox,
  getStringFromEnv(RESOURCE_VARIABLES.apiBaseUrl),
  sqsWebhookScheduler(sqsClient, getStringFromEnv(RESOURCE_VARIABLES.sandboxQueueUrl)),
  sandboxBulkLimit(getOptionalStringFromEnv(SETTING_VARIABLES.sandboxBulkLimit)),
  behaviourWithDelay(getOptionalStringFromEnv(SETTING_VARIABLES.sandboxSettlementDelaySeconds)),
);
const bank = new ProviderBulkGateway({
  sandbox: sandboxBank,
  obie: new ObieBulkGateway(obiePayouts(dynamoDbDocumentClient, tableName, getStringFromEnv(RESOURCE_VARIABLES.apiBaseUrl))),
});
const queue = new SqsPayoutChunkQueue(sqsClient, getStringFromEnv(RESOURCE_VARIABLES.payoutsQueueUrl));
const events = meteredPublisher(new EventBridgePublisher(eventBridgeClient(), getStringFromEnv(RESOURCE_VARIABLES.eventBusName)));

/** One chunk of an authorised payout per message: handed to the bank once (process-payout.ts). */
export const handler = createSqsHandler(async (record) => {
  const message = v.parse(PayoutChunkMessageSchema, JSON.parse(record.body));
  await processChunk(message, { payouts, payments, events, clock: systemClock, accounts, bank, queue });
});
