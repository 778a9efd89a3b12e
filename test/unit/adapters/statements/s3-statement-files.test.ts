import { Readable } from 'node:stream';
import { GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { sdkStreamMixin } from '@smithy/core/serde';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-vitest/extend';
import { beforeEach, describe, expect, it } from 'vitest';
import { S3StatementFileStore } from '../../../../shared/adapters/statements/s3-statement-files';

const BUCKET = 'settled-statement-files-123456789012';
const client = new S3Client({ region: 'eu-west-2' });
const s3 = mockClient(client);
const files = new S3StatementFileStore(client, BUCKET);

const collect = async (chunks: AsyncIterable<Uint8Array>): Promise<Buffer> => {
  const parts: Buffer[] = [];
  for await (const chunk of chunks) parts.push(Buffer.from(chunk));
  return Buffer.concat(parts);
};

describe('S3StatementFileStore', () => {
  beforeEach(() => s3.reset());

  it('puts the file under its key in the bucket, stating its length', async () => {
    s3.on(PutObjectCommand).resolves({});
    const body = new TextEncoder().encode('<Document>camt</Document>');
    await files.put('ten_1/imp_1', body);
    expect(s3).toHaveReceivedCommandTimes(PutObjectCommand, 1);
    expect(s3).toHaveReceivedCommandWith(PutObjectCommand, { Bucket: BUCKET, Key: 'ten_1/imp_1', Body: body, ContentLength: body.byteLength });
  });

  it('fails when S3 refuses the put', async () => {
    s3.on(PutObjectCommand).rejects(new Error('AccessDenied'));
    await expect(files.put('ten_1/imp_1', new Uint8Array([1]))).rejects.toThrow('AccessDenied');
  });

  it('streams the object back in the chunks S3 sends, without reading it whole first', async () => {
    // Prepare: a body of three chunks, the last one read only when the consumer asks for it
    const chunks = [Buffer.from('first,'), Buffer.from('second,'), Buffer.from('third')];
    let pulled = 0;
    const stream = new Readable({
      read() {
        const next = chunks[pulled];
        pulled += 1;
        this.push(next ?? null);
      },
    });
    s3.on(GetObjectCommand, { Bucket: BUCKET, Key: 'ten_1/imp_1' }).resolves({ Body: sdkStreamMixin(stream) });
    // Act
    const opened = await files.open('ten_1/imp_1');
    // Assess
    expect(s3).toHaveReceivedCommandWith(GetObjectCommand, { Bucket: BUCKET, Key: 'ten_1/imp_1' });
    expect(pulled).toBeLessThan(chunks.length + 1);
    expect((await collect(opened)).toString('utf8')).toBe('first,second,third');
    expect(pulled).toBe(chunks.length + 1);
  });

  it('throws when S3 answers without a body', async () => {
    s3.on(GetObjectCommand).resolves({});
    await expect(files.open('ten_1/imp_missing-body')).rejects.toThrow('Statement file ten_1/imp_missing-body has no readable body');
  });

  it('passes on S3 refusing the get (a missing key)', async () => {
    s3.on(GetObjectCommand).rejects(Object.assign(new Error('The specified key does not exist.'), { name: 'NoSuchKey' }));
    await expect(files.open('ten_1/imp_gone')).rejects.toMatchObject({ name: 'NoSuchKey' });
  });
});
