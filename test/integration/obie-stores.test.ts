import { randomUUID } from 'node:crypto';
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { GetCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { beforeAll, describe, expect, it } from 'vitest';
import { notificationKey, obieDomesticPaymentKey } from '../../shared/adapters/dynamodb/keys';
import { DynamoDbNotificationLedger } from '../../shared/adapters/dynamodb/notification-ledger';
import { DynamoDbObiePaymentStore } from '../../shared/adapters/dynamodb/obie-payment-store';
import type { ObiePaymentRecord } from '../../shared/domain/open-banking/payment-authorisation';
import { createTestTable } from './table';

const aRecord = (overrides: Partial<ObiePaymentRecord> = {}): ObiePaymentRecord => ({
  bankPaymentId: `obp_${randomUUID()}`,
  tenantId: 'ten_01JD0000000000000000000001',
  paymentId: `pay_${randomUUID()}`,
  aspspId: null,
  bankConsentId: null,
  domesticPaymentId: null,
  version: 1,
  ...overrides,
});

describe('DynamoDbObiePaymentStore on DynamoDB Local', () => {
  let table: Awaited<ReturnType<typeof createTestTable>>;
  let store: DynamoDbObiePaymentStore;

  beforeAll(async () => {
    table = await createTestTable();
    store = new DynamoDbObiePaymentStore(table.documentClient, table.tableName);
  });

  it('creates a record once and reads it back as it was written; a second create of the same id is refused', async () => {
    const record = aRecord();
    await store.create(record);
    await expect(store.create({ ...record, paymentId: 'pay_other', version: 7 })).rejects.toBeInstanceOf(ConditionalCheckFailedException);
    expect(await store.get(record.bankPaymentId)).toEqual(record);
  });

  it('answers undefined for an unknown id', async () => {
    expect(await store.get('obp_unknown')).toBeUndefined();
    expect(await store.findByDomesticPayment('mock-v4', 'dp-unknown')).toBeUndefined();
  });

  it('updates only from the version read: a stale update returns false and changes nothing', async () => {
    const record = aRecord();
    await store.create(record);
    const chosen: ObiePaymentRecord = { ...record, aspspId: 'mock-v4', bankConsentId: 'pc-1', version: 2 };
    expect(await store.update(record, chosen)).toBe(true);
    expect(await store.get(record.bankPaymentId)).toEqual(chosen);

    // A second writer that read version 1 too: refused, and its payment id and lookup are not written.
    const stale: ObiePaymentRecord = { ...record, aspspId: 'mock-v31', bankConsentId: 'pc-other', domesticPaymentId: 'dp-stale', version: 2 };
    expect(await store.update(record, stale)).toBe(false);
    expect(await store.get(record.bankPaymentId)).toEqual(chosen);
    expect(await store.findByDomesticPayment('mock-v31', 'dp-stale')).toBeUndefined();
    const { Item } = await table.documentClient.send(new GetCommand({ TableName: table.tableName, Key: obieDomesticPaymentKey('mock-v31', 'dp-stale'), ConsistentRead: true }));
    expect(Item).toBeUndefined();
  });

  it('writes the DomesticPaymentId lookup with the update, and finds the record by it', async () => {
    const record = aRecord({ aspspId: 'mock-v4', bankConsentId: 'pc-2' });
    await store.create(record);
    const domesticPaymentId = `dp-${randomUUID()}`;
    const submitted: ObiePaymentRecord = { ...record, domesticPaymentId, version: 2 };
    expect(await store.update(record, submitted)).toBe(true);

    expect(await store.findByDomesticPayment('mock-v4', domesticPaymentId)).toEqual(submitted);
    // The lookup is per bank: the same id at another bank is another payment.
    expect(await store.findByDomesticPayment('mock-v31', domesticPaymentId)).toBeUndefined();

    // A later update that keeps the id still finds the latest record through the lookup.
    const later: ObiePaymentRecord = { ...submitted, version: 3 };
    expect(await store.update(submitted, later)).toBe(true);
    expect(await store.findByDomesticPayment('mock-v4', domesticPaymentId)).toEqual(later);
  });

  it('writes no lookup while the payment has no DomesticPaymentId', async () => {
    const record = aRecord();
    await store.create(record);
    expect(await store.update(record, { ...record, aspspId: 'mock-v4', version: 2 })).toBe(true);
    const { Items } = await table.documentClient.send(
      new ScanCommand({
        TableName: table.tableName,
        ConsistentRead: true,
        FilterExpression: 'entity = :entity AND bankPaymentId = :id',
        ExpressionAttributeValues: { ':entity': 'obieDomesticPayment', ':id': record.bankPaymentId },
      }),
    );
    expect(Items).toEqual([]);
  });
});

describe('DynamoDbNotificationLedger on DynamoDB Local', () => {
  let table: Awaited<ReturnType<typeof createTestTable>>;
  let ledger: DynamoDbNotificationLedger;
  const receivedAt = '2026-11-24T10:30:00.000Z';

  beforeAll(async () => {
    table = await createTestTable();
    ledger = new DynamoDbNotificationLedger(table.documentClient, table.tableName);
  });

  it('10 concurrent records of one (bank, jti): exactly one is first', async () => {
    const jti = randomUUID();
    const results = await Promise.all(Array.from({ length: 10 }, () => ledger.recordFirst('mock-v4', jti, receivedAt)));
    expect(results.filter((first) => first)).toHaveLength(1);
    expect(await ledger.recordFirst('mock-v4', jti, receivedAt)).toBe(false);
  });

  it('keeps jtis per bank: the same jti at another bank is another notification', async () => {
    const jti = randomUUID();
    expect(await ledger.recordFirst('mock-v4', jti, receivedAt)).toBe(true);
    expect(await ledger.recordFirst('mock-v31', jti, receivedAt)).toBe(true);
    expect(await ledger.recordFirst('mock-v31', jti, receivedAt)).toBe(false);
  });

  it('takes a forgotten jti again, and only at the bank it was forgotten at', async () => {
    const jti = randomUUID();
    expect(await ledger.recordFirst('mock-v4', jti, receivedAt)).toBe(true);
    expect(await ledger.recordFirst('mock-v31', jti, receivedAt)).toBe(true);
    await ledger.forget('mock-v4', jti);
    expect(await ledger.recordFirst('mock-v4', jti, receivedAt)).toBe(true);
    expect(await ledger.recordFirst('mock-v31', jti, receivedAt)).toBe(false);
  });

  it('forgetting a jti never recorded is harmless', async () => {
    await expect(ledger.forget('mock-v4', randomUUID())).resolves.toBeUndefined();
  });

  it('stores the item with a TTL a week after it was received', async () => {
    const jti = randomUUID();
    await ledger.recordFirst('mock-v4', jti, receivedAt);
    const { Item } = await table.documentClient.send(new GetCommand({ TableName: table.tableName, Key: notificationKey('mock-v4', jti), ConsistentRead: true }));
    expect(Item).toMatchObject({ entity: 'notification', receivedAt });
    // DynamoDB's TTL reads epoch seconds.
    expect(Item?.expiresAt).toBe(Date.parse('2026-12-01T10:30:00.000Z') / 1000);
  });
});
