import { beforeAll, describe, expect, it } from 'vitest';
import { DynamoDbEventLog } from '../../shared/adapters/dynamodb/callback-store';
import { createTestTable } from './table';

const AT = '2026-11-24T10:00:00.000Z';
const STALE_BEFORE = '2026-11-24T09:59:30.000Z';
const LATER = '2026-11-24T10:01:00.000Z';
const STALE_LATER = '2026-11-24T10:00:30.000Z';

describe('DynamoDbEventLog delivery claims on DynamoDB Local', () => {
  let log: DynamoDbEventLog;

  beforeAll(async () => {
    const table = await createTestTable();
    log = new DynamoDbEventLog(table.documentClient, table.tableName);
  });

  const ref = (eventId: string) => ({ tenantId: 'ten_01JD0000000000000000000001', eventId, endpointId: 'whe_1' });

  it('lets one of two copies of an attempt claim it, even at the same moment; the other sees it in flight', async () => {
    const claims = await Promise.all([log.claimAttempt(ref('evt_A'), 1, AT, STALE_BEFORE), log.claimAttempt(ref('evt_A'), 1, AT, STALE_BEFORE)]);
    expect(claims).toEqual(expect.arrayContaining([{ kind: 'claimed' }, { kind: 'in_flight', claimedAt: AT }]));
    expect(await log.deliveryStarted(ref('evt_A').tenantId, 'evt_A', 'whe_1')).toBe(true);
  });

  it('lets an abandoned attempt be taken over after its lease, and a finished one never', async () => {
    expect(await log.claimAttempt(ref('evt_B'), 1, AT, STALE_BEFORE)).toEqual({ kind: 'claimed' });
    expect(await log.claimAttempt(ref('evt_B'), 1, LATER, STALE_LATER)).toEqual({ kind: 'claimed' });
    await log.finishAttempt(ref('evt_B'), 1, 'retry_scheduled');
    expect(await log.claimAttempt(ref('evt_B'), 1, LATER, LATER)).toEqual({ kind: 'taken' });
    expect(await log.claimAttempt(ref('evt_B'), 2, LATER, STALE_LATER)).toEqual({ kind: 'claimed' });
    await log.finishAttempt(ref('evt_B'), 2, 'given_up');
    expect(await log.claimAttempt(ref('evt_B'), 2, LATER, LATER)).toEqual({ kind: 'given_up' });
  });

  it('answers delivered once the endpoint has the event, to any copy of any attempt', async () => {
    expect(await log.deliveryStarted(ref('evt_C').tenantId, 'evt_C', 'whe_1')).toBe(false);
    expect(await log.claimAttempt(ref('evt_C'), 1, AT, STALE_BEFORE)).toEqual({ kind: 'claimed' });
    await log.markDelivered(ref('evt_C').tenantId, 'evt_C', 'whe_1', AT);
    expect(await log.claimAttempt(ref('evt_C'), 1, LATER, LATER)).toEqual({ kind: 'delivered' });
    expect(await log.claimAttempt(ref('evt_C'), 2, LATER, LATER)).toEqual({ kind: 'delivered' });
  });
});
