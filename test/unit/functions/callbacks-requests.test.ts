import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { GetCommand, DynamoDBDocumentClient, PutCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { SendMessageBatchCommand, type SendMessageBatchRequestEntry, SQSClient } from '@aws-sdk/client-sqs';
import type { Context, EventBridgeEvent, SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { domainEvent } from '../../../shared/domain/events/domain-event';
import { POWERTOOLS_VARIABLES, RESOURCE_VARIABLES, SETTING_VARIABLES } from '../../../shared/runtime/environment';
import { aWebhookEndpoint, TENANT_ID } from '../../support/domain-fakes';
import { aLambdaContext } from '../../support/lambda';

// The DynamoDB requests the event -> callback path spends on its success path (issue 11): tenant-callbacks one per
// event (the log append), callback-deliverer two per delivery (the claim and the delivered mark), plus one read of a
// tenant's endpoints per function instance and cache period.
const dynamo = mockClient(DynamoDBDocumentClient);
const sqs = mockClient(SQSClient);

type FanOut = (event: EventBridgeEvent<string, unknown>, context: Context) => Promise<void>;
type Deliver = (event: SQSEvent, context: Context) => Promise<SQSBatchResponse>;
let fanOut: FanOut;
let deliver: Deliver;
let receiver: Server;
const received: string[] = [];
let endpointItem: Record<string, unknown>;

const events = ['payment.authorised', 'payment.executed', 'payment.settled'] as const;
const eventsOfOnePayment = events.map((type, n) => domainEvent(type, TENANT_ID, `2026-11-24T10:00:0${n}.000Z`, { id: 'pay_1', status: type.slice(8) }, ['pay_1']));

const requestsBy = () => ({
  GetItem: dynamo.commandCalls(GetCommand).length,
  PutItem: dynamo.commandCalls(PutCommand).length,
  Query: dynamo.commandCalls(QueryCommand).length,
  UpdateItem: dynamo.commandCalls(UpdateCommand).length,
});

const onTheBus = (event: (typeof eventsOfOnePayment)[number]): EventBridgeEvent<string, unknown> => ({
  version: '0',
  id: event.metadata.id,
  'detail-type': event.type,
  source: 'settled',
  account: '000000000000',
  time: event.metadata.occurredAt,
  region: 'eu-west-2',
  resources: [],
  detail: { metadata: event.metadata, data: event.data },
});

/** The attempt messages tenant-callbacks queued, as the deliverer's SQS event (`edit` rewrites each body). */
const queuedAsSqsEvent = (edit: (body: Record<string, unknown>) => Record<string, unknown> = (body) => body): SQSEvent => ({
  Records: sqs
    .commandCalls(SendMessageBatchCommand)
    .flatMap((call) => call.args[0].input.Entries ?? [])
    .map((entry: SendMessageBatchRequestEntry, n) => ({
      messageId: `m-${n}`,
      receiptHandle: `r-${n}`,
      body: JSON.stringify(edit(JSON.parse(entry.MessageBody ?? '{}'))),
      attributes: { ApproximateReceiveCount: '1', SentTimestamp: '0', SenderId: 'x', ApproximateFirstReceiveTimestamp: '0' },
      messageAttributes: {},
      md5OfBody: 'x',
      eventSource: 'aws:sqs',
      eventSourceARN: 'arn:aws:sqs:eu-west-2:000000000000:callback-deliveries',
      awsRegion: 'eu-west-2',
    })),
});

beforeAll(async () => {
  receiver = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
    request.on('end', () => {
      received.push(body);
      response.writeHead(204).end();
    });
  });
  await new Promise<void>((resolveListen) => receiver.listen(0, '127.0.0.1', resolveListen));
  const { port } = receiver.address() as AddressInfo;
  const endpoint = aWebhookEndpoint({ id: 'whe_1', url: `http://127.0.0.1:${port}/hooks` });
  endpointItem = { gsi1sk: `${endpoint.createdAt}#${endpoint.id}`, entity: 'webhookEndpoint', ...endpoint };
  vi.stubEnv(POWERTOOLS_VARIABLES.logLevel, 'ERROR');
  vi.stubEnv(RESOURCE_VARIABLES.tableName, 'settled-test');
  vi.stubEnv(RESOURCE_VARIABLES.callbackQueueUrl, 'https://sqs.eu-west-2.amazonaws.com/000000000000/callback-deliveries');
  vi.stubEnv(SETTING_VARIABLES.allowPrivateCallbacks, 'true');
  ({ handler: fanOut } = await import('../../../functions/tenant-callbacks/handler'));
  ({ handler: deliver } = await import('../../../functions/callback-deliverer/handler'));
}, 60_000); // two handler modules with their Powertools and AWS clients: slow to import on a busy machine
afterAll(async () => {
  vi.unstubAllEnvs();
  await new Promise((resolveClose) => receiver.close(resolveClose));
});
beforeEach(() => {
  dynamo.reset();
  sqs.reset();
  received.length = 0;
  dynamo.on(PutCommand).resolves({});
  dynamo.on(UpdateCommand).resolves({});
  dynamo.on(QueryCommand).resolves({ Items: [endpointItem] });
  dynamo.on(GetCommand).resolves({});
  sqs.on(SendMessageBatchCommand).callsFake((input: { Entries?: SendMessageBatchRequestEntry[] }) => ({
    Successful: (input.Entries ?? []).map((entry) => ({ Id: entry.Id, MessageId: `m-${entry.Id}`, MD5OfMessageBody: 'x' })),
    Failed: [],
  }));
});

describe('the event -> callback path, in DynamoDB requests', () => {
  it('logs each event with one request and reads the endpoints once for several events; delivers each with two', async () => {
    // Act: three events of one payment, then their attempts
    for (const event of eventsOfOnePayment) {
      await fanOut(onTheBus(event), aLambdaContext('tenant-callbacks'));
    }
    const fannedOut = requestsBy();
    dynamo.resetHistory();
    const result = await deliver(queuedAsSqsEvent(), aLambdaContext('callback-deliverer'));
    // Assess
    expect(fannedOut).toEqual({ GetItem: 0, PutItem: 3, Query: 1, UpdateItem: 0 });
    expect(result.batchItemFailures).toEqual([]);
    expect(requestsBy()).toEqual({ GetItem: 0, PutItem: 0, Query: 1, UpdateItem: 6 });
    expect(received.map((body) => JSON.parse(body).type).sort()).toEqual([...events].sort());
  });

  it('reads the event from the log for an attempt queued before attempts carried it, and still sends it', async () => {
    // Prepare
    const [event] = eventsOfOnePayment;
    if (event === undefined) throw new Error('no event');
    await fanOut(onTheBus(event), aLambdaContext('tenant-callbacks'));
    dynamo.on(GetCommand).resolves({ Item: { entity: 'event', ...event } });
    dynamo.resetHistory();
    // Act
    const result = await deliver(
      queuedAsSqsEvent(({ event: _carried, ...queuedBefore }) => queuedBefore),
      aLambdaContext('callback-deliverer'),
    );
    // Assess
    expect(result.batchItemFailures).toEqual([]);
    expect(requestsBy()).toMatchObject({ GetItem: 1, UpdateItem: 2 });
    expect(JSON.parse(received[0] ?? 'null')).toMatchObject({ id: event.metadata.id, type: event.type });
  });
});
