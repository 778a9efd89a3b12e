import fc from 'fast-check';
import { describe, expect, it, vi } from 'vitest';
import { ConflictError, UnprocessableError, ValidationError } from '../../../../shared/domain/errors';
import {
  IDEMPOTENCY_TTL_DAYS,
  requestFingerprint,
  runIdempotently,
  type StoredResponse,
  validateIdempotencyKey,
} from '../../../../shared/domain/idempotency/idempotency';
import { InMemoryIdempotencyStore, TENANT_ID } from '../../../support/domain-fakes';

const NOW = new Date('2026-11-24T10:00:00.000Z');
const ROUTE = 'POST /v1/payments';
const body = { amount: '125.00', currency: 'GBP', reference: 'INV-0042' };
const created: StoredResponse = { statusCode: 201, body: { id: 'pay_1', status: 'authorisation_required' } };

const request = (overrides: Partial<{ key: string; fingerprint: string; now: Date }> = {}) => ({
  tenantId: TENANT_ID,
  key: 'key-1',
  fingerprint: requestFingerprint(ROUTE, body),
  now: NOW,
  ...overrides,
});

describe('runIdempotently', () => {
  it('does not complete the record again when the work wrote its completion itself, and hands it the completion', async () => {
    // Prepare
    const store = new InMemoryIdempotencyStore(() => NOW);
    const completed: unknown[] = [];
    const complete = store.complete.bind(store);
    store.complete = async (...args) => {
      completed.push(args);
      await complete(...args);
    };
    // Act
    const response = await runIdempotently(request(), store, async (completionOf) => {
      expect(completionOf(created)).toEqual({ tenantId: TENANT_ID, key: 'key-1', fingerprint: request().fingerprint, response: created });
      return { ...created, recorded: true };
    });
    // Assess
    expect(response).toEqual({ ...created, replayed: false });
    expect(completed).toEqual([]);
  });

  it('runs a new request once and stores its response', async () => {
    // Prepare
    const store = new InMemoryIdempotencyStore(() => NOW);
    const execute = vi.fn(async () => created);
    // Act
    const response = await runIdempotently(request(), store, execute);
    // Assess
    expect(response).toEqual({ ...created, replayed: false });
    expect(execute).toHaveBeenCalledTimes(1);
    expect(store.records.get(`${TENANT_ID}|key-1`)).toMatchObject({
      status: 'completed',
      response: created,
      expiresAt: new Date(NOW.getTime() + IDEMPOTENCY_TTL_DAYS * 24 * 60 * 60 * 1000),
    });
  });

  it('replays the first response for the same key and body, without running the request again', async () => {
    // Prepare
    const store = new InMemoryIdempotencyStore(() => NOW);
    const execute = vi.fn(async () => created);
    await runIdempotently(request(), store, execute);
    // Act
    const replay = await runIdempotently(request(), store, async () => ({ statusCode: 201, body: { id: 'pay_2' } }));
    // Assess
    expect(replay).toEqual({ ...created, replayed: true });
    expect(execute).toHaveBeenCalledTimes(1);
  });

  it('refuses the same key with a different body: 422 idempotency_key_reused', async () => {
    // Prepare
    const store = new InMemoryIdempotencyStore(() => NOW);
    await runIdempotently(request(), store, async () => created);
    const execute = vi.fn(async () => created);
    // Act
    const retry = runIdempotently(request({ fingerprint: requestFingerprint(ROUTE, { ...body, amount: '126.00' }) }), store, execute);
    // Assess
    await expect(retry).rejects.toBeInstanceOf(UnprocessableError);
    await expect(retry).rejects.toMatchObject({ code: 'idempotency_key_reused' });
    expect(execute).not.toHaveBeenCalled();
  });

  it('refuses the same key while the first request is still running: 409 idempotency_key_in_use', async () => {
    // Prepare
    const store = new InMemoryIdempotencyStore(() => NOW);
    let finishFirst: (response: StoredResponse) => void = () => undefined;
    const first = runIdempotently(request(), store, () => new Promise<StoredResponse>((resolve) => (finishFirst = resolve)));
    await vi.waitFor(() => expect(store.records.get(`${TENANT_ID}|key-1`)?.status).toBe('in_progress'));
    // Act
    const concurrent = runIdempotently(request(), store, async () => created);
    // Assess
    await expect(concurrent).rejects.toBeInstanceOf(ConflictError);
    await expect(concurrent).rejects.toMatchObject({ code: 'idempotency_key_in_use' });
    finishFirst(created);
    await expect(first).resolves.toEqual({ ...created, replayed: false });
  });

  it('refuses a different body under a key still in progress as reused, not as in use', async () => {
    // Prepare
    const store = new InMemoryIdempotencyStore(() => NOW);
    void runIdempotently(request(), store, () => new Promise<StoredResponse>(() => undefined));
    await vi.waitFor(() => expect(store.records.size).toBe(1));
    // Act
    const other = runIdempotently(request({ fingerprint: requestFingerprint(ROUTE, { other: true }) }), store, async () => created);
    // Assess
    await expect(other).rejects.toMatchObject({ code: 'idempotency_key_reused' });
  });

  it('releases the key when the request fails, so a retry runs it', async () => {
    // Prepare
    const store = new InMemoryIdempotencyStore(() => NOW);
    const failure = new Error('bank unavailable');
    await expect(runIdempotently(request(), store, async () => Promise.reject(failure))).rejects.toBe(failure);
    const execute = vi.fn(async () => created);
    // Act
    const retried = await runIdempotently(request(), store, execute);
    // Assess
    expect(execute).toHaveBeenCalledTimes(1);
    expect(retried).toEqual({ ...created, replayed: false });
  });

  it('keeps keys of different tenants apart', async () => {
    // Prepare
    const store = new InMemoryIdempotencyStore(() => NOW);
    await runIdempotently(request(), store, async () => created);
    const execute = vi.fn(async () => created);
    // Act
    await runIdempotently({ ...request(), tenantId: 'ten_other' }, store, execute);
    // Assess
    expect(execute).toHaveBeenCalledTimes(1);
  });
});

