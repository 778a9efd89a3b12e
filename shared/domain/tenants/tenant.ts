/** A platform that uses Settled. Every other resource belongs to exactly one tenant. */
export interface Tenant {
  readonly id: string;
  readonly name: string;
  readonly createdAt: string;
}

/** Persistence of tenants and of the hashes of their API keys. */
export interface TenantRepository {
  /** Stores the tenant and its first API key hash together, or neither. */
  create(tenant: Tenant, apiKeyHash: string): Promise<void>;
  findById(tenantId: string): Promise<Tenant | undefined>;
  /** The tenant owning this API key hash, if the key is live. */
  findByApiKeyHash(tenantId: string, apiKeyHash: string): Promise<Tenant | undefined>;
}
