import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import type { SealingContext, TokenSealer } from '../../domain/open-banking/authorisation';
import type { SecretSource } from '../secret-source';

const PREFIX = 'aesgcm1';
const IV_BYTES = 12;
const TAG_BYTES = 16;

/** The additional authenticated data: a sealed value opens only for the tenant and consent it was sealed for. */
export const contextBytes = (context: SealingContext): Buffer => Buffer.from(JSON.stringify([context.tenantId, context.consentId]), 'utf8');

const keyOf = (encoded: string): Buffer => {
  const key = Buffer.from(encoded, 'base64');
  if (key.length !== 32) throw new Error('The token sealing key must be 32 bytes, base64-encoded');
  return key;
};

/**
 * AES-256-GCM with a random 96-bit IV per value and the context as AAD: `aesgcm1.<iv>.<ciphertext>.<tag>`
 * (base64url). The local runtime's stand-in for KMS; the key comes from SETTLED_TOKEN_SEALING_KEY.
 */
export class LocalTokenSealer implements TokenSealer {
  private key: Promise<Buffer> | undefined;

  constructor(private readonly secret: SecretSource) {}

  private async currentKey(): Promise<Buffer> {
    this.key ??= this.secret().then(keyOf);
    return this.key;
  }

  async seal(plaintext: string, context: SealingContext): Promise<string> {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', await this.currentKey(), iv, { authTagLength: TAG_BYTES });
    cipher.setAAD(contextBytes(context));
    const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    return [PREFIX, iv.toString('base64url'), ciphertext.toString('base64url'), cipher.getAuthTag().toString('base64url')].join('.');
  }

  async open(sealed: string, context: SealingContext): Promise<string> {
    const [prefix, iv, ciphertext, tag, ...rest] = sealed.split('.');
    if (prefix !== PREFIX || iv === undefined || ciphertext === undefined || tag === undefined || rest.length > 0) {
      throw new Error('Not a value this sealer sealed');
    }
    const tagBytes = Buffer.from(tag, 'base64url');
    if (tagBytes.length !== TAG_BYTES) throw new Error('Not a value this sealer sealed');
    const decipher = createDecipheriv('aes-256-gcm', await this.currentKey(), Buffer.from(iv, 'base64url'), { authTagLength: TAG_BYTES });
    decipher.setAAD(contextBytes(context));
    decipher.setAuthTag(tagBytes);
    // final() throws when the ciphertext, tag or context differ from what was sealed.
    return Buffer.concat([decipher.update(Buffer.from(ciphertext, 'base64url')), decipher.final()]).toString('utf8');
  }
}
