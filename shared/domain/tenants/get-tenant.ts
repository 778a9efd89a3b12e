import { NotFoundError } from '../errors';
import type { Tenant, TenantRepository } from './tenant';

/** An operator's view of one tenant (never its API key, which is not kept). */
export const getTenant = async (tenantId: string, deps: { readonly tenants: TenantRepository }): Promise<Tenant> => {
  const tenant = await deps.tenants.findById(tenantId);
  if (tenant === undefined) throw new NotFoundError(`Tenant ${tenantId} does not exist.`);
  return tenant;
};
