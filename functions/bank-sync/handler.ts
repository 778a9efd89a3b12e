import * as v from 'valibot';
import { dynamoDbDocumentClient } from '../../shared/adapters/dynamodb/client';
import { DynamoDbNotificationLedger } from '../../shared/adapters/dynamodb/notification-ledger';
import { tableAdapters } from '../../shared/adapters/dynamodb/repositories';
import { eventBridgeClient, sqsClient } from '../../shared/adapters/messaging/clients';
import { EventBridgePublisher } from '../../shared/adapters/messaging/eventbridge-publisher';
import { SqsBankSyncQueue } from '../../shared/adapters/messaging/sqs-bank-sync-queue';
import { SqsSettlementQueue } from '../../shared/adapters/messaging/sqs-settlement-queue';
import { obieGateways, obiePayments, obieTokenSealer } from '../../shared/adapters/open-banking-wiring';
import { systemClock } from '../../shared/adapters/system';
import { revokeConsentByBank } from '../../shared/domain/accounts/consents';
import { syncAccountCoalesced, syncAspspAccount } from '../../shared/domain/accounts/sync-account';
import { DynamoDbSyncLeases } from '../../shared/adapters/dynamodb/sync-lease-store';
import { drainPolledEvents, sweepWork } from '../../shared/domain/open-banking/bank-sync';
import { refreshPaymentStatus } from '../../shared/domain/open-banking/payment-authorisation';
import { BankSyncMessageSchema } from '../../shared/schemas/bank-sync-message';
import { getStringFromEnv } from '../../shared/runtime/config';
import { RESOURCE_VARIABLES } from '../../shared/runtime/environment';
import { logger } from '../../shared/runtime/powertools';
import { createSqsHandler } from '../../shared/runtime/sqs-handler';

const tableName = getStringFromEnv(RESOURCE_VARIABLES.tableName);
const apiBaseUrl = getStringFromEnv(RESOURCE_VARIABLES.apiBaseUrl);
const { accounts, bankTokens } = tableAdapters(dynamoDbDocumentClient, tableName);
const obie = obieGateways();
const { records } = obiePayments(dynamoDbDocumentClient, tableName, apiBaseUrl);
const settlements = new SqsSettlementQueue(sqsClient(), getStringFromEnv(RESOURCE_VARIABLES.settlementsQueueUrl));
const syncs = new SqsBankSyncQueue(sqsClient(), getStringFromEnv(RESOURCE_VARIABLES.bankSyncQueueUrl));
const ledger = new DynamoDbNotificationLedger(dynamoDbDocumentClient, tableName);
const sync = {
  accounts,
  gateway: obie.accounts,
  tokens: bankTokens,
  sealer: obieTokenSealer(),
  settlements,
  events: new EventBridgePublisher(eventBridgeClient(), getStringFromEnv(RESOURCE_VARIABLES.eventBusName)),
  clock: systemClock,
  // One sync per account at a time; the requests that arrive meanwhile are picked up by it (sync-account.ts).
  leases: new DynamoDbSyncLeases(dynamoDbDocumentClient, tableName),
  again: (account: { readonly tenantId: string; readonly accountId: string }) => syncs.enqueue([{ kind: 'account', ...account }]),
};

/**
 * The bank-sync queue's consumer: pulls from banks what their notifications, the schedule and aggregated polling
 * ask for, and feeds it into the settlements queue. A bank error fails the message, which the queue retries.
 */
export const handler = createSqsHandler(async (record) => {
  const message = v.parse(BankSyncMessageSchema, JSON.parse(record.body));
  const requestId = record.messageId;
  switch (message.kind) {
    case 'account': {
      const target = { tenantId: message.tenantId, accountId: message.accountId };
      const result = await syncAccountCoalesced({ ...target, requestId }, { ...sync, again: () => sync.again(target) });
      logger.info('Account synced', { accountId: message.accountId, outcome: result.outcome });
      return;
    }
    case 'bank-account': {
      const results = await syncAspspAccount({ aspspId: message.aspspId, bankAccountId: message.bankAccountId, requestId }, sync);
      logger.info('Bank account synced', { aspspId: message.aspspId, accounts: results.map(({ accountId, outcome }) => ({ accountId, outcome })) });
      return;
    }
    case 'payment-status': {
      const outcome = await refreshPaymentStatus(message.aspspId, message.domesticPaymentId, message.attempt, { pis: obie.payments, records, settlements, syncs });
      logger.info('Payment status read', { aspspId: message.aspspId, outcome });
      return;
    }
    case 'consent-revoked': {
      const account = await revokeConsentByBank({ aspspId: message.aspspId, bankConsentId: message.bankConsentId, reason: message.reason }, { accounts });
      logger.info('Consent revoked by the bank', { aspspId: message.aspspId, accountId: account?.id });
      return;
    }
    case 'poll-events': {
      const drained = await drainPolledEvents(message.aspspId, { polling: obie.polling, ledger, queue: syncs, clock: systemClock });
      logger.info('Bank events polled', { aspspId: message.aspspId, ...drained });
      return;
    }
    case 'sweep': {
      const work = await sweepWork({ directory: obie.directory, connectedAt: (aspspId) => accounts.listConnectedAt(aspspId) });
      await syncs.enqueue(work);
      logger.info('Scheduled bank sync queued', { messages: work.length });
      return;
    }
  }
});
