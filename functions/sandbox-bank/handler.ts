import * as v from 'valibot';
import { dynamoDbDocumentClient } from '../../shared/adapters/dynamodb/client';
import { tableAdapters } from '../../shared/adapters/dynamodb/repositories';
import { decideAuthorisation, paymentBehindLink } from '../../shared/adapters/sandbox-bank/authorise';
import type { BehaviourSettings } from '../../shared/adapters/sandbox-bank/behaviour';
import { behaviourFromEnvironment, queueScheduler } from '../../shared/adapters/sandbox-bank/scheduler';
import { SANDBOX_PAGE_HEADERS, withHostedPageHeaders } from '../../shared/adapters/hosted-pages/content-security';
import { authorisationPage, contextOf, decisionPage, layout, problemPage } from '../../shared/adapters/sandbox-bank/pages';
import { decideMandate, isSandboxMandateId, mandateBehindLink, mandatePageBody, type SandboxMandate, SandboxMandateStore } from '../../shared/adapters/sandbox-bank/sandbox-mandates';
import { systemClock } from '../../shared/adapters/system';
import { getStringFromEnv } from '../../shared/runtime/config';
import { createApiHandler, json } from '../../shared/runtime/http/api-handler';
import { answeringBrowsersInHtml, formOrJsonBody, html, inPageContext, isForm, redirect } from '../../shared/runtime/http/hosted-page';
import { withOutcome } from '../../shared/domain/open-banking/consent-callback';
import { pathParameter } from '../../shared/runtime/http/query';
import { validate } from '../../shared/runtime/http/request';
import { RESOURCE_VARIABLES } from '../../shared/runtime/environment';

const { sandbox } = tableAdapters(dynamoDbDocumentClient, getStringFromEnv(RESOURCE_VARIABLES.tableName));
const mandates = new SandboxMandateStore(dynamoDbDocumentClient, getStringFromEnv(RESOURCE_VARIABLES.tableName));
const mandatePage = (mandate: SandboxMandate) => {
  const { title, body } = mandatePageBody(mandate);
  return layout(title, body);
};
const schedule = queueScheduler(getStringFromEnv(RESOURCE_VARIABLES.sandboxQueueUrl));
const settings: BehaviourSettings = behaviourFromEnvironment();

const DecisionSchema = v.object({ outcome: v.picklist(['approve', 'reject'], 'outcome must be approve or reject') });

export const handler = createApiHandler({
  'GET /sandbox/authorisations/{bankPaymentId}': withHostedPageHeaders(answeringBrowsersInHtml(
    async (event) => {
      const id = pathParameter(event, 'bankPaymentId');
      // One page for both: a payment's (sbp_…) or a mandate's (sbm_…, authorised once for its recurring payments).
      if (isSandboxMandateId(id)) return html(200, mandatePage(await mandateBehindLink(id, { store: mandates, clock: systemClock })));
      return html(200, authorisationPage(await paymentBehindLink(id, { store: sandbox, clock: systemClock })));
    },
    () => true,
    problemPage,
  ), SANDBOX_PAGE_HEADERS),
  // The page's form posts application/x-www-form-urlencoded and gets pages back; programs post JSON and get JSON.
  'POST /sandbox/authorisations/{bankPaymentId}': withHostedPageHeaders(answeringBrowsersInHtml(async (event) => {
    const { outcome } = validate(DecisionSchema, formOrJsonBody(event));
    const id = pathParameter(event, 'bankPaymentId');
    if (isSandboxMandateId(id)) {
      const mandate = await decideMandate(id, outcome, { store: mandates, clock: systemClock });
      if (isForm(event)) return html(200, mandatePage(mandate));
      return json(200, { bankPaymentId: mandate.bankMandateId, status: mandate.status });
    }
    // A refused decision (already decided the other way) shows the payee and the way back to the merchant.
    const payment = await inPageContext(
      () => decideAuthorisation(id, outcome, { store: sandbox, schedule, clock: systemClock, settings }),
      async () => {
        const known = await sandbox.get(id);
        return known === undefined ? undefined : contextOf(known);
      },
    );
    if (isForm(event)) {
      // Back to the merchant's page when the payment has one, with the outcome, as after a real bank's pages.
      const returnTo = payment.returnTo ?? null;
      if (returnTo === null) return html(200, decisionPage(payment));
      return redirect(withOutcome(returnTo.redirectUrl, { kind: 'payment', paymentId: returnTo.paymentId, status: payment.status === 'approved' ? 'authorised' : 'failed' }));
    }
    return json(200, { bankPaymentId: payment.bankPaymentId, status: payment.status });
  }, isForm, problemPage), SANDBOX_PAGE_HEADERS),
});
