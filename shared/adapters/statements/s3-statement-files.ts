import { GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import type { StatementFileStore } from '../../domain/statements/import-statement';
import { ENDPOINT_VARIABLES } from '../../runtime/environment';
import { tracer } from '../../runtime/powertools';
import { awsClientConfig } from '../aws-client-config';

let s3: S3Client | undefined;

/** Path-style addressing: the local runtime's emulator serves `/<bucket>/<key>` on one loopback port. */
export const s3Client = (): S3Client => (s3 ??= tracer.captureAWSv3Client(new S3Client({ ...awsClientConfig(ENDPOINT_VARIABLES.s3), forcePathStyle: true })));

/**
 * Accepted statement files, kept in the statements bucket under `<tenantId>/<importId>` until the import worker has
 * read them (the bucket's lifecycle rule expires them). The worker streams the object: a 50 MB file is never read
 * into one buffer there.
 */
export class S3StatementFileStore implements StatementFileStore {
  constructor(
    private readonly client: S3Client,
    private readonly bucket: string,
  ) {}

  async put(key: string, body: Uint8Array): Promise<void> {
    await this.client.send(new PutObjectCommand({ Bucket: this.bucket, Key: key, Body: body, ContentLength: body.byteLength }));
  }

  async open(key: string): Promise<AsyncIterable<Uint8Array>> {
    const { Body } = await this.client.send(new GetObjectCommand({ Bucket: this.bucket, Key: key }));
    // In Node.js the SDK's body is a readable stream, which is async-iterable in chunks.
    if (!isAsyncIterable(Body)) throw new Error(`Statement file ${key} has no readable body`);
    return Body;
  }
}

const isAsyncIterable = (value: unknown): value is AsyncIterable<Uint8Array> => typeof value === 'object' && value !== null && Symbol.asyncIterator in value;
