import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort, waitFor } from './net';

export interface RunningRuntime {
  readonly url: string;
  readonly adminToken: string;
  readonly sandboxWebhookSecret: string;
  readonly process: ChildProcess;
  output(): string;
  /** Every process below the runtime (the DynamoDB Local watchdog and its java). */
  descendants(): number[];
  stop(): Promise<number | null>;
}

/**
 * Node.js flags of the runtime process, as package.json's `start` script passes them. A young generation of 64 MB
 * (V8's default is 16): every handler's in-flight requests share this one heap, and with tens of them in flight a
 * 16 MB nursery is scavenged several times a second, each time copying what they still hold.
 */
export const RUNTIME_NODE_FLAGS = ['--max-semi-space-size=64'] as const;

export const ADMIN_TOKEN = 'adm_e2e_token_0123456789';
export const SANDBOX_WEBHOOK_SECRET = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';

const childrenOf = (pid: number): number[] => {
  let out = '';
  try {
    out = execFileSync('ps', ['-o', 'pid=', '--ppid', String(pid)], { encoding: 'utf8' });
  } catch {
    return []; // ps exits 1 when there are none
  }
  const direct = out.split('\n').map((line) => Number(line.trim())).filter((n) => n > 0);
  return direct.flatMap((child) => [child, ...childrenOf(child)]);
};

export const isAlive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

/**
 * Used by the e2e tests and `npm run bench`.
 * Starts the local runtime exactly as `npm start` does (same entry point), on a free port, and waits for /health.
 * `dataDir` undefined runs it with --in-memory. An in-memory runtime uses the DynamoDB Local named by
 * SETTLED_DYNAMODB_ENDPOINT in this process's environment when there is one (the e2e tests' shared one), in a table
 * of its own; a runtime with a data dir always starts its own, whose files it keeps.
 */
export const startRuntime = async (options: { dataDir?: string; env?: Record<string, string> } = {}): Promise<RunningRuntime> => {
  const port = await freePort();
  const args = [...RUNTIME_NODE_FLAGS, '--import', 'tsx', 'infra/local/main.ts', '--port', String(port), ...(options.dataDir === undefined ? ['--in-memory'] : [])];
  const { SETTLED_DYNAMODB_ENDPOINT: sharedDynamoDb, SETTLED_DYNAMODB_TABLE: _table, ...environment } = process.env;
  const dynamoDb =
    options.dataDir === undefined && sharedDynamoDb !== undefined && sharedDynamoDb !== ''
      ? { SETTLED_DYNAMODB_ENDPOINT: sharedDynamoDb, SETTLED_DYNAMODB_TABLE: `settled-${port}-${randomBytes(4).toString('hex')}` }
      : {};
  const child = spawn(process.execPath, args, {
    cwd: join(dirname(fileURLToPath(import.meta.url)), '..', '..'),
    env: {
      ...environment,
      ...dynamoDb,
      SETTLED_ADMIN_TOKEN: ADMIN_TOKEN,
      SETTLED_SANDBOX_WEBHOOK_SECRET: SANDBOX_WEBHOOK_SECRET,
      ...(options.dataDir === undefined ? {} : { SETTLED_DATA_DIR: options.dataDir }),
      ...options.env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  const exited = new Promise<number | null>((resolveExit) => child.once('exit', (code) => resolveExit(code)));
  const url = `http://127.0.0.1:${port}`;
  try {
    await waitFor(
      async () => {
        if (child.exitCode !== null) throw new Error(`runtime exited early:\n${output}`);
        const response = await fetch(`${url}/health`);
        if (response.status !== 200) throw new Error(`health ${response.status}`);
      },
      { timeoutMs: 60_000, what: 'the local runtime to be healthy', intervalMs: 200 },
    );
  } catch (error) {
    child.kill('SIGKILL');
    throw new Error(`${String(error)}\n${output}`);
  }
  return {
    url,
    adminToken: ADMIN_TOKEN,
    sandboxWebhookSecret: SANDBOX_WEBHOOK_SECRET,
    process: child,
    output: () => output,
    descendants: () => (child.pid === undefined ? [] : childrenOf(child.pid)),
    stop: async () => {
      if (child.exitCode === null) child.kill('SIGTERM');
      return exited;
    },
  };
};

export const tempDataDir = (): string => mkdtempSync(join(tmpdir(), 'settled-e2e-'));

/** A small HTTP client for the API in tests; `send` lets the e2e suite check every response on the way. */
export const api = (baseUrl: string, bearer?: string, send: (url: string, init: RequestInit) => Promise<Response> = fetch) => {
  const request = async (method: string, path: string, body?: unknown, headers: Record<string, string> = {}) => {
    const response = await send(`${baseUrl}${path}`, {
      method,
      headers: {
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        ...(bearer === undefined ? {} : { authorization: `Bearer ${bearer}` }),
        ...headers,
      },
      ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
    });
    const text = await response.text();
    let json: unknown;
    try {
      json = text === '' ? undefined : JSON.parse(text);
    } catch {
      json = text;
    }
    return { status: response.status, headers: response.headers, body: json as Record<string, any> };
  };
  return {
    get: (path: string, headers?: Record<string, string>) => request('GET', path, undefined, headers),
    post: (path: string, body?: unknown, headers?: Record<string, string>) => request('POST', path, body, headers),
    delete: (path: string, headers?: Record<string, string>) => request('DELETE', path, undefined, headers),
  };
};
