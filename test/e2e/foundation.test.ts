import { spawnSync } from 'node:child_process';
import { DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { localClientConfig } from '../../infra/local/dynamodb-local';
import { isAlive, RUNTIME_NODE_FLAGS, type RunningRuntime, startRuntime, tempDataDir } from '../../infra/local/spawn-runtime';
import { api } from './scenario';

describe('the local runtime (npm start)', () => {
  const running: RunningRuntime[] = [];
  afterAll(async () => {
    await Promise.all(running.map((runtime) => runtime.stop()));
  });

  it('keeps tenants across a restart with the same SETTLED_DATA_DIR and leaves no process behind', async () => {
    // Prepare
    const dataDir = tempDataDir();
    const first = await startRuntime({ dataDir });
    running.push(first);
    const admin = api(first.url, first.adminToken);
    const created = await admin.post('/v1/admin/tenants', { name: 'Acme Billing' });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ id: expect.stringMatching(/^ten_/), name: 'Acme Billing', apiKey: expect.stringMatching(/^sk_/) });
    const children = first.descendants();
    expect(children.length).toBeGreaterThan(0); // the DynamoDB Local watchdog and its java

    // Act
    expect(await first.stop()).toBe(0);
    const second = await startRuntime({ dataDir });
    running.push(second);

    // Assess
    expect(children.filter(isAlive)).toEqual([]);
    const found = await api(second.url, second.adminToken).get(`/v1/admin/tenants/${String(created.body.id)}`);
    expect(found.status).toBe(200);
    expect(found.body).toEqual({ id: created.body.id, name: 'Acme Billing', createdAt: created.body.createdAt });
    expect(JSON.stringify(found.body)).not.toContain('sk_');
  });

  it('runs in a table of its own in a DynamoDB Local that is already running, starting no java of its own', async () => {
    // Prepare: the e2e project's shared DynamoDB Local (test/e2e/global-setup.ts), named in this worker's environment.
    const endpoint = inject('dynamoDbEndpoint');
    expect(process.env.SETTLED_DYNAMODB_ENDPOINT).toBe(endpoint);
    const tables = new DynamoDBClient(localClientConfig(endpoint));

    // Act
    const runtime = await startRuntime();
    running.push(runtime);
    const created = await api(runtime.url, runtime.adminToken).post('/v1/admin/tenants', { name: 'Shared Table Ltd' });

    // Assess: its table is in the shared DynamoDB Local, and nothing below it is a JVM.
    expect(created.status).toBe(201);
    const names = (await tables.send(new ListTablesCommand({}))).TableNames ?? [];
    expect(names.filter((name) => name.startsWith(`settled-${new URL(runtime.url).port}-`))).toHaveLength(1);
    const commands = runtime.descendants().map((pid) => spawnSync('ps', ['-o', 'comm=', '-p', String(pid)], { encoding: 'utf8' }).stdout.trim());
    expect(commands).not.toContain('java');
    tables.destroy();
  });

  it('refuses SETTLED_DYNAMODB_ENDPOINT with a data dir: the data dir keeps its own DynamoDB Local', () => {
    const started = spawnSync(process.execPath, [...RUNTIME_NODE_FLAGS, '--import', 'tsx', 'infra/local/main.ts', '--port', '0'], {
      env: { ...process.env, SETTLED_DYNAMODB_ENDPOINT: 'http://127.0.0.1:8000', SETTLED_DATA_DIR: tempDataDir() },
      encoding: 'utf8',
      timeout: 30_000,
    });
    expect(started.status).toBe(2);
    expect(started.stderr).toContain('SETTLED_DYNAMODB_ENDPOINT needs --in-memory');
  });

  describe('answers bad input in the contract error shape', () => {
    let runtime: RunningRuntime;
    const errorShape = (code: string) => ({ error: { code, message: expect.any(String), details: expect.any(Array) } });

    it('starts', async () => {
      runtime = await startRuntime();
      running.push(runtime);
      const health = await api(runtime.url).get('/health');
      expect(health).toMatchObject({ status: 200, body: { status: 'ok' } });
    });

    it('unknown route → 404', async () => {
      const response = await api(runtime.url).get('/v1/nothing-here');
      expect(response).toMatchObject({ status: 404, body: errorShape('route_not_found') });
    });

    it('missing or wrong admin token → 401', async () => {
      const missing = await api(runtime.url).post('/v1/admin/tenants', { name: 'x' });
      const wrong = await api(runtime.url, 'adm_wrong').post('/v1/admin/tenants', { name: 'x' });
      expect(missing).toMatchObject({ status: 401, body: errorShape('unauthorized') });
      expect(wrong).toMatchObject({ status: 401, body: errorShape('unauthorized') });
    });

    it('malformed JSON → 400', async () => {
      const response = await api(runtime.url, runtime.adminToken).post('/v1/admin/tenants', '{"name": "Acme"');
      expect(response).toMatchObject({ status: 400, body: errorShape('invalid_json') });
    });

    it('unknown body fields → 400 naming the field', async () => {
      const response = await api(runtime.url, runtime.adminToken).post('/v1/admin/tenants', { name: 'Acme', tenantId: 'ten_x' });
      expect(response).toMatchObject({ status: 400, body: errorShape('validation_failed') });
      expect(response.body.error.details).toEqual([expect.objectContaining({ path: 'tenantId' })]);
    });

    it('an unknown tenant → 404, and no error carries a stack trace', async () => {
      const response = await api(runtime.url, runtime.adminToken).get('/v1/admin/tenants/ten_01JD0000000000000000000000');
      expect(response).toMatchObject({ status: 404, body: errorShape('not_found') });
      expect(JSON.stringify(response.body)).not.toMatch(/\.ts:\d+|at async/);
    });
  });
});
