import { getOptionalStringFromEnv } from '../runtime/config';

/**
 * Client settings shared by every AWS SDK client. On AWS the SDK's defaults apply; the local runtime sets an
 * endpoint variable per service (DynamoDB Local, its SQS and EventBridge emulators) and nothing else changes.
 */
export const awsClientConfig = (endpointVariable: string) => {
  const endpoint = getOptionalStringFromEnv(endpointVariable);
  return {
    maxAttempts: 3,
    ...(endpoint === undefined ? {} : { endpoint }),
  };
};
