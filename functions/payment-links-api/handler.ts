import { randomInt } from 'node:crypto';
import { bankGateways } from '../../shared/adapters/bank-gateways';
import { cachedAccountReads } from '../../shared/adapters/cached-account-reads';
import { dynamoDbDocumentClient } from '../../shared/adapters/dynamodb/client';
import { DynamoDbPaymentLinkStore } from '../../shared/adapters/dynamodb/payment-link-store';
import { tableAdapters } from '../../shared/adapters/dynamodb/repositories';
import { withHostedPageHeaders } from '../../shared/adapters/hosted-pages/content-security';
import { bankChoicePage, hostedProblemPage } from '../../shared/adapters/hosted-pages/pages';
import { obiePayments } from '../../shared/adapters/open-banking-wiring';
import { systemClock, ulidIds } from '../../shared/adapters/system';
import { NotFoundError, ValidationError } from '../../shared/domain/errors';
import { parseAmount } from '../../shared/domain/money';
import { chooseBank } from '../../shared/domain/open-banking/payment-authorisation';
import { createPaymentLink } from '../../shared/domain/payment-links/create-payment-link';
import { deactivatePaymentLink } from '../../shared/domain/payment-links/deactivate-payment-link';
import { assertUsable, paymentLinkView } from '../../shared/domain/payment-links/payment-link';
import { linkBehindPage, payThroughLink } from '../../shared/domain/payment-links/pay-through-link';
import { CreatePaymentLinkRequestSchema, LinkBankChoiceSchema, ListPaymentLinksQuerySchema } from '../../shared/schemas/payment-links';
import { getStringFromEnv } from '../../shared/runtime/config';
import { RESOURCE_VARIABLES } from '../../shared/runtime/environment';
import { createApiHandler, json } from '../../shared/runtime/http/api-handler';
import { answeringBrowsersInHtml, type PageContext, formOrJsonBody, html, inPageContext, isForm, redirect } from '../../shared/runtime/http/hosted-page';
import { idempotentRoute } from '../../shared/runtime/http/idempotent-route';
import { pageOf, parseQuery, pathParameter } from '../../shared/runtime/http/query';
import { parseJsonBody, validate } from '../../shared/runtime/http/request';
import { authenticateTenant } from '../../shared/runtime/http/tenant-auth';

const tableName = getStringFromEnv(RESOURCE_VARIABLES.tableName);
const apiBaseUrl = getStringFromEnv(RESOURCE_VARIABLES.apiBaseUrl);
const { tenants, rateLimiter, accounts, payments, idempotency } = tableAdapters(dynamoDbDocumentClient, tableName);
const links = new DynamoDbPaymentLinkStore(dynamoDbDocumentClient, tableName);
// The page and the payment it makes read the same account: once per few seconds (cached-account-reads.ts).
const linkAccounts = cachedAccountReads(accounts, systemClock);
const gateway = bankGateways(dynamoDbDocumentClient, tableName, apiBaseUrl);
// Open Banking parts only for a link on an obie account: a sandbox-only deployment never reads their secrets.
let obie: ReturnType<typeof obiePayments> | undefined;
const openBanking = () => (obie ??= obiePayments(dynamoDbDocumentClient, tableName, apiBaseUrl));

/** The sandbox bank, as the one bank a link on a sandbox account is paid from. */
const SANDBOX_BANK = { id: 'sandbox', name: 'Settled Sandbox Bank' } as const;

const linkUrlOf = (linkId: string): string => `${apiBaseUrl.replace(/\/$/, '')}/links/${linkId}`;

const banksFor = async (provider: string): Promise<readonly { id: string; name: string }[]> =>
  provider === 'sandbox' ? [SANDBOX_BANK] : (await openBanking().directory.list()).map(({ id, name }) => ({ id, name }));

/** Whom a link pays and where its payer came from, for its problem pages. */
const linkContext = async (link: { readonly tenantId: string; readonly accountId: string; readonly redirectUrl: string | null }): Promise<PageContext | undefined> => {
  const account = await linkAccounts.get(link.tenantId, link.accountId);
  return account === undefined ? undefined : { payee: account.name, returnUrl: link.redirectUrl };
};

