import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';

/** Props of {@link DeadLetterAlarm}. */
export interface DeadLetterAlarmProps {
  readonly deadLetterQueue: sqs.IQueue;
  /** What was dead-lettered, for whoever reads the alarm. */
  readonly description: string;
}

/**
 * Alarms as soon as one message sits in a dead-letter queue: each one is a settlement, event or callback that Settled
 * gave up on, and nothing may be lost silently (docs/architecture.md §8).
 */
export class DeadLetterAlarm extends Construct {
  readonly alarm: cloudwatch.Alarm;

  constructor(scope: Construct, id: string, props: DeadLetterAlarmProps) {
    super(scope, id);
    this.alarm = new cloudwatch.Alarm(this, 'Alarm', {
      alarmDescription: props.description,
      metric: props.deadLetterQueue.metricApproximateNumberOfMessagesVisible({
        period: Duration.minutes(1),
        statistic: cloudwatch.Stats.MAXIMUM,
      }),
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      threshold: 0,
      evaluationPeriods: 1,
      // An empty queue publishes no datapoints for long stretches; that is the healthy state.
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });
  }
}
