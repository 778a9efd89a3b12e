import * as v from 'valibot';
import { dynamoDbDocumentClient } from '../../shared/adapters/dynamodb/client';
import { tableAdapters } from '../../shared/adapters/dynamodb/repositories';
import { withCachedAccountRouting } from '../../shared/adapters/cached-account-routing';
import { EventBridgePublisher } from '../../shared/adapters/messaging/eventbridge-publisher';
import { eventBridgeClient, sqsClient } from '../../shared/adapters/messaging/clients';
import { systemClock, ulidIds } from '../../shared/adapters/system';
import { CachedWebhookEndpoints } from '../../shared/adapters/callbacks/cached-webhook-endpoints';
import { SqsDeliveryQueue } from '../../shared/adapters/messaging/sqs-delivery-queue';
import { deliveringPublisher } from '../../shared/domain/callbacks/deliver-write';
import { applyPaymentStatus } from '../../shared/domain/settlement/apply-payment-status';
import { reconcileTransaction } from '../../shared/domain/settlement/reconcile-transaction';
import { reconcileStatementEntry } from '../../shared/domain/statements/import-statement';
import { SettlementMessageSchema } from '../../shared/schemas/settlement-message';
import { getOptionalStringFromEnv, getStringFromEnv } from '../../shared/runtime/config';
import { logger } from '../../shared/runtime/powertools';
import { createSqsHandler } from '../../shared/runtime/sqs-handler';
import { meteredPublisher } from '../../shared/runtime/business-metrics';
import { RESOURCE_VARIABLES, SETTING_VARIABLES } from '../../shared/runtime/environment';
import { DynamoDbPayoutStore } from '../../shared/adapters/dynamodb/payout-store';
import { SqsPayoutChunkQueue } from '../../shared/adapters/messaging/sqs-payout-chunk-queue';
import { sandboxBulkLimit } from '../../shared/adapters/sandbox-bank/bulk';
import { applyPayoutDecision } from '../../shared/domain/payouts/process-payout';

const tables = tableAdapters(dynamoDbDocumentClient, getStringFromEnv(RESOURCE_VARIABLES.tableName));
const { payments, referenceIndex, transactions, statementImports } = tables;
// Every transaction of a busy account routes to the same accounts: read them once per half minute, not per line.
const accounts = withCachedAccountRouting(tables.accounts);
// What it publishes is what an operator counts: settlements by matchedBy, latency, exceptions by type. The events of
// each write it logs, announces the moved cash position of and schedules for delivery itself, in a few requests for
// the whole write instead of a few per event in the bus's consumers (deliver-write.ts).
const events = meteredPublisher(
  deliveringPublisher({
    log: tables.eventLog,
    // Enabled endpoints per tenant, read at most once per few seconds by this instance, as the fan-out does.
    endpoints: new CachedWebhookEndpoints(tables.endpoints, systemClock),
    deliveries: new SqsDeliveryQueue(sqsClient(), getStringFromEnv(RESOURCE_VARIABLES.callbackQueueUrl), systemClock),
    cash: tables.cash,
    bus: new EventBridgePublisher(eventBridgeClient(), getStringFromEnv(RESOURCE_VARIABLES.eventBusName)),
    clock: systemClock,
  }),
);
const payouts = new DynamoDbPayoutStore(dynamoDbDocumentClient, getStringFromEnv(RESOURCE_VARIABLES.tableName));
// Read when a payout's authorisation is first decided, not at every cold start of the settlement path.
let payoutChunks: SqsPayoutChunkQueue | undefined;
const payoutChunkQueue = (): SqsPayoutChunkQueue => (payoutChunks ??= new SqsPayoutChunkQueue(sqsClient, getStringFromEnv(RESOURCE_VARIABLES.payoutsQueueUrl)));
const bulkLimit = sandboxBulkLimit(getOptionalStringFromEnv(SETTING_VARIABLES.sandboxBulkLimit));
const deps = { accounts, payments, transactions, referenceIndex, events, ids: ulidIds, clock: systemClock, imports: statementImports };

export const handler = createSqsHandler(async (record) => {
  const message = v.parse(SettlementMessageSchema, JSON.parse(record.body));
  if (message.kind === 'payment_status') {
    const outcome = await applyPaymentStatus(message.report, { payments, events, clock: systemClock });
    // No payment has the id: it may be a bulk payout's, whose one authorisation the bank decided.
    if (outcome === 'unknown_payment' && (await applyPayoutDecision(message.report, { payouts, queue: { enqueue: (messages) => payoutChunkQueue().enqueue(messages) }, clock: systemClock, bulkLimit }))) {
      logger.info('Payout authorisation decided', { bankPaymentId: message.report.bankPaymentId, status: message.report.status });
      return;
    }
    logger.info('Payment status report', { bankPaymentId: message.report.bankPaymentId, status: message.report.status, outcome });
    return;
  }
  if (message.kind === 'statement_entry') {
    const outcome = await reconcileStatementEntry(message, deps);
    logger.info('Statement transaction reconciled', { importId: message.importId, bankTransactionId: message.transaction.bankTransactionId, outcome });
    return;
  }
  const outcomes = await reconcileTransaction(message.transaction, deps);
  logger.info('Bank transaction reconciled', { bankTransactionId: message.transaction.bankTransactionId, outcomes });
});
