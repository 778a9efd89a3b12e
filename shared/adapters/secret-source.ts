import { SecretsProvider } from '@aws-lambda-powertools/parameters/secrets';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { getOptionalStringFromEnv } from '../runtime/config';
import { ENDPOINT_VARIABLES, type SecretName, secretArnVariableOf } from '../runtime/environment';
import { tracer } from '../runtime/powertools';
import { awsClientConfig } from './aws-client-config';

/** Reads a secret value; cached by the implementation so the hot path does not call Secrets Manager. */
export type SecretSource = () => Promise<string>;

const CACHE_SECONDS = 300;

/** One provider (and one traced Secrets Manager client) per execution environment, built on first use. */
let provider: SecretsProvider | undefined;
const secretsProvider = (): SecretsProvider =>
  (provider ??= new SecretsProvider({ awsSdkV3Client: tracer.captureAWSv3Client(new SecretsManagerClient(awsClientConfig(ENDPOINT_VARIABLES.secretsManager))) }));

/**
 * On AWS the function gets `<NAME>_SECRET_ARN` and reads Secrets Manager through Powertools Parameters (cached
 * for five minutes, so a rotation takes effect without a deploy); the local runtime passes the value itself in
 * `<NAME>`. Neither set is a configuration error, raised when the secret is first needed.
 */
export const secretFromEnvironment = (name: SecretName): SecretSource => {
  return async () => {
    const arn = getOptionalStringFromEnv(secretArnVariableOf(name));
    if (arn !== undefined) {
      const value = await secretsProvider().get(arn, { maxAge: CACHE_SECONDS });
      if (typeof value !== 'string' || value === '') throw new Error(`Secret ${name} is empty or not a string`);
      return value;
    }
    const value = getOptionalStringFromEnv(name);
    if (value === undefined) throw new Error(`Neither ${secretArnVariableOf(name)} nor ${name} is set`);
    return value;
  };
};
