import { createHash } from 'node:crypto';
import { mkdir, open as openFile, readFile, rename } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { crc32 } from 'node:zlib';
import * as v from 'valibot';
import type { LocalEventBus } from './local-event-bus';
import type { LocalQueue } from './local-queue';

/**
 * The SQS and EventBridge operations Settled's adapters call, served over the services' own JSON protocols on a
 * loopback port, and S3's PutObject/GetObject (path-style REST: `PUT|GET /<bucket>/<key>`) on the same port. The adapters (shared/adapters) run unchanged with only an endpoint override, so the code that
 * runs here is the code that runs on AWS, serialisation included. A send or put is answered only once it is on
 * disk (the queues' and bus's journal, when the runtime has a data directory): an acknowledged message survives a
 * crash, as it does on AWS.
 */
const DelaySeconds = v.optional(v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(900)), 0);
const SendMessageSchema = v.object({ QueueUrl: v.string(), MessageBody: v.string(), DelaySeconds });
const SendMessageBatchSchema = v.object({
  QueueUrl: v.string(),
  Entries: v.array(v.object({ Id: v.string(), MessageBody: v.string(), DelaySeconds })),
});
const PutEventsSchema = v.object({
  Entries: v.array(v.object({ Source: v.string(), DetailType: v.string(), Detail: v.string(), EventBusName: v.optional(v.string()) })),
});

const md5 = (text: string) => createHash('md5').update(text, 'utf8').digest('hex');

/** What the functions asked of SQS and EventBridge since the start, for /_local/stats (npm run bench:settlement prices them). */
export interface AwsRequestCounts {
  readonly sqs: { sendMessage: number; sendMessageBatch: number; sendMessageBatchEntries: number };
  readonly eventBridge: { putEventsCalls: number; entries: number };
}

export interface AwsEndpoint {
  readonly url: string;
  readonly counts: AwsRequestCounts;
  queueUrl(queue: LocalQueue): string;
  close(): Promise<void>;
}

export const startAwsEndpoint = async (options: {
  readonly queues: ReadonlyMap<string, LocalQueue>;
  readonly eventBus: LocalEventBus;
  /** Where S3 objects are kept (`<dir>/<bucket>/<key>`), so they survive a restart; in memory without one. */
  readonly objectsDir?: string | undefined;
}): Promise<AwsEndpoint> => {
  const objects = new LocalObjectStore(options.objectsDir);
  const counts: AwsRequestCounts = { sqs: { sendMessage: 0, sendMessageBatch: 0, sendMessageBatchEntries: 0 }, eventBridge: { putEventsCalls: 0, entries: 0 } };
  const queueNamed = (queueUrl: string): LocalQueue => {
    const name = queueUrl.split('/').at(-1) ?? '';
    const queue = options.queues.get(name);
    if (queue === undefined) throw new AwsError(400, 'com.amazonaws.sqs#QueueDoesNotExist', `No queue ${name}`);
    return queue;
  };

  const operations: Record<string, (input: unknown) => Promise<unknown>> = {
    'AmazonSQS.SendMessage': async (input) => {
      const { QueueUrl, MessageBody, DelaySeconds: delay } = parse(SendMessageSchema, input);
      const queue = queueNamed(QueueUrl);
      counts.sqs.sendMessage += 1;
      const MessageId = queue.send(MessageBody, Date.now(), delay * 1000);
      await queue.sync();
      return { MessageId, MD5OfMessageBody: md5(MessageBody) };
    },
    'AmazonSQS.SendMessageBatch': async (input) => {
      const { QueueUrl, Entries } = parse(SendMessageBatchSchema, input);
      const queue = queueNamed(QueueUrl);
      counts.sqs.sendMessageBatch += 1;
      counts.sqs.sendMessageBatchEntries += Entries.length;
      const Successful = Entries.map((entry) => ({
        Id: entry.Id,
        MessageId: queue.send(entry.MessageBody, Date.now(), entry.DelaySeconds * 1000),
        MD5OfMessageBody: md5(entry.MessageBody),
      }));
      await queue.sync(); // one commit for the whole batch
      return { Successful, Failed: [] };
    },
    'AWSEvents.PutEvents': async (input) => {
      const { Entries } = parse(PutEventsSchema, input);
      counts.eventBridge.putEventsCalls += 1;
      counts.eventBridge.entries += Entries.length;
      const ids = Entries.map((entry) => ({
        EventId: options.eventBus.put({ source: entry.Source, detailType: entry.DetailType, detail: entry.Detail }),
      }));
      await options.eventBus.sync();
      return { FailedEntryCount: 0, Entries: ids };
    },
  };

  const server: Server = createServer((request, response) => {
    if (request.headers['x-amz-target'] === undefined && (request.method === 'PUT' || request.method === 'GET')) {
      void handleObject(request, response, objects);
      return;
    }
    void handle(request, response, operations);
  });
  await new Promise<void>((resolveListen) => server.listen(0, '127.0.0.1', resolveListen));
  const address = server.address();
  const port = typeof address === 'object' && address !== null ? address.port : 0;
  const url = `http://127.0.0.1:${port}`;
  return {
    url,
    counts,
    queueUrl: (queue) => `${url}/000000000000/${queue.name}`,
    close: () => new Promise((resolveClose) => server.close(() => resolveClose())),
  };
};

