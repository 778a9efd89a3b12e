import { generateKeyPairSync, sign, type KeyObject } from 'node:crypto';
import type { TrueLayerJwks } from '../../shared/adapters/bank-webhooks/truelayer-webhook';

const base64url = (value: string | Buffer): string => Buffer.from(value).toString('base64url');

/** A fresh P-521 key pair, its public half as a JWKS with `kid`. */
export const aTrueLayerKeyPair = (kid: string): { privateKey: KeyObject; jwks: TrueLayerJwks } => {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-521' });
  return { privateKey, jwks: { keys: [{ ...publicKey.export({ format: 'jwk' }), kty: 'EC', alg: 'ES512', kid }] } };
};

/**
 * A `Tl-Signature` built the way TrueLayer signs webhooks (v2: detached ES512 JWS over `POST path\n` + the listed
 * headers + body, `jku` in the header); `truelayer-signing`'s own `sign` cannot add a `jku`.
 */
export const aTlSignature = (options: { privateKey: KeyObject; kid: string; jku: string; path: string; headers: Record<string, string>; body: string }): string => {
  const header = base64url(JSON.stringify({ alg: 'ES512', kid: options.kid, tl_version: '2', tl_headers: Object.keys(options.headers).join(','), jku: options.jku }));
  const payload = `POST ${options.path}\n${Object.entries(options.headers)
    .map(([name, value]) => `${name}: ${value}\n`)
    .join('')}${options.body}`;
  const signature = sign('sha512', Buffer.from(`${header}.${base64url(payload)}`), { key: options.privateKey, dsaEncoding: 'ieee-p1363' });
  return `${header}..${base64url(signature)}`;
};
