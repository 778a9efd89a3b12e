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
import { createApiHandler, json } from '../../shared/runtime/http/api-handler';
import { answeringBrowsersInHtml, formOrJsonBody, html, isForm, redirect } from '../../shared/runtime/http/hosted-page';
import { withOutcome } from '../../shared/domain/open-banking/consent-callback';
import { pathParameter } from '../../shared/runtime/http/query';
import { validate } from '../../shared/runtime/http/request';
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
  'GET /sandbox/authorisations/{bankPaymentId}': answeringBrowsersInHtml(
    async (event) => html(200, authorisationPage(await paymentBehindLink(pathParameter(event, 'bankPaymentId'), { store: sandbox, clock: systemClock }))),
    () => true,
    problemPage,
  ),
  // The page's form posts application/x-www-form-urlencoded and gets pages back; programs post JSON and get JSON.
  'POST /sandbox/authorisations/{bankPaymentId}': answeringBrowsersInHtml(async (event) => {
    const { outcome } = validate(DecisionSchema, formOrJsonBody(event));
    const payment = await decideAuthorisation(pathParameter(event, 'bankPaymentId'), outcome, {
      store: sandbox,
      schedule,
      clock: systemClock,
      settings,
    });
    if (isForm(event)) {
      // Back to the merchant's page when the payment has one, with the outcome, as after a real bank's pages.
      const returnTo = payment.returnTo ?? null;
      if (returnTo === null) return html(200, decisionPage(payment));
      return redirect(withOutcome(returnTo.redirectUrl, { kind: 'payment', paymentId: returnTo.paymentId, status: payment.status === 'approved' ? 'authorised' : 'failed' }));
    }
    return json(200, { bankPaymentId: payment.bankPaymentId, status: payment.status });
  }, isForm, problemPage),
});
