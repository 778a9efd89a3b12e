import { Duration } from 'aws-cdk-lib';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';

/** How long a dead-lettered message waits for an operator: SQS's maximum, so a long weekend loses nothing. */
export const DEAD_LETTER_RETENTION = Duration.days(14);

/**
 * An SQS queue that holds what could not be processed: the maximum retention, TLS-only access and SQS-managed
 * encryption (which, unlike the AWS-managed KMS key, EventBridge can still deliver to). Every instance is alarmed by
 * {@link DeadLetterAlarm} in the stateless stack.
 */
export class DeadLetterQueue extends Construct {
  readonly queue: sqs.Queue;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    this.queue = new sqs.Queue(this, 'Queue', {
      retentionPeriod: DEAD_LETTER_RETENTION,
      enforceSSL: true,
      encryption: sqs.QueueEncryption.SQS_MANAGED,
    });
  }
}
