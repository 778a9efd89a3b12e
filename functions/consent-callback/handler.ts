import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import * as v from 'valibot';
import { dynamoDbDocumentClient } from '../../shared/adapters/dynamodb/client';
import { tableAdapters } from '../../shared/adapters/dynamodb/repositories';
import { donePage, hostedProblemPage } from '../../shared/adapters/hosted-pages/pages';
import { sqsClient } from '../../shared/adapters/messaging/clients';
import { SqsBankSyncQueue } from '../../shared/adapters/messaging/sqs-bank-sync-queue';
import { SqsSettlementQueue } from '../../shared/adapters/messaging/sqs-settlement-queue';
import { eventBridgeClient } from '../../shared/adapters/messaging/clients';
import { EventBridgePublisher } from '../../shared/adapters/messaging/eventbridge-publisher';
import { DynamoDbMandateRepository } from '../../shared/adapters/dynamodb/mandate-repository';
import { obieAccountAccess, obieGateways, obiePayments, obiePayouts, obieTokenSealer, operationLog } from '../../shared/adapters/open-banking-wiring';
import { completePayoutCallback, nextPayoutStep, type PayoutJourneyDeps } from '../../shared/domain/open-banking/payout-files';
import type { EventPublisher } from '../../shared/domain/events/domain-event';
import { completeMandateCallback } from '../../shared/domain/open-banking/mandate-authorisation';
import { meteredPublisher } from '../../shared/runtime/business-metrics';
import { systemClock } from '../../shared/adapters/system';
import { type AccessOutcome, completeAccountAccess, rejectAccountAccess } from '../../shared/domain/accounts/obie-account-access';
import { type CallbackResult, handleConsentCallback, type MandateOutcome, type PaymentOutcome, type PayoutOutcome, withOutcome } from '../../shared/domain/open-banking/consent-callback';
import { completePaymentCallback } from '../../shared/domain/open-banking/payment-authorisation';
import { getStringFromEnv } from '../../shared/runtime/config';
import { type ApiResponse, createApiHandler } from '../../shared/runtime/http/api-handler';
import { answeringBrowsersInHtml, html, redirect } from '../../shared/runtime/http/hosted-page';
import { parseQuery, pathParameter } from '../../shared/runtime/http/query';
import { RESOURCE_VARIABLES } from '../../shared/runtime/environment';

const tableName = getStringFromEnv(RESOURCE_VARIABLES.tableName);
const apiBaseUrl = getStringFromEnv(RESOURCE_VARIABLES.apiBaseUrl);
const { accounts, payments, authorisationSessions, bankTokens } = tableAdapters(dynamoDbDocumentClient, tableName);
const { gateway } = obieAccountAccess();
const sealer = obieTokenSealer();
const access = { accounts, gateway, tokens: bankTokens, sealer, clock: systemClock, apiBaseUrl, log: operationLog };
const { pis, records } = obiePayments(dynamoDbDocumentClient, tableName, apiBaseUrl);
const paymentCompletion = {
  pis,
  records,
  payments,
  accounts,
  settlements: new SqsSettlementQueue(sqsClient(), getStringFromEnv(RESOURCE_VARIABLES.settlementsQueueUrl)),
  syncs: new SqsBankSyncQueue(sqsClient(), getStringFromEnv(RESOURCE_VARIABLES.bankSyncQueueUrl)),
  clock: systemClock,
  sealer,
  apiBaseUrl,
};
// The event bus is reached only when a mandate is authorised (mandate.activated): built on first use.
let publisher: EventPublisher | undefined;
const mandateEvents: EventPublisher = {
  publish: (events) => (publisher ??= meteredPublisher(new EventBridgePublisher(eventBridgeClient(), getStringFromEnv(RESOURCE_VARIABLES.eventBusName)))).publish(events),
};
// A mandate's authorisation (VRP consent): the payer's tokens sealed and stored, the mandate activated.
const mandateCompletion = {
  vrp: obieGateways().vrp,
  tokens: bankTokens,
  sealer,
  mandates: new DynamoDbMandateRepository(dynamoDbDocumentClient, tableName),
  events: mandateEvents,
  clock: systemClock,
  apiBaseUrl,
};

// A payout's authorisation, file by file (file-payment consents); the decision goes on the settlements queue.
const payoutJourney: PayoutJourneyDeps = {
  ...obiePayouts(dynamoDbDocumentClient, tableName, apiBaseUrl),
  decisions: paymentCompletion.settlements,
};

