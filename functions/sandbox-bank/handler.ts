import * as v from 'valibot';
import { dynamoDbDocumentClient } from '../../shared/adapters/dynamodb/client';
import { tableAdapters } from '../../shared/adapters/dynamodb/repositories';
import { sqsClient } from '../../shared/adapters/messaging/clients';
import { sendInBatches } from '../../shared/adapters/messaging/sqs-settlement-queue';
import { decideAuthorisation } from '../../shared/adapters/sandbox-bank/authorise';
import { DEFAULT_BEHAVIOUR, type BehaviourSettings } from '../../shared/adapters/sandbox-bank/behaviour';
import { authorisationPage, decisionPage } from '../../shared/adapters/sandbox-bank/pages';
import { systemClock } from '../../shared/adapters/system';
import { NotFoundError } from '../../shared/domain/errors';
import { getOptionalStringFromEnv, getStringFromEnv } from '../../shared/runtime/config';
import { createApiHandler, json } from '../../shared/runtime/http/api-handler';
import { pathParameter } from '../../shared/runtime/http/query';
import { rawBodyOf, validate } from '../../shared/runtime/http/request';
import { RESOURCE_VARIABLES, SETTING_VARIABLES } from '../../shared/runtime/environment';

const { sandbox } = tableAdapters(dynamoDbDocumentClient, getStringFromEnv(RESOURCE_VARIABLES.tableName));
const queueUrl = getStringFromEnv(RESOURCE_VARIABLES.sandboxQueueUrl);
const delayOverride = getOptionalStringFromEnv(SETTING_VARIABLES.sandboxSettlementDelaySeconds);
const settings: BehaviourSettings =
  delayOverride === undefined
    ? DEFAULT_BEHAVIOUR
    : { settlementDelaySeconds: { exact: Number(delayOverride), 'uk-realistic': Number(delayOverride), chaotic: Number(delayOverride) } };

const DecisionSchema = v.object({ outcome: v.picklist(['approve', 'reject'], 'outcome must be approve or reject') });
/** SQS holds a message back for at most 15 minutes. */
const MAX_DELAY_SECONDS = 900;

const schedule = async (planned: readonly { webhookId: string; delaySeconds: number; payload: unknown }[]) =>
  sendInBatches(
    sqsClient(),
    queueUrl,
    planned.map((webhook) => ({
      body: JSON.stringify({ webhookId: webhook.webhookId, payload: webhook.payload }),
      delaySeconds: Math.min(MAX_DELAY_SECONDS, Math.max(0, Math.round(webhook.delaySeconds))),
    })),
  );

export const handler = createApiHandler({
  'GET /sandbox/authorisations/{bankPaymentId}': async (event) => {
    const bankPaymentId = pathParameter(event, 'bankPaymentId');
    const payment = await sandbox.get(bankPaymentId);
    if (payment === undefined) throw new NotFoundError(`The sandbox bank has no payment ${bankPaymentId}.`);
    return { statusCode: 200, rawBody: { contentType: 'text/html; charset=utf-8', content: authorisationPage(payment) } };
  },
  // The page's form posts application/x-www-form-urlencoded; programs post JSON and get JSON back.
  'POST /sandbox/authorisations/{bankPaymentId}': async (event) => {
    const isForm = /^application\/x-www-form-urlencoded/i.test(event.headers['content-type'] ?? '');
    const raw = rawBodyOf(event);
    let input: unknown;
    try {
      input = isForm ? Object.fromEntries(new URLSearchParams(raw)) : JSON.parse(raw);
    } catch {
      input = undefined;
    }
    const { outcome } = validate(DecisionSchema, input);
    const payment = await decideAuthorisation(pathParameter(event, 'bankPaymentId'), outcome, {
      store: sandbox,
      schedule,
      clock: systemClock,
      settings,
    });
    if (isForm) return { statusCode: 200, rawBody: { contentType: 'text/html; charset=utf-8', content: decisionPage(payment) } };
    return json(200, { bankPaymentId: payment.bankPaymentId, status: payment.status });
  },
});
