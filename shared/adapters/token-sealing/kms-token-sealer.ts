import { DecryptCommand, EncryptCommand, type KMSClient } from '@aws-sdk/client-kms';
import type { SealingContext, TokenSealer } from '../../domain/open-banking/authorisation';

const PREFIX = 'kms1';
/** KMS Encrypt takes at most 4 KB of plaintext; bank tokens are far smaller. */
const MAX_PLAINTEXT_BYTES = 4096;

const encryptionContext = (context: SealingContext): Record<string, string> => ({ tenantId: context.tenantId, consentId: context.consentId });

/**
 * Seals with a KMS key (RESOURCE_VARIABLES.tokenKeyId): Encrypt and Decrypt with the (tenantId, consentId)
 * encryption context, which KMS binds to the ciphertext and records in CloudTrail, so a value opens only for the
 * consent it was sealed for. `kms1.<ciphertext blob, base64url>`.
 */
export class KmsTokenSealer implements TokenSealer {
  constructor(
    private readonly client: KMSClient,
    private readonly keyId: string,
  ) {}

  async seal(plaintext: string, context: SealingContext): Promise<string> {
    const bytes = Buffer.from(plaintext, 'utf8');
    if (bytes.length > MAX_PLAINTEXT_BYTES) throw new Error(`KMS seals at most ${MAX_PLAINTEXT_BYTES} bytes`);
    const { CiphertextBlob } = await this.client.send(
      new EncryptCommand({ KeyId: this.keyId, Plaintext: bytes, EncryptionContext: encryptionContext(context) }),
    );
    if (CiphertextBlob === undefined) throw new Error('KMS returned no ciphertext');
    return `${PREFIX}.${Buffer.from(CiphertextBlob).toString('base64url')}`;
  }

  async open(sealed: string, context: SealingContext): Promise<string> {
    const [prefix, blob, ...rest] = sealed.split('.');
    if (prefix !== PREFIX || blob === undefined || rest.length > 0) throw new Error('Not a value this sealer sealed');
    const { Plaintext } = await this.client.send(
      new DecryptCommand({ KeyId: this.keyId, CiphertextBlob: Buffer.from(blob, 'base64url'), EncryptionContext: encryptionContext(context) }),
    );
    if (Plaintext === undefined) throw new Error('KMS returned no plaintext');
    return Buffer.from(Plaintext).toString('utf8');
  }
}
