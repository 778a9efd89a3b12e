import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { environmentOf, isolateProcessEnvironment, localSharedEnvironment } from '../../../../infra/local/function-environment';
import { loadFunction } from '../../../../infra/local/lambda-host';
import { namesOf } from '../../../../infra/settled-topology';
import { type FunctionName, type ResourceAccess, awsVariableOf, functions, localVariableOf } from '../../../../infra/topology';
import { RESOURCE_VARIABLES } from '../../../../shared/runtime/environment';
import { LOCAL_VALUES } from '../../../support/local-values';

/**
 * The promise of the local runtime: a handler that works under `npm start` works on AWS. Each handler is loaded as
 * the runtime loads it, seeing only the shared variables and those of its own topology grants (what CDK gives it),
 * so a handler that reads at load time a variable it is not granted fails here, not after a deploy.
 */

const SHARED = localSharedEnvironment({ dynamoDb: 'http://127.0.0.1:1', sqs: 'http://127.0.0.1:1', eventBridge: 'http://127.0.0.1:1', s3: 'http://127.0.0.1:1' });
const ALL_GRANT_VARIABLES = new Set(namesOf(LOCAL_VALUES).flatMap((access) => [awsVariableOf(access), localVariableOf(access)]));

let restore: () => void;
beforeAll(() => {
  restore = isolateProcessEnvironment();
  // The vitest process itself has these; no handler may see them unless granted.
  for (const variable of ALL_GRANT_VARIABLES) process.env[variable] = 'stray-host-value';
  process.env[RESOURCE_VARIABLES.tableName] = 'stray-host-table';
});
afterAll(() => {
  for (const variable of ALL_GRANT_VARIABLES) delete process.env[variable];
  delete process.env[RESOURCE_VARIABLES.tableName];
  restore();
});

describe('every handler under only its own grants', () => {
  it.each(namesOf(functions))('%s loads', async (name) => {
    // Act
    const loaded = await loadFunction(name, environmentOf(functions[name], LOCAL_VALUES, SHARED));
    // Assess
    expect(loaded.name).toBe(name);
  });
});

describe('a handler missing a grant', () => {
  beforeEach(() => {
    // A fresh module graph, so the handler's module scope (where it reads its configuration) runs again.
    vi.resetModules();
  });

  it.each<[FunctionName, ResourceAccess, string]>([
    ['health', 'table:read', RESOURCE_VARIABLES.tableName],
    ['reconcile', 'event-bus:put', RESOURCE_VARIABLES.eventBusName],
    ['bank-webhooks', 'settlements-queue:send', RESOURCE_VARIABLES.settlementsQueueUrl],
    ['payments-api', 'api:base-url', RESOURCE_VARIABLES.apiBaseUrl],
  ])('%s fails to load without %s, though the process has %s', async (name, access, variable) => {
    // Prepare
    const withoutGrant = { access: functions[name].access.filter((granted) => granted !== access) };
    // Act
    const load = loadFunction(name, environmentOf(withoutGrant, LOCAL_VALUES, SHARED));
    // Assess
    await expect(load).rejects.toThrow(`Missing required environment variable ${variable}`);
  });

  it('reads an ungranted name as undefined while it runs (bank-webhooks has no event bus)', async () => {
    // Prepare: the handler answers with whatever it sees; the route table dispatches on routeKey.
    const loaded = await loadFunction('bank-webhooks', environmentOf(functions['bank-webhooks'], LOCAL_VALUES, SHARED));
    const seenDuring = vi.fn(() => process.env[RESOURCE_VARIABLES.eventBusName]);
    // Act: an invocation fails fast on the unknown provider; what matters is what process.env said meanwhile.
    await loaded.invoke({ ...unknownProviderEvent(), get routeKey() { seenDuring(); return 'POST /v1/bank-webhooks/{provider}'; } });
    // Assess
    expect(seenDuring).toHaveBeenCalled();
    expect(seenDuring.mock.results.every((result) => result.value === undefined)).toBe(true);
    expect(process.env[RESOURCE_VARIABLES.eventBusName]).toBe('stray-host-value');
  });
});

const unknownProviderEvent = () => ({
  version: '2.0',
  rawPath: '/v1/bank-webhooks/nobank',
  rawQueryString: '',
  headers: {},
  pathParameters: { provider: 'nobank' },
  requestContext: {
    accountId: '000000000000',
    apiId: 'local',
    domainName: '127.0.0.1',
    domainPrefix: '127',
    http: { method: 'POST', path: '/v1/bank-webhooks/nobank', protocol: 'HTTP/1.1', sourceIp: '127.0.0.1', userAgent: 'test' },
    requestId: 'req-env-1',
    routeKey: 'POST /v1/bank-webhooks/{provider}',
    stage: '$default',
    time: new Date().toISOString(),
    timeEpoch: Date.now(),
  },
  body: '{}',
  isBase64Encoded: false,
});
