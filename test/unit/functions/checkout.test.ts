import { DynamoDBDocumentClient, GetCommand, PutCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-vitest/extend';
import { beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { accountKey, obiePaymentKey, paymentKey } from '../../../shared/adapters/dynamodb/keys';
import type { ObiePaymentRecord } from '../../../shared/domain/open-banking/payment-authorisation';
import type { AuthorisationRequest, DomesticPaymentInstruction, PaymentInitiationGateway } from '../../../shared/domain/open-banking/ports';
import type { Payment } from '../../../shared/domain/payments/payment';
import { RESOURCE_VARIABLES, SECRET_VARIABLES } from '../../../shared/runtime/environment';
import { anAccount, aPayment, TENANT_ID } from '../../support/domain-fakes';
import { aLambdaContext } from '../../support/lambda';
import { WELL_FORMED_TPP_CREDENTIALS } from '../../support/open-banking-fakes';

/** The bank's side of PIS, faked: consents it was asked for, and the authorisation page it answers. */
const bank = vi.hoisted(() => ({
  consents: [] as { aspspId: string; instruction: unknown }[],
}));

// The wiring composes the PIS gateway with the real stores (on the mocked DynamoDB client) and the registry read
// from the environment; only the bank is faked.
vi.mock('../../../shared/adapters/open-banking-wiring', async (importOriginal) => {
  const actual = await importOriginal<typeof import('../../../shared/adapters/open-banking-wiring')>();
  const { DynamoDbObiePaymentStore } = await import('../../../shared/adapters/dynamodb/obie-payment-store');
  const { DynamoDbAuthorisationSessionStore } = await import('../../../shared/adapters/dynamodb/authorisation-session-store');
  const { ObiePaymentGateway } = await import('../../../shared/domain/open-banking/payment-authorisation');
  const { paymentSessionsOver } = await import('../../../shared/domain/open-banking/authorisation');
  const { cryptoSecrets, systemClock } = await import('../../../shared/adapters/system');
  const pis: PaymentInitiationGateway = {
    createPaymentConsent: async (aspspId: string, instruction: DomesticPaymentInstruction, authorisation: AuthorisationRequest) => {
      bank.consents.push({ aspspId, instruction });
      return { bankConsentId: `pc-${bank.consents.length}`, authorisationUrl: `http://127.0.0.1:8080/authorize?client_id=settled&state=${authorisation.state}` };
    },
    exchangeCode: async () => {
      throw new Error('not used by checkout');
    },
    submitPayment: async () => {
      throw new Error('not used by checkout');
    },
    getPaymentStatus: async () => {
      throw new Error('not used by checkout');
    },
  };
  return {
    ...actual,
    obiePayments: (client: DynamoDBDocumentClient, tableName: string, apiBaseUrl: string) => {
      const records = new DynamoDbObiePaymentStore(client, tableName);
      const sessions = paymentSessionsOver({ sessions: new DynamoDbAuthorisationSessionStore(client, tableName), sealer: actual.obieTokenSealer(), clock: systemClock });
      const gateway = new ObiePaymentGateway({ pis, records, sessions, secrets: cryptoSecrets, clock: systemClock, apiBaseUrl });
      return { gateway, records, directory: actual.obieGateways().directory, pis };
    },
  };
});

const dynamo = mockClient(DynamoDBDocumentClient);

type Handler = (event: APIGatewayProxyEventV2, context: Context) => Promise<APIGatewayProxyStructuredResultV2>;
let handler: Handler;
const context = aLambdaContext('checkout');

const anAspspEntry = (id: string, name: string, apiVersion: 'v3.1.11' | 'v4.0') => ({
  id,
  name,
  apiVersion,
  issuer: `https://${id}.example`,
  authorizationEndpoint: `http://${id}.example/authorize`,
  tokenEndpoint: `https://${id}.example/token`,
  jwksUri: `https://${id}.example/jwks`,
  resourceBaseUrl: `https://${id}.example/open-banking/${apiVersion === 'v4.0' ? 'v4.0' : 'v3.1'}`,
  aggregatedPolling: apiVersion !== 'v4.0',
  clientId: `settled-at-${id}`,
  financialId: '0015800001041RHAAY',
  serverCaPem: '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n',
});

beforeAll(async () => {
  process.env[RESOURCE_VARIABLES.tableName] = 'settled-test';
  process.env[RESOURCE_VARIABLES.apiBaseUrl] = 'https://api.settled.test';
  process.env[SECRET_VARIABLES.tokenSealingKey] = Buffer.alloc(32, 7).toString('base64');
  process.env[SECRET_VARIABLES.aspspRegistry] = JSON.stringify({
    aspsps: [anAspspEntry('mock-v4', 'Mock Bank <v4.0>', 'v4.0'), anAspspEntry('mock-v31', 'Mock Bank v3.1.11', 'v3.1.11')],
  });
  process.env[SECRET_VARIABLES.tppCredentials] = JSON.stringify(WELL_FORMED_TPP_CREDENTIALS);
  process.env.AWS_REGION = 'eu-west-2';
  ({ handler } = await import('../../../functions/checkout/handler'));
});

const BANK_PAYMENT_ID = 'obp_7Q2KX9';
const record: ObiePaymentRecord = {
  bankPaymentId: BANK_PAYMENT_ID,
  tenantId: TENANT_ID,
  paymentId: 'pay_01JD0000000000000000000001',
  aspspId: null,
  bankConsentId: null,
  domesticPaymentId: null,
  version: 1,
};
const account = anAccount({ provider: 'obie', sandboxProfile: null, name: 'Acme & Sons', aspspId: 'mock-v4' });

const store = (overrides: { payment?: Partial<Payment>; record?: ObiePaymentRecord | null } = {}) => {
  const payment = aPayment({
    provider: 'obie',
    status: 'authorisation_required',
    amount: 123_456,
    reference: 'INV-2026-42',
    bankPaymentId: BANK_PAYMENT_ID,
    authorisationUrl: `https://api.settled.test/checkout/${BANK_PAYMENT_ID}`,
    redirectUrl: 'https://shop.example/cart',
    ...overrides.payment,
  });
  dynamo.on(GetCommand).resolves({});
  if (overrides.record !== null) dynamo.on(GetCommand, { Key: obiePaymentKey(BANK_PAYMENT_ID) }).resolves({ Item: { ...obiePaymentKey(BANK_PAYMENT_ID), entity: 'obiePayment', ...(overrides.record ?? record) } });
  dynamo.on(GetCommand, { Key: paymentKey(TENANT_ID, payment.id) }).resolves({ Item: { ...paymentKey(TENANT_ID, payment.id), entity: 'payment', ...payment } });
  dynamo.on(GetCommand, { Key: accountKey(TENANT_ID, account.id) }).resolves({ Item: { ...accountKey(TENANT_ID, account.id), entity: 'account', ...account } });
  dynamo.on(PutCommand).resolves({});
  dynamo.on(TransactWriteCommand).resolves({});
};

const request = (method: 'GET' | 'POST', options: { bankPaymentId?: string; accept?: string; contentType?: string; body?: string } = {}): APIGatewayProxyEventV2 => {
  const bankPaymentId = options.bankPaymentId ?? BANK_PAYMENT_ID;
  return {
    version: '2.0',
    routeKey: `${method} /checkout/{bankPaymentId}`,
    rawPath: `/checkout/${bankPaymentId}`,
    rawQueryString: '',
    pathParameters: { bankPaymentId },
    headers: {
      accept: options.accept ?? 'text/html,application/xhtml+xml',
      ...(options.contentType === undefined ? {} : { 'content-type': options.contentType }),
    },
    ...(options.body === undefined ? {} : { body: options.body }),
    isBase64Encoded: false,
    requestContext: { requestId: 'checkout-req-1', http: { method, path: `/checkout/${bankPaymentId}` } },
  } as unknown as APIGatewayProxyEventV2;
};

const form = (fields: Record<string, string>) => ({ contentType: 'application/x-www-form-urlencoded', body: new URLSearchParams(fields).toString() });

describe('checkout handler: the bank choice page', () => {
  beforeEach(() => {
    dynamo.reset();
    bank.consents.length = 0;
  });

  it('shows the amount, the payee and a button for every bank of the registry', async () => {
    store();
    const response = await handler(request('GET'), context);
    expect(response.statusCode).toBe(200);
    expect(response.headers?.['content-type']).toMatch(/^text\/html/);
    expect(response.body).toContain('£1,234.56');
    expect(response.body).toContain('<h1>Pay Acme &amp; Sons</h1>');
    expect(response.body).toContain('INV-2026-42');
    expect(response.body).toContain('<button name="aspspId" value="mock-v4">Mock Bank &lt;v4.0&gt;</button>');
    expect(response.body).toContain('<button name="aspspId" value="mock-v31">Mock Bank v3.1.11</button>');
    expect(response.body).toContain('href="https://shop.example/cart"');
    expect(dynamo).not.toHaveReceivedCommand(PutCommand);
    expect(dynamo).not.toHaveReceivedCommand(TransactWriteCommand);
  });

  it('answers an unknown id with a 404 page', async () => {
    store({ record: null });
    const response = await handler(request('GET', { bankPaymentId: 'obp_unknown' }), context);
    expect(response.statusCode).toBe(404);
    expect(response.headers?.['content-type']).toMatch(/^text\/html/);
    expect(response.body).toContain('<h1>Not found</h1>');
    expect(response.body).toContain('This payment page does not exist.');
  });

  it('answers an outbound payment with a 404 page: the payer has nothing to choose', async () => {
    store({ payment: { direction: 'outbound' } });
    const response = await handler(request('GET'), context);
    expect(response.statusCode).toBe(404);
    expect(response.headers?.['content-type']).toMatch(/^text\/html/);
  });

  it('answers a payment no longer awaiting authorisation with a 409 page', async () => {
    store({ payment: { status: 'authorised' } });
    const response = await handler(request('GET'), context);
    expect(response.statusCode).toBe(409);
    expect(response.headers?.['content-type']).toMatch(/^text\/html/);
    expect(response.body).toContain('This payment is authorised; there is nothing to authorise.');
  });
});

describe('checkout handler: the choice', () => {
  beforeEach(() => {
    dynamo.reset();
    bank.consents.length = 0;
  });

  it('creates the consent at the chosen bank, records it, and sends the browser to the bank with a 303', async () => {
    store();
    const response = await handler(request('POST', form({ aspspId: 'mock-v31' })), context);
    expect(response.statusCode).toBe(303);
    expect(response.headers?.location).toMatch(/^http:\/\/127\.0\.0\.1:8080\/authorize\?client_id=settled&state=[\w-]{43,}$/);
    expect(bank.consents).toHaveLength(1);
    expect(bank.consents[0]).toMatchObject({
      aspspId: 'mock-v31',
      instruction: { paymentId: record.paymentId, amount: 123_456, currency: 'GBP', reference: 'INV-2026-42', creditor: { name: 'Acme & Sons', sortCode: '040004', accountNumber: '12345678' }, debtor: null },
    });
    // The session the bank's redirect comes back to, then the record moved on from the version read.
    expect(dynamo).toHaveReceivedCommandTimes(PutCommand, 1);
    expect(dynamo).toHaveReceivedCommandWith(PutCommand, { Item: expect.objectContaining({ purpose: 'payment', subjectId: record.paymentId, aspspId: 'mock-v31', bankConsentId: 'pc-1' }) });
    expect(dynamo).toHaveReceivedCommandWith(TransactWriteCommand, {
      TransactItems: [
        {
          Put: expect.objectContaining({
            Item: expect.objectContaining({ ...obiePaymentKey(BANK_PAYMENT_ID), aspspId: 'mock-v31', bankConsentId: 'pc-1', version: 2 }),
            ConditionExpression: 'version = :version',
            ExpressionAttributeValues: { ':version': 1 },
          }),
        },
      ],
    });
  });

  it('takes the choice as JSON from a program too', async () => {
    store();
    const response = await handler(request('POST', { accept: 'application/json', contentType: 'application/json', body: JSON.stringify({ aspspId: 'mock-v4' }) }), context);
    expect(response.statusCode).toBe(303);
    expect(bank.consents.map((consent) => consent.aspspId)).toEqual(['mock-v4']);
  });

  it('answers a form naming an unknown bank with a 422 page, asking the bank for nothing', async () => {
    store();
    const response = await handler(request('POST', form({ aspspId: 'no-such-bank' })), context);
    expect(response.statusCode).toBe(422);
    expect(response.headers?.['content-type']).toMatch(/^text\/html/);
    expect(response.body).toContain('There is no bank &quot;no-such-bank&quot; to pay from.');
    expect(bank.consents).toEqual([]);
    expect(dynamo).not.toHaveReceivedCommand(PutCommand);
    expect(dynamo).not.toHaveReceivedCommand(TransactWriteCommand);
  });

  it('answers JSON naming an unknown bank with the contract error JSON', async () => {
    store();
    const response = await handler(request('POST', { accept: 'application/json', contentType: 'application/json', body: JSON.stringify({ aspspId: 'no-such-bank' }) }), context);
    expect(response.statusCode).toBe(422);
    expect(response.headers?.['content-type']).toBe('application/json');
    expect(JSON.parse(response.body ?? '')).toMatchObject({ error: { code: 'unknown_aspsp', details: [{ path: 'aspspId' }] } });
    expect(bank.consents).toEqual([]);
  });

  it('answers a form with no bank at all with a page, not JSON', async () => {
    store();
    const response = await handler(request('POST', form({})), context);
    expect(response.statusCode).toBeGreaterThanOrEqual(400);
    expect(response.statusCode).toBeLessThan(500);
    expect(response.headers?.['content-type']).toMatch(/^text\/html/);
    expect(bank.consents).toEqual([]);
  });

  it('refuses to choose for a payment no longer awaiting authorisation', async () => {
    store({ payment: { status: 'executed' } });
    const response = await handler(request('POST', form({ aspspId: 'mock-v4' })), context);
    expect(response.statusCode).toBe(409);
    expect(response.headers?.['content-type']).toMatch(/^text\/html/);
    expect(bank.consents).toEqual([]);
  });
});
