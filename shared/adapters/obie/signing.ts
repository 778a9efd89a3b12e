import { createHash, randomUUID } from 'node:crypto';
import { base64url, CompactSign, flattenedVerify, importJWK, SignJWT, type CryptoKey, type FlattenedVerifyGetKey, type JWK } from 'jose';
import type { AspspRegistryEntry, TppCredentials } from './configuration';

/**
 * What Settled signs for a bank, all PS256 with the TPP signing key (jose does the JWS): the detached
 * `x-jws-signature` of a request body, the `private_key_jwt` client assertion, and the authorisation request object.
 */
export const OB_IAT = 'http://openbanking.org.uk/iat';
export const OB_ISS = 'http://openbanking.org.uk/iss';
export const OB_TAN = 'http://openbanking.org.uk/tan';
/** The trust anchor of the Open Banking Directory. */
export const OB_TRUST_ANCHOR = 'openbanking.org.uk';
/** The `crit` claims of an Open Banking 3.1.4+ (and 4.0) message signature: no `b64` (removed in 3.1.4). */
export const OB_CRIT = [OB_IAT, OB_ISS, OB_TAN] as const;
const CRIT_RECOGNISED: Record<string, boolean> = Object.fromEntries(OB_CRIT.map((name) => [name, true]));

export const CLIENT_ASSERTION_TYPE = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';
/** Client assertions live two minutes (the profile allows at most five). */
export const CLIENT_ASSERTION_LIFETIME_SECONDS = 120;
/** Request objects live 55 minutes (the profile allows at most an hour between `nbf` and `exp`). */
export const REQUEST_OBJECT_LIFETIME_SECONDS = 55 * 60;

export interface SigningKey {
  readonly kid: string;
  readonly key: CryptoKey | Uint8Array;
}

const keyCache = new WeakMap<object, Promise<SigningKey>>();

/** The TPP's private signing key, imported once per credentials object. */
export const signingKeyOf = (credentials: TppCredentials): Promise<SigningKey> => {
  let cached = keyCache.get(credentials.signingKey);
  if (cached === undefined) {
    const jwk: JWK = { ...credentials.signingKey };
    cached = importJWK(jwk, 'PS256').then((key) => ({ kid: credentials.signingKey.kid, key }));
    keyCache.set(credentials.signingKey, cached);
  }
  return cached;
};

const seconds = (now: Date): number => Math.floor(now.getTime() / 1000);

/**
 * The `x-jws-signature` of a request body: a compact JWS with the payload detached (`header..signature`), the
 * payload being the body's exact bytes, base64url-encoded in the signing input as usual (no `b64: false`, which
 * 3.1.4 removed and 4.0 does not have). Protected header: alg PS256, kid, typ JOSE, cty application/json, the OB
 * iat/iss/tan claims and `crit` naming them.
 */
export const signDetachedJws = async (body: string, credentials: TppCredentials, now: Date): Promise<string> => {
  const { kid, key } = await signingKeyOf(credentials);
  const jws = await new CompactSign(new TextEncoder().encode(body))
    .setProtectedHeader({
      alg: 'PS256',
      kid,
      typ: 'JOSE',
      cty: 'application/json',
      [OB_IAT]: seconds(now),
      [OB_ISS]: `${credentials.organisationId}/${credentials.softwareId}`,
      [OB_TAN]: OB_TRUST_ANCHOR,
      crit: [...OB_CRIT],
    })
    .sign(key, { crit: CRIT_RECOGNISED });
  const [header, , signature] = jws.split('.');
  return `${header ?? ''}..${signature ?? ''}`;
};

/** The `private_key_jwt` client assertion for the bank's token endpoint (RFC 7523): iss = sub = client id. */
export const signClientAssertion = async (bank: AspspRegistryEntry, credentials: TppCredentials, now: Date): Promise<string> => {
  const { kid, key } = await signingKeyOf(credentials);
  const iat = seconds(now);
  return new SignJWT({})
    .setProtectedHeader({ alg: 'PS256', kid, typ: 'JWT' })
    .setIssuer(bank.clientId)
    .setSubject(bank.clientId)
    .setAudience(bank.tokenEndpoint)
    .setJti(randomUUID())
    .setIssuedAt(iat)
    .setExpirationTime(iat + CLIENT_ASSERTION_LIFETIME_SECONDS)
    .sign(key);
};

/** PKCE S256 (RFC 7636): base64url(SHA-256(verifier)). */
export const pkceChallenge = (codeVerifier: string): string => createHash('sha256').update(codeVerifier, 'ascii').digest('base64url');

export type ConsentScope = 'accounts' | 'payments';

export interface AuthorisationParameters {
  readonly state: string;
  readonly nonce: string;
  readonly codeVerifier: string;
  readonly redirectUri: string;
}

/**
 * The bank's authorisation URL: the OAuth parameters in the query (so the bank can route before it reads the request
 * object) and the same parameters in a PS256 request object (`aud` = the bank's issuer, `iss` = our client id), which
 * also asks for the consent as an essential `openbanking_intent_id` claim.
 */
export const buildAuthorisationUrl = async (
  bank: AspspRegistryEntry,
  credentials: TppCredentials,
  scope: ConsentScope,
  bankConsentId: string,
  authorisation: AuthorisationParameters,
  now: Date,
): Promise<string> => {
  const { kid, key } = await signingKeyOf(credentials);
  const parameters = {
    client_id: bank.clientId,
    response_type: 'code',
    scope: `openid ${scope}`,
    redirect_uri: authorisation.redirectUri,
    state: authorisation.state,
    nonce: authorisation.nonce,
    code_challenge: pkceChallenge(authorisation.codeVerifier),
    code_challenge_method: 'S256',
  };
  const iat = seconds(now);
  const request = await new SignJWT({
    ...parameters,
    claims: { id_token: { openbanking_intent_id: { value: bankConsentId, essential: true } } },
  })
    .setProtectedHeader({ alg: 'PS256', kid, typ: 'JWT' })
    .setIssuer(bank.clientId)
    .setAudience(bank.issuer)
    .setJti(randomUUID())
    .setIssuedAt(iat)
    .setNotBefore(iat)
    .setExpirationTime(iat + REQUEST_OBJECT_LIFETIME_SECONDS)
    .sign(key);
  const query = Object.entries({ ...parameters, request })
    .map(([name, value]) => `${encodeURIComponent(name)}=${encodeURIComponent(value)}`)
    .join('&');
  const separator = bank.authorizationEndpoint.includes('?') ? '&' : '?';
  return `${bank.authorizationEndpoint}${separator}${query}`;
};

/**
 * Verifies a detached `x-jws-signature` (a bank's response) over the exact body bytes: PS256 only, the OB claims
 * present and critical. The OB `iss` is not compared: a bank's is its directory identity, which the registry does not
 * hold; the key from the bank's own JWKS is what binds the signature to the bank.
 */
export const verifyDetachedJws = async (signature: string, body: string, keys: FlattenedVerifyGetKey): Promise<void> => {
  const [protectedHeader, payload, value] = signature.split('.');
  if (protectedHeader === undefined || payload !== '' || value === undefined) throw new Error('not a detached compact JWS');
  const verified = await flattenedVerify({ protected: protectedHeader, payload: base64url.encode(body), signature: value }, keys, { algorithms: ['PS256'], crit: CRIT_RECOGNISED });
  const header = verified.protectedHeader ?? {};
  const crit = Array.isArray(header.crit) ? header.crit : [];
  for (const claim of OB_CRIT) {
    if (header[claim] === undefined || !crit.includes(claim)) throw new Error(`the signature does not carry ${claim} as a critical claim`);
  }
};
