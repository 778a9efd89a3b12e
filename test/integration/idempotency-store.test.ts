import { beforeAll, describe, expect, it } from 'vitest';
import { DynamoDbIdempotencyStore } from '../../shared/adapters/dynamodb/idempotency-store';
import { requestFingerprint, runIdempotently } from '../../shared/domain/idempotency/idempotency';
import { ConflictError } from '../../shared/domain/errors';
import { createTestTable } from './table';

/**
 * The idempotency record's conditions on real DynamoDB. Powertools' middy middleware once deleted records it never
 * acquired (upstream issue #5675), letting a duplicate through; here only the holder may release its reservation.
 */
describe('DynamoDbIdempotencyStore on DynamoDB Local', () => {
  let store: DynamoDbIdempotencyStore;
  let table: Awaited<ReturnType<typeof createTestTable>>;
  const tenantId = 'ten_01JD0000000000000000000000';
  const now = new Date('2026-11-24T10:00:00.000Z');
  const fingerprint = requestFingerprint('POST /v1/payments', { amount: '1.00' });

  beforeAll(async () => {
    table = await createTestTable();
    store = new DynamoDbIdempotencyStore(table.documentClient, table.tableName, { now: () => now });
  });

  it('a duplicate that did not acquire the key never releases the holder’s reservation (#5675)', async () => {
    // Prepare: the first request holds the key and is still running
    let finishFirst: () => void = () => undefined;
    const firstRunning = new Promise<void>((resolveRun) => (finishFirst = resolveRun));
    let effects = 0;
    const first = runIdempotently({ tenantId, key: 'k-5675', fingerprint, now }, store, async () => {
      effects += 1;
      await firstRunning;
      return { statusCode: 201, body: { id: 'pay_1' } };
    });
    // The first request is inside its execution, so it holds the reservation.
    while (effects === 0) await new Promise((resolveTick) => setTimeout(resolveTick, 5));
    // Act: a duplicate arrives and fails with 409 (it must not clean up what it does not own), then a third
    const duplicate = runIdempotently({ tenantId, key: 'k-5675', fingerprint, now }, store, async () => {
      effects += 1;
      return { statusCode: 201, body: { id: 'pay_2' } };
    });
    await expect(duplicate).rejects.toBeInstanceOf(ConflictError);
    const third = runIdempotently({ tenantId, key: 'k-5675', fingerprint, now }, store, async () => {
      effects += 1;
      return { statusCode: 201, body: { id: 'pay_3' } };
    });
    await expect(third).rejects.toBeInstanceOf(ConflictError);
    finishFirst();
    // Assess: one effect, and a retry after completion replays the first answer
    await expect(first).resolves.toMatchObject({ statusCode: 201, body: { id: 'pay_1' }, replayed: false });
    await expect(runIdempotently({ tenantId, key: 'k-5675', fingerprint, now }, store, async () => ({ statusCode: 500, body: null }))).resolves.toMatchObject({
      body: { id: 'pay_1' },
      replayed: true,
    });
    expect(effects).toBe(1);
  });

  it('release is conditional: it cannot delete a completed record or another request’s reservation', async () => {
    await store.reserve(tenantId, 'k-cond', fingerprint, new Date(now.getTime() + 60_000));
    await store.complete(tenantId, 'k-cond', fingerprint, { statusCode: 201, body: { id: 'pay_9' } });
    await store.release(tenantId, 'k-cond', fingerprint);
    await store.release(tenantId, 'k-cond', 'another-fingerprint');
    await expect(store.reserve(tenantId, 'k-cond', fingerprint, new Date(now.getTime() + 60_000))).resolves.toMatchObject({
      state: 'completed',
      response: { body: { id: 'pay_9' } },
    });
  });

  it('a record counts as absent once the store’s clock has passed its expiry, whatever the date today', async () => {
    // Prepare: a completed record that expires a minute after `now`
    let clockNow = now;
    const clockedStore = new DynamoDbIdempotencyStore(table.documentClient, table.tableName, { now: () => clockNow });
    await clockedStore.reserve(tenantId, 'k-ttl', fingerprint, new Date(now.getTime() + 60_000));
    await clockedStore.complete(tenantId, 'k-ttl', fingerprint, { statusCode: 201, body: { id: 'pay_old' } });
    // Act + Assess: within the window the first response comes back; after it the key is free again
    await expect(clockedStore.reserve(tenantId, 'k-ttl', fingerprint, new Date(now.getTime() + 60_000))).resolves.toMatchObject({ state: 'completed' });
    clockNow = new Date(now.getTime() + 61_000);
    await expect(clockedStore.reserve(tenantId, 'k-ttl', fingerprint, new Date(clockNow.getTime() + 60_000))).resolves.toEqual({ state: 'acquired' });
  });
});
