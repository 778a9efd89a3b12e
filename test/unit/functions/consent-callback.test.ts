import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, PutCommand, TransactWriteCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-vitest/extend';
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { LocalTokenSealer } from '../../../shared/adapters/token-sealing/local-token-sealer';
import { RESOURCE_VARIABLES, SECRET_VARIABLES } from '../../../shared/runtime/environment';
import { aLambdaContext } from '../../support/lambda';

// Mocking the class's prototype covers the module singleton the handler builds at import time.
const dynamo = mockClient(DynamoDBDocumentClient);

type Handler = (event: APIGatewayProxyEventV2, context: Context) => Promise<APIGatewayProxyStructuredResultV2>;
let handler: Handler;
const context = aLambdaContext('consent-callback');

beforeAll(async () => {
  process.env[RESOURCE_VARIABLES.tableName] = 'settled-test';
  process.env[RESOURCE_VARIABLES.apiBaseUrl] = 'https://api.settled.test';
  process.env[RESOURCE_VARIABLES.settlementsQueueUrl] = 'https://sqs.eu-west-2.amazonaws.com/000000000000/settlements';
  process.env[RESOURCE_VARIABLES.bankSyncQueueUrl] = 'https://sqs.eu-west-2.amazonaws.com/000000000000/bank-sync';
  process.env[SECRET_VARIABLES.tokenSealingKey] = Buffer.alloc(32, 7).toString('base64');
  process.env.AWS_REGION = 'eu-west-2';
  ({ handler } = await import('../../../functions/consent-callback/handler'));
});

const callback = (query: Record<string, string>, accept: string): APIGatewayProxyEventV2 =>
  ({
    version: '2.0',
    routeKey: 'GET /v1/consents/callback',
    rawPath: '/v1/consents/callback',
    rawQueryString: new URLSearchParams(query).toString(),
    queryStringParameters: query,
    headers: { accept },
    isBase64Encoded: false,
    requestContext: { requestId: 'cb-req-1', http: { method: 'GET', path: '/v1/consents/callback' } },
  }) as unknown as APIGatewayProxyEventV2;

describe('consent-callback handler', () => {
  beforeEach(() => {
    dynamo.reset();
    // Unknown, expired or used: the one conditional claim fails.
    dynamo.on(UpdateCommand).rejects(new ConditionalCheckFailedException({ message: 'The conditional request failed', $metadata: {} }));
  });

  it('answers a browser with a bad or replayed state with a 400 page, and changes nothing', async () => {
    const response = await handler(callback({ state: 'replayed', code: 'c' }, 'text/html,application/xhtml+xml'), context);
    expect(response.statusCode).toBe(400);
    expect(response.headers?.['content-type']).toMatch(/^text\/html/);
    expect(response.body).toContain('unknown, expired or already used');
    expect(dynamo).toHaveReceivedCommandTimes(UpdateCommand, 1);
    expect(dynamo).not.toHaveReceivedCommand(PutCommand);
    expect(dynamo).not.toHaveReceivedCommand(TransactWriteCommand);
  });

  it('answers a program with the contract error JSON', async () => {
    const response = await handler(callback({ state: 'replayed', code: 'c' }, 'application/json'), context);
    expect(response.statusCode).toBe(400);
    expect(JSON.parse(response.body ?? '')).toMatchObject({ error: { code: 'invalid_state' } });
  });

  it('refuses a redirect without a state before touching the table', async () => {
    const response = await handler(callback({ code: 'c' }, 'application/json'), context);
    expect(response.statusCode).toBe(400);
    expect(dynamo).not.toHaveReceivedCommand(UpdateCommand);
  });

  it('hands a claimed payment session to the payments flow, which answers 404 for a payment that does not exist', async () => {
    const sealedCodeVerifier = await new LocalTokenSealer(async () => Buffer.alloc(32, 7).toString('base64')).seal('v'.repeat(64), { tenantId: 'ten_1', consentId: 'pay_1' });
    dynamo.on(UpdateCommand).resolves({
      Attributes: {
        entity: 'authorisationSession',
        purpose: 'payment',
        tenantId: 'ten_1',
        subjectId: 'pay_1',
        aspspId: 'mock-v4',
        bankConsentId: 'pc-1',
        nonce: 'n',
        sealedCodeVerifier,
        redirectUrl: null,
        createdAt: '2026-11-24T10:00:00.000Z',
        sessionExpiresAt: '2999-01-01T00:00:00.000Z',
      },
    });
    dynamo.on(GetCommand).resolves({});
    const response = await handler(callback({ state: 'pay-state', code: 'c' }, 'application/json'), context);
    expect(response.statusCode).toBe(404);
    expect(JSON.parse(response.body ?? '')).toMatchObject({ error: { code: 'not_found', message: 'Payment pay_1 does not exist.' } });
    expect(dynamo).toHaveReceivedCommandWith(GetCommand, { Key: { pk: 'ten_1#PAY#pay_1', sk: 'PAYMENT' } });
  });
});
