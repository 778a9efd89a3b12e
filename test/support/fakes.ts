import type { Clock, IdGenerator, IdPrefix, SecretGenerator } from '../../shared/domain/ports';
import type { Tenant, TenantRepository } from '../../shared/domain/tenants/tenant';

/** A clock that stands still until moved. */
export const fixedClock = (iso = '2026-11-24T10:00:00.000Z'): Clock & { set(iso: string): void } => {
  let now = new Date(iso);
  return { now: () => new Date(now), set: (next) => void (now = new Date(next)) };
};

/** Sequential, valid-looking ids: `ten_0000000000000000000000001`, … */
export const sequentialIds = (): IdGenerator => {
  let n = 0;
  return { next: (prefix: IdPrefix) => `${prefix}_${String((n += 1)).padStart(26, '0')}` };
};

export const fixedSecrets = (token = 'A'.repeat(43)): SecretGenerator => ({ randomToken: () => token });

export class InMemoryTenantRepository implements TenantRepository {
  readonly tenants = new Map<string, Tenant>();
  readonly keyHashes = new Map<string, string>();

  async create(tenant: Tenant, apiKeyHash: string): Promise<void> {
    if (this.tenants.has(tenant.id)) throw new Error('duplicate tenant');
    this.tenants.set(tenant.id, tenant);
    this.keyHashes.set(apiKeyHash, tenant.id);
  }

  async findById(tenantId: string): Promise<Tenant | undefined> {
    return this.tenants.get(tenantId);
  }

  async findByApiKeyHash(tenantId: string, apiKeyHash: string): Promise<Tenant | undefined> {
    return this.keyHashes.get(apiKeyHash) === tenantId ? this.tenants.get(tenantId) : undefined;
  }
}
