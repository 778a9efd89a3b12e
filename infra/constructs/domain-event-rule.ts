import { Duration, Validations } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { EVENT_SOURCE } from '../../shared/domain/events/domain-event';
import { type EventRule, detailPattern } from '../topology';
import { DeadLetterQueue } from './dead-letter-queue';

/** Props of {@link DomainEventRule}. */
export interface DomainEventRuleProps {
  /** The rule's entry in infra/topology.ts. */
  readonly rule: EventRule;
  readonly eventBus: events.IEventBus;
  /** The function the topology names as the rule's target. */
  readonly target: lambda.IFunction;
}

/**
 * Routes Settled domain events of the listed detail-types to one function, asynchronously, with the topology's retry
 * budget; what still fails after that lands in the rule's own dead-letter queue instead of being dropped.
 */
export class DomainEventRule extends Construct {
  readonly rule: events.Rule;
  readonly deadLetterQueue: sqs.Queue;

  constructor(scope: Construct, id: string, props: DomainEventRuleProps) {
    super(scope, id);
    this.deadLetterQueue = new DeadLetterQueue(this, 'DeadLetter').queue;
    Validations.of(this.deadLetterQueue).acknowledge({
      id: 'AwsSolutions-SQS3',
      reason:
        `This queue is itself the dead-letter queue of the "${props.rule.name}" rule's target (EventBridge, not an ` +
        'SQS redrive, points at it, which the rule cannot see). A dead-letter queue of a dead-letter queue would ' +
        'only move the same event again; it is alarmed instead.',
    });

    this.rule = new events.Rule(this, 'Rule', {
      eventBus: props.eventBus,
      description: `Settled: ${props.rule.name}`,
      eventPattern: { source: [EVENT_SOURCE], detailType: [...props.rule.detailTypes], ...detailPattern(props.rule) },
      targets: [
        new targets.LambdaFunction(props.target, {
          deadLetterQueue: this.deadLetterQueue,
          retryAttempts: props.rule.retryAttempts,
          maxEventAge: Duration.seconds(props.rule.maxEventAgeSeconds),
        }),
      ],
    });
  }
}
