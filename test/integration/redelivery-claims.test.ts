import { beforeAll, describe, expect, it } from 'vitest';
import { DynamoDbEventLog } from '../../shared/adapters/dynamodb/callback-store';
import { createTestTable } from './table';

const AT = '2026-11-24T10:00:00.000Z';
const STALE_BEFORE = '2026-11-24T09:59:30.000Z';
const LATER = '2026-11-24T10:01:00.000Z';

describe('redelivery claims on DynamoDB Local', () => {
  let log: DynamoDbEventLog;

  beforeAll(async () => {
    const table = await createTestTable();
    log = new DynamoDbEventLog(table.documentClient, table.tableName);
  });

  const first = { tenantId: 'ten_01JD0000000000000000000001', eventId: 'evt_R', endpointId: 'whe_1' };
  const redelivery = (redeliveryId: string) => ({ ...first, redeliveryId });

  it('claims a redelivery of a delivered event once, apart from the first delivery and from other redeliveries', async () => {
    // Prepare: the first delivery is done
    expect(await log.claimAttempt(first, 1, AT, STALE_BEFORE)).toEqual({ kind: 'claimed' });
    await log.markDelivered(first.tenantId, first.eventId, first.endpointId, AT);
    // Act
    const copies = await Promise.all([log.claimAttempt(redelivery('rdl_1'), 1, AT, STALE_BEFORE), log.claimAttempt(redelivery('rdl_1'), 1, AT, STALE_BEFORE)]);
    const other = await log.claimAttempt(redelivery('rdl_2'), 1, AT, STALE_BEFORE);
    await log.markDelivered(first.tenantId, first.eventId, first.endpointId, LATER, 'rdl_1');
    // Assess
    expect(copies.map((claim) => claim.kind).sort()).toEqual(['claimed', 'in_flight']);
    expect(other).toEqual({ kind: 'claimed' });
    expect(await log.claimAttempt(redelivery('rdl_1'), 1, LATER, LATER)).toEqual({ kind: 'delivered' });
    expect(await log.claimAttempt(first, 2, LATER, LATER)).toEqual({ kind: 'delivered' });
  });
});