class AwsError extends Error {
  constructor(
    readonly statusCode: number,
    readonly type: string,
    message: string,
  ) {
    super(message);
  }
}

const parse = <T extends v.GenericSchema>(schema: T, input: unknown): v.InferOutput<T> => {
  const result = v.safeParse(schema, input);
  if (!result.success) throw new AwsError(400, 'ValidationException', v.summarize(result.issues));
  return result.output;
};

const handle = async (
  request: IncomingMessage,
  response: ServerResponse,
  operations: Record<string, (input: unknown) => Promise<unknown>>,
): Promise<void> => {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  const target = String(request.headers['x-amz-target'] ?? '');
  const contentType = target.startsWith('AmazonSQS') ? 'application/x-amz-json-1.0' : 'application/x-amz-json-1.1';
  try {
    const operation = operations[target];
    if (operation === undefined) throw new AwsError(400, 'UnknownOperationException', `Not emulated: ${target}`);
    const output = await operation(JSON.parse(Buffer.concat(chunks).toString('utf8')));
    response.writeHead(200, { 'content-type': contentType }).end(JSON.stringify(output));
  } catch (error) {
    const awsError = error instanceof AwsError ? error : new AwsError(500, 'InternalFailure', String(error));
    response
      .writeHead(awsError.statusCode, { 'content-type': contentType, 'x-amzn-query-error': `${awsError.type};Sender` })
      .end(JSON.stringify({ __type: awsError.type, message: awsError.message }));
  }
};

/** S3 objects of the local runtime: files under a directory (written to a temporary name, synced, then renamed). */
class LocalObjectStore {
  private readonly memory = new Map<string, Buffer>();
  constructor(private readonly dir: string | undefined) {}

  private pathOf(key: string): string {
    if (this.dir === undefined) throw new Error('no objects directory');
    // `key` is already decoded (objectKeyOf): encoded once more per segment, it is one file name per segment.
    const parts = key.split('/');
    if (parts.some((part) => part === '' || part === '.' || part === '..')) throw new AwsError(400, 'InvalidObjectName', `Bad key ${key}`);
    return join(this.dir, ...parts.map((part) => encodeURIComponent(part)));
  }

  async put(key: string, body: Buffer): Promise<void> {
    if (this.dir === undefined) {
      this.memory.set(key, body);
      return;
    }
    const path = this.pathOf(key);
    await mkdir(dirname(path), { recursive: true });
    const temporary = `${path}.part`;
    const handle = await openFile(temporary, 'w');
    try {
      await handle.writeFile(body);
      await handle.sync(); // acknowledged only once on disk, as S3 answers only once the object is durable
    } finally {
      await handle.close();
    }
    await rename(temporary, path);
  }

  async get(key: string): Promise<Buffer | undefined> {
    if (this.dir === undefined) return this.memory.get(key);
    try {
      return await readFile(this.pathOf(key));
    } catch (error) {
      if (error instanceof Error && 'code' in error && error.code === 'ENOENT') return undefined;
      throw error;
    }
  }
}

/**
 * `<bucket>/<key>` from the request path as the client sent it, each segment decoded once. Not through a URL parser:
 * it would resolve `..` segments (`/bucket/../x` is `/x`) before they could be refused, and storing the object
 * somewhere else than the key named is worse than refusing it. `.`, `..` and empty segments are refused.
 */
