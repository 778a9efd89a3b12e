import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { environmentOf, functionEnvironmentScope, isolateProcessEnvironment, localSharedEnvironment } from '../../../../infra/local/function-environment';
import { functions } from '../../../../infra/topology';
import { LOCAL_VALUES } from '../../../support/local-values';


describe('environmentOf', () => {
  it('gives a function the shared variables and one variable per access it is granted, named as on AWS', () => {
    // Act
    const environment = environmentOf(functions['sandbox-bank-sender'], LOCAL_VALUES, { AWS_REGION: 'eu-west-2' }, { PATH: '/bin', TABLE_NAME: 'stray' });
    // Assess
    expect(environment).toEqual({
      PATH: '/bin',
      AWS_REGION: 'eu-west-2',
      SETTLED_API_BASE_URL: LOCAL_VALUES['api:base-url'],
      // Locally a secret's value itself; on AWS the function gets SETTLED_SANDBOX_WEBHOOK_SECRET_SECRET_ARN instead.
      SETTLED_SANDBOX_WEBHOOK_SECRET: LOCAL_VALUES['secret:sandbox-webhook'],
    });
  });

  it("keeps the developer's shell out: only the listed host variables pass", () => {
    // Act
    const environment = environmentOf({ access: [] }, LOCAL_VALUES, {}, { PATH: '/bin', AWS_PROFILE: 'prod', EVENT_BUS_NAME: 'stray' });
    // Assess
    expect(environment).toEqual({ PATH: '/bin' });
  });
});

describe('localSharedEnvironment', () => {
  it('turns tracing and metrics off, lets a POWERTOOLS_* of the host win, and forwards only the settings that are set', () => {
    // Prepare
    vi.stubEnv('POWERTOOLS_LOG_LEVEL', 'DEBUG');
    vi.stubEnv('SETTLED_CALLBACK_RETRY_SCALE', '0.2');
    vi.stubEnv('SETTLED_TENANT_RATE_LIMIT_PER_SECOND', undefined);
    // Act
    const shared = localSharedEnvironment({ dynamoDb: 'http://127.0.0.1:8000', sqs: 'http://127.0.0.1:9', eventBridge: 'http://127.0.0.1:9', s3: 'http://127.0.0.1:9' });
    vi.unstubAllEnvs();
    // Assess
    expect(shared).toMatchObject({
      POWERTOOLS_TRACE_ENABLED: 'false',
      AWS_XRAY_MANUAL_MODE: 'true',
      POWERTOOLS_METRICS_DISABLED: 'true',
      POWERTOOLS_METRICS_NAMESPACE: 'Settled',
      POWERTOOLS_LOG_LEVEL: 'DEBUG',
      SETTLED_CALLBACK_RETRY_SCALE: '0.2',
      SETTLED_ALLOW_PRIVATE_CALLBACKS: 'true',
      DYNAMODB_ENDPOINT: 'http://127.0.0.1:8000',
    });
    expect(shared).not.toHaveProperty('SETTLED_TENANT_RATE_LIMIT_PER_SECOND');
    expect(shared).not.toHaveProperty('TABLE_NAME');
  });
});

describe('isolateProcessEnvironment', () => {
  let restore: () => void;
  beforeAll(() => {
    process.env.SETTLED_TEST_HOST_ONLY = 'host';
    restore = isolateProcessEnvironment();
  });
  afterAll(() => {
    restore();
    delete process.env.SETTLED_TEST_HOST_ONLY;
  });

  it("answers inside a function's scope from its own environment only", () => {
    // Prepare
    const inScope = functionEnvironmentScope({ TABLE_NAME: 'settled' });
    // Act
    const seen = inScope(() => ({
      table: process.env.TABLE_NAME,
      hostOnly: process.env.SETTLED_TEST_HOST_ONLY,
      has: 'SETTLED_TEST_HOST_ONLY' in process.env,
      keys: Object.keys(process.env),
      spread: { ...process.env },
    }));
    // Assess
    expect(seen).toEqual({ table: 'settled', hostOnly: undefined, has: false, keys: ['TABLE_NAME'], spread: { TABLE_NAME: 'settled' } });
  });

  it('answers outside every scope from the real environment', () => {
    expect(process.env.SETTLED_TEST_HOST_ONLY).toBe('host');
    expect(process.env.TABLE_NAME).toBeUndefined();
  });

  it('keeps the scope across awaits and timers, and two functions running at once never see each other', async () => {
    // Prepare
    const reconcile = functionEnvironmentScope({ EVENT_BUS_NAME: 'settled-local' });
    const bankWebhooks = functionEnvironmentScope({ SETTLEMENTS_QUEUE_URL: 'http://queue' });
    const readLater = async () => {
      await sleep(5);
      const afterTimer = await new Promise<string>((resolve) => setTimeout(() => resolve(String(process.env.EVENT_BUS_NAME)), 1));
      return { bus: process.env.EVENT_BUS_NAME, afterTimer, queue: process.env.SETTLEMENTS_QUEUE_URL };
    };
    // Act
    const [inReconcile, inBankWebhooks] = await Promise.all([reconcile(readLater), bankWebhooks(readLater)]);
    // Assess
    expect(inReconcile).toEqual({ bus: 'settled-local', afterTimer: 'settled-local', queue: undefined });
    expect(inBankWebhooks).toEqual({ bus: undefined, afterTimer: 'undefined', queue: 'http://queue' });
  });

  it("keeps a function's writes to itself, for its later invocations too", () => {
    // Prepare
    const writer = functionEnvironmentScope({});
    const other = functionEnvironmentScope({});
    // Act
    writer(() => {
      process.env.SETTLED_TEST_WRITTEN = 'mine';
    });
    // Assess
    expect(writer(() => process.env.SETTLED_TEST_WRITTEN)).toBe('mine');
    expect(other(() => process.env.SETTLED_TEST_WRITTEN)).toBeUndefined();
    expect(process.env.SETTLED_TEST_WRITTEN).toBeUndefined();
  });
});
