import { Match } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { mapRecord, namesOf } from '../../infra/settled-topology';
import { EVENT_SOURCE } from '../../shared/domain/events/domain-event';
import { accessBindings, awsVariableOf, type FunctionName, type ResourceAccess, routeKeyOf } from '../../infra/topology';
import {
  arnOf,
  fixtureTopology,
  isRecord,
  logicalIdOf,
  ref,
  resourceOf,
  resourcesOfType,
  statementsOfRole,
  synthesise,
  topologies,
} from './support';

/** The environment variable each access sets on AWS, from the one table CDK and the local runtime share. */
const ENVIRONMENT_OF: Record<ResourceAccess, string> = mapRecord(accessBindings, (_binding, access) => awsVariableOf(access));

const TABLE_WRITE_ACTIONS = [
  'dynamodb:PutItem',
  'dynamodb:UpdateItem',
  'dynamodb:DeleteItem',
  'dynamodb:BatchWriteItem',
];

describe.each(topologies)('stateless stack functions (%s)', (_label, topology) => {
  // Prepare
  const { stateful, stateless, statelessTemplate } = synthesise(topology);
  const functionNames = namesOf(topology.functions);

  const lambdaOf = (name: FunctionName) => resourceOf(statelessTemplate, stateless.functions[name].function);
  const environmentOf = (name: FunctionName): Record<string, unknown> => {
    const environment = lambdaOf(name).properties['Environment'];
    const variables = isRecord(environment) ? environment['Variables'] : undefined;
    return isRecord(variables) ? variables : {};
  };
  const statementsOf = (name: FunctionName) => statementsOfRole(statelessTemplate, stateless.functions[name].role);
  const actionsOf = (name: FunctionName) => statementsOf(name).flatMap((statement) => statement.actions);
  /** Statements that reach a resource, by its (imported) ARN as the stateless stack sees it. */
  const actionsOn = (name: FunctionName, resourceArn: unknown) =>
    statementsOf(name)
      .filter((statement) =>
        statement.resources.some((resource) => JSON.stringify(resource) === JSON.stringify(resourceArn)),
      )
      .flatMap((statement) => statement.actions);

  it.each(functionNames)('%s runs its dist bundle as index.handler on arm64, Node.js ≥ 22, X-Ray active', (name) => {
    const properties = lambdaOf(name).properties;

    expect(properties).toMatchObject({
      Handler: 'index.handler',
      Architectures: ['arm64'],
      TracingConfig: { Mode: 'Active' },
      MemorySize: topology.functions[name].memoryMb,
      Timeout: topology.functions[name].timeoutSeconds,
      Description: topology.functions[name].description,
    });
    const runtime = /^nodejs(\d+)\.x$/.exec(String(properties['Runtime']));
    expect(runtime, `runtime ${String(properties['Runtime'])}`).not.toBeNull();
    expect(Number(runtime?.[1])).toBeGreaterThanOrEqual(22);
  });

  it.each(functionNames)('%s logs to its own log group with a retention, with source maps on', (name) => {
    const { function: fn, logGroup } = stateless.functions[name];
    const properties = resourceOf(statelessTemplate, fn).properties;

    expect(properties['LoggingConfig']).toEqual({ LogGroup: ref(logGroup) });
    expect(resourceOf(statelessTemplate, logGroup).properties['RetentionInDays']).toEqual(expect.any(Number));
    expect(environmentOf(name)).toMatchObject({
      NODE_OPTIONS: '--enable-source-maps',
      POWERTOOLS_SERVICE_NAME: 'settled',
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    });
  });

  it.each(functionNames)('%s writes its business metrics to the Settled namespace, with metrics and tracing left on', (name) => {
    const environment = environmentOf(name);

    expect(environment).toMatchObject({ POWERTOOLS_METRICS_NAMESPACE: 'Settled', POWERTOOLS_SERVICE_NAME: 'settled' });
    // The switches the local runtime and the tests turn off must not reach AWS.
    expect(environment).not.toHaveProperty('POWERTOOLS_METRICS_DISABLED');
    expect(environment).not.toHaveProperty('POWERTOOLS_TRACE_ENABLED');
    expect(environment).not.toHaveProperty('POWERTOOLS_DEV');
  });

  it.each(functionNames)('%s gets the environment of exactly the access its topology entry lists', (name) => {
    const granted = new Set(topology.functions[name].access.map((access) => ENVIRONMENT_OF[access]));
    for (const variable of new Set(Object.values(ENVIRONMENT_OF))) {
      if (granted.has(variable)) expect(environmentOf(name)).toHaveProperty(variable);
      else expect(environmentOf(name)).not.toHaveProperty(variable);
    }
  });

  it.each(functionNames)('%s has no managed policy (AWSLambdaBasicExecutionRole), writes only its own logs', (name) => {
    const { role, logGroup } = stateless.functions[name];

    expect(resourceOf(statelessTemplate, role).properties['ManagedPolicyArns']).toBeUndefined();
    expect(actionsOn(name, arnOf(logGroup))).toEqual(
      expect.arrayContaining(['logs:CreateLogStream', 'logs:PutLogEvents']),
    );
    const wildcardActions = statementsOf(name)
      .filter((statement) => statement.resources.includes('*'))
      .flatMap((statement) => statement.actions);
    expect(wildcardActions.sort()).toEqual(['xray:PutTelemetryRecords', 'xray:PutTraceSegments']);
  });

  it.each(functionNames)('%s writes the table only with table:write, reads a secret only if listed', (name) => {
    // Prepare
    const access: readonly ResourceAccess[] = topology.functions[name].access;
    const actions = actionsOf(name);
    const adminTokenArn = stateless.resolve(stateful.adminTokenSecret.secretArn);
    const webhookSecretArn = stateless.resolve(stateful.sandboxWebhookSecret.secretArn);

    // Assess
    for (const action of TABLE_WRITE_ACTIONS) {
      if (access.includes('table:write')) expect(actions).toContain(action);
      else expect(actions).not.toContain(action);
    }
    const secrets = [
      ['secret:admin-token', adminTokenArn],
      ['secret:sandbox-webhook', webhookSecretArn],
      ['secret:aspsp-registry', stateless.resolve(stateful.aspspRegistrySecret.secretArn)],
      ['secret:tpp-credentials', stateless.resolve(stateful.tppCredentialsSecret.secretArn)],
    ] as const;
    for (const [secretAccess, secretArn] of secrets) {
      if (access.includes(secretAccess)) expect(actionsOn(name, secretArn)).toContain('secretsmanager:GetSecretValue');
      else expect(actionsOn(name, secretArn)).toEqual([]);
    }
    const queuesSentTo = [
      ['settlements-queue:send', stateless.resolve(stateful.queues.settlements.queue.queueArn)],
      ['sandbox-queue:send', stateless.resolve(stateful.queues['sandbox-bank'].queue.queueArn)],
      ['callback-queue:send', stateless.resolve(stateful.queues['callback-deliveries'].queue.queueArn)],
    ] as const;
    for (const [queueAccess, queueArn] of queuesSentTo) {
      if (access.includes(queueAccess)) expect(actionsOn(name, queueArn)).toContain('sqs:SendMessage');
      else expect(actionsOn(name, queueArn)).not.toContain('sqs:SendMessage');
    }
    if (!access.includes('event-bus:put')) expect(actions).not.toContain('events:PutEvents');
    // The token key: Encrypt and Decrypt, only for functions that seal or open bank tokens.
    const onTokenKey = actionsOn(name, stateless.resolve(stateful.tokenKey.keyArn));
    if (access.includes('token-key:use')) expect([...onTokenKey].sort()).toEqual(['kms:Decrypt', 'kms:Encrypt']);
    else expect(onTokenKey).toEqual([]);
  });

  it('health (table:read only) cannot write the table or read any secret', () => {
    const actions = actionsOf('health');

    expect(actions).toContain('dynamodb:GetItem');
    for (const action of TABLE_WRITE_ACTIONS) expect(actions).not.toContain(action);
    expect(actions).not.toContain('secretsmanager:GetSecretValue');
  });

  it('admin-api can write the table and read the admin token, and not the sandbox webhook secret', () => {
    const actions = actionsOf('admin-api');

    for (const action of TABLE_WRITE_ACTIONS) expect(actions).toContain(action);
    expect(actionsOn('admin-api', stateless.resolve(stateful.adminTokenSecret.secretArn))).toContain(
      'secretsmanager:GetSecretValue',
    );
    expect(actionsOn('admin-api', stateless.resolve(stateful.sandboxWebhookSecret.secretArn))).toEqual([]);
  });

  it('grants the table indexes by name, never index/*', () => {
    const resources = functionNames.flatMap((name) => statementsOf(name).flatMap((statement) => statement.resources));
    expect(JSON.stringify(resources)).not.toContain('/index/*');
  });
});

