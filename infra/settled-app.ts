import { type App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { type SettledTopology, settledTopology } from './settled-topology';
import { SettledStatefulStack } from './stateful-stack';
import { SettledStatelessStack } from './stateless-stack';

/** The two stacks of one Settled deployment. */
export interface SettledStacks {
  readonly stateful: SettledStatefulStack;
  readonly stateless: SettledStatelessStack;
}

/**
 * Declares Settled in `app`: `SettledStateful` (table, queues, bus, secrets) and `SettledStateless` (functions, API,
 * event sources, rules, alarms), environment-agnostic so `cdk synth` needs no credentials, and registers cdk-nag's
 * AwsSolutions checks, which fail synthesis on any unacknowledged error.
 */
export const addSettledStacks = (app: App, topology: SettledTopology = settledTopology): SettledStacks => {
  const stateful = new SettledStatefulStack(app, 'SettledStateful', {
    description: 'Settled: single table, settlement queues, domain event bus, secrets',
    topology,
  });
  const stateless = new SettledStatelessStack(app, 'SettledStateless', {
    description: 'Settled: functions, HTTP API, queue consumers, event rules, dead-letter alarms',
    stateful,
    topology,
  });
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  return { stateful, stateless };
};
