import * as v from 'valibot';
import { dynamoDbDocumentClient } from '../../shared/adapters/dynamodb/client';
import { tableAdapters } from '../../shared/adapters/dynamodb/repositories';
import { withHostedPageHeaders } from '../../shared/adapters/hosted-pages/content-security';
import { bankChoicePage, hostedProblemPage } from '../../shared/adapters/hosted-pages/pages';
import { obiePayments } from '../../shared/adapters/open-banking-wiring';
import { ConflictError, NotFoundError } from '../../shared/domain/errors';
import { chooseBank, paymentBehindChoice } from '../../shared/domain/open-banking/payment-authorisation';
import { getStringFromEnv } from '../../shared/runtime/config';
import { RESOURCE_VARIABLES } from '../../shared/runtime/environment';
import { createApiHandler } from '../../shared/runtime/http/api-handler';
import { answeringBrowsersInHtml, formOrJsonBody, html, inPageContext, isForm, redirect } from '../../shared/runtime/http/hosted-page';
import { pathParameter } from '../../shared/runtime/http/query';
import { validate } from '../../shared/runtime/http/request';

const tableName = getStringFromEnv(RESOURCE_VARIABLES.tableName);
const { payments, accounts } = tableAdapters(dynamoDbDocumentClient, tableName);
const { gateway, records, directory } = obiePayments(dynamoDbDocumentClient, tableName, getStringFromEnv(RESOURCE_VARIABLES.apiBaseUrl));

const BankChoiceSchema = v.strictObject({ aspspId: v.pipe(v.string('aspspId must be a string'), v.minLength(1), v.maxLength(64)) });

export const handler = createApiHandler({
  // The payer's browser: the amount, the payee and a button per configured bank.
  'GET /checkout/{bankPaymentId}': withHostedPageHeaders(answeringBrowsersInHtml(
    async (event) => {
      const { payment } = await paymentBehindChoice(pathParameter(event, 'bankPaymentId'), { records, payments });
      if (payment.direction !== 'inbound') throw new NotFoundError('This payment page does not exist.');
      if (payment.status !== 'authorisation_required') {
        const problem = new ConflictError(`This payment is ${payment.status.replace(/_/g, ' ')}; there is nothing to authorise.`, { code: 'payment_not_awaiting_authorisation' });
        // The page says so with whom the payment was for and the way back to them.
        await inPageContext(
          () => Promise.reject(problem),
          async () => {
            const payee = await accounts.get(payment.tenantId, payment.accountId);
            return payee === undefined ? undefined : { payee: payee.name, returnUrl: payment.redirectUrl };
          },
        );
      }
      const account = await accounts.get(payment.tenantId, payment.accountId);
      const banks = await directory.list();
      return html(
        200,
        bankChoicePage({
          amount: payment.amount,
          currency: payment.currency,
          payee: account?.name ?? 'the merchant',
          reference: payment.reference,
          banks: banks.map(({ id, name }) => ({ id, name })),
          redirectUrl: payment.redirectUrl,
        }),
      );
    },
    () => true,
    hostedProblemPage,
  )),
  // The page's form (or a program's JSON): a consent at the chosen bank, then 303 to its authorisation page.
  'POST /checkout/{bankPaymentId}': withHostedPageHeaders(answeringBrowsersInHtml(
    async (event) => {
      const { aspspId } = validate(BankChoiceSchema, formOrJsonBody(event));
      return redirect(await chooseBank(pathParameter(event, 'bankPaymentId'), aspspId, { gateway, records, payments, accounts, directory }));
    },
    isForm,
    hostedProblemPage,
  )),
});
