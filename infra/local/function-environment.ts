import { AsyncLocalStorage } from 'node:async_hooks';
import { ENDPOINT_VARIABLES, METRICS_NAMESPACE, POWERTOOLS_VARIABLES, SERVICE_NAME, SETTING_VARIABLES } from '../../shared/runtime/environment';
import { type FunctionSpec, localVariableOf, type ResourceAccess } from '../topology';

/** The environment one function sees, as Lambda gives it: its own variables and nothing else. */
export type FunctionEnvironment = Readonly<Record<string, string>>;

/**
 * Variables of the host passed through: those Lambda also sets in every function (search path, locale, time zone,
 * temp dir) and those Node.js itself reads while loading modules (coverage, `--watch`, debug). Everything else of the
 * developer's shell (a stray TABLE_NAME, an AWS_PROFILE) stays out of the handlers' sight.
 */
const HOST_VARIABLES = ['PATH', 'LANG', 'TZ', 'TMPDIR', 'NODE_V8_COVERAGE', 'WATCH_REPORT_DEPENDENCIES', 'NODE_DEBUG'] as const;

/**
 * The environment of one function on the local runtime: what every function gets (`shared`: region, credentials,
 * endpoints, Powertools and local settings) plus one variable per access its topology entry grants, named as CDK
 * names it (infra/topology.ts `accessBindings`), with the local resource's name, URL or secret value.
 */
export const environmentOf = (
  spec: Pick<FunctionSpec, 'access'>,
  localValues: Readonly<Record<ResourceAccess, string>>,
  shared: FunctionEnvironment,
  host: NodeJS.ProcessEnv = process.env,
): FunctionEnvironment => {
  const environment: Record<string, string> = {};
  for (const name of HOST_VARIABLES) {
    const value = host[name];
    if (value !== undefined) environment[name] = value;
  }
  Object.assign(environment, shared);
  for (const access of spec.access) environment[localVariableOf(access)] = localValues[access];
  return environment;
};

/**
 * What every local function gets, like the variables Lambda and the function construct give every function on AWS:
 * region and (dummy) credentials, the emulators' endpoints, Powertools settings (tracing and metrics off: no X-Ray
 * daemon or CloudWatch here), and the local settings of the README. Any POWERTOOLS_* of the host wins.
 */
export const localSharedEnvironment = (endpoints: { dynamoDb: string; sqs: string; eventBridge: string; s3: string }): FunctionEnvironment => {
  const settings: Record<string, string> = {};
  for (const name of Object.values(SETTING_VARIABLES)) {
    const value = process.env[name];
    if (value !== undefined) settings[name] = value;
  }
  const hostPowertools = Object.fromEntries(
    Object.entries(process.env).filter((entry): entry is [string, string] => entry[0].startsWith('POWERTOOLS_') && entry[1] !== undefined),
  );
  const tracing = hostPowertools[POWERTOOLS_VARIABLES.traceEnabled] ?? 'false';
  return {
    // The X-Ray SDK (loaded by the Powertools tracer) otherwise installs an async hook with a destroy callback at
    // import, which every promise of every handler in this one process pays for; with tracing off it traces nothing.
    ...(tracing === 'false' ? { AWS_XRAY_MANUAL_MODE: 'true' } : {}),
    AWS_REGION: 'eu-west-2',
    AWS_ACCESS_KEY_ID: 'local',
    AWS_SECRET_ACCESS_KEY: 'local',
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    [ENDPOINT_VARIABLES.dynamoDb]: endpoints.dynamoDb,
    [ENDPOINT_VARIABLES.sqs]: endpoints.sqs,
    [ENDPOINT_VARIABLES.eventBridge]: endpoints.eventBridge,
    [ENDPOINT_VARIABLES.s3]: endpoints.s3,
    [SETTING_VARIABLES.allowPrivateCallbacks]: 'true',
    ...settings,
    [POWERTOOLS_VARIABLES.serviceName]: SERVICE_NAME,
    [POWERTOOLS_VARIABLES.metricsNamespace]: METRICS_NAMESPACE,
    [POWERTOOLS_VARIABLES.traceEnabled]: 'false',
    [POWERTOOLS_VARIABLES.metricsDisabled]: 'true',
    [POWERTOOLS_VARIABLES.logLevel]: 'WARN',
    ...hostPowertools,
  };
};

/** The environment of the function whose module load or invocation is running (across every await in it). */
const currentEnvironment = new AsyncLocalStorage<Record<string, string>>();

/**
 * One function's execution environment: the returned runner runs `work` (the handler module's load, one
 * invocation) so that `process.env` answers from `environment` only, in every promise continuation and timer too.
 * Writes stay in this function's own copy (shared by its later runs), as a write to process.env in one Lambda
 * function is invisible to another. Needs {@link isolateProcessEnvironment}.
 */
export const functionEnvironmentScope = (environment: FunctionEnvironment) => {
  const own: Record<string, string> = { ...environment };
  return <T>(work: () => T): T => currentEnvironment.run(own, work);
};

/**
 * Every handler runs in this one Node.js process, so the process environment would give each of them every
 * variable of every other: a function missing a grant would work here and fail on AWS. This replaces
 * `process.env` with a view that, inside a {@link functionEnvironmentScope}, answers from that function's own environment
 * and, outside any function (the runtime itself, its emulators), from the process's real one.
 * Returns the function that puts the real `process.env` back.
 */
export const isolateProcessEnvironment = (): (() => void) => {
  const real = process.env;
  const view = new Proxy(real, {
    get: (target, key) => {
      const own = typeof key === 'string' ? currentEnvironment.getStore() : undefined;
      if (own === undefined || typeof key !== 'string') return Reflect.get(target, key);
      return Object.hasOwn(own, key) ? own[key] : undefined;
    },
    set: (target, key, value: unknown) => {
      const own = typeof key === 'string' ? currentEnvironment.getStore() : undefined;
      if (own === undefined || typeof key !== 'string') return Reflect.set(target, key, value);
      own[key] = String(value);
      return true;
    },
    deleteProperty: (target, key) => {
      const own = typeof key === 'string' ? currentEnvironment.getStore() : undefined;
      if (own === undefined || typeof key !== 'string') return Reflect.deleteProperty(target, key);
      delete own[key];
      return true;
    },
    has: (target, key) => {
      const own = typeof key === 'string' ? currentEnvironment.getStore() : undefined;
      return own === undefined || typeof key !== 'string' ? Reflect.has(target, key) : Object.hasOwn(own, key);
    },
    ownKeys: (target) => {
      const own = currentEnvironment.getStore();
      return own === undefined ? Reflect.ownKeys(target) : Object.keys(own);
    },
    getOwnPropertyDescriptor: (target, key) => {
      const own = typeof key === 'string' ? currentEnvironment.getStore() : undefined;
      if (own === undefined || typeof key !== 'string') return Reflect.getOwnPropertyDescriptor(target, key);
      return Object.hasOwn(own, key) ? { value: own[key], writable: true, enumerable: true, configurable: true } : undefined;
    },
  });
  process.env = view;
  return () => {
    if (process.env === view) process.env = real;
  };
};
