import 'reflect-metadata';
import { X509Certificate, webcrypto } from 'node:crypto';

type CryptoKey = webcrypto.CryptoKey;
type CryptoKeyPair = webcrypto.CryptoKeyPair;
import * as x509 from '@peculiar/x509';
import { exportJWK, generateKeyPair } from 'jose';
import * as v from 'valibot';

/**
 * The local PKI of the mock banks: one local CA that issues each bank's TLS server certificate (valid for 127.0.0.1
 * and localhost) and Settled's transport (mTLS client) certificate, plus a PS256 signing key per party. Generated on
 * first start and kept in the data directory, so Settled's configuration survives a restart.
 */
const Pem = v.pipe(v.string(), v.startsWith('-----BEGIN '));
export const SigningJwkSchema = v.looseObject({ kty: v.literal('RSA'), kid: v.string(), n: v.string(), e: v.string(), d: v.string() });
export type SigningJwk = v.InferOutput<typeof SigningJwkSchema>;

export const CertifiedKeySchema = v.object({ certificatePem: Pem, keyPem: Pem });
export type CertifiedKey = v.InferOutput<typeof CertifiedKeySchema>;

export const PkiSchema = v.object({
  ca: CertifiedKeySchema,
  /** TLS server certificate per bank id. */
  servers: v.record(v.string(), CertifiedKeySchema),
  /** Settled's transport certificate: the client certificate every bank requires. */
  tppTransport: CertifiedKeySchema,
  /** The JWS signing key per bank id. */
  bankSigning: v.record(v.string(), SigningJwkSchema),
  tppSigning: SigningJwkSchema,
});
export type Pki = v.InferOutput<typeof PkiSchema>;

const CERT_ALGORITHM = {
  name: 'RSASSA-PKCS1-v1_5',
  hash: 'SHA-256',
  publicExponent: new Uint8Array([1, 0, 1]),
  modulusLength: 2048,
} as const;

const YEAR_MS = 365 * 24 * 3600 * 1000;

const randomSerial = (): string => Buffer.from(webcrypto.getRandomValues(new Uint8Array(8))).toString('hex').replace(/^[89a-f]/, '1');

const keyPem = async (key: CryptoKey): Promise<string> => x509.PemConverter.encode(await webcrypto.subtle.exportKey('pkcs8', key), 'PRIVATE KEY');

const generateCertKeys = async (): Promise<CryptoKeyPair> => webcrypto.subtle.generateKey(CERT_ALGORITHM, true, ['sign', 'verify']);

interface Issuer {
  readonly certificate: x509.X509Certificate;
  readonly privateKey: CryptoKey;
}

const issue = async (issuer: Issuer, subject: string, usage: 'server' | 'client'): Promise<CertifiedKey> => {
  const keys = await generateCertKeys();
  const now = Date.now();
  const certificate = await x509.X509CertificateGenerator.create({
    serialNumber: randomSerial(),
    subject,
    issuer: issuer.certificate.subject,
    notBefore: new Date(now - 60_000),
    notAfter: new Date(now + 5 * YEAR_MS),
    signingAlgorithm: CERT_ALGORITHM,
    publicKey: keys.publicKey,
    signingKey: issuer.privateKey,
    extensions: [
      new x509.BasicConstraintsExtension(false, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.keyEncipherment, true),
      new x509.ExtendedKeyUsageExtension([usage === 'server' ? x509.ExtendedKeyUsage.serverAuth : x509.ExtendedKeyUsage.clientAuth]),
      ...(usage === 'server'
        ? [new x509.SubjectAlternativeNameExtension([{ type: 'ip', value: '127.0.0.1' }, { type: 'dns', value: 'localhost' }])]
        : []),
    ],
  });
  return { certificatePem: certificate.toString('pem'), keyPem: await keyPem(keys.privateKey) };
};

const signingJwk = async (kid: string): Promise<SigningJwk> => {
  const { privateKey } = await generateKeyPair('PS256', { extractable: true });
  return v.parse(SigningJwkSchema, { ...(await exportJWK(privateKey)), kid, alg: 'PS256', use: 'sig' });
};

/** Generates the whole PKI for the given bank ids. Takes a second or so (RSA key generation). */
export const generatePki = async (bankIds: readonly string[]): Promise<Pki> => {
  const caKeys = await generateCertKeys();
  const caCertificate = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: randomSerial(),
    name: 'CN=Settled Local Open Banking CA, O=Settled (local)',
    notBefore: new Date(Date.now() - 60_000),
    notAfter: new Date(Date.now() + 10 * YEAR_MS),
    signingAlgorithm: CERT_ALGORITHM,
    keys: caKeys,
    extensions: [
      new x509.BasicConstraintsExtension(true, 0, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
    ],
  });
  const ca: Issuer = { certificate: caCertificate, privateKey: caKeys.privateKey };
  const servers: Record<string, CertifiedKey> = {};
  const bankSigning: Record<string, SigningJwk> = {};
  for (const id of bankIds) {
    servers[id] = await issue(ca, `CN=${id}.mock-bank.local, O=${id}`, 'server');
    bankSigning[id] = await signingJwk(`${id}-signing-1`);
  }
  return {
    ca: { certificatePem: caCertificate.toString('pem'), keyPem: await keyPem(caKeys.privateKey) },
    servers,
    tppTransport: await issue(ca, 'CN=settled-local-tpp, O=Settled (local), OU=0015800001041RHAAY', 'client'),
    bankSigning,
    tppSigning: await signingJwk('settled-local-signing-1'),
  };
};

/** The public half of a signing key, as a JWKS entry. */
export const publicJwk = (jwk: SigningJwk): { kty: 'RSA'; kid: string; n: string; e: string; alg: 'PS256'; use: 'sig' } => ({
  kty: 'RSA',
  kid: jwk.kid,
  n: jwk.n,
  e: jwk.e,
  alg: 'PS256',
  use: 'sig',
});

/** The DER bytes of a PEM certificate (base64), to recognise a client's registered transport certificate. */
export const certificateDer = (pem: string): string => new X509Certificate(pem).raw.toString('base64');
