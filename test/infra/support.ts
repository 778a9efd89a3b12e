import { App, CfnElement, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import type { IConstruct } from 'constructs';
import { type SettledTopology, mapRecord, settledTopology } from '../../infra/settled-topology';
import { SettledStatefulStack } from '../../infra/stateful-stack';
import { SettledStatelessStack } from '../../infra/stateless-stack';

/**
 * The real topology with what it does not have yet: every queue consumed (by `health`, whose 5 s timeout makes the
 * visibility arithmetic visible) with batching values unlike the real ones, an event rule targeting `admin-api` and a
 * schedule on the settlements queue.
 * Built from the real `functions`, so the bundles in dist/ exist.
 */
export const fixtureTopology: SettledTopology = {
  ...settledTopology,
  queues: mapRecord(settledTopology.queues, (spec) => ({
    ...spec,
    consumer: 'health',
    batchSize: 25,
    maxBatchingWindowSeconds: 3,
    maxReceiveCount: 4,
  })),
  eventRules: [
    ...settledTopology.eventRules,
    {
      name: 'fixture-payment-outcomes',
      detailTypes: ['payment.settled', 'payment.returned'],
      target: 'admin-api',
      retryAttempts: 7,
      maxEventAgeSeconds: 3_600,
    },
  ],
  schedules: {
    ...settledTopology.schedules,
    // A second schedule on another queue, so "only its own queue" has another queue to tell apart.
    'fixture-settlements-nudge': {
      queue: 'settlements',
      everyMinutes: 15,
      message: { kind: 'fixture-nudge', attempts: [1, 2], note: null },
      retryAttempts: 0,
      maxEventAgeSeconds: 60,
    },
  },
};

/** Both topologies, for tests that must hold for the real one today and for whatever it grows into. */
export const topologies: readonly (readonly [string, SettledTopology])[] = [
  ['real topology', settledTopology],
  ['fixture topology', fixtureTopology],
];

/** The two stacks declared from `topology` in a fresh app, and their synthesised templates. */
export interface SynthesisedStacks {
  readonly stateful: SettledStatefulStack;
  readonly stateless: SettledStatelessStack;
  readonly statefulTemplate: Template;
  readonly statelessTemplate: Template;
}

/** Declares both stacks from `topology` in a fresh app (no cdk-nag: see cdk-nag.test.ts) and synthesises them. */
export const synthesise = (topology: SettledTopology): SynthesisedStacks => {
  const app = new App();
  const stateful = new SettledStatefulStack(app, 'SettledStateful', { topology });
  const stateless = new SettledStatelessStack(app, 'SettledStateless', { stateful, topology });
  return {
    stateful,
    stateless,
    statefulTemplate: Template.fromStack(stateful),
    statelessTemplate: Template.fromStack(stateless),
  };
};

/** Narrows template JSON (typed `any` by aws-cdk-lib) to an object, without a cast. */
export const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** The CloudFormation logical id of a construct (an L2's default child, or an L1 itself). */
export const logicalIdOf = (construct: IConstruct): string => {
  const element = construct instanceof CfnElement ? construct : construct.node.defaultChild;
  if (!(element instanceof CfnElement)) throw new Error(`${construct.node.path} has no CloudFormation resource`);
  return Stack.of(element).getLogicalId(element);
};

/** `{ Ref: <logical id> }` of a construct, as the template refers to it within its own stack. */
export const ref = (construct: IConstruct): { Ref: string } => ({ Ref: logicalIdOf(construct) });

/** `{ Fn::GetAtt: [<logical id>, Arn] }` of a construct, within its own stack. */
export const arnOf = (construct: IConstruct): { 'Fn::GetAtt': [string, string] } => ({
  'Fn::GetAtt': [logicalIdOf(construct), 'Arn'],
});

/** A resource of a template, by the construct that declared it. */
export interface TemplateResource {
  readonly type: unknown;
  readonly properties: Record<string, unknown>;
  readonly deletionPolicy: unknown;
}

/** The template's resource declared by `construct` (throws if the template has none). */
export const resourceOf = (template: Template, construct: IConstruct): TemplateResource => {
  const logicalId = logicalIdOf(construct);
  const resources: unknown = template.toJSON()['Resources'];
  const resource = isRecord(resources) ? resources[logicalId] : undefined;
  if (!isRecord(resource)) throw new Error(`No resource ${logicalId} (${construct.node.path}) in the template`);
  const properties = resource['Properties'];
  return {
    type: resource['Type'],
    properties: isRecord(properties) ? properties : {},
    deletionPolicy: resource['DeletionPolicy'],
  };
};

/** All resources of one type, as [logical id, properties]. */
export const resourcesOfType = (template: Template, type: string): [string, Record<string, unknown>][] =>
  Object.entries(template.findResources(type)).map(([logicalId, resource]): [string, Record<string, unknown>] => {
    const body: unknown = resource;
    const properties = isRecord(body) ? body['Properties'] : undefined;
    return [logicalId, isRecord(properties) ? properties : {}];
  });

/** One IAM policy statement, normalised: actions and resources always arrays. */
export interface PolicyStatement {
  readonly effect: unknown;
  readonly actions: readonly unknown[];
  readonly resources: readonly unknown[];
}

const asArray = (value: unknown): readonly unknown[] => (Array.isArray(value) ? value : [value]);

/** Every statement of every AWS::IAM::Policy attached to the role. */
export const statementsOfRole = (template: Template, role: IConstruct): PolicyStatement[] => {
  const roleRef = ref(role);
  return resourcesOfType(template, 'AWS::IAM::Policy')
    .filter(([, policy]) =>
      asArray(policy['Roles']).some((attached) => isRecord(attached) && attached['Ref'] === roleRef.Ref),
    )
    .flatMap(([, policy]) => {
      const document = policy['PolicyDocument'];
      const statements = isRecord(document) ? asArray(document['Statement']) : [];
      return statements.filter(isRecord).map((statement) => ({
        effect: statement['Effect'],
        actions: asArray(statement['Action']),
        resources: asArray(statement['Resource']),
      }));
    });
};

/** The integration URI (the function's ARN expression) an HTTP API route key is sent to, as synthesised. */
export const routeTargetOf = (template: Template, routeKey: string): unknown => {
  const routes = resourcesOfType(template, 'AWS::ApiGatewayV2::Route');
  const integrations = resourcesOfType(template, 'AWS::ApiGatewayV2::Integration');
  const target = JSON.stringify(routes.find(([, properties]) => properties['RouteKey'] === routeKey)?.[1]['Target']);
  return integrations.find(([logicalId]) => target.includes(`"Ref":"${logicalId}"`))?.[1]['IntegrationUri'];
};
