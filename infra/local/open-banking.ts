import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import * as v from 'valibot';
import { type AspspRegistry, AspspRegistrySchema, type TppCredentials, TppCredentialsSchema } from '../../shared/adapters/obie/configuration';
import { type MockBanks, startMockBanks } from './obie/mock-banks';

/**
 * The Open Banking side of the local runtime: which banks the functions talk to (the mock banks by default, or the
 * registry and credentials files a developer points at), and the key that seals bank tokens at rest here (KMS does
 * that on AWS).
 */
export interface LocalOpenBanking {
  readonly registry: AspspRegistry;
  readonly credentials: TppCredentials;
  /** base64 of 32 random bytes: AES-256-GCM for the local token sealer. */
  readonly tokenSealingKey: string;
  /** The mock banks, when they are what the registry names. */
  readonly mockBanks: MockBanks | undefined;
  stop(): Promise<void>;
}

export interface LocalOpenBankingOptions {
  readonly dataDir: string | undefined;
  readonly apiBaseUrl: string;
  /** Registry and credentials files (JSON, shared/adapters/obie/configuration.ts): real banks instead of the mocks. */
  readonly registryFile: string | undefined;
  readonly credentialsFile: string | undefined;
  readonly bookingDelayMs: number | undefined;
}

const readJson = <T>(file: string, schema: v.GenericSchema<unknown, T>, what: string): T => {
  const parsed = v.safeParse(schema, JSON.parse(readFileSync(file, 'utf8')));
  if (!parsed.success) throw new Error(`${what} ${file} is invalid: ${parsed.issues.map((issue) => `${v.getDotPath(issue) ?? ''} ${issue.message}`).join('; ')}`);
  return parsed.output;
};

/** Kept beside the data so tokens sealed before a restart open after it; readable by this user only. */
const tokenSealingKeyIn = (dataDir: string | undefined): string => {
  if (dataDir === undefined) return randomBytes(32).toString('base64');
  const file = join(resolve(dataDir), 'token-sealing.key');
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  mkdirSync(resolve(dataDir), { recursive: true });
  const key = randomBytes(32).toString('base64');
  writeFileSync(file, `${key}\n`, { mode: 0o600 });
  return key;
};

export const startLocalOpenBanking = async (options: LocalOpenBankingOptions): Promise<LocalOpenBanking> => {
  const tokenSealingKey = tokenSealingKeyIn(options.dataDir);
  if (options.registryFile !== undefined || options.credentialsFile !== undefined) {
    if (options.registryFile === undefined || options.credentialsFile === undefined) {
      throw new Error('SETTLED_ASPSP_REGISTRY_FILE and SETTLED_TPP_CREDENTIALS_FILE go together: set both, or neither for the mock banks');
    }
    return {
      registry: readJson(options.registryFile, AspspRegistrySchema, 'The ASPSP registry'),
      credentials: readJson(options.credentialsFile, TppCredentialsSchema, 'The TPP credentials'),
      tokenSealingKey,
      mockBanks: undefined,
      stop: async () => undefined,
    };
  }
  // In memory the mock banks still need a folder for their keys and state: a temporary one, removed on stop.
  const temporary = options.dataDir === undefined ? mkdtempSync(join(tmpdir(), 'settled-mock-banks-')) : undefined;
  const mockBanks = await startMockBanks({
    dataDir: temporary ?? resolve(options.dataDir ?? '.'),
    apiBaseUrl: options.apiBaseUrl,
    ...(options.bookingDelayMs === undefined ? {} : { bookingDelayMs: options.bookingDelayMs }),
  });
  return {
    registry: mockBanks.registry,
    credentials: mockBanks.credentials,
    tokenSealingKey,
    mockBanks,
    stop: async () => {
      await mockBanks.stop();
      if (temporary !== undefined) rmSync(temporary, { recursive: true, force: true });
    },
  };
};
