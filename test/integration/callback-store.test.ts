import { beforeAll, describe, expect, it } from 'vitest';
import { DynamoDbEventLog } from '../../shared/adapters/dynamodb/callback-store';
import { createTestTable } from './table';

const AT = '2026-11-24T10:00:00.000Z';

describe('DynamoDbEventLog delivery claims on DynamoDB Local', () => {
  let log: DynamoDbEventLog;

  beforeAll(async () => {
    const table = await createTestTable();
    log = new DynamoDbEventLog(table.documentClient, table.tableName);
  });

  const ref = (eventId: string) => ({ tenantId: 'ten_01JD0000000000000000000001', eventId, endpointId: 'whe_1' });

  it('lets one of two messages carrying the same attempt claim it, even at the same moment', async () => {
    const claims = await Promise.all([log.claimAttempt(ref('evt_A'), 1, 'msg-1', AT), log.claimAttempt(ref('evt_A'), 1, 'msg-2', AT)]);
    expect(claims.sort()).toEqual(['claimed', 'taken']);
    expect(await log.deliveryStarted(ref('evt_A').tenantId, 'evt_A', 'whe_1')).toBe(true);
  });

  it('lets the holding message claim again (redelivered), and the next attempt be claimed by a new message', async () => {
    expect(await log.claimAttempt(ref('evt_B'), 1, 'msg-1', AT)).toBe('claimed');
    expect(await log.claimAttempt(ref('evt_B'), 1, 'msg-1', AT)).toBe('claimed');
    expect(await log.claimAttempt(ref('evt_B'), 2, 'msg-3', AT)).toBe('claimed');
    expect(await log.claimAttempt(ref('evt_B'), 1, 'msg-2', AT)).toBe('taken');
  });

  it('answers delivered once the endpoint has the event, to any message', async () => {
    expect(await log.deliveryStarted(ref('evt_C').tenantId, 'evt_C', 'whe_1')).toBe(false);
    expect(await log.claimAttempt(ref('evt_C'), 1, 'msg-1', AT)).toBe('claimed');
    await log.markDelivered(ref('evt_C').tenantId, 'evt_C', 'whe_1', AT);
    expect(await log.claimAttempt(ref('evt_C'), 1, 'msg-1', AT)).toBe('delivered');
    expect(await log.claimAttempt(ref('evt_C'), 2, 'msg-9', AT)).toBe('delivered');
  });
});
