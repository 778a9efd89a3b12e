import { DynamoDbTenantRepository } from '../../shared/adapters/dynamodb/tenant-repository';
import { dynamoDbDocumentClient } from '../../shared/adapters/dynamodb/client';
import { secretFromEnvironment } from '../../shared/adapters/secret-source';
import { cryptoSecrets, systemClock, ulidIds } from '../../shared/adapters/system';
import { createTenant } from '../../shared/domain/tenants/create-tenant';
import { getTenant } from '../../shared/domain/tenants/get-tenant';
import { CreateTenantRequestSchema } from '../../shared/schemas/admin';
import { getStringFromEnv } from '../../shared/runtime/config';
import { requireAdminToken } from '../../shared/runtime/http/admin-auth';
import { createApiHandler, json } from '../../shared/runtime/http/api-handler';
import { parseJsonBody } from '../../shared/runtime/http/request';
import { RESOURCE_VARIABLES, SECRET_VARIABLES } from '../../shared/runtime/environment';

const tenants = new DynamoDbTenantRepository(dynamoDbDocumentClient, getStringFromEnv(RESOURCE_VARIABLES.tableName));
const adminToken = secretFromEnvironment(SECRET_VARIABLES.adminToken);

export const handler = createApiHandler({
  'POST /v1/admin/tenants': async (event) => {
    await requireAdminToken(event, adminToken);
    const request = parseJsonBody(event, CreateTenantRequestSchema);
    const tenant = await createTenant(request, { tenants, ids: ulidIds, secrets: cryptoSecrets, clock: systemClock });
    return json(201, tenant);
  },
  'GET /v1/admin/tenants/{tenantId}': async (event) => {
    await requireAdminToken(event, adminToken);
    return json(200, await getTenant(event.pathParameters?.tenantId ?? '', { tenants }));
  },
});
