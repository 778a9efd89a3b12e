import { getSecret } from '@aws-lambda-powertools/parameters/secrets';
import { getOptionalStringFromEnv } from '../runtime/config';

/** Reads a secret value; cached by the implementation so the hot path does not call Secrets Manager. */
export type SecretSource = () => Promise<string>;

const CACHE_SECONDS = 300;

/**
 * On AWS the function gets `<NAME>_SECRET_ARN` and reads Secrets Manager through Powertools Parameters (cached
 * for five minutes, so a rotation takes effect without a deploy); the local runtime passes the value itself in
 * `<NAME>`. Neither set is a configuration error, raised when the secret is first needed.
 */
export const secretFromEnvironment = (name: string): SecretSource => {
  return async () => {
    const arn = getOptionalStringFromEnv(`${name}_SECRET_ARN`);
    if (arn !== undefined) {
      const value = await getSecret<string>(arn, { maxAge: CACHE_SECONDS });
      if (typeof value !== 'string' || value === '') throw new Error(`Secret ${name} is empty or not a string`);
      return value;
    }
    const value = getOptionalStringFromEnv(name);
    if (value === undefined) throw new Error(`Neither ${name}_SECRET_ARN nor ${name} is set`);
    return value;
  };
};
