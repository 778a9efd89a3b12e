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
