import { describe, expect, it, vi } from 'vitest';
import { CachedWebhookEndpoints, ENDPOINT_CACHE_TTL_MS } from '../../../../shared/adapters/callbacks/cached-webhook-endpoints';
import { aWebhookEndpoint, InMemoryWebhookEndpointRepository, OTHER_TENANT_ID, TENANT_ID } from '../../../support/domain-fakes';
import { fixedClock } from '../../../support/fakes';

const START = '2026-11-24T10:00:00.000Z';
const after = (ms: number) => new Date(Date.parse(START) + ms).toISOString();

const cachedWorld = () => {
  const table = new InMemoryWebhookEndpointRepository([
    aWebhookEndpoint({ id: 'whe_a' }),
    aWebhookEndpoint({ id: 'whe_off', status: 'disabled', disabledReason: 'The endpoint answered 410 Gone.' }),
    aWebhookEndpoint({ id: 'whe_other', tenantId: OTHER_TENANT_ID }),
  ]);
  const clock = fixedClock(START);
  const lists = vi.spyOn(table, 'listEnabled');
  const gets = vi.spyOn(table, 'get');
  return { table, clock, lists, gets, cached: new CachedWebhookEndpoints(table, clock) };
};

describe('CachedWebhookEndpoints', () => {
  it("reads a tenant's enabled endpoints once per TTL, per tenant", async () => {
    // Prepare
    const { clock, lists, cached } = cachedWorld();
    // Act
    const first = await cached.listEnabled(TENANT_ID);
    await cached.listEnabled(TENANT_ID);
    await cached.listEnabled(OTHER_TENANT_ID);
    clock.set(after(ENDPOINT_CACHE_TTL_MS - 1));
    await cached.listEnabled(TENANT_ID);
    // Assess
    expect(first.map((endpoint) => endpoint.id)).toEqual(['whe_a']);
    expect(lists.mock.calls).toEqual([[TENANT_ID], [OTHER_TENANT_ID]]);
  });

  it('reads again once the TTL is over, and then sees what changed', async () => {
    // Prepare
    const { table, clock, lists, cached } = cachedWorld();
    await cached.listEnabled(TENANT_ID);
    await table.create(aWebhookEndpoint({ id: 'whe_new' }));
    // Act
    clock.set(after(ENDPOINT_CACHE_TTL_MS));
    const later = await cached.listEnabled(TENANT_ID);
    // Assess
    expect(lists).toHaveBeenCalledTimes(2);
    expect(later.map((endpoint) => endpoint.id)).toEqual(['whe_a', 'whe_new']);
  });

  it('shares one read between concurrent callers', async () => {
    const { lists, cached } = cachedWorld();
    await Promise.all([cached.listEnabled(TENANT_ID), cached.get(TENANT_ID, 'whe_a'), cached.listEnabled(TENANT_ID)]);
    expect(lists).toHaveBeenCalledTimes(1);
  });

  it('does not remember a failed read', async () => {
    // Prepare
    const { lists, cached } = cachedWorld();
    lists.mockRejectedValueOnce(new Error('throttled'));
    // Act
    await expect(cached.listEnabled(TENANT_ID)).rejects.toThrow('throttled');
    const retried = await cached.listEnabled(TENANT_ID);
    // Assess
    expect(retried.map((endpoint) => endpoint.id)).toEqual(['whe_a']);
    expect(lists).toHaveBeenCalledTimes(2);
  });

  it('answers get for a cached enabled endpoint without reading it, with its secret', async () => {
    const { gets, cached } = cachedWorld();
    await cached.listEnabled(TENANT_ID);
    expect(await cached.get(TENANT_ID, 'whe_a')).toEqual(aWebhookEndpoint({ id: 'whe_a' }));
    expect(gets).not.toHaveBeenCalled();
  });

  it.each([
    { endpointId: 'whe_off', status: 'disabled' },
    { endpointId: 'whe_missing', status: undefined },
  ])('reads the table for an endpoint not cached as enabled ($endpointId)', async ({ endpointId, status }) => {
    const { gets, cached } = cachedWorld();
    expect((await cached.get(TENANT_ID, endpointId))?.status).toBe(status);
    expect(gets).toHaveBeenCalledWith(TENANT_ID, endpointId);
  });

  it('finds an endpoint created after the cached read by reading the table', async () => {
    const { table, cached } = cachedWorld();
    await cached.listEnabled(TENANT_ID);
    await table.create(aWebhookEndpoint({ id: 'whe_new' }));
    expect((await cached.get(TENANT_ID, 'whe_new'))?.id).toBe('whe_new');
  });

  it('forgets a tenant it disables an endpoint of (a 410), so the next delivery sees it disabled', async () => {
    // Prepare
    const { cached } = cachedWorld();
    expect((await cached.get(TENANT_ID, 'whe_a'))?.status).toBe('enabled');
    // Act
    await cached.disable(TENANT_ID, 'whe_a', 'The endpoint answered 410 Gone.');
    // Assess
    expect((await cached.get(TENANT_ID, 'whe_a'))?.status).toBe('disabled');
    expect(await cached.listEnabled(TENANT_ID)).toEqual([]);
  });

  it('forgets a tenant it deletes an endpoint of', async () => {
    const { cached } = cachedWorld();
    await cached.listEnabled(TENANT_ID);
    expect(await cached.delete(TENANT_ID, 'whe_a')).toBe(true);
    expect(await cached.get(TENANT_ID, 'whe_a')).toBeUndefined();
  });

  // The documented cost of the cache: a change made elsewhere (the API's function) is seen up to the TTL later.
  it('keeps answering with an endpoint deleted elsewhere until the TTL is over', async () => {
    const { table, clock, cached } = cachedWorld();
    await cached.listEnabled(TENANT_ID);
    await table.delete(TENANT_ID, 'whe_a');
    expect((await cached.get(TENANT_ID, 'whe_a'))?.id).toBe('whe_a');
    clock.set(after(ENDPOINT_CACHE_TTL_MS));
    expect(await cached.get(TENANT_ID, 'whe_a')).toBeUndefined();
  });
});
