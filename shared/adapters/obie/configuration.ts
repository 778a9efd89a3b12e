import * as v from 'valibot';
import { OBIE_API_VERSIONS } from '../../domain/open-banking/ports';

/**
 * How a deployment reaches its banks: the ASPSP registry (one entry per bank) and the TPP's own credentials (the
 * client Settled is registered as). Both are configuration: a Secrets Manager secret each on AWS, files written by
 * the local runtime for its mock banks. Nothing here names a real bank.
 */
const Url = v.pipe(v.string(), v.url());
const Pem = v.pipe(v.string(), v.startsWith('-----BEGIN '));

export const AspspRegistryEntrySchema = v.strictObject({
  id: v.pipe(v.string(), v.regex(/^[a-z0-9][a-z0-9-]{1,62}$/, 'id must be lower-case letters, digits and hyphens')),
  name: v.pipe(v.string(), v.minLength(1)),
  apiVersion: v.picklist(OBIE_API_VERSIONS),
  issuer: Url,
  authorizationEndpoint: Url,
  tokenEndpoint: Url,
  jwksUri: Url,
  /** e.g. `https://bank.example/open-banking/v4.0` (PIS under /pisp, AIS under /aisp, events at /events). */
  resourceBaseUrl: Url,
  aggregatedPolling: v.boolean(),
  /** Settled's client id at this bank (from its dynamic client registration). */
  clientId: v.pipe(v.string(), v.minLength(1)),
  /** x-fapi-financial-id, for banks that still ask for it (v3.1.x). */
  financialId: v.optional(v.string()),
  /**
   * Most transactions the bank accepts in one file payment (its own bulk limit); absent when Settled should not use
   * its file payments (payouts from its accounts answer 422 `payouts_not_supported`).
   */
  fileTransactionLimit: v.optional(v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(100_000))),
  /** CA certificates (PEM) trusted for the bank's TLS server certificate, beyond the system's; a mock bank's own. */
  serverCaPem: v.optional(Pem),
});
export type AspspRegistryEntry = v.InferOutput<typeof AspspRegistryEntrySchema>;

export const AspspRegistrySchema = v.strictObject({ aspsps: v.array(AspspRegistryEntrySchema) });
export type AspspRegistry = v.InferOutput<typeof AspspRegistrySchema>;

/** A private JSON Web Key (RSA, for PS256) with its `kid`. */
export const PrivateJwkSchema = v.looseObject({ kty: v.literal('RSA'), kid: v.string(), n: v.string(), e: v.string(), d: v.string() });

export const TppCredentialsSchema = v.strictObject({
  /** Open Banking directory organisation and software statement ids: `http://openbanking.org.uk/iss` = `${organisationId}/${softwareId}`. */
  organisationId: v.pipe(v.string(), v.minLength(1)),
  softwareId: v.pipe(v.string(), v.minLength(1)),
  /** Signs request objects, client assertions and `x-jws-signature`; its public half is in the directory's JWKS. */
  signingKey: PrivateJwkSchema,
  /** The transport (mTLS client) certificate and its key, PEM. */
  transportCertificatePem: Pem,
  transportKeyPem: Pem,
});
export type TppCredentials = v.InferOutput<typeof TppCredentialsSchema>;
