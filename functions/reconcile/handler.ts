import * as v from 'valibot';
import { dynamoDbDocumentClient } from '../../shared/adapters/dynamodb/client';
import { tableAdapters } from '../../shared/adapters/dynamodb/repositories';
import { withCachedAccountRouting } from '../../shared/adapters/cached-account-routing';
import { EventBridgePublisher } from '../../shared/adapters/messaging/eventbridge-publisher';
import { eventBridgeClient } from '../../shared/adapters/messaging/clients';
import { systemClock, ulidIds } from '../../shared/adapters/system';
import { applyPaymentStatus } from '../../shared/domain/settlement/apply-payment-status';
import { reconcileTransaction } from '../../shared/domain/settlement/reconcile-transaction';
import { reconcileStatementEntry } from '../../shared/domain/statements/import-statement';
import { SettlementMessageSchema } from '../../shared/schemas/settlement-message';
import { getStringFromEnv } from '../../shared/runtime/config';
import { logger } from '../../shared/runtime/powertools';
import { createSqsHandler } from '../../shared/runtime/sqs-handler';
import { meteredPublisher } from '../../shared/runtime/business-metrics';
import { RESOURCE_VARIABLES } from '../../shared/runtime/environment';

const tables = tableAdapters(dynamoDbDocumentClient, getStringFromEnv(RESOURCE_VARIABLES.tableName));
const { payments, referenceIndex, transactions, statementImports } = tables;
// Every transaction of a busy account routes to the same accounts: read them once per half minute, not per line.
const accounts = withCachedAccountRouting(tables.accounts);
// What it publishes is what an operator counts: settlements by matchedBy, latency, exceptions by type.
const events = meteredPublisher(new EventBridgePublisher(eventBridgeClient(), getStringFromEnv(RESOURCE_VARIABLES.eventBusName)));
const deps = { accounts, payments, transactions, referenceIndex, events, ids: ulidIds, clock: systemClock, imports: statementImports };

export const handler = createSqsHandler(async (record) => {
  const message = v.parse(SettlementMessageSchema, JSON.parse(record.body));
  if (message.kind === 'payment_status') {
    const outcome = await applyPaymentStatus(message.report, { payments, events, clock: systemClock });
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
