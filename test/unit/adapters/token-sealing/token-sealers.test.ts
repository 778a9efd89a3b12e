import { DecryptCommand, EncryptCommand, KMSClient } from '@aws-sdk/client-kms';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-vitest/extend';
import { randomBytes } from 'node:crypto';
import { beforeEach, describe, expect, it } from 'vitest';
import { KmsTokenSealer } from '../../../../shared/adapters/token-sealing/kms-token-sealer';
import { LocalTokenSealer } from '../../../../shared/adapters/token-sealing/local-token-sealer';

const CONTEXT = { tenantId: 'ten_01JD0000000000000000000001', consentId: 'con_01JD0000000000000000000001' };
const SECRET = '{"accessToken":"at-secret-123","refreshToken":"rt-secret-456","expiresAt":"2026-11-24T11:00:00.000Z"}';
const key = randomBytes(32).toString('base64');

describe('LocalTokenSealer (AES-256-GCM)', () => {
  const sealer = new LocalTokenSealer(async () => key);

  it('opens what it sealed, and the sealed value shows none of the plaintext', async () => {
    const sealed = await sealer.seal(SECRET, CONTEXT);
    expect(sealed).not.toContain('secret');
    expect(sealed.startsWith('aesgcm1.')).toBe(true);
    expect(await sealer.open(sealed, CONTEXT)).toBe(SECRET);
  });

  it('seals the same value differently every time (a fresh IV)', async () => {
    expect(await sealer.seal(SECRET, CONTEXT)).not.toBe(await sealer.seal(SECRET, CONTEXT));
  });

  it('refuses a tampered ciphertext', async () => {
    const sealed = await sealer.seal(SECRET, CONTEXT);
    const [prefix, iv, ciphertext, tag] = sealed.split('.');
    const bytes = Buffer.from(ciphertext ?? '', 'base64url');
    bytes[0] = (bytes[0] ?? 0) ^ 0x01;
    await expect(sealer.open([prefix, iv, bytes.toString('base64url'), tag].join('.'), CONTEXT)).rejects.toThrow();
  });

  it('refuses a value sealed for another consent or tenant', async () => {
    const sealed = await sealer.seal(SECRET, CONTEXT);
    await expect(sealer.open(sealed, { ...CONTEXT, consentId: 'con_01JD0000000000000000000002' })).rejects.toThrow();
    await expect(sealer.open(sealed, { ...CONTEXT, tenantId: 'ten_01JD0000000000000000000002' })).rejects.toThrow();
  });

  it('refuses a value sealed under another key', async () => {
    const other = new LocalTokenSealer(async () => randomBytes(32).toString('base64'));
    await expect(sealer.open(await other.seal(SECRET, CONTEXT), CONTEXT)).rejects.toThrow();
  });

  it('refuses a key that is not 32 bytes', async () => {
    const short = new LocalTokenSealer(async () => randomBytes(16).toString('base64'));
    await expect(short.seal(SECRET, CONTEXT)).rejects.toThrow('32 bytes');
  });
});

describe('KmsTokenSealer', () => {
  const client = new KMSClient({ region: 'eu-west-2' });
  const kms = mockClient(client);
  const sealer = new KmsTokenSealer(client, 'alias/settled-tokens');
  beforeEach(() => kms.reset());

  it('encrypts with the key and the (tenantId, consentId) encryption context, and decrypts with the same', async () => {
    // Prepare: a stand-in KMS that binds the context to the blob as real KMS does.
    kms.on(EncryptCommand).callsFake((input: { Plaintext: Uint8Array; EncryptionContext: Record<string, string> }) => ({
      CiphertextBlob: Buffer.from(JSON.stringify({ context: input.EncryptionContext, data: Buffer.from(input.Plaintext).reverse().toString('base64') })),
    }));
    kms.on(DecryptCommand).callsFake((input: { CiphertextBlob: Uint8Array; EncryptionContext: Record<string, string> }) => {
      const blob = JSON.parse(Buffer.from(input.CiphertextBlob).toString('utf8')) as { context: Record<string, string>; data: string };
      if (JSON.stringify(blob.context) !== JSON.stringify(input.EncryptionContext)) throw new Error('InvalidCiphertextException');
      return { Plaintext: Buffer.from(blob.data, 'base64').reverse() };
    });
    // Act
    const sealed = await sealer.seal(SECRET, CONTEXT);
    // Assess
    expect(kms).toHaveReceivedCommandWith(EncryptCommand, { KeyId: 'alias/settled-tokens', EncryptionContext: { tenantId: CONTEXT.tenantId, consentId: CONTEXT.consentId } });
    expect(sealed).not.toContain('secret');
    expect(await sealer.open(sealed, CONTEXT)).toBe(SECRET);
    expect(kms).toHaveReceivedCommandWith(DecryptCommand, { KeyId: 'alias/settled-tokens', EncryptionContext: { tenantId: CONTEXT.tenantId, consentId: CONTEXT.consentId } });
    await expect(sealer.open(sealed, { ...CONTEXT, consentId: 'con_01JD0000000000000000000002' })).rejects.toThrow('InvalidCiphertextException');
  });

  it('refuses to open a value it did not seal, without calling KMS', async () => {
    await expect(sealer.open('aesgcm1.a.b.c', CONTEXT)).rejects.toThrow('Not a value this sealer sealed');
    expect(kms).not.toHaveReceivedCommand(DecryptCommand);
  });
});
