import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import * as v from 'valibot';
import { describe, expect, it } from 'vitest';
import { QueueSchedule } from '../../infra/constructs/queue-schedule';
import { namesOf, settledTopology } from '../../infra/settled-topology';
import { schedules } from '../../infra/topology';
import { BankSyncMessageSchema } from '../../shared/schemas/bank-sync-message';
import {
  arnOf,
  fixtureTopology,
  isRecord,
  logicalIdOf,
  resourceOf,
  resourcesOfType,
  statementsOfRole,
  synthesise,
  topologies,
} from './support';

/** The expression CDK renders for a whole number of minutes that is not a whole number of hours. */
const rateExpressionOf = (everyMinutes: number): string => {
  if (everyMinutes < 2 || everyMinutes % 60 === 0) throw new Error(`pick another test rate than ${everyMinutes}`);
  return `rate(${everyMinutes} minutes)`;
};

describe.each(topologies)('stateless stack schedules (%s)', (_label, topology) => {
  // Prepare
  const { stateful, stateless, statelessTemplate } = synthesise(topology);
  const scheduleNames = namesOf(topology.schedules);
  /** A queue's ARN as the stateless stack imports it. */
  const queueArnOf = (name: keyof typeof stateful.queues) => stateless.resolve(stateful.queues[name].queue.queueArn);
  const declaredOf = (name: string) => {
    const declared = stateless.schedules[name];
    if (declared === undefined) throw new Error(`schedule ${name} was not declared`);
    return declared;
  };

  it('declares one schedule per topology entry', () => {
    expect(resourcesOfType(statelessTemplate, 'AWS::Scheduler::Schedule').map(([logicalId]) => logicalId).sort()).toEqual(
      scheduleNames.map((name) => logicalIdOf(declaredOf(name).schedule)).sort(),
    );
  });

  it.each(scheduleNames)('%s sends its exact message to its queue at its rate, with retries and a DLQ', (name) => {
    // Prepare
    const spec = topology.schedules[name];
    if (spec === undefined) throw new Error(`no schedule ${name}`);
    const declared = declaredOf(name);

    // Act
    const properties = resourceOf(statelessTemplate, declared.schedule).properties;

    // Assess
    expect(properties).toMatchObject({
      ScheduleExpression: rateExpressionOf(spec.everyMinutes),
      State: 'ENABLED',
      FlexibleTimeWindow: { Mode: 'OFF' },
    });
    expect(properties['Target']).toEqual({
      Arn: queueArnOf(spec.queue),
      RoleArn: arnOf(declared.role),
      Input: JSON.stringify(spec.message),
      DeadLetterConfig: { Arn: arnOf(declared.deadLetterQueue) },
      RetryPolicy: { MaximumRetryAttempts: spec.retryAttempts, MaximumEventAgeInSeconds: spec.maxEventAgeSeconds },
      SqsParameters: {},
    });
  });

  it.each(scheduleNames)('%s has a role that may only send to its queue and its own DLQ', (name) => {
    // Prepare
    const spec = topology.schedules[name];
    if (spec === undefined) throw new Error(`no schedule ${name}`);
    const declared = declaredOf(name);
    const role = resourceOf(statelessTemplate, declared.role).properties;

    // Act
    const statements = statementsOfRole(statelessTemplate, declared.role);

    // Assess
    expect(statements).toEqual([
      { effect: 'Allow', actions: ['sqs:SendMessage'], resources: [queueArnOf(spec.queue)] },
      { effect: 'Allow', actions: ['sqs:SendMessage'], resources: [arnOf(declared.deadLetterQueue)] },
    ]);
    expect(role['ManagedPolicyArns']).toBeUndefined();
    expect(role['Policies']).toBeUndefined();
    const trust = role['AssumeRolePolicyDocument'];
    expect(isRecord(trust) ? trust['Statement'] : undefined).toEqual([
      expect.objectContaining({
        Action: 'sts:AssumeRole',
        Effect: 'Allow',
        Principal: { Service: 'scheduler.amazonaws.com' },
        Condition: { StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' }, 'aws:SourceArn': expect.anything() } },
      }),
    ]);
  });

  it('gives every schedule a role and a DLQ of its own', () => {
    const declared = scheduleNames.map(declaredOf);

    expect(new Set(declared.map((schedule) => logicalIdOf(schedule.role))).size).toBe(declared.length);
    expect(new Set(declared.map((schedule) => logicalIdOf(schedule.deadLetterQueue))).size).toBe(declared.length);
  });
});

describe('the real bank-sync schedule', () => {
  // Prepare
  const { stateful, stateless, statelessTemplate } = synthesise(settledTopology);
  const sweep = stateless.schedules['bank-sync-sweep'];
  if (sweep === undefined) throw new Error('bank-sync-sweep was not declared');
  const properties = resourceOf(statelessTemplate, sweep.schedule).properties;
  const target = isRecord(properties['Target']) ? properties['Target'] : {};

  it('sends {"kind":"sweep"} to the bank-sync queue every 5 minutes', () => {
    expect(properties['ScheduleExpression']).toBe('rate(5 minutes)');
    expect(target['Input']).toBe('{"kind":"sweep"}');
    expect(target['Arn']).toEqual(stateless.resolve(stateful.queues['bank-sync'].queue.queueArn));
    expect(target['Arn']).toEqual({ 'Fn::ImportValue': expect.stringContaining('BankSyncQueue') });
  });

  it('stops retrying a delivery by the time the next sweep is due, then dead-letters it', () => {
    expect(target['RetryPolicy']).toEqual({ MaximumRetryAttempts: 3, MaximumEventAgeInSeconds: 300 });
    expect(target['DeadLetterConfig']).toEqual({ Arn: arnOf(sweep.deadLetterQueue) });
  });

  it('sends only messages the bank-sync consumer accepts', () => {
    const bankSyncMessages = Object.values(schedules).filter((spec) => spec.queue === 'bank-sync');

    expect(bankSyncMessages.length).toBeGreaterThan(0);
    for (const spec of bankSyncMessages) {
      expect(v.safeParse(BankSyncMessageSchema, spec.message).success, JSON.stringify(spec.message)).toBe(true);
    }
  });
});

describe('QueueSchedule on a KMS-encrypted queue', () => {
  it('lets its role use the queue key, and no other', () => {
    // Prepare
    const stack = new Stack(new App(), 'Throwaway');
    const key = new kms.Key(stack, 'QueueKey');
    const otherKey = new kms.Key(stack, 'OtherKey');
    new sqs.Queue(stack, 'OtherQueue', { encryption: sqs.QueueEncryption.KMS, encryptionMasterKey: otherKey });
    const queue = new sqs.Queue(stack, 'Queue', { encryption: sqs.QueueEncryption.KMS, encryptionMasterKey: key });

    // Act
    const declared = new QueueSchedule(stack, 'Nudge', {
      name: 'nudge',
      spec: { queue: 'settlements', everyMinutes: 10, message: { kind: 'nudge' }, retryAttempts: 1, maxEventAgeSeconds: 120 },
      queue,
    });
    const template = Template.fromStack(stack);

    // Assess
    expect(statementsOfRole(template, declared.role)).toEqual([
      { effect: 'Allow', actions: ['sqs:SendMessage'], resources: [arnOf(queue)] },
      { effect: 'Allow', actions: ['kms:Decrypt', 'kms:GenerateDataKey*'], resources: [arnOf(key)] },
      { effect: 'Allow', actions: ['sqs:SendMessage'], resources: [arnOf(declared.deadLetterQueue)] },
    ]);
  });
});

describe('the fixture topology exercises schedules the real one lacks', () => {
  it('has a schedule on a queue other than bank-sync', () => {
    expect(Object.values(fixtureTopology.schedules).some((spec) => spec.queue !== 'bank-sync')).toBe(true);
  });
});