/** What the bank's redirect carries (RFC 6749 §4.1.2): code and state, or error (and its description) and state. */
const CallbackQuerySchema = v.object({
  state: v.pipe(v.string('state is required'), v.minLength(1, 'state is required'), v.maxLength(512)),
  code: v.optional(v.pipe(v.string(), v.minLength(1), v.maxLength(2048))),
  error: v.optional(v.pipe(v.string(), v.regex(/^[\x20-\x21\x23-\x5B\x5D-\x7E]{1,64}$/, 'error must be an OAuth error code'))),
  // Tolerated and ignored: banks add these, and a spec-conformant one may add more (iss, session_state, id_token).
  error_description: v.optional(v.string()),
  iss: v.optional(v.string()),
  session_state: v.optional(v.string()),
  id_token: v.optional(v.string()),
});

const payoutPage = (status: PayoutOutcome['status']): ApiResponse =>
  status === 'rejected'
    ? html(200, donePage('Payouts not authorised', 'You did not authorise these payments at your bank, so none of them will be made. You can close this window.'))
    : status === 'authorisation_required'
      ? html(200, donePage('Payouts awaiting authorisation', 'Some files of these payments still need your authorisation at your bank.'))
      : html(200, donePage('Payouts authorised', 'Your bank has every file of these payments and will pay them. You can close this window.'));

const pageOf = (outcome: AccessOutcome | PaymentOutcome | MandateOutcome | PayoutOutcome): ApiResponse => {
  switch (outcome.kind) {
    case 'payout':
      return outcome.next === null ? payoutPage(outcome.status) : redirect(outcome.next);
    case 'mandate':
      return outcome.status === 'active'
        ? html(200, donePage('Payments authorised', 'Your bank has your permission for these recurring payments, within the limits you approved. You can close this window.'))
        : html(200, donePage('Payments not authorised', 'You did not give permission for these recurring payments, so none will be taken. You can close this window.'));
    case 'payment':
      return outcome.status === 'authorised'
        ? html(200, donePage('Payment authorised', 'Your bank has the payment. You can close this window.'))
        : html(200, donePage('Payment not made', 'The payment was not authorised at your bank, so no money moved. You can close this window.'));
    case 'connected':
      return html(200, donePage('Account connected', `${outcome.account.name} is connected to Settled. You can close this window.`));
    case 'reconfirmed':
      return html(200, donePage('Access reconfirmed', `Settled can read ${outcome.account.name} for another 90 days. You can close this window.`));
    case 'failed':
      return html(200, donePage('Account not connected', outcome.message));
  }
};

const answer = (result: CallbackResult): ApiResponse =>
  result.redirectUrl === null ? pageOf(result.outcome) : redirect(withOutcome(result.redirectUrl, result.outcome));

/** A browser (it asks for HTML) gets pages, errors included; a program the API's JSON errors. */
const isBrowser = (event: APIGatewayProxyEventV2): boolean => /text\/html/i.test(event.headers.accept ?? '');

/**
 * `GET /v1/consents/callback`: the bank's redirect of the customer's browser after they authorised (or refused) a
 * consent. No tenant credentials: the single-use `state` is what authorises it. A bad, replayed or expired state
 * answers 400 and changes nothing.
 */
export const handler = createApiHandler({
  'GET /v1/consents/callback': answeringBrowsersInHtml(
    async (event) => {
      const query = parseQuery(event, CallbackQuerySchema);
      const result = await handleConsentCallback(
        { state: query.state, code: query.code ?? null, error: query.error ?? null },
        {
          sessions: authorisationSessions,
          completePayment: (session, callback) => completePaymentCallback(session, callback, paymentCompletion),
          completeMandate: (session, callback) => completeMandateCallback(session, callback, mandateCompletion),
          completePayout: (session, callback) => completePayoutCallback(session, callback, payoutJourney),
          completeAccountAccess: (session, code) => completeAccountAccess(session, code, access),
          rejectAccountAccess: (session, error) => rejectAccountAccess(session, error, access),
          now: () => systemClock.now(),
        },
      );
      return answer(result);
    },
    isBrowser,
    hostedProblemPage,
  ),
  /**
   * `GET /payout-authorisations/{bankBatchId}`: a payout's `authorisationUrl` on an Open Banking account. Sends the
   * payer to their bank for the next file of the payout still to authorise, or shows where the payout stands.
   */
  'GET /payout-authorisations/{bankBatchId}': answeringBrowsersInHtml(
    async (event) => {
      const step = await nextPayoutStep(pathParameter(event, 'bankBatchId'), payoutJourney);
      return step.kind === 'bank' ? redirect(step.url) : payoutPage(step.status);
    },
    () => true,
    hostedProblemPage,
  ),
});
