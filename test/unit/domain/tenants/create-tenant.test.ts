import { describe, expect, it } from 'vitest';
import { hashApiKey, tenantIdOfApiKey } from '../../../../shared/domain/tenants/api-key';
import { createTenant } from '../../../../shared/domain/tenants/create-tenant';
import { ulidIds, cryptoSecrets } from '../../../../shared/adapters/system';
import { InMemoryTenantRepository, fixedClock } from '../../../support/fakes';

describe('createTenant', () => {
  it('returns an API key once and stores only its hash', async () => {
    // Prepare
    const tenants = new InMemoryTenantRepository();
    // Act
    const created = await createTenant({ name: 'Acme Billing' }, { tenants, ids: ulidIds, secrets: cryptoSecrets, clock: fixedClock() });
    // Assess
    expect(created).toMatchObject({ name: 'Acme Billing', createdAt: '2026-11-24T10:00:00.000Z' });
    expect(created.id).toMatch(/^ten_[0-9A-HJKMNP-TV-Z]{26}$/);
    expect(tenantIdOfApiKey(created.apiKey)).toBe(created.id);
    expect([...tenants.keyHashes.keys()]).toEqual([hashApiKey(created.apiKey)]);
    expect(JSON.stringify([...tenants.tenants.values()])).not.toContain(created.apiKey);
  });

  it('gives every tenant a different key', async () => {
    const tenants = new InMemoryTenantRepository();
    const deps = { tenants, ids: ulidIds, secrets: cryptoSecrets, clock: fixedClock() };
    const a = await createTenant({ name: 'A' }, deps);
    const b = await createTenant({ name: 'B' }, deps);
    expect(a.apiKey).not.toBe(b.apiKey);
    expect(await tenants.findByApiKeyHash(a.id, hashApiKey(b.apiKey))).toBeUndefined();
    expect(await tenants.findByApiKeyHash(a.id, hashApiKey(a.apiKey))).toMatchObject({ id: a.id });
  });
});
