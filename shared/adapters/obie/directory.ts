import type { Aspsp, AspspDirectory } from '../../domain/open-banking/ports';
import type { ObieConfigurationSource } from './client';
import type { AspspRegistryEntry } from './configuration';

/** The public face of a registry entry: no client id, financial id or CA. */
export const publicAspsp = (entry: AspspRegistryEntry): Aspsp => ({
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

/** The banks this deployment is configured for, from the ASPSP registry, in registry order. */
export class RegistryAspspDirectory implements AspspDirectory {
  constructor(private readonly configuration: ObieConfigurationSource) {}

  async list(): Promise<readonly Aspsp[]> {
    return (await this.configuration()).registry.aspsps.map(publicAspsp);
  }

  async get(aspspId: string): Promise<Aspsp | undefined> {
    const entry = (await this.configuration()).registry.aspsps.find((candidate) => candidate.id === aspspId);
    return entry === undefined ? undefined : publicAspsp(entry);
  }
}
