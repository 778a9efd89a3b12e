import { type CryptoKey, FlattenedSign, type JWK, type KeyObject, SignJWT, base64url, decodeProtectedHeader, flattenedVerify, importJWK } from 'jose';

/**
 * `x-jws-signature` as Open Banking UK v3.1.4+ and v4.0 define it: a detached compact JWS `<header>..<signature>` over
 * the exact body bytes (ordinary base64url payload, no `b64` header), PS256, with the `http://openbanking.org.uk/`
 * iat/iss/tan claims in the protected header and named in `crit`.
 */
export const OB_IAT = 'http://openbanking.org.uk/iat';
export const OB_ISS = 'http://openbanking.org.uk/iss';
export const OB_TAN = 'http://openbanking.org.uk/tan';
export const OB_TRUST_ANCHOR = 'openbanking.org.uk';
const CRIT = [OB_IAT, OB_ISS, OB_TAN];
/** jose refuses unknown `crit` names unless told they are understood. */
const CRIT_OPTION = { [OB_IAT]: true, [OB_ISS]: true, [OB_TAN]: true };

export type SigningKey = KeyObject | CryptoKey;

export const importSigningKey = async (jwk: JWK): Promise<SigningKey> => {
  const key = await importJWK(jwk, 'PS256');
  if (key instanceof Uint8Array) throw new Error('A signing key must be asymmetric');
  return key;
};

export const signDetached = async (body: string, key: SigningKey, kid: string, issuer: string): Promise<string> => {
  const jws = await new FlattenedSign(new TextEncoder().encode(body))
    .setProtectedHeader({
      alg: 'PS256',
      kid,
      typ: 'JOSE',
      cty: 'application/json',
      [OB_IAT]: Math.floor(Date.now() / 1000),
      [OB_ISS]: issuer,
      [OB_TAN]: OB_TRUST_ANCHOR,
      crit: CRIT,
    })
    .sign(key, { crit: CRIT_OPTION });
  return `${jws.protected ?? ''}..${jws.signature}`;
};

export class JwsRejected extends Error {
  constructor(
    readonly code: 'UK.OBIE.Signature.Missing' | 'UK.OBIE.Signature.Malformed' | 'UK.OBIE.Signature.Invalid' | 'UK.OBIE.Signature.InvalidClaim' | 'UK.OBIE.Signature.MissingClaim',
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'JwsRejected';
  }
}

/** Checks a detached `x-jws-signature` over `body` with the sender's key and expected `http://openbanking.org.uk/iss`. */
export const verifyDetached = async (signature: string | undefined, body: string, key: SigningKey, expected: { kid: string; issuer: string }): Promise<void> => {
  if (signature === undefined || signature === '') throw new JwsRejected('UK.OBIE.Signature.Missing', 'x-jws-signature is missing');
  const parts = signature.split('.');
  const [protectedHeader, payload, sig] = parts;
  if (parts.length !== 3 || protectedHeader === undefined || sig === undefined || payload !== '') {
    throw new JwsRejected('UK.OBIE.Signature.Malformed', 'x-jws-signature must be a detached compact JWS <header>..<signature>');
  }
  let header: Record<string, unknown>;
  try {
    header = decodeProtectedHeader(signature);
  } catch (error) {
    throw new JwsRejected('UK.OBIE.Signature.Malformed', 'x-jws-signature has an unreadable protected header', { cause: error });
  }
  if (header.alg !== 'PS256') throw new JwsRejected('UK.OBIE.Signature.InvalidClaim', 'x-jws-signature alg must be PS256');
  if ('b64' in header) throw new JwsRejected('UK.OBIE.Signature.InvalidClaim', 'x-jws-signature must not carry b64 (removed in v3.1.4)');
  if (header.kid !== expected.kid) throw new JwsRejected('UK.OBIE.Signature.InvalidClaim', 'x-jws-signature kid is not the registered signing key');
  if (header.typ !== 'JOSE' || header.cty !== 'application/json') throw new JwsRejected('UK.OBIE.Signature.InvalidClaim', 'x-jws-signature typ must be JOSE and cty application/json');
  const crit = header.crit;
  if (!Array.isArray(crit) || CRIT.some((name) => !crit.includes(name)) || CRIT.some((name) => !(name in header))) {
    throw new JwsRejected('UK.OBIE.Signature.MissingClaim', `x-jws-signature must carry and name in crit ${CRIT.join(', ')}`);
  }
  if (header[OB_ISS] !== expected.issuer) throw new JwsRejected('UK.OBIE.Signature.InvalidClaim', `${OB_ISS} must be ${expected.issuer}`);
  if (header[OB_TAN] !== OB_TRUST_ANCHOR) throw new JwsRejected('UK.OBIE.Signature.InvalidClaim', `${OB_TAN} must be ${OB_TRUST_ANCHOR}`);
  const iat = header[OB_IAT];
  if (typeof iat !== 'number' || Math.abs(iat - Date.now() / 1000) > 300) {
    throw new JwsRejected('UK.OBIE.Signature.InvalidClaim', `${OB_IAT} must be a time in seconds within five minutes of now`);
  }
  try {
    await flattenedVerify(
      { protected: protectedHeader, payload: base64url.encode(body), signature: sig },
      key,
      { algorithms: ['PS256'], crit: CRIT_OPTION },
    );
  } catch (error) {
    throw new JwsRejected('UK.OBIE.Signature.Invalid', 'x-jws-signature does not verify over the body with the registered key', { cause: error });
  }
};

/** A compact JWT signed PS256 with the bank's key (event notifications). */
export const signJwt = async (claims: Record<string, unknown>, key: SigningKey, kid: string): Promise<string> =>
  new SignJWT(claims).setProtectedHeader({ alg: 'PS256', kid, typ: 'JWT' }).sign(key);
