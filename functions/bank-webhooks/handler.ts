import { parseSandboxWebhook, normaliseSandboxWebhook, verifyStandardWebhook } from '../../shared/adapters/bank-webhooks/sandbox-webhook';
import { sqsClient } from '../../shared/adapters/messaging/clients';
import { SqsSettlementQueue } from '../../shared/adapters/messaging/sqs-settlement-queue';
import { secretFromEnvironment } from '../../shared/adapters/secret-source';
import { NotFoundError } from '../../shared/domain/errors';
import { getStringFromEnv } from '../../shared/runtime/config';
import { createApiHandler, json } from '../../shared/runtime/http/api-handler';
import { pathParameter } from '../../shared/runtime/http/query';
import { rawBodyOf } from '../../shared/runtime/http/request';
import { RESOURCE_VARIABLES, SECRET_VARIABLES } from '../../shared/runtime/environment';

const queue = new SqsSettlementQueue(sqsClient(), getStringFromEnv(RESOURCE_VARIABLES.settlementsQueueUrl));
const sandboxSecret = secretFromEnvironment(SECRET_VARIABLES.sandboxWebhookSecret);

export const handler = createApiHandler({
  // Verify before anything is parsed or stored; answer 202 only once the facts are durably queued.
  'POST /v1/bank-webhooks/{provider}': async (event) => {
    const provider = pathParameter(event, 'provider');
    if (provider !== 'sandbox') throw new NotFoundError(`No bank webhook provider "${provider}".`);
    const rawBody = rawBodyOf(event);
    verifyStandardWebhook(rawBody, event.headers, await sandboxSecret());
    const messages = normaliseSandboxWebhook(parseSandboxWebhook(rawBody));
    await queue.enqueue(messages);
    return json(202, { received: messages.length });
  },
});
