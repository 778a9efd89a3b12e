import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { dynamoDbDocumentClient } from '../../shared/adapters/dynamodb/client';
import { NotFoundError } from '../../shared/domain/errors';
import { getStringFromEnv } from '../../shared/runtime/config';
import { createApiHandler, json } from '../../shared/runtime/http/api-handler';
import { RESOURCE_VARIABLES } from '../../shared/runtime/environment';

const tableName = getStringFromEnv(RESOURCE_VARIABLES.tableName);

export const handler = createApiHandler({
  // A consistent read proves the table answers; the item need not exist.
  'GET /health': async () => {
    await dynamoDbDocumentClient.send(
      new GetCommand({ TableName: tableName, Key: { pk: 'health#PROBE', sk: 'PROBE' }, ConsistentRead: true }),
    );
    return json(200, { status: 'ok' });
  },
  // API Gateway's $default route: unknown routes get the contract's error shape rather than the gateway's own.
  $default: async (event) => {
    throw new NotFoundError(`No route for ${event.requestContext.http.method} ${event.rawPath}.`, {
      code: 'route_not_found',
    });
  },
});