describe.each(topologies)('stateless stack HTTP API (%s)', (_label, topology) => {
  // Prepare
  const { stateless, statelessTemplate } = synthesise(topology);
  const routes = resourcesOfType(statelessTemplate, 'AWS::ApiGatewayV2::Route');
  const integrations = resourcesOfType(statelessTemplate, 'AWS::ApiGatewayV2::Integration');

  it.each(topology.httpRoutes.map((route) => [routeKeyOf(route), route] as const))(
    'routes %s to its function through a payload 2.0 Lambda proxy integration',
    (routeKey, route) => {
      // Act
      const matching = routes.filter(([, properties]) => properties['RouteKey'] === routeKey);
      const target = JSON.stringify(matching[0]?.[1]['Target']);
      const integration = integrations.find(([logicalId]) => target.includes(`"Ref":"${logicalId}"`))?.[1];

      // Assess
      expect(matching).toHaveLength(1);
      expect(matching[0]?.[1]['ApiId']).toEqual(ref(stateless.httpApi.api));
      expect(integration).toMatchObject({
        IntegrationType: 'AWS_PROXY',
        PayloadFormatVersion: '2.0',
        IntegrationUri: arnOf(stateless.functions[route.function].function),
      });
    },
  );

  it('declares no route the topology does not list', () => {
    expect(routes.map(([, properties]) => properties['RouteKey']).sort()).toEqual(
      topology.httpRoutes.map(routeKeyOf).sort(),
    );
  });

  it('serves the $default stage with access logs to a log group and throttling', () => {
    const stage = resourceOf(statelessTemplate, stateless.httpApi.stage).properties;

    expect(stage).toMatchObject({
      StageName: '$default',
      AutoDeploy: true,
      AccessLogSettings: { DestinationArn: arnOf(stateless.httpApi.accessLogGroup), Format: expect.any(String) },
      DefaultRouteSettings: { ThrottlingRateLimit: expect.any(Number), ThrottlingBurstLimit: expect.any(Number) },
    });
  });

  it('outputs the API URL', () => {
    statelessTemplate.hasOutput('ApiUrl', {
      Value: { 'Fn::Join': ['', Match.arrayWith(['https://', ref(stateless.httpApi.api)])] },
    });
  });
});

