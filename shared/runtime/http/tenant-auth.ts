import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { systemClock } from '../../adapters/system';
import { UnauthorizedError } from '../../domain/errors';
import type { Clock } from '../../domain/ports';
import { apiKeyIdOf, hashApiKey, tenantIdOfApiKey } from '../../domain/tenants/api-key';
import { enforceRateLimit, type RateLimiter } from '../../domain/tenants/rate-limit';
import type { TenantRepository } from '../../domain/tenants/tenant';
import { bearerTokenOf } from './request';

/**
 * The tenant a request acts for, taken only from its API key (never from the request body or path). Unknown,
 * malformed and revoked keys all answer the same 401. With a `limiter`, a verified tenant over its rate limit gets
 * 429 (only after verification, so unknown keys cannot spend a real tenant's allowance).
 */
export const authenticateTenant = async (
  event: APIGatewayProxyEventV2,
  tenants: TenantRepository,
  limiter?: RateLimiter,
  clock: Clock = systemClock,
): Promise<string> => (await authenticateCaller(event, tenants, limiter, clock)).tenantId;

/** As {@link authenticateTenant}, with the id of the API key that asked, for actions recorded with who did them. */
export const authenticateCaller = async (
  event: APIGatewayProxyEventV2,
  tenants: TenantRepository,
  limiter?: RateLimiter,
  clock: Clock = systemClock,
): Promise<{ readonly tenantId: string; readonly apiKeyId: string }> => {
  const apiKey = bearerTokenOf(event);
  if (apiKey === undefined) throw new UnauthorizedError('An API key is required: Authorization: Bearer sk_…');
  const tenantId = tenantIdOfApiKey(apiKey);
  const tenant = tenantId === undefined ? undefined : await tenants.findByApiKeyHash(tenantId, hashApiKey(apiKey));
  if (tenant === undefined) throw new UnauthorizedError('The API key is not valid.');
  if (limiter !== undefined) await enforceRateLimit(tenant.id, clock.now(), limiter);
  return { tenantId: tenant.id, apiKeyId: apiKeyIdOf(apiKey) };
};
