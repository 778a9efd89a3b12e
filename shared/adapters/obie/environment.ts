import * as v from 'valibot';
import { SECRET_VARIABLES } from '../../runtime/environment';
import { secretFromEnvironment, type SecretSource } from '../secret-source';
import type { ObieConfiguration, ObieConfigurationSource } from './client';
import { AspspRegistrySchema, TppCredentialsSchema } from './configuration';
import { ObieConfigurationError } from './errors';

export { ObieConfigurationError } from './errors';

const parseSecret = <TSchema extends v.GenericSchema>(name: string, schema: TSchema, text: string): v.InferOutput<TSchema> => {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new ObieConfigurationError(`${name} is not JSON`);
  }
  const result = v.safeParse(schema, json);
  if (!result.success) {
    const issue = result.issues[0];
    throw new ObieConfigurationError(`${name} is invalid at ${v.getDotPath(issue) ?? '(root)'}: ${issue.message}`);
  }
  return result.output;
};

/** Validates the registry's ids are unique, and each issuer names one bank (event notifications are routed by it). */
const checkRegistry = (configuration: ObieConfiguration): ObieConfiguration => {
  const ids = new Set<string>();
  const issuers = new Set<string>();
  for (const [index, entry] of configuration.registry.aspsps.entries()) {
    if (ids.has(entry.id)) throw new ObieConfigurationError(`${SECRET_VARIABLES.aspspRegistry} is invalid at aspsps.${index}.id: duplicate id ${entry.id}`);
    if (issuers.has(entry.issuer)) throw new ObieConfigurationError(`${SECRET_VARIABLES.aspspRegistry} is invalid at aspsps.${index}.issuer: another bank has the same issuer`);
    ids.add(entry.id);
    issuers.add(entry.issuer);
  }
  return configuration;
};

/**
 * Reads and validates the registry and credentials from the two secret sources; the result is what the sources
 * return parsed, re-read when their text changes (Secrets Manager values are cached five minutes by the source).
 */
export const obieConfigurationFrom = (registrySecret: SecretSource, credentialsSecret: SecretSource): ObieConfigurationSource => {
  let cached: { registryText: string; credentialsText: string; configuration: ObieConfiguration } | undefined;
  return async () => {
    const [registryText, credentialsText] = await Promise.all([registrySecret(), credentialsSecret()]);
    if (cached !== undefined && cached.registryText === registryText && cached.credentialsText === credentialsText) return cached.configuration;
    const configuration = checkRegistry({
      registry: parseSecret(SECRET_VARIABLES.aspspRegistry, AspspRegistrySchema, registryText),
      credentials: parseSecret(SECRET_VARIABLES.tppCredentials, TppCredentialsSchema, credentialsText),
    });
    cached = { registryText, credentialsText, configuration };
    return configuration;
  };
};

let fromEnvironment: ObieConfigurationSource | undefined;

/**
 * The deployment's Open Banking configuration: `SETTLED_ASPSP_REGISTRY` and `SETTLED_TPP_CREDENTIALS` (Secrets
 * Manager on AWS through `<NAME>_SECRET_ARN`, the values themselves locally), parsed with the valibot schemas of
 * configuration.ts. One source per execution environment.
 */
export const obieConfigurationFromEnvironment = (): ObieConfigurationSource =>
  (fromEnvironment ??= obieConfigurationFrom(secretFromEnvironment(SECRET_VARIABLES.aspspRegistry), secretFromEnvironment(SECRET_VARIABLES.tppCredentials)));