const objectKeyOf = (url: string): string => {
  const path = (url.split('?', 1)[0] ?? '').replace(/^\/+/, '');
  let key: string;
  try {
    key = path
      .split('/')
      .map((segment) => decodeURIComponent(segment))
      .join('/');
  } catch {
    throw new AwsError(400, 'InvalidURI', 'The key is not valid percent-encoding');
  }
  const segments = key.split('/');
  if (segments.length < 2 || segments.some((segment) => segment === '' || segment === '.' || segment === '..')) {
    throw new AwsError(400, 'InvalidObjectName', `Bad key ${key}`);
  }
  return key;
};

/**
 * The object a PutObject carries. A streamed body comes `aws-chunked` (`<hex size>[;ext]\r\n<bytes>\r\n` … `0\r\n`,
 * then trailing headers such as the SDK's CRC32 checksum): decoded here, or the object would be the framing. A CRC32
 * checksum, in a header or a trailer, is checked as S3 checks it.
 */
const objectBytesOf = (request: IncomingMessage, raw: Buffer): Buffer => {
  const encodings = String(request.headers['content-encoding'] ?? '').split(',').map((encoding) => encoding.trim());
  const checksums: Record<string, string> = {};
  const header = request.headers['x-amz-checksum-crc32'];
  if (typeof header === 'string') checksums['x-amz-checksum-crc32'] = header;
  let body = raw;
  if (encodings.includes('aws-chunked')) {
    const parts: Buffer[] = [];
    let offset = 0;
    for (;;) {
      const lineEnd = raw.indexOf('\r\n', offset);
      const size = lineEnd < 0 ? Number.NaN : Number.parseInt(raw.subarray(offset, lineEnd).toString('latin1').split(';', 1)[0] ?? '', 16);
      if (!Number.isSafeInteger(size) || size < 0 || lineEnd + 2 + size > raw.length) throw new AwsError(400, 'IncompleteBody', 'Malformed aws-chunked body');
      offset = lineEnd + 2;
      if (size === 0) break;
      parts.push(raw.subarray(offset, offset + size));
      offset += size + 2;
    }
    for (const line of raw.subarray(offset).toString('latin1').split('\r\n')) {
      const colon = line.indexOf(':');
      if (colon > 0) checksums[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
    }
    body = Buffer.concat(parts);
    const declared = Number(request.headers['x-amz-decoded-content-length']);
    if (request.headers['x-amz-decoded-content-length'] !== undefined && declared !== body.length) {
      throw new AwsError(400, 'IncompleteBody', `Got ${body.length} bytes, x-amz-decoded-content-length says ${declared}`);
    }
  }
  const expected = checksums['x-amz-checksum-crc32'];
  if (expected !== undefined) {
    const actual = Buffer.alloc(4);
    actual.writeUInt32BE(crc32(body));
    if (actual.toString('base64') !== expected) throw new AwsError(400, 'BadDigest', 'The CRC32 you specified did not match the calculated checksum.');
  }
  return body;
};

const handleObject = async (request: IncomingMessage, response: ServerResponse, objects: LocalObjectStore): Promise<void> => {
  try {
    const key = objectKeyOf(request.url ?? '/');
    if (request.method === 'PUT') {
      const chunks: Buffer[] = [];
      for await (const chunk of request) chunks.push(chunk as Buffer);
      const body = objectBytesOf(request, Buffer.concat(chunks));
      await objects.put(key, body);
      response.writeHead(200, { etag: `"${createHash('md5').update(body).digest('hex')}"` }).end();
      return;
    }
    const body = await objects.get(key);
    if (body === undefined) {
      response
        .writeHead(404, { 'content-type': 'application/xml' })
        .end(`<?xml version="1.0" encoding="UTF-8"?><Error><Code>NoSuchKey</Code><Message>The specified key does not exist.</Message><Key>${key.replace(/[<>&]/g, '')}</Key></Error>`);
      return;
    }
    response.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': String(body.length) }).end(body);
  } catch (error) {
    request.resume(); // a refused PUT's body is not read
    const awsError = error instanceof AwsError ? error : new AwsError(500, 'InternalError', String(error));
    response
      .writeHead(awsError.statusCode, { 'content-type': 'application/xml' })
      .end(`<?xml version="1.0" encoding="UTF-8"?><Error><Code>${awsError.type}</Code><Message>${awsError.message.replace(/[<>&]/g, '')}</Message></Error>`);
  }
};
