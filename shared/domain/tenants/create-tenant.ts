import type { Clock, IdGenerator, SecretGenerator } from '../ports';
import { API_KEY_SECRET_BYTES, formatApiKey, hashApiKey } from './api-key';
import type { Tenant, TenantRepository } from './tenant';

export interface CreateTenantCommand {
  readonly name: string;
}

export interface CreatedTenant extends Tenant {
  /** Shown to the operator once; only its hash is kept. */
  readonly apiKey: string;
}

export interface CreateTenantDeps {
  readonly tenants: TenantRepository;
  readonly ids: IdGenerator;
  readonly secrets: SecretGenerator;
  readonly clock: Clock;
}

/**
 * Onboards a platform.
 * Primary course: allocate a tenant id, mint an API key, store the tenant with the key's hash, return the key once.
 */
export const createTenant = async (command: CreateTenantCommand, deps: CreateTenantDeps): Promise<CreatedTenant> => {
  const tenant: Tenant = { id: deps.ids.next('ten'), name: command.name, createdAt: deps.clock.now().toISOString() };
  const apiKey = formatApiKey(tenant.id, deps.secrets.randomToken(API_KEY_SECRET_BYTES));
  await deps.tenants.create(tenant, hashApiKey(apiKey));
  return { ...tenant, apiKey };
};
