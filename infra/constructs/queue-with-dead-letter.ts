import { Duration } from 'aws-cdk-lib';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import type { QueueSpec } from '../topology';
import { DeadLetterQueue } from './dead-letter-queue';

/** Props of {@link QueueWithDeadLetter}. */
export interface QueueWithDeadLetterProps {
  /** The queue's entry in infra/topology.ts: how often a message is received before it is dead-lettered. */
  readonly spec: QueueSpec;
  /** Must outlast every retry of one receive by the consumer (see VISIBILITY_TIMEOUT_FACTOR). */
  readonly visibilityTimeout: Duration;
}

/** A work queue of the topology with its own dead-letter queue. */
export class QueueWithDeadLetter extends Construct {
  readonly queue: sqs.Queue;
  readonly deadLetterQueue: sqs.Queue;

  constructor(scope: Construct, id: string, props: QueueWithDeadLetterProps) {
    super(scope, id);
    this.deadLetterQueue = new DeadLetterQueue(this, 'DeadLetter').queue;
    this.queue = new sqs.Queue(this, 'Queue', {
      visibilityTimeout: props.visibilityTimeout,
      enforceSSL: true,
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      deadLetterQueue: { queue: this.deadLetterQueue, maxReceiveCount: props.spec.maxReceiveCount },
    });
  }
}
