import { sqsClient } from '../messaging/clients';
import { sendInBatches } from '../messaging/sqs-settlement-queue';
import { getOptionalStringFromEnv } from '../../runtime/config';
import { SETTING_VARIABLES } from '../../runtime/environment';
import { DEFAULT_BEHAVIOUR, type BehaviourSettings, type PlannedWebhook } from './behaviour';

/** SQS holds a message back for at most 15 minutes. */
const MAX_DELAY_SECONDS = 900;

/** The profiles' settlement delays, or the one the environment sets for every profile (the local runtime's tests). */
export const behaviourFromEnvironment = (): BehaviourSettings => {
  const delayOverride = getOptionalStringFromEnv(SETTING_VARIABLES.sandboxSettlementDelaySeconds);
  return delayOverride === undefined
    ? DEFAULT_BEHAVIOUR
    : { settlementDelaySeconds: { exact: Number(delayOverride), 'uk-realistic': Number(delayOverride), chaotic: Number(delayOverride) } };
};

/** Queues the sandbox bank's webhooks on its queue, each held back for its delay; the sender posts them. */
export const queueScheduler =
  (queueUrl: string) =>
  async (planned: readonly PlannedWebhook[]): Promise<void> =>
    sendInBatches(
      sqsClient(),
      queueUrl,
      planned.map((webhook) => ({
        body: JSON.stringify({ webhookId: webhook.webhookId, payload: webhook.payload }),
        delaySeconds: Math.min(MAX_DELAY_SECONDS, Math.max(0, Math.round(webhook.delaySeconds))),
      })),
    );
