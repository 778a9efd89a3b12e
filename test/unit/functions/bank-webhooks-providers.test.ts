import { createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { SendMessageBatchCommand, type SendMessageBatchRequestEntry, SQSClient } from '@aws-sdk/client-sqs';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-vitest/extend';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { RESOURCE_VARIABLES, SECRET_VARIABLES } from '../../../shared/runtime/environment';
import { aLambdaContext } from '../../support/lambda';
import { aTlSignature, aTrueLayerKeyPair } from '../../support/truelayer-signing';

const sqs = mockClient(SQSClient);
type Handler = (event: APIGatewayProxyEventV2, context: Context) => Promise<APIGatewayProxyStructuredResultV2>;
let handler: Handler;
const context = aLambdaContext('bank-webhooks');
const SETTLEMENTS_QUEUE = 'https://sqs.eu-west-2.amazonaws.com/000000000000/settlements';
const GC_SECRET = 'gc-endpoint-secret';
const JKU = 'https://webhooks.truelayer.com/.well-known/jwks';
const KID = 'tl-kid-1';
const { privateKey, jwks } = aTrueLayerKeyPair(KID);
const fetchMock = vi.fn<(url: string) => Promise<Response>>();

beforeAll(async () => {
  process.env[RESOURCE_VARIABLES.tableName] = 'settled-test';
  process.env[RESOURCE_VARIABLES.settlementsQueueUrl] = SETTLEMENTS_QUEUE;
  process.env[RESOURCE_VARIABLES.bankSyncQueueUrl] = 'https://sqs.eu-west-2.amazonaws.com/000000000000/bank-sync';
  process.env[SECRET_VARIABLES.sandboxWebhookSecret] = 'whsec_dGVzdA==';
  process.env[SECRET_VARIABLES.gocardlessWebhookSecret] = GC_SECRET;
  process.env.AWS_REGION = 'eu-west-2';
  vi.stubGlobal('fetch', fetchMock);
  ({ handler } = await import('../../../functions/bank-webhooks/handler'));
});
afterAll(() => vi.unstubAllGlobals());

const post = (provider: string, body: string, headers: Record<string, string>): APIGatewayProxyEventV2 =>
  ({
    version: '2.0',
    routeKey: 'POST /v1/bank-webhooks/{provider}',
    rawPath: `/v1/bank-webhooks/${provider}`,
    rawQueryString: '',
    pathParameters: { provider },
    headers: { 'content-type': 'application/json', ...headers },
    body,
    isBase64Encoded: false,
    requestContext: { requestId: 'wh-req-1', http: { method: 'POST', path: `/v1/bank-webhooks/${provider}` } },
  }) as unknown as APIGatewayProxyEventV2;

const sentMessages = () => sqs.commandCalls(SendMessageBatchCommand).flatMap((call) => (call.args[0].input.Entries ?? []).map((entry) => JSON.parse(entry.MessageBody ?? '')));

const sample = (path: string) => readFileSync(new URL(`../../fixtures/${path}`, import.meta.url), 'utf8');

/** A TrueLayer webhook as TrueLayer sends it: signed now, over the path it posts to (lower-cased headers, as Lambda gives them). */
const truelayerPost = (body: string, options: { signedAt?: string; sentBody?: string } = {}) => {
  const signedAt = options.signedAt ?? new Date().toISOString();
  const signature = aTlSignature({ privateKey, kid: KID, jku: JKU, path: '/v1/bank-webhooks/truelayer', headers: { 'X-Tl-Webhook-Timestamp': signedAt }, body });
  return post('truelayer', options.sentBody ?? body, { 'x-tl-webhook-timestamp': signedAt, 'tl-signature': signature });
};

const gocardlessPost = (body: string, secret = GC_SECRET) => post('gocardless', body, { 'webhook-signature': createHmac('sha256', secret).update(body).digest('hex') });

describe('bank-webhooks handler: TrueLayer and GoCardless', () => {
  beforeEach(() => {
    sqs.reset();
    sqs.on(SendMessageBatchCommand).callsFake((input: { Entries?: SendMessageBatchRequestEntry[] }) => ({
      Successful: (input.Entries ?? []).map((entry) => ({ Id: entry.Id, MessageId: `m-${entry.Id}`, MD5OfMessageBody: 'x' })),
      Failed: [],
    }));
    fetchMock.mockReset();
    fetchMock.mockImplementation(async () => new Response(JSON.stringify(jwks), { status: 200, headers: { 'content-type': 'application/json' } }));
  });

  it('TrueLayer payment_failed: verified against the JWKS of its jku, queued as a rejected status, 202 with 1', async () => {
    const response = await handler(truelayerPost(sample('truelayer/webhooks/payment_failed.json')), context);
    expect(response.statusCode).toBe(202);
    expect(JSON.parse(response.body ?? '')).toEqual({ received: 1 });
    expect(sentMessages()).toEqual([
      {
        kind: 'payment_status',
        report: { provider: 'truelayer', bankPaymentId: '60c0a60ed8d7-4e5b-ac79-401b1d8a8633', status: 'rejected', at: '2021-12-25T15:00:00.000Z', reason: 'provider_rejected' },
      },
    ]);
    expect(fetchMock.mock.calls.every(([url]) => url === JKU)).toBe(true);
  });

  it.each(['truelayer/webhooks/refund_executed.json', 'truelayer/webhooks/unknown_type.json'])('TrueLayer %s: 202 with 0, nothing queued', async (file) => {
    const response = await handler(truelayerPost(sample(file)), context);
    expect(response.statusCode).toBe(202);
    expect(JSON.parse(response.body ?? '')).toEqual({ received: 0 });
    expect(sqs).not.toHaveReceivedCommand(SendMessageBatchCommand);
  });

  it.each([
    ['a tampered body', { sentBody: sample('truelayer/webhooks/payment_settled.json').replace('60c0', '70c0') }],
    ['a stale timestamp', { signedAt: new Date(Date.now() - 80 * 60 * 60 * 1000).toISOString() }],
  ])('TrueLayer with %s: 401, nothing queued', async (_, options) => {
    const response = await handler(truelayerPost(sample('truelayer/webhooks/payment_settled.json'), options), context);
    expect(response.statusCode).toBe(401);
    expect(sqs).not.toHaveReceivedCommand(SendMessageBatchCommand);
  });

  it('TrueLayer, authentic but malformed: 400, nothing queued', async () => {
    const response = await handler(truelayerPost(JSON.stringify({ type: 'payment_executed', event_id: 'e-1' })), context);
    expect(response.statusCode).toBe(400);
    expect(sqs).not.toHaveReceivedCommand(SendMessageBatchCommand);
  });

  it('GoCardless: payment events queued as status messages, others ignored, 202 with the count', async () => {
    const body = JSON.stringify({
      events: [
        { id: 'EV1', created_at: '2026-11-24T10:00:00.000Z', resource_type: 'payments', action: 'confirmed', links: { payment: 'PM1' } },
        { id: 'EV2', created_at: '2026-11-24T10:01:00.000Z', resource_type: 'payments', action: 'failed', links: { payment: 'PM2' }, details: { cause: 'insufficient_funds' } },
        { id: 'EV3', created_at: '2026-11-24T10:02:00.000Z', resource_type: 'mandates', action: 'created', links: { mandate: 'MD1' } },
      ],
    });
    const response = await handler(gocardlessPost(body), context);
    expect(response.statusCode).toBe(202);
    expect(JSON.parse(response.body ?? '')).toEqual({ received: 2 });
    expect(sentMessages()).toEqual([
      { kind: 'payment_status', report: { provider: 'gocardless', bankPaymentId: 'PM1', status: 'executed', at: '2026-11-24T10:00:00.000Z', reason: null } },
      { kind: 'payment_status', report: { provider: 'gocardless', bankPaymentId: 'PM2', status: 'rejected', at: '2026-11-24T10:01:00.000Z', reason: 'insufficient_funds' } },
    ]);
  });

  it('GoCardless sample body (subscription and mandate created): 202 with 0, nothing queued', async () => {
    const response = await handler(gocardlessPost(sample('gocardless/webhook_body.json').trim()), context);
    expect(response.statusCode).toBe(202);
    expect(JSON.parse(response.body ?? '')).toEqual({ received: 0 });
    expect(sqs).not.toHaveReceivedCommand(SendMessageBatchCommand);
  });

  it('GoCardless signed with another secret: 401, nothing queued', async () => {
    const response = await handler(gocardlessPost('{"events":[]}', 'not-the-secret'), context);
    expect(response.statusCode).toBe(401);
    expect(sqs).not.toHaveReceivedCommand(SendMessageBatchCommand);
  });

  it('GoCardless, authentic but malformed: 400', async () => {
    const response = await handler(gocardlessPost('{"events":{}}'), context);
    expect(response.statusCode).toBe(400);
    expect(sqs).not.toHaveReceivedCommand(SendMessageBatchCommand);
  });

  it('an unknown provider is still 404', async () => {
    const response = await handler(post('plaid', '{}', {}), context);
    expect(response.statusCode).toBe(404);
  });
});
