import {
  type EventRule,
  type FunctionName,
  type FunctionSpec,
  type HttpRoute,
  type QueueName,
  type QueueSpec,
  type ScheduleSpec,
  eventRules,
  functions,
  httpRoutes,
  queues,
  schedules,
} from './topology';

/**
 * The parts of infra/topology.ts the stacks are declared from, as one value, so a test can hand the stacks a fixture
 * topology (a queue consumer, an event rule) that the real one does not have yet.
 */
export interface SettledTopology {
  readonly functions: Readonly<Record<FunctionName, FunctionSpec>>;
  readonly httpRoutes: readonly HttpRoute[];
  readonly queues: Readonly<Record<QueueName, QueueSpec>>;
  readonly eventRules: readonly EventRule[];
  /** Messages sent to queues on a fixed rate, by name. */
  readonly schedules: Readonly<Record<string, ScheduleSpec>>;
}

/** The real topology: what `npx cdk deploy` and the local runtime both use. */
export const settledTopology: SettledTopology = { functions, httpRoutes, queues, eventRules, schedules };

/** `Object.keys` typed by the record's own keys (the topology records are declared with exactly those keys). */
export const namesOf = <Name extends string>(record: Readonly<Record<Name, unknown>>): Name[] =>
  Object.keys(record).filter((key): key is Name => key in record);

/** Maps every entry of a topology record, keeping its keys: one construct per function, per queue. */
export const mapRecord = <Name extends string, In, Out>(
  record: Readonly<Record<Name, In>>,
  map: (value: In, name: Name) => Out,
): Record<Name, Out> => {
  const mapped: Partial<Record<Name, Out>> = {};
  for (const name of namesOf(record)) mapped[name] = map(record[name], name);
  // Every key of `record` was mapped just above; TypeScript cannot follow that through a loop.
  return mapped as Record<Name, Out>;
};

/** `admin-api` → `AdminApi`: construct ids built from topology names. */
export const constructIdOf = (name: string): string =>
  name
    .split(/[^A-Za-z0-9]+/)
    .filter((part) => part !== '')
    .map((part) => part.charAt(0).toUpperCase() + part.slice(1))
    .join('');
