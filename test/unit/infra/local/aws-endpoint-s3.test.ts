import { randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { PutObjectCommand, S3Client, S3ServiceException } from '@aws-sdk/client-s3';
import { afterEach, describe, expect, it } from 'vitest';
import { type AwsEndpoint, startAwsEndpoint } from '../../../../infra/local/aws-endpoint';
import { LocalEventBus } from '../../../../infra/local/local-event-bus';
import { LocalQueue } from '../../../../infra/local/local-queue';
import { S3StatementFileStore } from '../../../../shared/adapters/statements/s3-statement-files';

const BUCKET = 'settled-statement-files';

/**
 * The local runtime's S3 emulation, driven by the real S3 client through the adapter the functions use: whatever the
 * SDK puts on the wire (checksums, encodings) must come back as the bytes that were put.
 */
describe('the local AWS endpoint as S3', () => {
  const started: AwsEndpoint[] = [];
  afterEach(async () => {
    await Promise.all(started.splice(0).map((endpoint) => endpoint.close()));
  });

  const start = async (objectsDir: string | undefined) => {
    const eventBus = new LocalEventBus({
      rules: [],
      targetOf: () => async () => undefined,
      deadLetterQueueOf: () => new LocalQueue({ name: 'unused', visibilityTimeoutMs: 1, maxReceiveCount: undefined, deadLetterQueue: undefined }),
      retryBaseDelayMs: 1,
      onError: () => undefined,
    });
    const endpoint = await startAwsEndpoint({ queues: new Map(), eventBus, objectsDir });
    started.push(endpoint);
    const client = new S3Client({
      endpoint: endpoint.url,
      forcePathStyle: true,
      region: 'eu-west-2',
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
      maxAttempts: 1,
    });
    return { endpoint, client, files: new S3StatementFileStore(client, BUCKET) };
  };

  const read = async (chunks: AsyncIterable<Uint8Array>): Promise<Buffer> => {
    const parts: Buffer[] = [];
    for await (const chunk of chunks) parts.push(Buffer.from(chunk));
    return Buffer.concat(parts);
  };

  const objectsDir = () => mkdtempSync(join(tmpdir(), 'settled-objects-'));

  describe.each([
    ['on disk', objectsDir],
    ['in memory', () => undefined],
  ])('%s', (_, dir) => {
    it('gives back the exact bytes put, for a small camt file and a 5 MB one', async () => {
      const { files } = await start(dir());
      const small = new TextEncoder().encode('<?xml version="1.0"?><Document>£ café</Document>');
      const large = randomBytes(5 * 1024 * 1024);
      await files.put('ten_1/imp_small', small);
      await files.put('ten_1/imp_large', large);
      expect(await read(await files.open('ten_1/imp_small'))).toEqual(Buffer.from(small));
      const readLarge = await read(await files.open('ten_1/imp_large'));
      expect(readLarge.length).toBe(large.length);
      expect(readLarge.equals(large)).toBe(true);
    });

    it('gives back the bytes of a streamed put, which the SDK sends aws-chunked with a CRC32 trailer', async () => {
      const { client, files } = await start(dir());
      const parts = [randomBytes(1024 * 1024), randomBytes(3), randomBytes(2 * 1024 * 1024 + 17)];
      const whole = Buffer.concat(parts);
      await client.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'ten_1/imp_streamed', Body: Readable.from(parts), ContentLength: whole.length }));
      expect((await read(await files.open('ten_1/imp_streamed'))).equals(whole)).toBe(true);
    });

    it('refuses a body whose CRC32 checksum does not match, in a header or an aws-chunked trailer', async () => {
      const { endpoint, files } = await start(dir());
      const put = (key: string, body: string, headers: Record<string, string>) => fetch(`${endpoint.url}/${BUCKET}/${key}`, { method: 'PUT', body, headers });
      // CRC32("hello world") is 0x0d4a1185
      const good = Buffer.from([0x0d, 0x4a, 0x11, 0x85]).toString('base64');
      const bad = Buffer.from([0x0d, 0x4a, 0x11, 0x86]).toString('base64');
      expect((await put('ten_1/h-bad', 'hello world', { 'x-amz-checksum-crc32': bad })).status).toBe(400);
      const chunked = (checksum: string) => `6\r\nhello \r\n5\r\nworld\r\n0\r\nx-amz-checksum-crc32:${checksum}\r\n\r\n`;
      const chunkedHeaders = { 'content-encoding': 'aws-chunked', 'x-amz-decoded-content-length': '11', 'x-amz-trailer': 'x-amz-checksum-crc32' };
      const refused = await put('ten_1/t-bad', chunked(bad), chunkedHeaders);
      expect(refused.status).toBe(400);
      expect(await refused.text()).toContain('<Code>BadDigest</Code>');
      await expect(files.open('ten_1/h-bad')).rejects.toMatchObject({ name: 'NoSuchKey' });
      await expect(files.open('ten_1/t-bad')).rejects.toMatchObject({ name: 'NoSuchKey' });
      // The same with the right checksum is taken, and stored without its framing.
      expect((await put('ten_1/t-good', chunked(good), chunkedHeaders)).status).toBe(200);
      expect((await put('ten_1/h-good', 'hello world', { 'x-amz-checksum-crc32': good })).status).toBe(200);
      expect((await read(await files.open('ten_1/t-good'))).toString()).toBe('hello world');
      expect((await read(await files.open('ten_1/h-good'))).toString()).toBe('hello world');
    });

    it('answers a missing key with S3 NoSuchKey', async () => {
      const { files } = await start(dir());
      const error = await files.open('ten_1/imp_never_put').then(
        () => undefined,
        (thrown: unknown) => thrown,
      );
      expect(error).toBeInstanceOf(S3ServiceException);
      expect(error).toMatchObject({ name: 'NoSuchKey', $metadata: { httpStatusCode: 404 } });
    });

    it('replaces an object put again under the same key', async () => {
      const { files } = await start(dir());
      await files.put('ten_1/imp_1', new TextEncoder().encode('first'));
      await files.put('ten_1/imp_1', new TextEncoder().encode('second'));
      expect((await read(await files.open('ten_1/imp_1'))).toString()).toBe('second');
    });

    it('keeps a key holding spaces and percent signs as that key', async () => {
      const { files } = await start(dir());
      await files.put('ten_1/imp a%41 b', new TextEncoder().encode('spaced'));
      await files.put('ten_1/imp aA b', new TextEncoder().encode('other'));
      expect((await read(await files.open('ten_1/imp a%41 b'))).toString()).toBe('spaced');
      expect((await read(await files.open('ten_1/imp aA b'))).toString()).toBe('other');
    });

    it.each(['../escaped', 'ten_1/../../escaped', '..', 'ten_1/..', 'ten_1/./imp', 'ten_1//imp'])('refuses the key %j rather than store it under another', async (key) => {
      const { files } = await start(dir());
      await expect(files.put(key, new TextEncoder().encode('nope'))).rejects.toMatchObject({ name: 'InvalidObjectName', $metadata: { httpStatusCode: 400 } });
      // Not stored under what a URL parser makes of it either.
      await expect(files.open('escaped')).rejects.toThrow();
      await expect(files.open('ten_1/imp')).rejects.toMatchObject({ name: 'NoSuchKey' });
    });
  });

  it('writes nothing outside the bucket\'s folder for a key climbing out of it', async () => {
    const root = objectsDir();
    const dir = join(root, 'objects');
    const { files } = await start(dir);
    await files.put('ten_1/imp_ok', new TextEncoder().encode('ok'));
    for (const key of ['../../escaped', 'ten_1/../../escaped', '../../../escaped']) {
      await expect(files.put(key, new TextEncoder().encode('nope')), key).rejects.toThrow();
    }
    expect(readdirSync(root)).toEqual(['objects']);
    expect(readdirSync(dir)).toEqual([BUCKET]);
    expect(readdirSync(join(dir, BUCKET))).toEqual(['ten_1']);
  });

  it('keeps objects across a restart on the same directory', async () => {
    const dir = objectsDir();
    const first = await start(dir);
    const body = randomBytes(64 * 1024);
    await first.files.put('ten_1/imp_kept', body);
    await first.endpoint.close();
    started.splice(started.indexOf(first.endpoint), 1);
    const second = await start(dir);
    expect((await read(await second.files.open('ten_1/imp_kept'))).equals(body)).toBe(true);
    // No temporary file left behind.
    expect(readdirSync(join(dir, BUCKET, 'ten_1'))).toEqual(['imp_kept']);
  });
});
