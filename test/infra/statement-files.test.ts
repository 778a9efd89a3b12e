import { Aws } from 'aws-cdk-lib';
import { describe, expect, it } from 'vitest';
import { namesOf, settledTopology } from '../../infra/settled-topology';
import { type FunctionName } from '../../infra/topology';
import { RESOURCE_VARIABLES } from '../../shared/runtime/environment';
import { arnOf, isRecord, ref, resourceOf, resourcesOfType, statementsOfRole, synthesise } from './support';

/**
 * The statements bucket keeps customer bank statements: private, encrypted, TLS only, access-logged, expired, and
 * reachable only by the two functions that need it, each with one object action.
 */
describe('statement files: bucket, queue and grants', () => {
  // Prepare
  const { stateful, stateless, statefulTemplate, statelessTemplate } = synthesise(settledTopology);
  const bucket = resourceOf(statefulTemplate, stateful.statementFilesBucket);
  const bucketPolicies = resourcesOfType(statefulTemplate, 'AWS::S3::BucketPolicy');
  const environmentOf = (name: FunctionName): Record<string, unknown> => {
    const environment = resourceOf(statelessTemplate, stateless.functions[name].function).properties['Environment'];
    const variables = isRecord(environment) ? environment['Variables'] : undefined;
    return isRecord(variables) ? variables : {};
  };
  const s3StatementsOf = (name: FunctionName) =>
    statementsOfRole(statelessTemplate, stateless.functions[name].role).filter((statement) => statement.actions.some((action) => String(action).startsWith('s3:')));
  const bucketName = stateless.resolve(stateful.statementFilesBucketName);
  /** Every object of the bucket (`<bucket ARN>/*`), as the stateless stack writes it. */
  const objectsArn = stateless.resolve(`arn:${Aws.PARTITION}:s3:::${stateful.statementFilesBucketName}/*`);
  /** The logging bucket, found from the statements bucket's own logging configuration. */
  const logging = bucket.properties['LoggingConfiguration'];
  const logBucketRef = isRecord(logging) ? logging['DestinationBucketName'] : undefined;

  it('blocks every kind of public access, encrypts at rest, owns its objects and is kept on stack deletion', () => {
    expect(bucket.type).toBe('AWS::S3::Bucket');
    expect(bucket.properties).toMatchObject({
      PublicAccessBlockConfiguration: { BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true },
      BucketEncryption: { ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: expect.stringMatching(/^(AES256|aws:kms)$/) } }] },
      OwnershipControls: { Rules: [{ ObjectOwnership: 'BucketOwnerEnforced' }] },
    });
    expect(bucket.deletionPolicy).toBe('Retain');
  });

  it('refuses every request over plain HTTP, on the bucket and its objects', () => {
    const policy = bucketPolicies.find(([, properties]) => JSON.stringify(properties['Bucket']) === JSON.stringify(ref(stateful.statementFilesBucket)))?.[1];
    const document = policy?.['PolicyDocument'];
    const statements = isRecord(document) && Array.isArray(document['Statement']) ? document['Statement'] : [];
    expect(statements).toContainEqual(
      expect.objectContaining({
        Effect: 'Deny',
        Action: 's3:*',
        Principal: { AWS: '*' },
        Condition: { Bool: { 'aws:SecureTransport': 'false' } },
        Resource: [arnOf(stateful.statementFilesBucket), { 'Fn::Join': ['', [arnOf(stateful.statementFilesBucket), '/*']] }],
      }),
    );
    // Nothing in its policy lets anyone in.
    expect(statements.filter((statement) => isRecord(statement) && statement['Effect'] === 'Allow')).toEqual([]);
  });

  it('expires files after 30 days and abandons unfinished uploads', () => {
    const lifecycle = bucket.properties['LifecycleConfiguration'];
    const rules = isRecord(lifecycle) && Array.isArray(lifecycle['Rules']) ? lifecycle['Rules'] : [];
    expect(rules).toEqual([expect.objectContaining({ Status: 'Enabled', ExpirationInDays: 30, AbortIncompleteMultipartUpload: { DaysAfterInitiation: expect.any(Number) } })]);
  });

  it('logs every access to a separate private, TLS-only log bucket', () => {
    expect(logging).toEqual({ DestinationBucketName: expect.objectContaining({ Ref: expect.any(String) }), LogFilePrefix: expect.any(String) });
    expect(logBucketRef).not.toEqual(ref(stateful.statementFilesBucket));
    const logBucketId = isRecord(logBucketRef) ? String(logBucketRef['Ref']) : '';
    const logBucket = resourcesOfType(statefulTemplate, 'AWS::S3::Bucket').find(([logicalId]) => logicalId === logBucketId)?.[1];
    expect(logBucket).toMatchObject({
      PublicAccessBlockConfiguration: { BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true },
      BucketEncryption: { ServerSideEncryptionConfiguration: [expect.anything()] },
    });
    // S3's log delivery may write there, only for the statements bucket; plain HTTP is refused.
    const logPolicy = bucketPolicies.find(([, properties]) => JSON.stringify(properties['Bucket']) === JSON.stringify(logBucketRef))?.[1];
    const logStatements = JSON.stringify(logPolicy?.['PolicyDocument']);
    expect(logStatements).toContain('"Principal":{"Service":"logging.s3.amazonaws.com"}');
    expect(logStatements).toContain(JSON.stringify({ ArnLike: { 'aws:SourceArn': arnOf(stateful.statementFilesBucket) } }).slice(1, -1));
    expect(logStatements).toContain('{"Bool":{"aws:SecureTransport":"false"}}');
  });

  it('lets only statements-api put objects and only statement-import get them, nothing on the bucket itself', () => {
    expect(s3StatementsOf('statements-api')).toEqual([{ effect: 'Allow', actions: ['s3:PutObject'], resources: [objectsArn] }]);
    expect(s3StatementsOf('statement-import')).toEqual([{ effect: 'Allow', actions: ['s3:GetObject'], resources: [objectsArn] }]);
    for (const name of namesOf(settledTopology.functions)) {
      if (name === 'statements-api' || name === 'statement-import') continue;
      expect(s3StatementsOf(name), name).toEqual([]);
    }
    // No List*, GetBucket*, Abort*, Delete* or wildcard S3 action on any role of the stack.
    const s3Actions = resourcesOfType(statelessTemplate, 'AWS::IAM::Policy').flatMap(([, policy]) => {
      const document = policy['PolicyDocument'];
      const statements = isRecord(document) && Array.isArray(document['Statement']) ? document['Statement'] : [];
      return statements.filter(isRecord).flatMap((statement) => (Array.isArray(statement['Action']) ? statement['Action'] : [statement['Action']]));
    });
    expect([...new Set(s3Actions.filter((action) => String(action).startsWith('s3:')))].sort()).toEqual(['s3:GetObject', 's3:PutObject']);
  });

  it('gives statements-api and statement-import the bucket name, and statements-api the import queue URL', () => {
    expect(environmentOf('statements-api')).toMatchObject({
      [RESOURCE_VARIABLES.statementFilesBucket]: bucketName,
      [RESOURCE_VARIABLES.statementImportQueueUrl]: stateless.resolve(stateful.queues['statement-imports'].queue.queueUrl),
    });
    expect(environmentOf('statement-import')).toMatchObject({ [RESOURCE_VARIABLES.statementFilesBucket]: bucketName });
    expect(environmentOf('statement-import')).not.toHaveProperty(RESOURCE_VARIABLES.statementImportQueueUrl);
    // The name the functions get is the bucket's.
    expect(stateful.resolve(stateful.statementFilesBucketName)).toEqual(bucket.properties['BucketName']);
  });

  it('queues import jobs with a dead-letter queue, consumed one at a time by statement-import, sent to only by statements-api', () => {
    const { queue, deadLetterQueue } = stateful.queues['statement-imports'];
    expect(resourceOf(statefulTemplate, queue).properties['RedrivePolicy']).toEqual({
      deadLetterTargetArn: arnOf(deadLetterQueue),
      maxReceiveCount: settledTopology.queues['statement-imports'].maxReceiveCount,
    });
    const queueArn = stateless.resolve(queue.queueArn);
    const mappings = resourcesOfType(statelessTemplate, 'AWS::Lambda::EventSourceMapping').filter(
      ([, properties]) => JSON.stringify(properties['EventSourceArn']) === JSON.stringify(queueArn),
    );
    expect(mappings.map(([, properties]) => properties)).toEqual([
      expect.objectContaining({ FunctionName: ref(stateless.functions['statement-import'].function), BatchSize: 1, FunctionResponseTypes: ['ReportBatchItemFailures'] }),
    ]);
    const sendersOf = namesOf(settledTopology.functions).filter((name) =>
      statementsOfRole(statelessTemplate, stateless.functions[name].role).some(
        (statement) => statement.actions.includes('sqs:SendMessage') && statement.resources.some((resource) => JSON.stringify(resource) === JSON.stringify(queueArn)),
      ),
    );
    expect(sendersOf).toEqual(['statements-api']);
  });
});