describe.each(topologies)('stateless stack queue consumers and event rules (%s)', (_label, topology) => {
  // Prepare
  const { stateful, stateless, statelessTemplate } = synthesise(topology);
  const mappings = resourcesOfType(statelessTemplate, 'AWS::Lambda::EventSourceMapping');
  const queueNames = namesOf(topology.queues);
  const queueArnOf = (name: (typeof queueNames)[number]) => stateless.resolve(stateful.queues[name].queue.queueArn);

  it.each(queueNames)('queue %s feeds its consumer in batches with partial batch failures (if it has one)', (name) => {
    const spec = topology.queues[name];
    const mapping = mappings.filter(
      ([, properties]) => JSON.stringify(properties['EventSourceArn']) === JSON.stringify(queueArnOf(name)),
    );

    if (spec.consumer === undefined) {
      const queueLogicalId = logicalIdOf(stateful.queues[name].queue);
      expect(mappings.filter(([, properties]) => JSON.stringify(properties).includes(queueLogicalId))).toEqual([]);
      return;
    }
    expect(mapping).toHaveLength(1);
    expect(mapping[0]?.[1]).toMatchObject({
      FunctionName: ref(stateless.functions[spec.consumer].function),
      BatchSize: spec.batchSize,
      MaximumBatchingWindowInSeconds: spec.maxBatchingWindowSeconds,
      FunctionResponseTypes: ['ReportBatchItemFailures'],
    });
  });

  it.each(topology.eventRules.map((rule, index) => [rule.name, index] as const))(
    'rule %s sends its detail-types to its target with the topology retries and a dead-letter queue',
    (_name, index) => {
      // Prepare
      const rule = topology.eventRules[index];
      const declared = stateless.eventRules[index];
      if (rule === undefined || declared === undefined) throw new Error(`rule ${index} was not declared`);

      // Act
      const properties = resourceOf(statelessTemplate, declared.rule).properties;

      // Assess
      expect(properties).toMatchObject({
        EventBusName: stateless.resolve(stateful.eventBus.eventBusName),
        EventPattern: { source: [EVENT_SOURCE], 'detail-type': rule.detailTypes },
        State: 'ENABLED',
      });
      // A content filter is an `exists` pattern on each path (true: detailFieldPresent, false: detailFieldAbsent);
      // a rule without one has none.
      const detail = new Map(Object.entries(properties['EventPattern'] ?? {})).get('detail');
      const conditions: [string, boolean][] = [
        ...(rule.detailFieldPresent === undefined ? [] : [[rule.detailFieldPresent, true] as [string, boolean]]),
        ...(rule.detailFieldAbsent === undefined ? [] : [[rule.detailFieldAbsent, false] as [string, boolean]]),
      ];
      if (conditions.length === 0) expect(detail).toBeUndefined();
      for (const [path, exists] of conditions) {
        const leaf = path.split('.').reduce<unknown>((node, key) => (node !== null && typeof node === 'object' ? new Map(Object.entries(node)).get(key) : undefined), detail);
        expect(leaf).toEqual([{ exists }]);
      }
      expect(properties['Targets']).toEqual([
        expect.objectContaining({
          Arn: arnOf(stateless.functions[rule.target].function),
          DeadLetterConfig: { Arn: arnOf(declared.deadLetterQueue) },
          RetryPolicy: { MaximumRetryAttempts: rule.retryAttempts, MaximumEventAgeInSeconds: rule.maxEventAgeSeconds },
        }),
      ]);
    },
  );

  it('declares one rule per topology rule', () => {
    expect(resourcesOfType(statelessTemplate, 'AWS::Events::Rule').map(([logicalId]) => logicalId).sort()).toEqual(
      stateless.eventRules.map((declared) => logicalIdOf(declared.rule)).sort(),
    );
  });

  it('alarms on every dead-letter queue as soon as one message is visible', () => {
    // Prepare
    const deadLetterQueueNames = [
      ...queueNames.map((name) => stateless.resolve(stateful.queues[name].deadLetterQueue.queueName)),
      ...stateless.eventRules.map((declared) => stateless.resolve(declared.deadLetterQueue.queueName)),
      ...Object.values(stateless.schedules).map((declared) => stateless.resolve(declared.deadLetterQueue.queueName)),
    ];
    const alarms = resourcesOfType(statelessTemplate, 'AWS::CloudWatch::Alarm');

    // Assess
    expect(deadLetterQueueNames.length).toBe(
      queueNames.length + topology.eventRules.length + Object.keys(topology.schedules).length,
    );
    for (const queueName of deadLetterQueueNames) {
      const alarm = alarms.filter(
        ([, properties]) =>
          JSON.stringify(properties['Dimensions']) === JSON.stringify([{ Name: 'QueueName', Value: queueName }]),
      );
      expect(alarm, `alarm on ${JSON.stringify(queueName)}`).toHaveLength(1);
      expect(alarm[0]?.[1]).toMatchObject({
        Namespace: 'AWS/SQS',
        MetricName: 'ApproximateNumberOfMessagesVisible',
        ComparisonOperator: 'GreaterThanThreshold',
        Threshold: 0,
      });
    }
  });
});

describe('the fixture topology exercises what the real one lacks', () => {
  it('has a consumed queue and an event rule, so the assertions above ran on at least one of each', () => {
    expect(Object.values(fixtureTopology.queues).some((spec) => spec.consumer !== undefined)).toBe(true);
    expect(fixtureTopology.eventRules.length).toBeGreaterThan(0);
  });
});
