import { CfnOutput, CrossStackReferences, Duration, ReferenceStrength, Stack, type StackProps, Lazy } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import type * as events from 'aws-cdk-lib/aws-events';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import type * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import type { Construct } from 'constructs';
import { tableDefinition } from '../shared/adapters/dynamodb/table-definition';
import { DeadLetterAlarm } from './constructs/dead-letter-alarm';
import { DomainEventRule } from './constructs/domain-event-rule';
import { QueueSchedule } from './constructs/queue-schedule';
import type { QueueWithDeadLetter } from './constructs/queue-with-dead-letter';
import { type BindableResources, SettledFunction } from './constructs/settled-function';
import { SettledHttpApi } from './constructs/settled-http-api';
import { type SettledTopology, constructIdOf, mapRecord, namesOf, settledTopology } from './settled-topology';
import type { FunctionName, QueueName } from './topology';

/** The stateful resources the functions use: what the stateful stack (infra/stateful-stack.ts) exposes. */
export interface StatefulResources {
  readonly table: dynamodb.ITable;
  readonly queues: Readonly<Record<QueueName, QueueWithDeadLetter>>;
  readonly eventBus: events.IEventBus;
  readonly adminTokenSecret: secretsmanager.ISecret;
  readonly sandboxWebhookSecret: secretsmanager.ISecret;
  readonly tokenKey: kms.IKey;
  readonly aspspRegistrySecret: secretsmanager.ISecret;
  readonly tppCredentialsSecret: secretsmanager.ISecret;
  readonly gocardlessWebhookSecret: secretsmanager.ISecret;
  readonly statementFilesBucketName: string;
}

/** Props of {@link SettledStatelessStack}. */
export interface SettledStatelessStackProps extends StackProps {
  readonly stateful: StatefulResources;
  /** Functions, routes, queue consumers and event rules to declare. Default: infra/topology.ts. */
  readonly topology?: SettledTopology;
}

/**
 * Everything that can be replaced without losing data, declared from the topology: one function per entry, the HTTP
 * API, the SQS event sources, the EventBridge rules and the EventBridge Scheduler schedules (each with its dead-letter
 * queue) and an alarm per dead-letter queue, including those of the stateful queues.
 */
export class SettledStatelessStack extends Stack {
  readonly functions: Readonly<Record<FunctionName, SettledFunction>>;
  readonly httpApi: SettledHttpApi;
  readonly eventRules: readonly DomainEventRule[];
  readonly schedules: Readonly<Record<string, QueueSchedule>>;

  constructor(scope: Construct, id: string, props: SettledStatelessStackProps) {
    super(scope, id, props);
    // Exports and Fn::ImportValue: CloudFormation refuses to remove the table, queues or bus while functions use them.
    CrossStackReferences.of(this).consume(ReferenceStrength.STRONG);
    const topology = props.topology ?? settledTopology;
    const { stateful } = props;

    const resources: BindableResources = {
      // The table without its indexes, so no grant reaches `index/*`; the indexes are granted by name.
      table: dynamodb.Table.fromTableName(this, 'Table', stateful.table.tableName),
      tableIndexArns: tableDefinition.globalSecondaryIndexes.map(
        (index) => `${stateful.table.tableArn}/index/${index.indexName}`,
      ),
      settlementsQueue: stateful.queues.settlements.queue,
      eventBus: stateful.eventBus,
      adminTokenSecret: stateful.adminTokenSecret,
      sandboxWebhookSecret: stateful.sandboxWebhookSecret,
      tokenKey: stateful.tokenKey,
      aspspRegistrySecret: stateful.aspspRegistrySecret,
      tppCredentialsSecret: stateful.tppCredentialsSecret,
      gocardlessWebhookSecret: stateful.gocardlessWebhookSecret,
      sandboxQueue: stateful.queues['sandbox-bank'].queue,
      callbackQueue: stateful.queues['callback-deliveries'].queue,
      bankSyncQueue: stateful.queues['bank-sync'].queue,
      statementImportQueue: stateful.queues['statement-imports'].queue,
      payoutsQueue: stateful.queues.payouts.queue,
      // By its name, as the table is: the grants then name the bucket without importing from the stateful stack.
      statementFilesBucket: s3.Bucket.fromBucketName(this, 'StatementFiles', stateful.statementFilesBucketName),
      // Resolved at synthesis, once this.httpApi exists; it names only the HttpApi resource, so no cycle.
      apiBaseUrl: Lazy.string({ produce: () => this.httpApi.api.apiEndpoint }),
    };
    this.functions = mapRecord(
      topology.functions,
      (spec, name) => new SettledFunction(this, `${constructIdOf(name)}Function`, { name, spec, resources }),
    );

    this.httpApi = new SettledHttpApi(this, 'HttpApi', {
      routes: topology.httpRoutes,
      functions: mapRecord(this.functions, (settledFunction) => settledFunction.function),
    });
    new CfnOutput(this, 'ApiUrl', { value: this.httpApi.url, description: 'Base URL of the Settled API' });

    for (const queueName of namesOf(topology.queues)) {
      const spec = topology.queues[queueName];
      const { queue, deadLetterQueue } = stateful.queues[queueName];
      if (spec.consumer !== undefined) {
        this.functions[spec.consumer].function.addEventSource(
          new SqsEventSource(queue, {
            batchSize: spec.batchSize,
            maxBatchingWindow: Duration.seconds(spec.maxBatchingWindowSeconds),
            reportBatchItemFailures: true,
          }),
        );
      }
      new DeadLetterAlarm(this, `${constructIdOf(queueName)}DeadLetterAlarm`, {
        deadLetterQueue,
        description: `Messages of the ${queueName} queue were dead-lettered after ${spec.maxReceiveCount} receives.`,
      });
    }

    this.eventRules = topology.eventRules.map((rule) => {
      const eventRule = new DomainEventRule(this, `${constructIdOf(rule.name)}Rule`, {
        rule,
        eventBus: stateful.eventBus,
        target: this.functions[rule.target].function,
      });
      new DeadLetterAlarm(this, `${constructIdOf(rule.name)}RuleDeadLetterAlarm`, {
        deadLetterQueue: eventRule.deadLetterQueue,
        description:
          `Events of the ${rule.name} rule failed ${rule.retryAttempts} retries or outlived their maximum age.`,
      });
      return eventRule;
    });

    // Here rather than beside the queues: a schedule holds no data and is replaced like a rule, and its dead-letter
    // queue and alarm sit with the rules' (the queue's ARN comes across as an export, as for the event sources).
    this.schedules = mapRecord(topology.schedules, (spec, name) => {
      const queueSchedule = new QueueSchedule(this, `${constructIdOf(name)}Schedule`, {
        name,
        spec,
        queue: stateful.queues[spec.queue].queue,
      });
      new DeadLetterAlarm(this, `${constructIdOf(name)}ScheduleDeadLetterAlarm`, {
        deadLetterQueue: queueSchedule.deadLetterQueue,
        description:
          `Messages of the ${name} schedule could not be sent to the ${spec.queue} queue in ${spec.retryAttempts} ` +
          `retries or ${spec.maxEventAgeSeconds} s.`,
      });
      return queueSchedule;
    });
  }
}
