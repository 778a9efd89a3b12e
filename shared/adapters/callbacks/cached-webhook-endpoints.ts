import type { Page, PageRequest } from '../../domain/accounts/account';
import type { WebhookEndpoint, WebhookEndpointRepository } from '../../domain/callbacks/webhook-endpoint';
import type { Clock } from '../../domain/ports';
import { ExpiringCache } from '../expiring-cache';

/**
 * How long a function instance trusts the enabled endpoints it read for a tenant. A change made through the API
 * (an endpoint created, deleted, disabled) reaches the fan-out and the deliverer at most this much later
 * (docs/architecture.md, tenant callbacks).
 */
export const ENDPOINT_CACHE_TTL_MS = 5_000;

/** Tenants remembered per function instance; the oldest read is forgotten first. */
const MAX_CACHED_TENANTS = 1_000;

/**
 * A tenant's enabled endpoints, read once per ENDPOINT_CACHE_TTL_MS per function instance instead of once per
 * event and once per delivery. For the fan-out (which endpoints subscribe) and the deliverer (the endpoint's url,
 * secret and status); never for the API, which reads the table. `get` answers from the cached enabled endpoints
 * and reads the table for any other (created since, disabled, deleted). What this instance changes itself (a 410
 * disabling an endpoint) it forgets at once.
 */
export class CachedWebhookEndpoints implements WebhookEndpointRepository {
  private readonly byTenant: ExpiringCache<Promise<WebhookEndpoint[]>>;

  constructor(
    private readonly table: WebhookEndpointRepository,
    private readonly clock: Clock,
    ttlMs: number = ENDPOINT_CACHE_TTL_MS,
  ) {
    this.byTenant = new ExpiringCache(ttlMs, MAX_CACHED_TENANTS);
  }

  async listEnabled(tenantId: string): Promise<WebhookEndpoint[]> {
    const now = this.clock.now().getTime();
    const cached = this.byTenant.get(tenantId, now);
    if (cached !== undefined) return cached;
    // One read shared by every concurrent caller; a failed read is not remembered.
    const enabled = this.table.listEnabled(tenantId);
    this.byTenant.set(tenantId, enabled, now);
    enabled.catch(() => this.byTenant.deleteIf(tenantId, enabled));
    return enabled;
  }

  async get(tenantId: string, endpointId: string): Promise<WebhookEndpoint | undefined> {
    const cached = (await this.listEnabled(tenantId)).find((endpoint) => endpoint.id === endpointId);
    return cached ?? this.table.get(tenantId, endpointId);
  }

  async create(endpoint: WebhookEndpoint): Promise<void> {
    await this.table.create(endpoint);
    this.byTenant.delete(endpoint.tenantId);
  }

  async list(tenantId: string, page: PageRequest): Promise<Page<WebhookEndpoint>> {
    return this.table.list(tenantId, page);
  }

  async delete(tenantId: string, endpointId: string): Promise<boolean> {
    const deleted = await this.table.delete(tenantId, endpointId);
    this.byTenant.delete(tenantId);
    return deleted;
  }

  async disable(tenantId: string, endpointId: string, reason: string): Promise<void> {
    await this.table.disable(tenantId, endpointId, reason);
    this.byTenant.delete(tenantId);
  }
}
