import * as v from 'valibot';
import { dynamoDbDocumentClient } from '../../shared/adapters/dynamodb/client';
import { tableAdapters } from '../../shared/adapters/dynamodb/repositories';
import { eventBridgeClient } from '../../shared/adapters/messaging/clients';
import { EventBridgePublisher } from '../../shared/adapters/messaging/eventbridge-publisher';
import { systemClock } from '../../shared/adapters/system';
import { cashPositionView } from '../../shared/domain/cash/cash-position';
import { onPaymentChanged, onTransactionReceived } from '../../shared/domain/cash/update-cash-position';
import { domainEvent } from '../../shared/domain/events/domain-event';
import { PaymentRefSchema, TransactionRefSchema } from '../../shared/schemas/domain-event';
import { getStringFromEnv } from '../../shared/runtime/config';
import { createEventHandler } from '../../shared/runtime/event-handler';
import { RESOURCE_VARIABLES } from '../../shared/runtime/environment';

const { payments, transactions, cash } = tableAdapters(dynamoDbDocumentClient, getStringFromEnv(RESOURCE_VARIABLES.tableName));
const events = new EventBridgePublisher(eventBridgeClient(), getStringFromEnv(RESOURCE_VARIABLES.eventBusName));

export const handler = createEventHandler(async (event) => {
  const tenantId = event.metadata.tenantId;
  let moved: { accountId: string; currency: string } | undefined;
  if (event.type === 'transaction.received') {
    const ref = v.parse(TransactionRefSchema, event.data);
    const stored = await transactions.get(tenantId, ref.accountId, ref.bankTransactionId);
    if (stored !== undefined && (await onTransactionReceived(stored.transaction, { cash, clock: systemClock }))) {
      moved = stored.transaction;
    }
  } else {
    const { id } = v.parse(PaymentRefSchema, event.data);
    const payment = await payments.get(tenantId, id);
    if (payment !== undefined && (await onPaymentChanged(payment, { cash, clock: systemClock }))) moved = payment;
  }
  if (moved === undefined) return;
  const position = await cash.get(tenantId, moved.accountId, moved.currency);
  if (position === undefined) return;
  // One cash_position.updated per cause; its id derives from the event that moved the position.
  await events.publish([
    domainEvent('cash_position.updated', tenantId, position.asOf, cashPositionView(position), [moved.accountId, moved.currency, event.metadata.id]),
  ]);
});
