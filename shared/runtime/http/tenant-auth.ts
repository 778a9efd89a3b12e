import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { UnauthorizedError } from '../../domain/errors';
import { hashApiKey, tenantIdOfApiKey } from '../../domain/tenants/api-key';
import type { TenantRepository } from '../../domain/tenants/tenant';
import { bearerTokenOf } from './request';

/**
 * The tenant a request acts for, taken only from its API key (never from the request body or path). Unknown,
 * malformed and revoked keys all answer the same 401.
 */
export const authenticateTenant = async (event: APIGatewayProxyEventV2, tenants: TenantRepository): Promise<string> => {
  const apiKey = bearerTokenOf(event);
  if (apiKey === undefined) throw new UnauthorizedError('An API key is required: Authorization: Bearer sk_…');
  const tenantId = tenantIdOfApiKey(apiKey);
  const tenant = tenantId === undefined ? undefined : await tenants.findByApiKeyHash(tenantId, hashApiKey(apiKey));
  if (tenant === undefined) throw new UnauthorizedError('The API key is not valid.');
  return tenant.id;
};
