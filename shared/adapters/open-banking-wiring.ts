import * as v from 'valibot';
import type { OperationLog } from '../domain/accounts/consents';
import type { AccountInformationGateway, Aspsp, AspspDirectory } from '../domain/open-banking/ports';
import { SECRET_VARIABLES } from '../runtime/environment';
import { logger } from '../runtime/powertools';
import { type AspspRegistryEntry, AspspRegistrySchema } from './obie/configuration';
import { secretFromEnvironment, type SecretSource } from './secret-source';

/** The public face of a registry entry (`GET /v1/aspsps`): no client id, financial id or CA. */
export const aspspOf = (entry: AspspRegistryEntry): Aspsp => ({
  id: entry.id,
  name: entry.name,
  apiVersion: entry.apiVersion,
  issuer: entry.issuer,
  authorizationEndpoint: entry.authorizationEndpoint,
  tokenEndpoint: entry.tokenEndpoint,
  jwksUri: entry.jwksUri,
  resourceBaseUrl: entry.resourceBaseUrl,
  aggregatedPolling: entry.aggregatedPolling,
});

/** The banks of the ASPSP registry secret (SETTLED_ASPSP_REGISTRY), validated on every read (the secret source caches). */
export class SecretAspspDirectory implements AspspDirectory {
  constructor(private readonly registry: SecretSource) {}

  async list(): Promise<readonly Aspsp[]> {
    const parsed = v.safeParse(AspspRegistrySchema, JSON.parse(await this.registry()));
    if (!parsed.success) throw new Error('The ASPSP registry secret is not a valid registry');
    return parsed.output.aspsps.map(aspspOf);
  }

  async get(aspspId: string): Promise<Aspsp | undefined> {
    return (await this.list()).find((aspsp) => aspsp.id === aspspId);
  }
}

const unwired = (operation: string) => async (): Promise<never> => {
  throw new Error(`The Open Banking gateway is not wired into this build (${operation})`);
};

/** Answers every call with an error: the stand-in until the Open Banking adapter (shared/adapters/obie) is composed here. */
export const unwiredAccountInformationGateway: AccountInformationGateway = {
  createAccessConsent: unwired('createAccessConsent'),
  exchangeCode: unwired('exchangeCode'),
  refreshTokens: unwired('refreshTokens'),
  listAccounts: unwired('listAccounts'),
  getBookedBalance: unwired('getBookedBalance'),
  fetchTransactions: unwired('fetchTransactions'),
  deleteAccessConsent: unwired('deleteAccessConsent'),
};

/**
 * The Open Banking parts the account functions use, in one place: the registry of banks and the AIS gateway.
 * The adapter of shared/adapters/obie replaces the gateway here (its `createObieGateways()`), for every function at once.
 */
export const obieAccountAccess = (): { readonly directory: AspspDirectory; readonly gateway: AccountInformationGateway } => ({
  directory: new SecretAspspDirectory(secretFromEnvironment(SECRET_VARIABLES.aspspRegistry)),
  gateway: unwiredAccountInformationGateway,
});

/** Use-case warnings to the function's log (the use cases pass no secrets in them). */
export const operationLog: OperationLog = { warn: (message, details) => logger.warn(message, { ...details }) };
