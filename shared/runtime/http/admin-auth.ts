import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { UnauthorizedError } from '../../domain/errors';
import { secretsEqual } from '../../domain/tenants/api-key';
import type { SecretSource } from '../../adapters/secret-source';
import { bearerTokenOf } from './request';

/** Refuses the request (401) unless it carries the operator's admin token as a bearer token. */
export const requireAdminToken = async (event: APIGatewayProxyEventV2, adminToken: SecretSource): Promise<void> => {
  const presented = bearerTokenOf(event);
  if (presented === undefined) {
    throw new UnauthorizedError('An admin token is required: Authorization: Bearer <admin token>.');
  }
  if (!secretsEqual(presented, await adminToken())) {
    throw new UnauthorizedError('The admin token is not valid.');
  }
};