describe('requestFingerprint', () => {
  it('ignores key order at every depth', () => {
    // Act
    const a = requestFingerprint(ROUTE, { amount: '1.00', counterparty: { name: 'A', sortCode: '040004' }, metadata: { x: '1', y: '2' } });
    const b = requestFingerprint(ROUTE, { metadata: { y: '2', x: '1' }, counterparty: { sortCode: '040004', name: 'A' }, amount: '1.00' });
    // Assess
    expect(a).toBe(b);
  });

  it('ignores whitespace in the JSON the body was parsed from', () => {
    // Act
    const compact = requestFingerprint(ROUTE, JSON.parse('{"amount":"1.00","tags":["a","b"]}'));
    const spaced = requestFingerprint(ROUTE, JSON.parse('{\n  "amount" : "1.00",\n  "tags" : [ "a" , "b" ]\n}\n'));
    // Assess
    expect(compact).toBe(spaced);
  });

  it('tells apart different values, array orders, types and routes', () => {
    // Act
    const fingerprints = [
      requestFingerprint(ROUTE, { amount: '1.00' }),
      requestFingerprint(ROUTE, { amount: '1.01' }),
      requestFingerprint(ROUTE, { amount: 1 }),
      requestFingerprint(ROUTE, { amount: null }),
      requestFingerprint(ROUTE, { amount: ['1.00', '2.00'] }),
      requestFingerprint(ROUTE, { amount: ['2.00', '1.00'] }),
      requestFingerprint(ROUTE, { amounts: '1.00' }),
      requestFingerprint('POST /v1/payouts', { amount: '1.00' }),
    ];
    // Assess
    expect(new Set(fingerprints).size).toBe(fingerprints.length);
  });

  it('is the same for any JSON value however it is formatted or its keys ordered', () => {
    const reordered = (value: unknown): unknown => {
      if (Array.isArray(value)) return value.map(reordered);
      if (value !== null && typeof value === 'object') {
        return Object.fromEntries(Object.entries(value).reverse().map(([key, inner]) => [key, reordered(inner)]));
      }
      return value;
    };
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        // Prepare
        const reformatted: unknown = JSON.parse(JSON.stringify(reordered(value), null, 2));
        // Act + Assess
        expect(requestFingerprint(ROUTE, reformatted)).toBe(requestFingerprint(ROUTE, JSON.parse(JSON.stringify(value))));
      }),
    );
  });
});

describe('validateIdempotencyKey', () => {
  it.each([undefined, ''])('requires a key (%o): 400 idempotency_key_required', (key) => {
    // Act
    const act = () => validateIdempotencyKey(key);
    // Assess
    expect(act).toThrow(ValidationError);
    expect(act).toThrow(expect.objectContaining({ code: 'idempotency_key_required', details: [{ path: 'Idempotency-Key', message: 'required, 1–255 characters' }] }));
  });

  it('accepts 255 characters and refuses 256', () => {
    // Act + Assess
    expect(validateIdempotencyKey('k'.repeat(255))).toBe('k'.repeat(255));
    expect(() => validateIdempotencyKey('k'.repeat(256))).toThrow(ValidationError);
    expect(() => validateIdempotencyKey('k'.repeat(256))).toThrow(expect.objectContaining({ details: [{ path: 'Idempotency-Key', message: 'must be at most 255 characters' }] }));
  });
});
