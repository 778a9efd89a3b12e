import { createHash } from 'node:crypto';
import { ProvisionedThroughputExceededException, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { BatchGetCommand, DynamoDBDocumentClient, GetCommand, PutCommand, QueryCommand, TransactWriteCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-vitest/extend';
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { RESOURCE_VARIABLES } from '../../../shared/runtime/environment';
import { aLambdaContext, aStoredAccount, queryAnswersWithAccount } from '../../support/lambda';

// Mocking the classes' prototypes covers the module singletons the handler builds at import time.
const dynamo = mockClient(DynamoDBDocumentClient);
const eventBridge = mockClient(EventBridgeClient);

type Handler = (event: SQSEvent, context: Context) => Promise<SQSBatchResponse>;
let handler: Handler;
const context = aLambdaContext('reconcile');
const account = aStoredAccount();

beforeAll(async () => {
  process.env[RESOURCE_VARIABLES.tableName] = 'settled-test';
  process.env[RESOURCE_VARIABLES.eventBusName] = 'settled-events';
  process.env[RESOURCE_VARIABLES.callbackQueueUrl] = 'https://sqs.eu-west-2.amazonaws.com/000000000000/callback-deliveries';
  process.env.AWS_REGION = 'eu-west-2';
  ({ handler } = await import('../../../functions/reconcile/handler'));
});

const transactionMessage = (bankTransactionId: string) =>
  JSON.stringify({
    kind: 'transaction',
    transaction: {
      provider: 'sandbox',
      sortCode: account.sortCode,
      accountNumber: account.accountNumber,
      bankTransactionId,
      status: 'booked',
      creditDebitIndicator: 'credit',
      amount: 12_500,
      currency: 'GBP',
      bookingDateTime: '2026-11-24T09:00:00.000Z',
      valueDateTime: null,
      reference: null,
      description: null,
      endToEndId: null,
      counterparty: { name: 'Acme Ltd', sortCode: '200000', accountNumber: '87654321' },
      merchant: null,
      category: null,
    },
  });

/** An SQS record as Lambda delivers it (the fields infra/local/local-queue.ts fills in too). */
const sqsRecord = (messageId: string, body: string): SQSRecord => ({
  messageId,
  receiptHandle: `rh-${messageId}`,
  body,
  attributes: {
    ApproximateReceiveCount: '1',
    SentTimestamp: '1795510800000',
    SenderId: 'local',
    ApproximateFirstReceiveTimestamp: '1795510800000',
  },
  messageAttributes: {},
  md5OfBody: createHash('md5').update(body, 'utf8').digest('hex'),
  eventSource: 'aws:sqs',
  eventSourceARN: 'arn:aws:sqs:eu-west-2:000000000000:settlements',
  awsRegion: 'eu-west-2',
});

const batch = (...records: SQSRecord[]): SQSEvent => ({ Records: records });

/** The bank transaction id a TransactWrite stores (its first item is the transaction's Put). */
const writtenBankTransactionId = (input: TransactWriteCommand['input']): unknown => input.TransactItems?.[0]?.Put?.Item?.bankTransactionId;

/** reconcile's writes of a transaction (not the event log's, whose items are events). */
const transactionWrites = () => dynamo.commandCalls(TransactWriteCommand).filter((call) => call.args[0].input.TransactItems?.[0]?.Put?.Item?.entity === 'transaction');

const failedIds = (response: SQSBatchResponse) => response.batchItemFailures.map((failure) => failure.itemIdentifier).sort();

describe('reconcile handler under injected faults', () => {
  beforeEach(() => {
    dynamo.reset();
    eventBridge.reset();
    // A connected account, no stored transaction, no candidate payments: the happy path writes and publishes.
    dynamo.on(QueryCommand).callsFake(queryAnswersWithAccount(account));
    dynamo.on(GetCommand).resolves({});
    dynamo.on(BatchGetCommand).resolves({ Responses: {} });
    dynamo.on(PutCommand).resolves({});
    dynamo.on(TransactWriteCommand).resolves({});
    dynamo.on(UpdateCommand).resolves({});
    eventBridge.on(PutEventsCommand).resolves({ FailedEntryCount: 0, Entries: [{ EventId: 'e1' }] });
  });

  it.each([
    ['ProvisionedThroughputExceededException', () => new ProvisionedThroughputExceededException({ message: 'Throughput exceeded', $metadata: {} })],
    [
      'TransactionCanceledException (TransactionConflict)',
      () =>
        new TransactionCanceledException({
          message: 'Transaction cancelled, please refer cancellation reasons for specific reasons [TransactionConflict]',
          $metadata: {},
          CancellationReasons: [{ Code: 'TransactionConflict' }],
        }),
    ],
  ])('reports only the record whose write failed with %s', async (_name, fault) => {
    // Prepare
    dynamo.on(TransactWriteCommand).callsFake((input: TransactWriteCommand['input']) => {
      if (writtenBankTransactionId(input) === 'bt-2') throw fault();
      return {};
    });
    const event = batch(sqsRecord('m-1', transactionMessage('bt-1')), sqsRecord('m-2', transactionMessage('bt-2')), sqsRecord('m-3', transactionMessage('bt-3')));
    // Act
    const response = await handler(event, context);
    // Assess
    expect(failedIds(response)).toEqual(['m-2']);
    expect(transactionWrites()).toHaveLength(3);
    // The two others were written and published; the failed one published nothing.
    const publishedIds = eventBridge
      .commandCalls(PutEventsCommand)
      .flatMap((call) => call.args[0].input.Entries ?? [])
      .filter((entry) => entry.DetailType === 'transaction.received')
      .map((entry) => JSON.parse(entry.Detail ?? '{}').data.bankTransactionId)
      .sort();
    expect(publishedIds).toEqual(['bt-1', 'bt-3']);
  });

  it('reports a record failed and keeps its outbox when EventBridge rejects its events after the write', async () => {
    // Prepare: PutEvents answers 200 with one failed entry for bt-2's events only.
    eventBridge.on(PutEventsCommand).callsFake((input: PutEventsCommand['input']) => {
      const forBt2 = (input.Entries ?? []).some((entry) => JSON.parse(entry.Detail ?? '{}').data?.bankTransactionId === 'bt-2');
      return forBt2
        ? { FailedEntryCount: 1, Entries: [{ ErrorCode: 'InternalFailure', ErrorMessage: 'try again' }] }
        : { FailedEntryCount: 0, Entries: [{ EventId: 'e1' }] };
    });
    const event = batch(sqsRecord('m-1', transactionMessage('bt-1')), sqsRecord('m-2', transactionMessage('bt-2')), sqsRecord('m-3', transactionMessage('bt-3')));
    // Act
    const response = await handler(event, context);
    // Assess
    expect(failedIds(response)).toEqual(['m-2']);
    const written = transactionWrites().map((call) => call.args[0].input.TransactItems?.[0]?.Put?.Item);
    expect(written.map((item) => item?.bankTransactionId).sort()).toEqual(['bt-1', 'bt-2', 'bt-3']);
    expect(written.find((item) => item?.bankTransactionId === 'bt-2')?.outbox).toEqual(
      expect.arrayContaining([expect.objectContaining({ type: 'transaction.received' })]),
    );
    // bt-2's outbox stays on the stored transaction, so redelivery republishes it; the others are cleared.
    const clearedKeys = dynamo
      .commandCalls(UpdateCommand)
      .filter((call) => call.args[0].input.UpdateExpression === 'REMOVE outbox')
      .map((call) => String(call.args[0].input.Key?.pk ?? ''));
    expect(clearedKeys).toHaveLength(2);
    expect(clearedKeys.filter((key) => key.endsWith('#bt-2'))).toEqual([]);
    expect(clearedKeys.filter((key) => key.endsWith('#bt-1'))).toHaveLength(1);
  });

  it('clears the outbox once the events are published (the control for the case above)', async () => {
    // Act
    const response = await handler(batch(sqsRecord('m-1', transactionMessage('bt-1'))), context);
    // Assess
    expect(response.batchItemFailures).toEqual([]);
    expect(dynamo).toHaveReceivedCommandWith(UpdateCommand, { UpdateExpression: 'REMOVE outbox' });
  });

  it.each([
    ['not JSON', '{"kind":"transaction",'],
    ['JSON of the wrong schema', JSON.stringify({ kind: 'transaction', transaction: { bankTransactionId: 'bt-x', amount: -1 } })],
    ['an unknown kind', JSON.stringify({ kind: 'refund', refund: {} })],
  ])('fails only a malformed message (%s)', async (_name, body) => {
    // Prepare
    const event = batch(sqsRecord('m-1', transactionMessage('bt-1')), sqsRecord('m-bad', body), sqsRecord('m-3', transactionMessage('bt-3')));
    // Act
    const response = await handler(event, context);
    // Assess
    expect(failedIds(response)).toEqual(['m-bad']);
    expect(transactionWrites()).toHaveLength(2);
  });
});
