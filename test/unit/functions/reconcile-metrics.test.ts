import { createHash } from 'node:crypto';
import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { BatchGetCommand, DynamoDBDocumentClient, GetCommand, PutCommand, QueryCommand, TransactWriteCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { Context, SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { POWERTOOLS_VARIABLES, RESOURCE_VARIABLES } from '../../../shared/runtime/environment';
import { aLambdaContext, aStoredAccount, captureProcessOutput, queryAnswersWithAccount } from '../../support/lambda';
import { emfLines, metricValues } from '../../support/metrics';

// The handler's metrics, flushed by the logMetrics middleware of its chain, read back from stdout.
const dynamo = mockClient(DynamoDBDocumentClient);
const eventBridge = mockClient(EventBridgeClient);

type Handler = (event: SQSEvent, context: Context) => Promise<SQSBatchResponse>;
let handler: Handler;
let written: string[] = [];
const context = aLambdaContext('reconcile', 'req-metrics-1');
const account = aStoredAccount();

beforeAll(async () => {
  vi.stubEnv(POWERTOOLS_VARIABLES.metricsDisabled, 'false');
  vi.stubEnv(POWERTOOLS_VARIABLES.metricsNamespace, 'SettledTest');
  vi.stubEnv(POWERTOOLS_VARIABLES.logLevel, 'WARN');
  vi.stubEnv(RESOURCE_VARIABLES.tableName, 'settled-test');
  vi.stubEnv(RESOURCE_VARIABLES.eventBusName, 'settled-events');
  vi.stubEnv(RESOURCE_VARIABLES.callbackQueueUrl, 'https://sqs.eu-west-2.amazonaws.com/000000000000/callback-deliveries');
  ({ handler } = await import('../../../functions/reconcile/handler'));
});
afterAll(() => {
  vi.unstubAllEnvs();
});
beforeEach(() => {
  written = [];
  captureProcessOutput(written);
  dynamo.reset();
  eventBridge.reset();
  dynamo.on(QueryCommand).callsFake(queryAnswersWithAccount(account));
  dynamo.on(GetCommand).resolves({});
  dynamo.on(BatchGetCommand).resolves({ Responses: {} });
  dynamo.on(PutCommand).resolves({});
  dynamo.on(TransactWriteCommand).resolves({});
  dynamo.on(UpdateCommand).resolves({});
  eventBridge.on(PutEventsCommand).resolves({ FailedEntryCount: 0, Entries: [{ EventId: 'e1' }] });
  return () => vi.restoreAllMocks();
});

/** A booked credit with no reference: it can reach no payment, so it opens an `unmatched` exception. */
const unreferencedCredit = (messageId: string, bankTransactionId: string) => {
  const body = JSON.stringify({
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
  return {
    messageId,
    receiptHandle: `rh-${messageId}`,
    body,
    attributes: { ApproximateReceiveCount: '1', SentTimestamp: '1795510800000', SenderId: 'local', ApproximateFirstReceiveTimestamp: '1795510800000' },
    messageAttributes: {},
    md5OfBody: createHash('md5').update(body, 'utf8').digest('hex'),
    eventSource: 'aws:sqs',
    eventSourceARN: 'arn:aws:sqs:eu-west-2:000000000000:settlements',
    awsRegion: 'eu-west-2',
  };
};

describe('reconcile handler metrics', () => {
  it('emits ExceptionsOpened by type for each exception it published, flushed at the end of the batch', async () => {
    // Act
    const response = await handler({ Records: [unreferencedCredit('m-1', 'bt-1'), unreferencedCredit('m-2', 'bt-2')] }, context);
    // Assess
    expect(response.batchItemFailures).toEqual([]);
    expect(metricValues(emfLines(written), 'ExceptionsOpened', { type: 'unmatched' })).toEqual([1, 1]);
  });

  it('emits nothing for an exception whose events EventBridge refused (that message is retried instead)', async () => {
    // Prepare: PutEvents answers 200 with a failed entry for bt-1's events only.
    eventBridge.on(PutEventsCommand).callsFake((input: PutEventsCommand['input']) =>
      (input.Entries ?? []).some((entry) => JSON.parse(entry.Detail ?? '{}').data?.bankTransactionId === 'bt-1')
        ? { FailedEntryCount: 1, Entries: [{ ErrorCode: 'InternalFailure' }] }
        : { FailedEntryCount: 0, Entries: [{ EventId: 'e1' }] },
    );
    // Act
    const response = await handler({ Records: [unreferencedCredit('m-1', 'bt-1'), unreferencedCredit('m-2', 'bt-2')] }, context);
    // Assess
    expect(response.batchItemFailures).toEqual([{ itemIdentifier: 'm-1' }]);
    expect(metricValues(emfLines(written), 'ExceptionsOpened', { type: 'unmatched' })).toEqual([1]);
  });

  it('writes no metric and no warning for an invocation that recorded none (a status report for no known payment)', async () => {
    // Prepare
    const body = JSON.stringify({
      kind: 'payment_status',
      report: { provider: 'sandbox', bankPaymentId: 'bp_unknown', status: 'executed', at: '2026-11-24T09:00:00.000Z', reason: null },
    });
    const record = { ...unreferencedCredit('m-1', 'bt-1'), body, md5OfBody: createHash('md5').update(body, 'utf8').digest('hex') };
    dynamo.on(QueryCommand).resolves({ Items: [] });
    // Act
    const response = await handler({ Records: [record] }, context);
    // Assess
    expect(response.batchItemFailures).toEqual([]);
    expect(emfLines(written)).toEqual([]);
    expect(written.join('')).not.toContain('No application metrics');
  });
});
