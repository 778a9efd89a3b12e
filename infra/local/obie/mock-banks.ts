import { join } from 'node:path';
import * as v from 'valibot';
import { type AspspRegistry, AspspRegistrySchema, type TppCredentials, TppCredentialsSchema } from '../../../shared/adapters/obie/configuration';
import { type BankProfile, MockBank, type ReferenceStyle } from './mock-bank/bank';
import { importSigningKey } from './mock-bank/jws';
import { certificateDer, generatePki, type Pki, PkiSchema, publicJwk } from './mock-bank/pki';
import { FasterPaymentsScheme } from './mock-bank/scheme';
import { type MockBanksState, MockBanksStateSchema, emptyBankState, readJsonFile, writeJsonFile } from './mock-bank/state';
import { ObieSpecValidator } from './spec-validator';

/**
 * Two mock Open Banking UK banks (ASPSPs) for the local runtime and the tests, sharing one simulated Faster Payments
 * scheme: `mock-north` speaks v3.1.11 and offers aggregated polling, `mock-south` speaks v4.0 and pushes event
 * notifications. Both hold Settled to the official OpenAPI files, mutual TLS, private_key_jwt, signed request
 * objects and x-jws-signature, and record every breach in `violations()`. See ./README.md for the test controls.
 */
export interface MockBanksOptions {
  /** Persist state and keys under `${dataDir}/mock-banks/` (atomic write: tmp + rename). */
  readonly dataDir: string;
  /** Settled's base URL: redirect URI `${apiBaseUrl}/v1/consents/callback`, notifications to `${apiBaseUrl}/v1/bank-webhooks/obie`. */
  readonly apiBaseUrl: string;
  /** Default 127.0.0.1. */
  readonly host?: string;
  /** How long a credit stays pending before it is booked (default 1500 ms). */
  readonly bookingDelayMs?: number;
  /** Lifetime of access tokens (default 3600 s), short in tests to exercise refresh. */
  readonly accessTokenTtlSeconds?: number;
  /** Transactions per page of `GET .../transactions` (default 25). */
  readonly transactionPageSize?: number;
  /** How each bank shows a payer's reference (default: mock-north `upper-case`, mock-south `as-sent`). */
  readonly referenceStyles?: Readonly<Partial<Record<MockBankId, ReferenceStyle>>>;
  /** Delays between attempts to push an event notification (default 250, 1000, 4000 ms: four attempts). */
  readonly notificationRetryDelaysMs?: readonly number[];
  /** Most transactions each bank accepts in one file payment (default: mock-north 50, mock-south 100); also its registry entry's fileTransactionLimit. */
  readonly fileTransactionLimits?: Readonly<Partial<Record<MockBankId, number>>>;
}

export interface MockBankInfo {
  readonly id: string;
  readonly name: string;
  readonly apiVersion: 'v3.1.11' | 'v4.0';
  readonly authorizationEndpoint: string;
  readonly resourceBaseUrl: string;
  readonly controlUrl: string;
}

export interface MockBanks {
  /** One entry per bank, validating against AspspRegistrySchema. */
  readonly registry: AspspRegistry;
  /** Settled's client credentials (signing key, transport cert+key), validating against TppCredentialsSchema. */
  readonly credentials: TppCredentials;
  readonly banks: readonly MockBankInfo[];
  /** Every request or response that broke the official schema, JWS, mTLS or client-auth rules, since start. Tests assert it is empty. */
  violations(): readonly string[];
  stop(): Promise<void>;
}

export const MOCK_BANK_IDS = ['mock-north', 'mock-south'] as const;
export type MockBankId = (typeof MOCK_BANK_IDS)[number];

const PROFILES: readonly (Omit<BankProfile, 'referenceStyle' | 'id' | 'fileTransactionLimit'> & { readonly id: MockBankId })[] = [
  { id: 'mock-north', name: 'Mock North Bank', apiVersion: 'v3.1.11', sortCodePrefix: '0401', pushNotifications: false },
  { id: 'mock-south', name: 'Mock South Bank', apiVersion: 'v4.0', sortCodePrefix: '0402', pushNotifications: true },
];
const DEFAULT_REFERENCE_STYLES: Record<MockBankId, ReferenceStyle> = { 'mock-north': 'upper-case', 'mock-south': 'as-sent' };
const DEFAULT_FILE_TRANSACTION_LIMITS: Record<MockBankId, number> = { 'mock-north': 50, 'mock-south': 100 };

const ORGANISATION_ID = '0015800001041RHAAY';
const SOFTWARE_ID = 'settled-local';
const clientIdAt = (bankId: string): string => `settled-local-${bankId}`;

const loadPki = async (path: string): Promise<Pki> => {
  const stored = readJsonFile(path, PkiSchema);
  if (stored !== undefined && MOCK_BANK_IDS.every((id) => stored.servers[id] !== undefined && stored.bankSigning[id] !== undefined)) return stored;
  const pki = await generatePki(MOCK_BANK_IDS);
  writeJsonFile(path, pki);
  return pki;
};

