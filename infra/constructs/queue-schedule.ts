import { Duration, Stack, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import * as targets from 'aws-cdk-lib/aws-scheduler-targets';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import type { ScheduleSpec } from '../topology';
import { DeadLetterQueue } from './dead-letter-queue';

/** Props of {@link QueueSchedule}. */
export interface QueueScheduleProps {
  /** The schedule's name in infra/topology.ts. */
  readonly name: string;
  /** The schedule's entry in infra/topology.ts. */
  readonly spec: ScheduleSpec;
  /** The topology queue the entry names. */
  readonly queue: sqs.IQueue;
}

/**
 * Sends the topology's message to one queue on a fixed rate with EventBridge Scheduler, through a role of its own that
 * may only send to that queue (and to the schedule's dead-letter queue, where Scheduler puts a delivery that still
 * fails after the entry's retries).
 */
export class QueueSchedule extends Construct {
  readonly schedule: scheduler.Schedule;
  readonly role: iam.Role;
  readonly deadLetterQueue: sqs.Queue;

  constructor(scope: Construct, id: string, props: QueueScheduleProps) {
    super(scope, id);
    const stack = Stack.of(this);

    this.deadLetterQueue = new DeadLetterQueue(this, 'DeadLetter').queue;
    Validations.of(this.deadLetterQueue).acknowledge({
      id: 'AwsSolutions-SQS3',
      reason:
        `This queue is itself the dead-letter queue of the "${props.name}" schedule (EventBridge Scheduler, not an SQS ` +
        'redrive, points at it, which the queue cannot see). A dead-letter queue of a dead-letter queue would only ' +
        'move the same message again; it is alarmed instead.',
    });

    // Scheduler assumes the role only for schedules of this account's default group (the confused-deputy guard that
    // aws-scheduler-targets puts on the role it would otherwise create and share per target).
    this.role = new iam.Role(this, 'Role', {
      description: `Settled: EventBridge Scheduler sends the "${props.name}" message to its queue`,
      assumedBy: new iam.ServicePrincipal('scheduler.amazonaws.com', {
        conditions: {
          StringEquals: {
            'aws:SourceAccount': stack.account,
            'aws:SourceArn': stack.formatArn({ service: 'scheduler', resource: 'schedule-group', resourceName: 'default' }),
          },
        },
      }),
    });

    this.schedule = new scheduler.Schedule(this, 'Schedule', {
      description: `Settled: ${props.name}, every ${props.spec.everyMinutes} minutes`,
      schedule: scheduler.ScheduleExpression.rate(Duration.minutes(props.spec.everyMinutes)),
      // The target grants the role sqs:SendMessage on the queue (and the queue's KMS key, if it has one) and on the
      // dead-letter queue: nothing else.
      target: new targets.SqsSendMessage(props.queue, {
        role: this.role,
        input: scheduler.ScheduleTargetInput.fromObject(props.spec.message),
        deadLetterQueue: this.deadLetterQueue,
        retryAttempts: props.spec.retryAttempts,
        maxEventAge: Duration.seconds(props.spec.maxEventAgeSeconds),
      }),
    });
  }
}
