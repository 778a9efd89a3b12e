import { beforeAll, describe, expect, it } from 'vitest';
import { DynamoDbSyncLeases } from '../../shared/adapters/dynamodb/sync-lease-store';
import { DynamoDbPayoutFileStore } from '../../shared/adapters/dynamodb/payout-file-store';
import type { PayoutFileRecord } from '../../shared/domain/open-banking/payout-files';
import { createTestTable } from './table';

/** Account sync leases and payout file records on DynamoDB Local: their conditional writes under concurrency. */
describe('sync leases and payout files on DynamoDB Local', () => {
  let table: Awaited<ReturnType<typeof createTestTable>>;
  let leases: DynamoDbSyncLeases;
  let files: DynamoDbPayoutFileStore;
  let sequence = 0;
  const account = () => `acc_${(sequence += 1)}`;

  beforeAll(async () => {
    table = await createTestTable();
    leases = new DynamoDbSyncLeases(table.documentClient, table.tableName);
    files = new DynamoDbPayoutFileStore(table.documentClient, table.tableName);
  });

  it('gives the lease to exactly one of many concurrent requests, and counts every request', async () => {
    // Prepare
    const accountId = account();
    const now = new Date();
    // Act
    const answers = await Promise.all(Array.from({ length: 12 }, (_, index) => leases.request('ten_1', accountId, `m${index}`, now)));
    // Assess
    expect(answers.filter((answer) => answer.held)).toHaveLength(1);
    expect(answers.map((answer) => answer.requests).sort((a, b) => a - b)).toEqual(Array.from({ length: 12 }, (_, index) => index + 1));
  });

  it('keeps the lease while requests came after what the holder saw, and gives it up once it has seen them all', async () => {
    // Prepare
    const accountId = account();
    const now = new Date();
    const first = await leases.request('ten_1', accountId, 'holder', now);
    await leases.request('ten_1', accountId, 'other', now);
    // Act
    const stale = await leases.release('ten_1', accountId, 'holder', first.requests);
    const current = await leases.release('ten_1', accountId, 'holder', stale.requests);
    const next = await leases.request('ten_1', accountId, 'other', now);
    // Assess
    expect(stale).toEqual({ released: false, requests: 2 });
    expect(current).toEqual({ released: true, requests: 2 });
    expect(next).toEqual({ held: true, requests: 3 });
  });

  it('lets the same owner take its lease again (a redelivered message) and another owner only once it expired', async () => {
    // Prepare
    const accountId = account();
    const now = new Date();
    await leases.request('ten_1', accountId, 'crashed', now);
    // Act
    const again = await leases.request('ten_1', accountId, 'crashed', now);
    const meanwhile = await leases.request('ten_1', accountId, 'other', now);
    const afterExpiry = await leases.request('ten_1', accountId, 'other', new Date(now.getTime() + 10 * 60 * 1000));
    // Assess
    expect(again.held).toBe(true);
    expect(meanwhile.held).toBe(false);
    expect(afterExpiry.held).toBe(true);
  });

  it('writes a payout file record only over the version read, once among concurrent writers', async () => {
    // Prepare
    const record: PayoutFileRecord = { tenantId: 'ten_1', payoutId: 'bat_1', chunk: 3, aspspId: 'mock-south', status: 'awaiting_authorisation', bankConsentId: 'c1', filePaymentId: null, accepted: null, reason: null, version: 1 };
    expect(await files.save(record, undefined)).toBe(true);
    expect(await files.save(record, undefined)).toBe(false);
    // Act
    const outcomes = await Promise.all(['c2', 'c3', 'c4'].map((consent) => files.save({ ...record, bankConsentId: consent, version: 2 }, record)));
    // Assess
    expect(outcomes.filter(Boolean)).toHaveLength(1);
    const stored = await files.get('ten_1', 'bat_1', 3);
    expect(stored?.version).toBe(2);
    expect(await files.list('ten_1', 'bat_1')).toEqual([stored]);
  });
});
