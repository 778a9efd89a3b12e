import { normaliseGoCardlessWebhook, verifyGoCardlessWebhook } from '../../shared/adapters/bank-webhooks/gocardless-webhook';
import { normaliseTrueLayerWebhook } from '../../shared/adapters/bank-webhooks/truelayer-events';
import { fetchJwksOverHttps, trueLayerJwksUrlsFrom, TrueLayerWebhookVerifier } from '../../shared/adapters/bank-webhooks/truelayer-webhook';
import { parseSandboxWebhook, normaliseSandboxWebhook, verifyStandardWebhook } from '../../shared/adapters/bank-webhooks/sandbox-webhook';
import { dynamoDbDocumentClient } from '../../shared/adapters/dynamodb/client';
import { DynamoDbNotificationLedger } from '../../shared/adapters/dynamodb/notification-ledger';
import { sqsClient } from '../../shared/adapters/messaging/clients';
import { SqsBankSyncQueue } from '../../shared/adapters/messaging/sqs-bank-sync-queue';
import { SqsSettlementQueue } from '../../shared/adapters/messaging/sqs-settlement-queue';
import { obieGateways } from '../../shared/adapters/open-banking-wiring';
import { secretFromEnvironment } from '../../shared/adapters/secret-source';
import { systemClock } from '../../shared/adapters/system';
import { NotFoundError, ValidationError } from '../../shared/domain/errors';
import { acceptEventNotification } from '../../shared/domain/open-banking/bank-sync';
import { getOptionalStringFromEnv, getStringFromEnv } from '../../shared/runtime/config';
import { createApiHandler, json } from '../../shared/runtime/http/api-handler';
import { pathParameter } from '../../shared/runtime/http/query';
import { rawBodyOf } from '../../shared/runtime/http/request';
import { RESOURCE_VARIABLES, SECRET_VARIABLES, SETTING_VARIABLES } from '../../shared/runtime/environment';
import { logger } from '../../shared/runtime/powertools';

const queue = new SqsSettlementQueue(sqsClient(), getStringFromEnv(RESOURCE_VARIABLES.settlementsQueueUrl));
const sandboxSecret = secretFromEnvironment(SECRET_VARIABLES.sandboxWebhookSecret);
const gocardlessSecret = secretFromEnvironment(SECRET_VARIABLES.gocardlessWebhookSecret);
// One per execution environment, so TrueLayer's JWKS is fetched once and kept until a new kid shows up.
const truelayer = new TrueLayerWebhookVerifier({
  allowedJwksUrls: trueLayerJwksUrlsFrom(getOptionalStringFromEnv(SETTING_VARIABLES.truelayerJwksUrls)),
  fetchJwks: fetchJwksOverHttps,
  now: () => systemClock.now(),
});
const syncs = new SqsBankSyncQueue(sqsClient(), getStringFromEnv(RESOURCE_VARIABLES.bankSyncQueueUrl));
const ledger = new DynamoDbNotificationLedger(dynamoDbDocumentClient, getStringFromEnv(RESOURCE_VARIABLES.tableName));

/** An event notification is a compact JWS: three base64url parts; anything larger than a bank would send is refused unread. */
const MAX_NOTIFICATION_BYTES = 64 * 1024;

export const handler = createApiHandler({
  // Verify before anything is parsed or stored; answer 202 only once the facts (or the syncs asked for) are durably queued.
  'POST /v1/bank-webhooks/{provider}': async (event) => {
    const provider = pathParameter(event, 'provider');
    const rawBody = rawBodyOf(event);
    if (provider === 'obie') {
      const token = rawBody.trim();
      if (Buffer.byteLength(token, 'utf8') > MAX_NOTIFICATION_BYTES) {
        throw new ValidationError(`The event notification is larger than ${MAX_NOTIFICATION_BYTES} bytes.`, { code: 'body_too_large' });
      }
      const notification = await obieGateways().verifier.verify(token);
      const result = await acceptEventNotification(notification, { ledger, queue: syncs, now: systemClock.now().toISOString() });
      // The Open Banking profile asks the TPP to echo the bank's interaction id.
      const interactionId = event.headers['x-fapi-interaction-id'];
      return json(202, { received: result.outcome === 'accepted' ? result.queued : 0 }, interactionId === undefined ? undefined : { 'x-fapi-interaction-id': interactionId });
    }
    if (provider === 'truelayer') {
      // TrueLayer signs the path it posted to (the webhook URI's path, without the query string).
      await truelayer.verify({ method: 'POST', path: event.rawPath, headers: event.headers, rawBody });
      const result = normaliseTrueLayerWebhook(rawBody);
      if (result.outcome === 'ignored') {
        logger.info('TrueLayer webhook ignored', { eventId: result.eventId, type: result.type, knownType: result.known });
        return json(202, { received: 0 });
      }
      await queue.enqueue(result.messages);
      return json(202, { received: result.messages.length });
    }
    if (provider === 'gocardless') {
      verifyGoCardlessWebhook(rawBody, event.headers, await gocardlessSecret());
      const { messages, ignored } = normaliseGoCardlessWebhook(rawBody);
      if (ignored.length > 0) logger.info('GoCardless events ignored', { events: ignored });
      if (messages.length > 0) await queue.enqueue(messages);
      return json(202, { received: messages.length });
    }
    if (provider !== 'sandbox') throw new NotFoundError(`No bank webhook provider "${provider}".`);
    verifyStandardWebhook(rawBody, event.headers, await sandboxSecret());
    const messages = normaliseSandboxWebhook(parseSandboxWebhook(rawBody));
    await queue.enqueue(messages);
    return json(202, { received: messages.length });
  },
});
