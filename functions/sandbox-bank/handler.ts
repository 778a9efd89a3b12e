import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import * as v from 'valibot';
import { dynamoDbDocumentClient } from '../../shared/adapters/dynamodb/client';
import { tableAdapters } from '../../shared/adapters/dynamodb/repositories';
import { sqsClient } from '../../shared/adapters/messaging/clients';
import { sendInBatches } from '../../shared/adapters/messaging/sqs-settlement-queue';
import { decideAuthorisation, paymentBehindLink } from '../../shared/adapters/sandbox-bank/authorise';
import { DEFAULT_BEHAVIOUR, type BehaviourSettings } from '../../shared/adapters/sandbox-bank/behaviour';
import { authorisationPage, decisionPage, problemPage } from '../../shared/adapters/sandbox-bank/pages';
import { systemClock } from '../../shared/adapters/system';
import { getOptionalStringFromEnv, getStringFromEnv } from '../../shared/runtime/config';
import { type ApiResponse, createApiHandler, json } from '../../shared/runtime/http/api-handler';
import { toHttpError } from '../../shared/runtime/http/errors-to-http';
import { logger } from '../../shared/runtime/powertools';
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

type HostedRoute = (event: APIGatewayProxyEventV2) => Promise<ApiResponse>;

const html = (statusCode: number, content: string): ApiResponse => ({ statusCode, rawBody: { contentType: 'text/html; charset=utf-8', content } });

/** A payer's browser gets a page with the right status whatever goes wrong; the API's JSON is for programs. */
const answeringBrowsersInHtml =
  (route: HostedRoute, isBrowser: (event: APIGatewayProxyEventV2) => boolean): HostedRoute =>
  async (event) => {
    try {
      return await route(event);
    } catch (error) {
      if (!isBrowser(event)) throw error;
      const { statusCode, body } = toHttpError(error);
      if (statusCode >= 500) logger.error('Unhandled error', { error, routeKey: event.routeKey });
      return html(statusCode, problemPage(statusCode, body.error.message, body.error.details));
    }
  };

const isForm = (event: APIGatewayProxyEventV2) => /^application\/x-www-form-urlencoded/i.test(event.headers['content-type'] ?? '');

export const handler = createApiHandler({
  'GET /sandbox/authorisations/{bankPaymentId}': answeringBrowsersInHtml(
    async (event) => html(200, authorisationPage(await paymentBehindLink(pathParameter(event, 'bankPaymentId'), { store: sandbox, clock: systemClock }))),
    () => true,
  ),
  // The page's form posts application/x-www-form-urlencoded and gets pages back; programs post JSON and get JSON.
  'POST /sandbox/authorisations/{bankPaymentId}': answeringBrowsersInHtml(async (event) => {
    const raw = rawBodyOf(event);
    let input: unknown;
    try {
      input = isForm(event) ? Object.fromEntries(new URLSearchParams(raw)) : JSON.parse(raw);
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
    if (isForm(event)) return html(200, decisionPage(payment));
    return json(200, { bankPaymentId: payment.bankPaymentId, status: payment.status });
  }, isForm),
});
