import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { SendMessageBatchCommand, type SendMessageBatchRequestEntry, SQSClient } from '@aws-sdk/client-sqs';
import { DeleteCommand, DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-vitest/extend';
import { beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { notificationKey } from '../../../shared/adapters/dynamodb/keys';
import { UnauthorizedError } from '../../../shared/domain/errors';
import type { EventNotification } from '../../../shared/domain/open-banking/ports';
import { RESOURCE_VARIABLES, SECRET_VARIABLES } from '../../../shared/runtime/environment';
import { aLambdaContext } from '../../support/lambda';

/** The verifier the handler gets from the wiring: each test says what it answers. */
const verifier = vi.hoisted(() => ({ verify: vi.fn<(jwt: string) => Promise<unknown>>() }));

vi.mock('../../../shared/adapters/open-banking-wiring', async (importOriginal) => {
  const actual = await importOriginal<typeof import('../../../shared/adapters/open-banking-wiring')>();
  return { ...actual, obieGateways: () => ({ verifier }) };
});

const dynamo = mockClient(DynamoDBDocumentClient);
const sqs = mockClient(SQSClient);

type Handler = (event: APIGatewayProxyEventV2, context: Context) => Promise<APIGatewayProxyStructuredResultV2>;
let handler: Handler;
const context = aLambdaContext('bank-webhooks');
const BANK_SYNC_QUEUE = 'https://sqs.eu-west-2.amazonaws.com/000000000000/bank-sync';
const SETTLEMENTS_QUEUE = 'https://sqs.eu-west-2.amazonaws.com/000000000000/settlements';

beforeAll(async () => {
  process.env[RESOURCE_VARIABLES.tableName] = 'settled-test';
  process.env[RESOURCE_VARIABLES.settlementsQueueUrl] = SETTLEMENTS_QUEUE;
  process.env[RESOURCE_VARIABLES.bankSyncQueueUrl] = BANK_SYNC_QUEUE;
  process.env[SECRET_VARIABLES.sandboxWebhookSecret] = 'whsec_dGVzdA==';
  process.env.AWS_REGION = 'eu-west-2';
  ({ handler } = await import('../../../functions/bank-webhooks/handler'));
});

/** Stands in for the bank's compact JWS: only the verifier reads it. */
const TOKEN = 'eyJhbGciOiJQUzI1NiJ9.eyJqdGkiOiJqdGktMSJ9.c2lnbmF0dXJl';

const notification: EventNotification = {
  aspspId: 'mock-v4',
  jti: 'b460a07c-4962-43d1-85ee-9dc10fbb8f6c',
  issuedAt: '2026-11-24T10:00:00.000Z',
  events: [
    { kind: 'resource-update', resourceType: 'transactions', resourceId: 'acct-22289' },
    { kind: 'resource-update', resourceType: 'domestic-payment', resourceId: 'dp-58923' },
    { kind: 'consent-authorization-revoked', resourceType: 'account-access-consent', resourceId: 'aac-1', reason: null },
    // Nothing Settled pulls for a funds-confirmation consent.
    { kind: 'resource-update', resourceType: 'funds-confirmation-consent', resourceId: 'fcc-1' },
  ],
};

const post = (body: string, headers: Record<string, string> = {}): APIGatewayProxyEventV2 =>
  ({
    version: '2.0',
    routeKey: 'POST /v1/bank-webhooks/{provider}',
    rawPath: '/v1/bank-webhooks/obie',
    rawQueryString: '',
    pathParameters: { provider: 'obie' },
    headers: { 'content-type': 'application/jwt', ...headers },
    body,
    isBase64Encoded: false,
    requestContext: { requestId: 'wh-req-1', http: { method: 'POST', path: '/v1/bank-webhooks/obie' } },
  }) as unknown as APIGatewayProxyEventV2;

const acceptAll = () =>
  sqs.on(SendMessageBatchCommand).callsFake((input: { Entries?: SendMessageBatchRequestEntry[] }) => ({
    Successful: (input.Entries ?? []).map((entry) => ({ Id: entry.Id, MessageId: `m-${entry.Id}`, MD5OfMessageBody: 'x' })),
    Failed: [],
  }));

const sentMessages = () => sqs.commandCalls(SendMessageBatchCommand).flatMap((call) => (call.args[0].input.Entries ?? []).map((entry) => JSON.parse(entry.MessageBody ?? '')));

describe('bank-webhooks handler: Open Banking event notifications', () => {
  beforeEach(() => {
    dynamo.reset();
    sqs.reset();
    verifier.verify.mockReset();
    dynamo.on(PutCommand).resolves({});
    dynamo.on(DeleteCommand).resolves({});
    acceptAll();
  });

  it('takes a verified notification: records its jti once, queues one sync per event it has a use for, answers 202 with the bank interaction id', async () => {
    verifier.verify.mockResolvedValue(notification);
    const response = await handler(post(`  ${TOKEN}\n`, { 'x-fapi-interaction-id': '93bac548-d2de-4546-b106-880a5018460d' }), context);

    expect(response.statusCode).toBe(202);
    expect(JSON.parse(response.body ?? '')).toEqual({ received: 3 });
    expect(response.headers?.['x-fapi-interaction-id']).toBe('93bac548-d2de-4546-b106-880a5018460d');
    // The token is verified as sent, whitespace around it aside.
    expect(verifier.verify).toHaveBeenCalledExactlyOnceWith(TOKEN);
    expect(dynamo).toHaveReceivedCommandExactlyOnceWith(PutCommand, {
      TableName: 'settled-test',
      Item: expect.objectContaining(notificationKey('mock-v4', notification.jti)),
      ConditionExpression: 'attribute_not_exists(pk)',
    });
    expect(sqs).toHaveReceivedCommandExactlyOnceWith(SendMessageBatchCommand, { QueueUrl: BANK_SYNC_QUEUE });
    expect(sentMessages()).toEqual([
      { kind: 'bank-account', aspspId: 'mock-v4', bankAccountId: 'acct-22289' },
      { kind: 'payment-status', aspspId: 'mock-v4', domesticPaymentId: 'dp-58923' },
      { kind: 'consent-revoked', aspspId: 'mock-v4', bankConsentId: 'aac-1', reason: null },
    ]);
    expect(dynamo).not.toHaveReceivedCommand(DeleteCommand);
  });

  it('answers without the interaction id header when the bank sent none', async () => {
    verifier.verify.mockResolvedValue(notification);
    const response = await handler(post(TOKEN), context);
    expect(response.statusCode).toBe(202);
    expect(response.headers?.['x-fapi-interaction-id']).toBeUndefined();
  });

  it('verifies the token API Gateway passes base64-encoded (application/jwt is not a text type to it)', async () => {
    verifier.verify.mockResolvedValue(notification);
    const response = await handler({ ...post(Buffer.from(TOKEN).toString('base64')), isBase64Encoded: true }, context);
    expect(response.statusCode).toBe(202);
    expect(verifier.verify).toHaveBeenCalledExactlyOnceWith(TOKEN);
  });

  it('takes a jti seen before as received, queueing nothing', async () => {
    verifier.verify.mockResolvedValue(notification);
    dynamo.on(PutCommand).rejects(new ConditionalCheckFailedException({ message: 'The conditional request failed', $metadata: {} }));
    const response = await handler(post(TOKEN), context);
    expect(response.statusCode).toBe(202);
    expect(JSON.parse(response.body ?? '')).toEqual({ received: 0 });
    expect(sqs).not.toHaveReceivedCommand(SendMessageBatchCommand);
    expect(dynamo).not.toHaveReceivedCommand(DeleteCommand);
  });

  it('refuses a notification the verifier does not accept with 401, writing and queueing nothing', async () => {
    verifier.verify.mockRejectedValue(new UnauthorizedError('The event notification signature does not verify.'));
    const response = await handler(post(TOKEN), context);
    expect(response.statusCode).toBe(401);
    expect(JSON.parse(response.body ?? '')).toMatchObject({ error: { code: 'unauthorized' } });
    expect(dynamo).not.toHaveReceivedCommand(PutCommand);
    expect(sqs).not.toHaveReceivedCommand(SendMessageBatchCommand);
  });

  it('refuses a body over 64 KB with 400 before verifying anything', async () => {
    const response = await handler(post(`${TOKEN}${'A'.repeat(64 * 1024)}`), context);
    expect(response.statusCode).toBe(400);
    expect(JSON.parse(response.body ?? '')).toMatchObject({ error: { code: 'body_too_large' } });
    expect(verifier.verify).not.toHaveBeenCalled();
    expect(dynamo).not.toHaveReceivedCommand(PutCommand);
    expect(sqs).not.toHaveReceivedCommand(SendMessageBatchCommand);
  });

  it('takes a body of exactly 64 KB to the verifier', async () => {
    verifier.verify.mockRejectedValue(new UnauthorizedError('not a JWS'));
    const response = await handler(post('A'.repeat(64 * 1024)), context);
    expect(response.statusCode).toBe(401);
    expect(verifier.verify).toHaveBeenCalledOnce();
  });

  it('fails with 5xx when the syncs cannot be queued, and forgets the jti so the bank retry is taken', async () => {
    verifier.verify.mockResolvedValue(notification);
    sqs.on(SendMessageBatchCommand).rejects(new Error('SQS unavailable'));
    const response = await handler(post(TOKEN), context);
    expect(response.statusCode).toBeGreaterThanOrEqual(500);
    expect(dynamo).toHaveReceivedCommandTimes(PutCommand, 1);
    expect(dynamo).toHaveReceivedCommandExactlyOnceWith(DeleteCommand, { TableName: 'settled-test', Key: notificationKey('mock-v4', notification.jti) });
    expect(response.body ?? '').not.toContain('SQS unavailable');
  });

  it('answers 404 for a provider it does not know, without verifying', async () => {
    const event = post(TOKEN);
    const response = await handler({ ...event, rawPath: '/v1/bank-webhooks/other', pathParameters: { provider: 'other' } }, context);
    expect(response.statusCode).toBe(404);
    expect(verifier.verify).not.toHaveBeenCalled();
  });
});
