import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { RegistryAspspDirectory } from '../../../../shared/adapters/obie/directory';
import { obieConfigurationFrom, obieConfigurationFromEnvironment, ObieConfigurationError } from '../../../../shared/adapters/obie/environment';
import { SECRET_VARIABLES, secretArnVariableOf } from '../../../../shared/runtime/environment';
import { BANKS, credentialsWith, newKeyPair, V4_BANK, type KeyPair } from './support';

let signing: KeyPair;
beforeAll(async () => {
  signing = await newKeyPair('tpp-1');
});

const NAMES = [SECRET_VARIABLES.aspspRegistry, SECRET_VARIABLES.tppCredentials];
afterEach(() => {
  for (const name of NAMES) {
    Reflect.deleteProperty(process.env, name);
    Reflect.deleteProperty(process.env, secretArnVariableOf(name));
  }
});

const registryText = () => JSON.stringify({ aspsps: BANKS });
const credentialsText = () => JSON.stringify(credentialsWith(signing));

describe('Open Banking configuration', () => {
  it('reads the registry and credentials from the local runtime variables, validated and cached', async () => {
    process.env[SECRET_VARIABLES.aspspRegistry] = registryText();
    process.env[SECRET_VARIABLES.tppCredentials] = credentialsText();
    const source = obieConfigurationFromEnvironment();
    const configuration = await source();
    expect(configuration.registry.aspsps.map((bank) => bank.id)).toEqual(['bank-v3', 'bank-v4']);
    expect(configuration.credentials.softwareId).toBe('settled-software');
    expect(await source()).toBe(configuration);
    expect(obieConfigurationFromEnvironment()).toBe(source);
  });

  it('reads both secrets from Secrets Manager on AWS', async () => {
    const secrets = mockClient(SecretsManagerClient);
    try {
      const registryArn = 'arn:aws:secretsmanager:eu-west-2:111111111111:secret:aspsp-registry-a1';
      const credentialsArn = 'arn:aws:secretsmanager:eu-west-2:111111111111:secret:tpp-credentials-a1';
      secrets.on(GetSecretValueCommand, { SecretId: registryArn }).resolves({ SecretString: registryText() });
      secrets.on(GetSecretValueCommand, { SecretId: credentialsArn }).resolves({ SecretString: credentialsText() });
      process.env[secretArnVariableOf(SECRET_VARIABLES.aspspRegistry)] = registryArn;
      process.env[secretArnVariableOf(SECRET_VARIABLES.tppCredentials)] = credentialsArn;
      const configuration = await obieConfigurationFromEnvironment()();
      expect(configuration.registry.aspsps).toHaveLength(2);
      expect(secrets.commandCalls(GetSecretValueCommand).map((call) => call.args[0].input.SecretId).sort()).toEqual([credentialsArn, registryArn].sort());
    } finally {
      secrets.restore();
    }
  });

  it('names the secret and the bad field, never a value', async () => {
    const bad = { aspsps: [{ ...V4_BANK, tokenEndpoint: 'not a url' }] };
    const source = obieConfigurationFrom(async () => JSON.stringify(bad), async () => credentialsText());
    const error = await source().catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ObieConfigurationError);
    expect(String(error)).toMatch(/SETTLED_ASPSP_REGISTRY is invalid at aspsps\.0\.tokenEndpoint/);
    const { d: _private, ...withoutD } = credentialsWith(signing).signingKey;
    const noKey = obieConfigurationFrom(async () => registryText(), async () => JSON.stringify({ ...credentialsWith(signing), signingKey: withoutD }));
    const keyError = await noKey().catch((caught: unknown) => caught);
    expect(String(keyError)).toMatch(/SETTLED_TPP_CREDENTIALS is invalid at signingKey\.d/);
    expect(String(keyError)).not.toContain(credentialsWith(signing).signingKey.n.slice(0, 20));
    await expect(obieConfigurationFrom(async () => '{', async () => credentialsText())()).rejects.toThrow(/SETTLED_ASPSP_REGISTRY is not JSON/);
    const twice = obieConfigurationFrom(async () => JSON.stringify({ aspsps: [V4_BANK, { ...V4_BANK, id: 'other' }] }), async () => credentialsText());
    await expect(twice()).rejects.toThrow(/aspsps\.1\.issuer/);
    await expect(obieConfigurationFrom(async () => JSON.stringify({ aspsps: [V4_BANK, V4_BANK] }), async () => credentialsText())()).rejects.toThrow(/duplicate id/);
  });

  it('re-reads when a secret changes (a rotation)', async () => {
    let registry = registryText();
    const source = obieConfigurationFrom(async () => registry, async () => credentialsText());
    expect((await source()).registry.aspsps).toHaveLength(2);
    registry = JSON.stringify({ aspsps: [V4_BANK] });
    expect((await source()).registry.aspsps).toHaveLength(1);
  });

  it('shows the public face of each bank in the directory', async () => {
    const source = obieConfigurationFrom(async () => registryText(), async () => credentialsText());
    const directory = new RegistryAspspDirectory(source);
    const listed = await directory.list();
    expect(listed.map((aspsp) => [aspsp.id, aspsp.apiVersion, aspsp.aggregatedPolling])).toEqual([
      ['bank-v3', 'v3.1.11', true],
      ['bank-v4', 'v4.0', false],
    ]);
    expect(await directory.get('bank-v4')).toEqual({
      id: 'bank-v4',
      name: 'Bank bank-v4',
      apiVersion: 'v4.0',
      issuer: V4_BANK.issuer,
      authorizationEndpoint: V4_BANK.authorizationEndpoint,
      tokenEndpoint: V4_BANK.tokenEndpoint,
      jwksUri: V4_BANK.jwksUri,
      resourceBaseUrl: V4_BANK.resourceBaseUrl,
      aggregatedPolling: false,
    });
    expect(await directory.get('nope')).toBeUndefined();
    expect(JSON.stringify(listed)).not.toContain('clientId');
  });
});
