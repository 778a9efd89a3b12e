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
    expect(await log.claimAttempt(ref('evt_C'), 1, AT, STALE_BEFORE)).toEqual({ kind: 'claimed' });
    await log.markDelivered(ref('evt_C').tenantId, 'evt_C', 'whe_1', AT);
    expect(await log.claimAttempt(ref('evt_C'), 1, LATER, LATER)).toEqual({ kind: 'delivered' });
    expect(await log.claimAttempt(ref('evt_C'), 2, LATER, LATER)).toEqual({ kind: 'delivered' });
  });

  // The fan-out schedules a first attempt for every copy of an event without reading whether delivery began: the
  // claim alone must turn every such late copy away, whatever state the delivery is in.
  it.each([
    {
      state: 'claimed and in flight',
      expected: { kind: 'in_flight', claimedAt: AT },
      setUp: async (eventId: string) => {
        await log.claimAttempt(ref(eventId), 1, AT, STALE_BEFORE);
      },
    },
    {
      state: 'retrying (attempt 2 claimed)',
      expected: { kind: 'taken' },
      setUp: async (eventId: string) => {
        await log.claimAttempt(ref(eventId), 1, AT, STALE_BEFORE);
        await log.finishAttempt(ref(eventId), 1, 'retry_scheduled');
        await log.claimAttempt(ref(eventId), 2, AT, STALE_BEFORE);
      },
    },
    {
      state: 'given up by attempt 3',
      expected: { kind: 'taken' },
      setUp: async (eventId: string) => {
        await log.claimAttempt(ref(eventId), 3, AT, STALE_BEFORE);
        await log.finishAttempt(ref(eventId), 3, 'given_up');
      },
    },
    {
      state: 'delivered',
      expected: { kind: 'delivered' },
      setUp: async (eventId: string) => {
        await log.claimAttempt(ref(eventId), 1, AT, STALE_BEFORE);
        await log.markDelivered(ref(eventId).tenantId, eventId, 'whe_1', AT);
      },
    },
  ])('refuses a late first attempt of a delivery $state', async ({ state, expected, setUp }) => {
    const eventId = `evt_late_${state.replace(/\W+/g, '_')}`;
    await setUp(eventId);
    expect(await log.claimAttempt(ref(eventId), 1, AT, STALE_BEFORE)).toEqual(expected);
  });
});

describe('DynamoDbEventLog: the events and deliveries of one write, each in one request', () => {
  let log: DynamoDbEventLog;
  const TENANT = 'ten_01JD0000000000000000000001';

  beforeAll(async () => {
    const table = await createTestTable();
    log = new DynamoDbEventLog(table.documentClient, table.tableName);
  });

  const event = (id: string, type: 'transaction.received' | 'payment.settled' = 'payment.settled') => ({
    type,
    metadata: { id, tenantId: TENANT, occurredAt: AT, version: 1 as const },
    data: { id: `pay_${id}` },
  });
  const ref = (eventId: string) => ({ tenantId: TENANT, eventId, endpointId: 'whe_1' });

  it('appends every event of a write or, if one is logged already, none', async () => {
    expect(await log.appendAll([event('evt_W1', 'transaction.received'), event('evt_W2')])).toBe(true);
    expect(await log.get(TENANT, 'evt_W2')).toEqual(event('evt_W2'));
    expect(await log.appendAll([event('evt_W3'), event('evt_W2')])).toBe(false);
    expect(await log.get(TENANT, 'evt_W3')).toBeUndefined();
    const listed = await log.list(TENANT, {}, { limit: 10, cursor: undefined });
    expect(listed.data.map((logged) => logged.metadata.id).sort()).toEqual(['evt_W1', 'evt_W2']);
  });

  it('claims the deliveries of a group all together or not at all, and one claim of the group refused refuses it', async () => {
    // One of the group's events is already in flight through another copy.
    expect(await log.claimAttempt(ref('evt_G2'), 1, AT, STALE_BEFORE)).toEqual({ kind: 'claimed' });
    expect(await log.claimAttempts([ref('evt_G1'), ref('evt_G2'), ref('evt_G3')], 1, AT, STALE_BEFORE)).toBe(false);
    // None of the group was claimed: the others can each still be claimed alone.
    expect(await log.claimAttempt(ref('evt_G1'), 1, AT, STALE_BEFORE)).toEqual({ kind: 'claimed' });
    expect(await log.claimAttempts([ref('evt_G4'), ref('evt_G5')], 1, AT, STALE_BEFORE)).toBe(true);
    expect(await log.claimAttempt(ref('evt_G4'), 1, AT, STALE_BEFORE)).toEqual({ kind: 'in_flight', claimedAt: AT });
  });

  it('lets one of two copies of a group claim it at the same moment', async () => {
    const group = [ref('evt_H1'), ref('evt_H2'), ref('evt_H3')];
    const claims = await Promise.all([log.claimAttempts(group, 1, AT, STALE_BEFORE), log.claimAttempts(group, 1, AT, STALE_BEFORE)]);
    expect(claims.filter(Boolean)).toHaveLength(1);
  });

  it('records a group delivered, so no copy of any attempt claims its events again', async () => {
    const group = [ref('evt_D1'), ref('evt_D2')];
    expect(await log.claimAttempts(group, 1, AT, STALE_BEFORE)).toBe(true);
    await log.markAllDelivered(group, AT);
    expect(await log.claimAttempt(ref('evt_D1'), 1, LATER, LATER)).toEqual({ kind: 'delivered' });
    expect(await log.claimAttempt(ref('evt_D2'), 2, LATER, LATER)).toEqual({ kind: 'delivered' });
    expect(await log.claimAttempts(group, 2, LATER, LATER)).toBe(false);
  });
});
