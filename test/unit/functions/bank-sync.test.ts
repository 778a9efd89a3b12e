import { SendMessageBatchCommand, type SendMessageBatchRequestEntry, SQSClient } from '@aws-sdk/client-sqs';
import { DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-vitest/extend';
import { beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { aspspAccountsPartition } from '../../../shared/adapters/dynamodb/keys';
import { syncAccountCoalesced, syncAspspAccount } from '../../../shared/domain/accounts/sync-account';
import { revokeConsentByBank } from '../../../shared/domain/accounts/consents';
import { drainPolledEvents } from '../../../shared/domain/open-banking/bank-sync';
import { refreshPaymentStatus } from '../../../shared/domain/open-banking/payment-authorisation';
import { RESOURCE_VARIABLES } from '../../../shared/runtime/environment';
import { aLambdaContext } from '../../support/lambda';

/** What the wiring hands the handler: stand-ins whose identity the tests check the use cases receive. */
const wired = vi.hoisted(() => ({
  accounts: { name: 'ais-gateway' },
  payments: { name: 'pis-gateway' },
  polling: { name: 'polling-gateway' },
  records: { name: 'obie-payment-records' },
  sealer: { name: 'token-sealer' },
  banks: [
    { id: 'mock-v4', aggregatedPolling: false },
    { id: 'mock-v31', aggregatedPolling: true },
  ],
}));

vi.mock('../../../shared/adapters/open-banking-wiring', async (importOriginal) => {
  const actual = await importOriginal<typeof import('../../../shared/adapters/open-banking-wiring')>();
  return {
    ...actual,
    obieGateways: () => ({ accounts: wired.accounts, payments: wired.payments, polling: wired.polling, directory: { list: async () => wired.banks } }),
    obiePayments: () => ({ records: wired.records }),
    obieTokenSealer: () => wired.sealer,
  };
});
vi.mock('../../../shared/domain/accounts/sync-account', async (importOriginal) => ({
  ...(await importOriginal<typeof import('../../../shared/domain/accounts/sync-account')>()),
  syncAccountCoalesced: vi.fn(async () => ({ outcome: 'synced' })),
  syncAspspAccount: vi.fn(async () => []),
}));
vi.mock('../../../shared/domain/accounts/consents', async (importOriginal) => ({
  ...(await importOriginal<typeof import('../../../shared/domain/accounts/consents')>()),
  revokeConsentByBank: vi.fn(async () => undefined),
}));
vi.mock('../../../shared/domain/open-banking/payment-authorisation', async (importOriginal) => ({
  ...(await importOriginal<typeof import('../../../shared/domain/open-banking/payment-authorisation')>()),
  refreshPaymentStatus: vi.fn(async () => 'pending'),
}));
// sweepWork stays real: the sweep is checked by what it queues.
vi.mock('../../../shared/domain/open-banking/bank-sync', async (importOriginal) => ({
  ...(await importOriginal<typeof import('../../../shared/domain/open-banking/bank-sync')>()),
  drainPolledEvents: vi.fn(async () => ({ taken: 0, duplicates: 0 })),
}));

const dynamo = mockClient(DynamoDBDocumentClient);
const sqs = mockClient(SQSClient);

type Handler = (event: SQSEvent, context: Context) => Promise<SQSBatchResponse>;
let handler: Handler;
const context = aLambdaContext('bank-sync');
const BANK_SYNC_QUEUE = 'https://sqs.eu-west-2.amazonaws.com/000000000000/bank-sync';

beforeAll(async () => {
  process.env[RESOURCE_VARIABLES.tableName] = 'settled-test';
  process.env[RESOURCE_VARIABLES.apiBaseUrl] = 'https://api.settled.test';
  process.env[RESOURCE_VARIABLES.settlementsQueueUrl] = 'https://sqs.eu-west-2.amazonaws.com/000000000000/settlements';
  process.env[RESOURCE_VARIABLES.bankSyncQueueUrl] = BANK_SYNC_QUEUE;
  process.env[RESOURCE_VARIABLES.eventBusName] = 'settled-events';
  process.env.AWS_REGION = 'eu-west-2';
  ({ handler } = await import('../../../functions/bank-sync/handler'));
});

const aRecord = (messageId: string, body: unknown): SQSRecord => ({
  messageId,
  receiptHandle: `rh-${messageId}`,
  body: typeof body === 'string' ? body : JSON.stringify(body),
  attributes: { ApproximateReceiveCount: '1', SentTimestamp: '0', SenderId: 'x', ApproximateFirstReceiveTimestamp: '0' },
  messageAttributes: {},
  md5OfBody: 'x',
  eventSource: 'aws:sqs',
  eventSourceARN: 'arn:aws:sqs:eu-west-2:000000000000:bank-sync',
  awsRegion: 'eu-west-2',
});

const deliver = (...records: SQSRecord[]) => handler({ Records: records }, context);

const sentMessages = () => sqs.commandCalls(SendMessageBatchCommand).flatMap((call) => (call.args[0].input.Entries ?? []).map((entry) => JSON.parse(entry.MessageBody ?? '')));

describe('bank-sync handler', () => {
  beforeEach(() => {
    vi.clearAllMocks();
    dynamo.reset();
    sqs.reset();
    sqs.on(SendMessageBatchCommand).callsFake((input: { Entries?: SendMessageBatchRequestEntry[] }) => ({
      Successful: (input.Entries ?? []).map((entry) => ({ Id: entry.Id, MessageId: `m-${entry.Id}`, MD5OfMessageBody: 'x' })),
      Failed: [],
    }));
  });

  it('syncs one connected account for an account message, through the AIS gateway and the token store', async () => {
    const response = await deliver(aRecord('m-1', { kind: 'account', tenantId: 'ten_1', accountId: 'acc_1' }));
    expect(response.batchItemFailures).toEqual([]);
    expect(syncAccountCoalesced).toHaveBeenCalledExactlyOnceWith(
      { tenantId: 'ten_1', accountId: 'acc_1', requestId: 'm-1' },
      expect.objectContaining({ gateway: wired.accounts, sealer: wired.sealer, leases: expect.anything(), again: expect.any(Function) }),
    );
    expect(syncAspspAccount).not.toHaveBeenCalled();
  });

  it('syncs every account behind a bank account for a bank-account message', async () => {
    const response = await deliver(aRecord('m-2', { kind: 'bank-account', aspspId: 'mock-v4', bankAccountId: 'acct-22289' }));
    expect(response.batchItemFailures).toEqual([]);
    expect(syncAspspAccount).toHaveBeenCalledExactlyOnceWith(
      { aspspId: 'mock-v4', bankAccountId: 'acct-22289', requestId: 'm-2' },
      expect.objectContaining({ gateway: wired.accounts, sealer: wired.sealer }),
    );
    expect(syncAccountCoalesced).not.toHaveBeenCalled();
  });

  it('reads a payment status with the PIS gateway and the payment records, passing the attempt on', async () => {
    const response = await deliver(
      aRecord('m-3', { kind: 'payment-status', aspspId: 'mock-v31', domesticPaymentId: 'dp-1', attempt: 2 }),
      aRecord('m-4', { kind: 'payment-status', aspspId: 'mock-v4', domesticPaymentId: 'dp-2' }),
    );
    expect(response.batchItemFailures).toEqual([]);
    expect(refreshPaymentStatus).toHaveBeenCalledTimes(2);
    expect(refreshPaymentStatus).toHaveBeenNthCalledWith(1, 'mock-v31', 'dp-1', 2, expect.objectContaining({ pis: wired.payments, records: wired.records }));
    expect(refreshPaymentStatus).toHaveBeenNthCalledWith(2, 'mock-v4', 'dp-2', undefined, expect.objectContaining({ pis: wired.payments, records: wired.records }));
  });

  it('revokes the account behind a consent the bank says was revoked', async () => {
    const response = await deliver(aRecord('m-5', { kind: 'consent-revoked', aspspId: 'mock-v4', bankConsentId: 'aac-1', reason: 'PSU revoked' }));
    expect(response.batchItemFailures).toEqual([]);
    expect(revokeConsentByBank).toHaveBeenCalledExactlyOnceWith({ aspspId: 'mock-v4', bankConsentId: 'aac-1', reason: 'PSU revoked' }, expect.objectContaining({ accounts: expect.anything() }));
  });

  it('drains a bank aggregated-polling queue for a poll-events message', async () => {
    const response = await deliver(aRecord('m-6', { kind: 'poll-events', aspspId: 'mock-v31' }));
    expect(response.batchItemFailures).toEqual([]);
    expect(drainPolledEvents).toHaveBeenCalledExactlyOnceWith('mock-v31', expect.objectContaining({ polling: wired.polling }));
  });

  it('queues a poll for every polling bank and a sync for every account connected at every bank on a sweep', async () => {
    dynamo.on(QueryCommand, { ExpressionAttributeValues: { ':pk': aspspAccountsPartition('mock-v4') } }).resolves({
      Items: [
        { tenantId: 'ten_1', accountId: 'acc_1' },
        { tenantId: 'ten_2', accountId: 'acc_2' },
      ],
    });
    dynamo.on(QueryCommand, { ExpressionAttributeValues: { ':pk': aspspAccountsPartition('mock-v31') } }).resolves({ Items: [{ tenantId: 'ten_1', accountId: 'acc_3' }] });
    const response = await deliver(aRecord('m-7', { kind: 'sweep' }));
    expect(response.batchItemFailures).toEqual([]);
    expect(sqs).toHaveReceivedCommandWith(SendMessageBatchCommand, { QueueUrl: BANK_SYNC_QUEUE });
    expect(sentMessages()).toEqual([
      { kind: 'account', tenantId: 'ten_1', accountId: 'acc_1' },
      { kind: 'account', tenantId: 'ten_2', accountId: 'acc_2' },
      { kind: 'poll-events', aspspId: 'mock-v31' },
      { kind: 'account', tenantId: 'ten_1', accountId: 'acc_3' },
    ]);
    expect(syncAccountCoalesced).not.toHaveBeenCalled();
  });

  it('fails only the malformed messages of a batch, and still handles the rest', async () => {
    const response = await deliver(
      aRecord('bad-json', '{not json'),
      aRecord('good', { kind: 'account', tenantId: 'ten_1', accountId: 'acc_1' }),
      aRecord('unknown-kind', { kind: 'refund-status', aspspId: 'mock-v4' }),
      aRecord('extra-field', { kind: 'poll-events', aspspId: 'mock-v4', since: 'yesterday' }),
      aRecord('negative-attempt', { kind: 'payment-status', aspspId: 'mock-v4', domesticPaymentId: 'dp-1', attempt: -1 }),
    );
    expect(response.batchItemFailures.map((failure) => failure.itemIdentifier)).toEqual(['bad-json', 'unknown-kind', 'extra-field', 'negative-attempt']);
    expect(syncAccountCoalesced).toHaveBeenCalledOnce();
    expect(drainPolledEvents).not.toHaveBeenCalled();
    expect(refreshPaymentStatus).not.toHaveBeenCalled();
  });

  it('fails a message whose use case throws (a bank error), so the queue retries it', async () => {
    vi.mocked(syncAccountCoalesced).mockRejectedValueOnce(new Error('bank answered 503'));
    const response = await deliver(
      aRecord('fails', { kind: 'account', tenantId: 'ten_1', accountId: 'acc_1' }),
      aRecord('passes', { kind: 'account', tenantId: 'ten_1', accountId: 'acc_2' }),
    );
    expect(response.batchItemFailures).toEqual([{ itemIdentifier: 'fails' }]);
    expect(syncAccountCoalesced).toHaveBeenCalledTimes(2);
  });
});