export const handler = createApiHandler({
  'POST /v1/payment-links': async (event) => {
    const tenantId = await authenticateTenant(event, tenants, rateLimiter);
    // The link, its public lookup, its generated reference's claim and the stored answer go in one write.
    return idempotentRoute(event, tenantId, { idempotency, clock: systemClock }, async (completionOf) => {
      const request = parseJsonBody(event, CreatePaymentLinkRequestSchema);
      const link = await createPaymentLink(
        { ...request, tenantId, amount: parseAmount(request.amount, request.currency) },
        { accounts, links, ids: ulidIds, clock: systemClock, randomIndex: randomInt, urlOf: linkUrlOf },
        { idempotency: (created) => completionOf(json(201, paymentLinkView(created, systemClock.now()))) },
      );
      return { ...json(201, paymentLinkView(link, systemClock.now())), recorded: true };
    });
  },
  'GET /v1/payment-links': async (event) => {
    const tenantId = await authenticateTenant(event, tenants, rateLimiter);
    const query = parseQuery(event, ListPaymentLinksQuerySchema);
    const page = await links.list(tenantId, pageOf(query));
    const now = systemClock.now();
    return json(200, { data: page.data.map((link) => paymentLinkView(link, now)), nextCursor: page.nextCursor });
  },
  'GET /v1/payment-links/{linkId}': async (event) => {
    const tenantId = await authenticateTenant(event, tenants, rateLimiter);
    const linkId = pathParameter(event, 'linkId');
    const link = await links.get(tenantId, linkId);
    if (link === undefined) throw new NotFoundError(`Payment link ${linkId} does not exist.`);
    return json(200, paymentLinkView(link, systemClock.now()));
  },
  'POST /v1/payment-links/{linkId}/deactivate': async (event) => {
    const tenantId = await authenticateTenant(event, tenants, rateLimiter);
    return idempotentRoute(event, tenantId, { idempotency, clock: systemClock }, async () => {
      const link = await deactivatePaymentLink(tenantId, pathParameter(event, 'linkId'), { links, clock: systemClock });
      return json(200, paymentLinkView(link, systemClock.now()));
    });
  },
  // The payer's browser, no API key: amount, payee, reference and the banks to pay from. A link that can take no
  // payment (paid, expired, in use) answers a page saying so (410, 409), never the buttons.
  'GET /links/{linkId}': withHostedPageHeaders(
    answeringBrowsersInHtml(
      async (event) => {
        const link = await linkBehindPage(pathParameter(event, 'linkId'), links);
        // A link that can take no payment says so with whom it was for and the way back to them.
        await inPageContext(async () => assertUsable(link, systemClock.now()), () => linkContext(link));
        const account = await linkAccounts.get(link.tenantId, link.accountId);
        if (account === undefined) throw new NotFoundError('This payment link does not exist.', { code: 'payment_link_not_found' });
        return html(
          200,
          bankChoicePage({
            amount: link.amount,
            currency: link.currency,
            payee: account.name,
            reference: link.reference,
            banks: await banksFor(account.provider),
            redirectUrl: link.redirectUrl,
          }),
        );
      },
      () => true,
      hostedProblemPage,
    ),
  ),
  // The page's form (or a program's JSON): one payment through the link, then 303 to the chosen bank's page.
  'POST /links/{linkId}': withHostedPageHeaders(
    answeringBrowsersInHtml(
      async (event) => {
        const { aspspId } = validate(LinkBankChoiceSchema, formOrJsonBody(event));
        const link = await linkBehindPage(pathParameter(event, 'linkId'), links);
        const account = await linkAccounts.get(link.tenantId, link.accountId);
        if (account === undefined) throw new NotFoundError('This payment link does not exist.', { code: 'payment_link_not_found' });
        // The choice is checked before any payment exists, so a wrong one never uses up a single-use link.
        if (!(await banksFor(account.provider)).some((bank) => bank.id === aspspId)) {
          throw new ValidationError('There is no such bank to pay from.', { details: [{ path: 'aspspId', message: 'must be one of the banks listed' }] });
        }
        const payment = await inPageContext(
          () => payThroughLink(link, { links, accounts: linkAccounts, payments, gateway, ids: ulidIds, clock: systemClock, randomIndex: randomInt }),
          async () => ({ payee: account.name, returnUrl: link.redirectUrl }),
        );
        if (account.provider === 'sandbox') return redirect(payment.authorisationUrl);
        const { gateway: obieGateway, records, directory } = openBanking();
        return redirect(await chooseBank(payment.bankPaymentId, aspspId, { gateway: obieGateway, records, payments, accounts, directory }));
      },
      isForm,
      hostedProblemPage,
    ),
  ),
});

