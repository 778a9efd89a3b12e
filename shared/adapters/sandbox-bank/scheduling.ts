import type { SQSClient } from '@aws-sdk/client-sqs';
import { sendInBatches } from '../messaging/sqs-settlement-queue';
import type { WebhookScheduler } from './authorise';
import { type BehaviourSettings, DEFAULT_BEHAVIOUR } from './behaviour';

/** SQS holds a message back for at most 15 minutes. */
const MAX_DELAY_SECONDS = 900;

/** The sandbox bank's webhooks onto its queue, each held back by its delay (the sender posts them when due). */
export const sqsWebhookScheduler =
  (client: () => SQSClient, queueUrl: string): WebhookScheduler =>
  async (planned) =>
    sendInBatches(
      client(),
      queueUrl,
      planned.map((webhook) => ({
        body: JSON.stringify({ webhookId: webhook.webhookId, payload: webhook.payload }),
        delaySeconds: Math.min(MAX_DELAY_SECONDS, Math.max(0, Math.round(webhook.delaySeconds))),
      })),
    );

/** The sandbox bank's behaviour with SETTLED_SANDBOX_SETTLEMENT_DELAY_SECONDS applied to every profile. */
export const behaviourWithDelay = (delayOverride: string | undefined): BehaviourSettings =>
  delayOverride === undefined
    ? DEFAULT_BEHAVIOUR
    : { settlementDelaySeconds: { exact: Number(delayOverride), 'uk-realistic': Number(delayOverride), chaotic: Number(delayOverride) } };
