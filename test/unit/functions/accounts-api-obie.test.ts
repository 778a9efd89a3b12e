import { DynamoDBDocumentClient, GetCommand, type GetCommandInput, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-vitest/extend';
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { formatApiKey } from '../../../shared/domain/tenants/api-key';
import { RESOURCE_VARIABLES, SECRET_VARIABLES } from '../../../shared/runtime/environment';
import { anAccount } from '../../support/domain-fakes';
import { aLambdaContext } from '../../support/lambda';
import { WELL_FORMED_TPP_CREDENTIALS } from '../../support/open-banking-fakes';

// Mocking the class's prototype covers the module singleton the handler builds at import time.
const dynamo = mockClient(DynamoDBDocumentClient);

type Handler = (event: APIGatewayProxyEventV2, context: Context) => Promise<APIGatewayProxyStructuredResultV2>;
let handler: Handler;
const context = aLambdaContext('accounts-api');
const TENANT = 'ten_01JD0000000000000000000001';
const API_KEY = formatApiKey(TENANT, 'A'.repeat(43));
const REGISTRY = {
  aspsps: [
    {
      id: 'mock-v4',
      name: 'Mock Bank v4.0',
      apiVersion: 'v4.0',
      issuer: 'https://127.0.0.1:8443',
      authorizationEndpoint: 'http://127.0.0.1:8080/authorize',
      tokenEndpoint: 'https://127.0.0.1:8443/token',
      jwksUri: 'https://127.0.0.1:8443/jwks',
      resourceBaseUrl: 'https://127.0.0.1:8443/open-banking/v4.0',
      aggregatedPolling: false,
      clientId: 'settled-client-at-mock-v4',
      financialId: '0015800001041RHAAY',
      serverCaPem: '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n',
    },
  ],
};

beforeAll(async () => {
  process.env[RESOURCE_VARIABLES.tableName] = 'settled-test';
  process.env[RESOURCE_VARIABLES.eventBusName] = 'settled-events';
  process.env[RESOURCE_VARIABLES.apiBaseUrl] = 'https://api.settled.test';
  process.env[SECRET_VARIABLES.tokenSealingKey] = Buffer.alloc(32, 7).toString('base64');
  process.env[SECRET_VARIABLES.aspspRegistry] = JSON.stringify(REGISTRY);
  // The gateway reads the registry and the client credentials together; these are well-formed and never used here.
  process.env[SECRET_VARIABLES.tppCredentials] = JSON.stringify(WELL_FORMED_TPP_CREDENTIALS);
  process.env.AWS_REGION = 'eu-west-2';
  ({ handler } = await import('../../../functions/accounts-api/handler'));
});

/** An obie account as stored once connected: the bank's consent id is on it, the tokens are in their own item. */
const stored = {
  pk: `${TENANT}#ACC#acc_01JD0000000000000000000001`,
  sk: 'ACCOUNT',
  entity: 'account',
  ...anAccount({
    provider: 'obie',
    sandboxProfile: null,
    aspspId: 'mock-v4',
    bankAccountId: 'bank-acc-1',
    syncCursor: '2026-11-24T10:00:00.000Z',
    connectedAt: '2026-11-24T10:00:00.000Z',
    version: 3,
    consent: { ...anAccount().consent, bankConsentId: 'bank-consent-secretish-1', pendingBankConsentId: 'bank-consent-2', authorisationUrl: 'http://127.0.0.1:8080/authorize?x=1' },
  }),
  outbox: [],
};

const get = (path: string, routeKey: string, pathParameters: Record<string, string> = {}): APIGatewayProxyEventV2 =>
  ({
    version: '2.0',
    routeKey,
    rawPath: path,
    rawQueryString: '',
    headers: { authorization: `Bearer ${API_KEY}` },
    pathParameters,
    isBase64Encoded: false,
    requestContext: { requestId: 'acc-req-1', http: { method: 'GET', path } },
  }) as unknown as APIGatewayProxyEventV2;

describe('accounts-api (Open Banking)', () => {
  beforeEach(() => {
    dynamo.reset();
    dynamo.on(UpdateCommand).resolves({}); // the rate limiter's counter
    dynamo.on(GetCommand).callsFake((input: GetCommandInput) => {
      const pk = String(input.Key?.pk);
      if (pk.startsWith(`${TENANT}#APIKEY#`)) return { Item: { type: 'apiKey', tenantId: TENANT } };
      if (pk === `${TENANT}#TENANT`) return { Item: { type: 'tenant', id: TENANT, name: 'Acme', createdAt: '2026-11-01T00:00:00.000Z' } };
      if (pk === stored.pk) return { Item: stored };
      return {};
    });
  });

  it('GET /v1/accounts/{id} shows the consent and its authorisation URL, never the bank ids, cursor or tokens', async () => {
    const response = await handler(get('/v1/accounts/acc_01JD0000000000000000000001', 'GET /v1/accounts/{accountId}', { accountId: 'acc_01JD0000000000000000000001' }), context);
    expect(response.statusCode).toBe(200);
    const body: unknown = JSON.parse(response.body ?? '');
    expect(body).toMatchObject({ provider: 'obie', aspspId: 'mock-v4', consent: { status: 'authorised', authorisationUrl: 'http://127.0.0.1:8080/authorize?x=1' } });
    expect(Object.keys((body as { consent: object }).consent).sort()).toEqual(['authorisationUrl', 'expiresAt', 'id', 'reconfirmBy', 'status']);
    for (const hidden of ['bank-consent', 'bank-acc-1', 'syncCursor', 'version', 'Token', 'token', 'outbox']) expect(response.body).not.toContain(hidden);
  });

  it('GET /v1/aspsps lists the registry without client id, financial id or CA', async () => {
    const response = await handler(get('/v1/aspsps', 'GET /v1/aspsps'), context);
    expect(response.statusCode).toBe(200);
    const { clientId: _c, financialId: _f, serverCaPem: _s, ...publicEntry } = REGISTRY.aspsps[0] ?? { clientId: '', financialId: '', serverCaPem: '' };
    expect(JSON.parse(response.body ?? '')).toEqual({ data: [publicEntry] });
    for (const hidden of ['settled-client', '0015800001041RHAAY', 'CERTIFICATE']) expect(response.body).not.toContain(hidden);
  });
});
