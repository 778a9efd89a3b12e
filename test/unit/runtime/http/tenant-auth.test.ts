import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { TooManyRequestsError, UnauthorizedError } from '../../../../shared/domain/errors';
import { createTenant } from '../../../../shared/domain/tenants/create-tenant';
import type { RateLimiter } from '../../../../shared/domain/tenants/rate-limit';
import type { Tenant, TenantRepository } from '../../../../shared/domain/tenants/tenant';
import { cryptoSecrets, systemClock, ulidIds } from '../../../../shared/adapters/system';
import { authenticateCaller, authenticateTenant } from '../../../../shared/runtime/http/tenant-auth';
import { apiKeyIdOf } from '../../../../shared/domain/tenants/api-key';

class InMemoryTenants implements TenantRepository {
  private readonly byHash = new Map<string, Tenant>();
  async create(tenant: Tenant, apiKeyHash: string): Promise<void> {
    this.byHash.set(`${tenant.id}/${apiKeyHash}`, tenant);
  }
  async findById(tenantId: string): Promise<Tenant | undefined> {
    return [...this.byHash.values()].find((tenant) => tenant.id === tenantId);
  }
  async findByApiKeyHash(tenantId: string, apiKeyHash: string): Promise<Tenant | undefined> {
    return this.byHash.get(`${tenantId}/${apiKeyHash}`);
  }
}

/** A limiter that allows `allowance` requests in all, and records who spent them. */
const countingLimiter = (allowance: number) => {
  const takenBy: string[] = [];
  const limiter: RateLimiter = {
    take: async (tenantId) => {
      takenBy.push(tenantId);
      return takenBy.length <= allowance ? { allowed: true, retryAfterSeconds: 0 } : { allowed: false, retryAfterSeconds: 1 };
    },
  };
  return { limiter, takenBy };
};

const withKey = (apiKey: string) => ({ headers: { authorization: `Bearer ${apiKey}` } }) as unknown as APIGatewayProxyEventV2;

describe('authenticateTenant with a rate limiter', () => {
  it('spends the allowance of the verified tenant and refuses with TooManyRequestsError once it is gone', async () => {
    // Prepare
    const tenants = new InMemoryTenants();
    const acme = await createTenant({ name: 'Acme' }, { tenants, ids: ulidIds, secrets: cryptoSecrets, clock: systemClock });
    const { limiter, takenBy } = countingLimiter(1);
    // Act + Assess
    await expect(authenticateTenant(withKey(acme.apiKey), tenants, limiter)).resolves.toBe(acme.id);
    const refused = authenticateTenant(withKey(acme.apiKey), tenants, limiter);
    await expect(refused).rejects.toBeInstanceOf(TooManyRequestsError);
    await expect(refused).rejects.toMatchObject({ code: 'rate_limited', retryAfterSeconds: 1 });
    expect(takenBy).toEqual([acme.id, acme.id]);
  });

  it('never counts a request whose key is not valid', async () => {
    const tenants = new InMemoryTenants();
    const { limiter, takenBy } = countingLimiter(10);
    await expect(authenticateTenant(withKey('sk_ten_01JD0000000000000000000001_nope'), tenants, limiter)).rejects.toBeInstanceOf(UnauthorizedError);
    expect(takenBy).toEqual([]);
  });
});

describe('authenticateCaller', () => {
  it('names the API key that asked by its id, never by the key', async () => {
    const tenants = new InMemoryTenants();
    const acme = await createTenant({ name: 'Acme' }, { tenants, ids: ulidIds, secrets: cryptoSecrets, clock: systemClock });
    const caller = await authenticateCaller(withKey(acme.apiKey), tenants);
    expect(caller).toEqual({ tenantId: acme.id, apiKeyId: apiKeyIdOf(acme.apiKey) });
    expect(caller.apiKeyId).not.toContain(acme.apiKey.slice(-43));
  });
});
