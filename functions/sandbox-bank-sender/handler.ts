import * as v from 'valibot';
import { secretFromEnvironment } from '../../shared/adapters/secret-source';
import { sendSignedWebhook } from '../../shared/adapters/webhooks/signed-webhook-sender';
import { getStringFromEnv } from '../../shared/runtime/config';
import { createSqsHandler } from '../../shared/runtime/sqs-handler';
import { RESOURCE_VARIABLES, SECRET_VARIABLES } from '../../shared/runtime/environment';

const target = `${getStringFromEnv(RESOURCE_VARIABLES.apiBaseUrl).replace(/\/$/, '')}/v1/bank-webhooks/sandbox`;
const secret = secretFromEnvironment(SECRET_VARIABLES.sandboxWebhookSecret);
const ScheduledWebhookSchema = v.object({ webhookId: v.string(), payload: v.unknown() });

/** Like a bank: POST the signed webhook; anything but 2xx is retried from the queue (and dead-lettered at last). */
export const handler = createSqsHandler(async (record) => {
  const { webhookId, payload } = v.parse(ScheduledWebhookSchema, JSON.parse(record.body));
  // Settled's own API (configuration, not tenant input): allowed on loopback for the local runtime.
  const status = await sendSignedWebhook(target, await secret(), webhookId, JSON.stringify(payload), new Date(), { allowPrivate: true });
  if (status < 200 || status >= 300) throw new Error(`Bank webhook endpoint answered ${status} to ${webhookId}`);
});
