import { createHash } from 'node:crypto';
import { ProvisionedThroughputExceededException } from '@aws-sdk/client-dynamodb';
import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { SendMessageBatchCommand, SQSClient } from '@aws-sdk/client-sqs';
import { BatchGetCommand, DynamoDBDocumentClient, GetCommand, PutCommand, QueryCommand, TransactWriteCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context, SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { Webhook } from 'standardwebhooks';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { RESOURCE_VARIABLES, SECRET_VARIABLES } from '../../../shared/runtime/environment';
import { aLambdaContext, aStoredAccount, captureProcessOutput, queryAnswersWithAccount } from '../../support/lambda';

// Bank details and the payer's name: what a log line must never carry (full bodies hold them).
const ACCOUNT_NUMBER = '31926819';
const SORT_CODE = '601613';
const COUNTERPARTY_NAME = 'Jane Quinlan-Payer';
const COUNTERPARTY_ACCOUNT_NUMBER = '55779911';
const account = aStoredAccount({ id: 'acc_log_1', tenantId: 'ten_log_1', sortCode: SORT_CODE, accountNumber: ACCOUNT_NUMBER, consentId: 'con_log_1' });
const SECRET = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';

const sqs = mockClient(SQSClient);
const dynamo = mockClient(DynamoDBDocumentClient);
const eventBridge = mockClient(EventBridgeClient);

type ApiHandler = (event: APIGatewayProxyEventV2, context: Context) => Promise<APIGatewayProxyStructuredResultV2>;
type SqsHandler = (event: SQSEvent, context: Context) => Promise<SQSBatchResponse>;
let bankWebhooks: ApiHandler;
let reconcile: SqsHandler;

/** Every line the process writes while a test runs: Powertools writes JSON lines to stdout/stderr. */
let written: string[] = [];
const logLines = () => written.join('').split('\n').filter((line) => line.trim() !== '');

beforeAll(async () => {
  // Read when the Logger is created, so set before the handlers (and shared/runtime/powertools.ts) are imported.
  vi.stubEnv('POWERTOOLS_LOG_LEVEL', 'DEBUG');
  vi.stubEnv(RESOURCE_VARIABLES.tableName, 'settled-test');
  vi.stubEnv(RESOURCE_VARIABLES.eventBusName, 'settled-events');
  vi.stubEnv(RESOURCE_VARIABLES.callbackQueueUrl, 'https://sqs.eu-west-2.amazonaws.com/000000000000/callback-deliveries');
  vi.stubEnv('AWS_REGION', 'eu-west-2');
  vi.stubEnv(RESOURCE_VARIABLES.settlementsQueueUrl, 'https://sqs.eu-west-2.amazonaws.com/000000000000/settlements');
  vi.stubEnv(RESOURCE_VARIABLES.bankSyncQueueUrl, 'https://sqs.eu-west-2.amazonaws.com/000000000000/bank-sync');
  vi.stubEnv(SECRET_VARIABLES.sandboxWebhookSecret, SECRET);
  ({ handler: bankWebhooks } = await import('../../../functions/bank-webhooks/handler'));
  ({ handler: reconcile } = await import('../../../functions/reconcile/handler'));
});
afterAll(() => {
  vi.unstubAllEnvs();
});

beforeEach(() => {
  written = [];
  captureProcessOutput(written);
  for (const method of ['log', 'info', 'warn', 'error', 'debug'] as const) {
    vi.spyOn(console, method).mockImplementation((...args: unknown[]) => {
      written.push(`${args.map(String).join(' ')}\n`);
    });
  }
  sqs.reset();
  dynamo.reset();
  eventBridge.reset();
});
afterEach(() => {
  vi.restoreAllMocks();
});

/** A canonical sandbox webhook reporting one booked credit, as the bank sends it. */
const creditWebhookBody = JSON.stringify({
  type: 'transactions',
  account: { sortCode: SORT_CODE, accountNumber: ACCOUNT_NUMBER },
  transactions: [
    {
      transactionId: 'bank-txn-log-1',
      status: 'booked',
      creditDebitIndicator: 'credit',
      amount: '125.00',
      currency: 'GBP',
      bookingDateTime: new Date().toISOString(),
      reference: 'INV-2026-0042',
      description: 'INV-2026-0042',
      counterparty: { name: COUNTERPARTY_NAME, sortCode: '200000', accountNumber: COUNTERPARTY_ACCOUNT_NUMBER },
    },
  ],
});

const webhookEvent = (body: string, requestId: string, signedBody = body): APIGatewayProxyEventV2 => {
  const at = new Date();
  const webhookId = `msg_${requestId}`;
  return {
    version: '2.0',
    routeKey: 'POST /v1/bank-webhooks/{provider}',
    rawPath: '/v1/bank-webhooks/sandbox',
    rawQueryString: '',
    headers: {
      'content-type': 'application/json',
      'webhook-id': webhookId,
      'webhook-timestamp': String(Math.floor(at.getTime() / 1000)),
      'webhook-signature': new Webhook(SECRET).sign(webhookId, at, signedBody),
    },
    pathParameters: { provider: 'sandbox' },
    requestContext: {
      accountId: '000000000000',
      apiId: 'api',
      domainName: 'api.settled.test',
      domainPrefix: 'api',
      http: { method: 'POST', path: '/v1/bank-webhooks/sandbox', protocol: 'HTTP/1.1', sourceIp: '192.0.2.1', userAgent: 'sandbox-bank' },
      requestId,
      routeKey: 'POST /v1/bank-webhooks/{provider}',
      stage: '$default',
      time: at.toISOString(),
      timeEpoch: at.getTime(),
    },
    body,
    isBase64Encoded: false,
  };
};

const settlementMessage = (overrides: Record<string, unknown> = {}) =>
  JSON.stringify({
    kind: 'transaction',
    transaction: {
      provider: 'sandbox',
      sortCode: SORT_CODE,
      accountNumber: ACCOUNT_NUMBER,
      bankTransactionId: 'bank-txn-log-1',
      status: 'booked',
      creditDebitIndicator: 'credit',
      amount: 12_500,
      currency: 'GBP',
      bookingDateTime: '2026-11-24T09:00:00.000Z',
      valueDateTime: null,
      reference: null,
      description: null,
      endToEndId: null,
      counterparty: { name: COUNTERPARTY_NAME, sortCode: '200000', accountNumber: COUNTERPARTY_ACCOUNT_NUMBER },
      merchant: null,
      category: null,
      ...overrides,
    },
  });

/** One record, plus a healthy one beside it: a batch whose every record fails is thrown, not answered. */
const sqsEvent = (messageId: string, body: string): SQSEvent => ({
  Records: [
    { messageId, body },
    { messageId: 'sqs-msg-healthy', body: settlementMessage({ bankTransactionId: 'bank-txn-healthy' }) },
  ].map(({ messageId, body }) => ({
      messageId,
      receiptHandle: `rh-${messageId}`,
      body,
      attributes: { ApproximateReceiveCount: '1', SentTimestamp: '1795510800000', SenderId: 'local', ApproximateFirstReceiveTimestamp: '1795510800000' },
      messageAttributes: {},
      md5OfBody: createHash('md5').update(body, 'utf8').digest('hex'),
      eventSource: 'aws:sqs',
      eventSourceARN: 'arn:aws:sqs:eu-west-2:000000000000:settlements',
      awsRegion: 'eu-west-2',
  })),
});

/** Fails the test naming the first line that carries bank details, the payer's name or the raw body. */
const expectNoSensitiveData = (lines: readonly string[], rawBody: string) => {
  for (const forbidden of [ACCOUNT_NUMBER, SORT_CODE, COUNTERPARTY_NAME, COUNTERPARTY_ACCOUNT_NUMBER, rawBody]) {
    expect(lines.filter((line) => line.includes(forbidden))).toEqual([]);
  }
};

describe('log hygiene: bank-webhooks handler', () => {
  it('logs no bank details when a signed credit is queued', async () => {
    // Prepare
    sqs.on(SendMessageBatchCommand).resolves({ Successful: [{ Id: '0', MessageId: 'm-1', MD5OfMessageBody: 'x' }], Failed: [] });
    // Act
    const response = await bankWebhooks(webhookEvent(creditWebhookBody, 'api-req-ok'), aLambdaContext('settled-function', 'lambda-req-ok'));
    // Assess
    expect(response.statusCode).toBe(202);
    expectNoSensitiveData(logLines(), creditWebhookBody);
  });

  it('logs the request id, and no bank details, when queueing fails', async () => {
    // Prepare
    sqs.on(SendMessageBatchCommand).resolves({ Successful: [], Failed: [{ Id: '0', Code: 'InternalError', SenderFault: false, Message: 'try again' }] });
    // Act
    const response = await bankWebhooks(webhookEvent(creditWebhookBody, 'api-req-sqs-down'), aLambdaContext('settled-function', 'lambda-req-sqs-down'));
    // Assess
    expect(response.statusCode).toBe(500);
    const lines = logLines();
    expect(lines.some((line) => line.includes('api-req-sqs-down'))).toBe(true);
    expectNoSensitiveData(lines, creditWebhookBody);
  });

  it('logs the request id, and no bank details, when the signature does not match the body', async () => {
    // Prepare: signed over another body, so verification fails before anything is parsed.
    const event = webhookEvent(creditWebhookBody, 'api-req-bad-sig', creditWebhookBody.replace('125.00', '999.00'));
    // Act
    const response = await bankWebhooks(event, aLambdaContext('settled-function', 'lambda-req-bad-sig'));
    // Assess
    expect(response.statusCode).toBe(401);
    const lines = logLines();
    expect(lines.some((line) => line.includes('api-req-bad-sig'))).toBe(true);
    expectNoSensitiveData(lines, creditWebhookBody);
  });
});

describe('log hygiene: reconcile handler', () => {
  beforeEach(() => {
    dynamo.on(QueryCommand).callsFake(queryAnswersWithAccount(account));
    dynamo.on(GetCommand).resolves({});
    dynamo.on(BatchGetCommand).resolves({ Responses: {} });
    dynamo.on(PutCommand).resolves({});
    dynamo.on(TransactWriteCommand).resolves({});
    dynamo.on(UpdateCommand).resolves({});
    eventBridge.on(PutEventsCommand).resolves({ FailedEntryCount: 0, Entries: [{ EventId: 'e1' }] });
  });

  it('logs the bank transaction id, and no bank details, when a transaction is reconciled', async () => {
    // Prepare
    const body = settlementMessage();
    // Act
    const response = await reconcile(sqsEvent('sqs-msg-ok', body), aLambdaContext('settled-function', 'lambda-req-reconcile-ok'));
    // Assess
    expect(response.batchItemFailures).toEqual([]);
    const lines = logLines();
    const reconciled = lines.filter((line) => line.includes('Bank transaction reconciled'));
    expect(reconciled.filter((line) => line.includes('bank-txn-log-1'))).toHaveLength(1);
    expect(reconciled.every((line) => line.includes('lambda-req-reconcile-ok'))).toBe(true);
    expectNoSensitiveData(lines, body);
  });

  it('logs the message id, and no bank details, when a write fails', async () => {
    // Prepare
    dynamo.on(TransactWriteCommand).callsFake((input: TransactWriteCommand['input']) => {
      if (input.TransactItems?.[0]?.Put?.Item?.bankTransactionId === 'bank-txn-log-1') {
        throw new ProvisionedThroughputExceededException({ message: 'Throughput exceeded', $metadata: {} });
      }
      return {};
    });
    const body = settlementMessage();
    // Act
    const response = await reconcile(sqsEvent('sqs-msg-throttled', body), aLambdaContext('settled-function', 'lambda-req-throttled'));
    // Assess
    expect(response.batchItemFailures).toEqual([{ itemIdentifier: 'sqs-msg-throttled' }]);
    const lines = logLines();
    expect(lines.some((line) => line.includes('Message failed') && line.includes('sqs-msg-throttled'))).toBe(true);
    expectNoSensitiveData(lines, body);
  });

  // Was a leak: the failure log carried the whole ValiError, whose issues hold the parsed message (account number,
  // sort code, payer's name). shared/runtime/sqs-handler.ts now logs only the failing field paths.
  it('logs the message id, and no bank details, when a message fails validation', async () => {
    // Prepare: an otherwise complete message whose currency is lower case, so the schema refuses it.
    const body = settlementMessage({ currency: 'gbp' });
    // Act
    const response = await reconcile(sqsEvent('sqs-msg-invalid', body), aLambdaContext('settled-function', 'lambda-req-invalid'));
    // Assess
    expect(response.batchItemFailures).toEqual([{ itemIdentifier: 'sqs-msg-invalid' }]);
    const lines = logLines();
    expect(lines.some((line) => line.includes('Message failed') && line.includes('sqs-msg-invalid'))).toBe(true);
    expectNoSensitiveData(lines, body);
  });
});