const loadState = (path: string): MockBanksState => {
  const state = readJsonFile(path, MockBanksStateSchema) ?? { version: 1 as const, ports: {}, banks: {}, pendingBookings: [], fasterPaymentsCount: 0 };
  for (const id of MOCK_BANK_IDS) state.banks[id] ??= emptyBankState();
  return state;
};

export const startMockBanks = async (options: MockBanksOptions): Promise<MockBanks> => {
  const root = join(options.dataDir, 'mock-banks');
  const statePath = join(root, 'state.json');
  const host = options.host ?? '127.0.0.1';
  const [pki, validators] = await Promise.all([
    loadPki(join(root, 'pki.json')),
    Promise.all([ObieSpecValidator.load('v3.1.11'), ObieSpecValidator.load('v4.0')]),
  ]);
  const state = loadState(statePath);
  const save = (): void => writeJsonFile(statePath, state);
  const violations: string[] = [];
  const scheme = new FasterPaymentsScheme(state, save, options.bookingDelayMs ?? 1500);
  const tppSigningKey = await importSigningKey(publicJwk(pki.tppSigning));
  const transportCertificateDer = certificateDer(pki.tppTransport.certificatePem);

  const banks: MockBank[] = [];
  for (const profile of PROFILES) {
    const id = profile.id;
    const signingJwk = pki.bankSigning[id];
    const server = pki.servers[id];
    const bankState = state.banks[id];
    if (signingJwk === undefined || server === undefined || bankState === undefined) throw new Error(`mock bank ${id} has no keys or state`);
    const validator = validators.find((candidate) => candidate.version === profile.apiVersion);
    if (validator === undefined) throw new Error(`no validator for ${profile.apiVersion}`);
    const bank = new MockBank({
      profile: {
        ...profile,
        referenceStyle: options.referenceStyles?.[id] ?? DEFAULT_REFERENCE_STYLES[id],
        fileTransactionLimit: options.fileTransactionLimits?.[id] ?? DEFAULT_FILE_TRANSACTION_LIMITS[id],
      },
      state: bankState,
      save,
      scheme,
      validator,
      recordViolation: (message) => violations.push(message),
      tls: { certificatePem: server.certificatePem, keyPem: server.keyPem, caPem: pki.ca.certificatePem },
      signingJwk,
      signingKey: await importSigningKey(signingJwk),
      client: {
        clientId: clientIdAt(id),
        jwsIssuer: `${ORGANISATION_ID}/${SOFTWARE_ID}`,
        signingKid: pki.tppSigning.kid,
        signingKey: tppSigningKey,
        transportCertificateDer,
        redirectUris: [`${options.apiBaseUrl}/v1/consents/callback`],
        notificationUrl: `${options.apiBaseUrl}/v1/bank-webhooks/obie`,
      },
      host,
      accessTokenTtlSeconds: options.accessTokenTtlSeconds ?? 3600,
      pageSize: options.transactionPageSize ?? 25,
      notificationRetryDelaysMs: options.notificationRetryDelaysMs ?? [250, 1000, 4000],
    });
    scheme.join(bank);
    banks.push(bank);
  }
  try {
    for (const bank of banks) {
      await bank.listen(state.ports[bank.id]);
      state.ports[bank.id] = bank.ports;
    }
  } catch (error) {
    await Promise.all(banks.map((bank) => bank.stop()));
    throw error;
  }
  save();
  scheme.resume();

  const registry = v.parse(AspspRegistrySchema, {
    aspsps: banks.map((bank) => ({
      id: bank.id,
      name: bank.name,
      apiVersion: bank.apiVersion,
      issuer: bank.issuer,
      authorizationEndpoint: bank.authorizationEndpoint,
      tokenEndpoint: bank.tokenEndpoint,
      jwksUri: bank.jwksUri,
      resourceBaseUrl: bank.resourceBaseUrl,
      aggregatedPolling: bank.offersAggregatedPolling,
      fileTransactionLimit: bank.fileTransactionLimit,
      clientId: clientIdAt(bank.id),
      serverCaPem: pki.ca.certificatePem,
    })),
  });
  const credentials = v.parse(TppCredentialsSchema, {
    organisationId: ORGANISATION_ID,
    softwareId: SOFTWARE_ID,
    signingKey: pki.tppSigning,
    transportCertificatePem: pki.tppTransport.certificatePem,
    transportKeyPem: pki.tppTransport.keyPem,
  });
  let stopped = false;
  return {
    registry,
    credentials,
    banks: banks.map((bank) => ({
      id: bank.id,
      name: bank.name,
      apiVersion: bank.apiVersion,
      authorizationEndpoint: bank.authorizationEndpoint,
      resourceBaseUrl: bank.resourceBaseUrl,
      controlUrl: bank.controlUrl,
    })),
    violations: () => [...violations],
    stop: async () => {
      if (stopped) return;
      stopped = true;
      scheme.stop();
      await Promise.all(banks.map((bank) => bank.stop()));
      save();
    },
  };
};
