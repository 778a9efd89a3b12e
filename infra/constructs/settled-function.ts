import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { Duration, Stack, Validations } from 'aws-cdk-lib';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import type * as events from 'aws-cdk-lib/aws-events';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import type * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { flattenCfnReference } from 'cdk-nag/lib/utils/flatten-cfn-reference';
import { Construct } from 'constructs';
import { POWERTOOLS_VARIABLES, METRICS_NAMESPACE, SERVICE_NAME } from '../../shared/runtime/environment';
import { awsVariableOf, type FunctionName, type FunctionSpec, type ResourceAccess } from '../topology';

/** The repository root, from this file's location, so `cdk synth` and the tests find dist/ from any cwd. */
const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** Where esbuild.config.mjs writes a function's bundle (index.mjs + source map). */
export const bundleDirectoryOf = (name: FunctionName): string => join(REPO_ROOT, 'dist', name);

/** The newest Node.js runtime aws-cdk-lib offers (cdk-nag's AwsSolutions-L1 asks for the newest of the family). */
export const FUNCTION_RUNTIME = lambda.Runtime.NODEJS_24_X;

/** The stateful resources a function can be granted, by {@link ResourceAccess}. */
export interface BindableResources {
  /**
   * The single table, referenced without its indexes: CDK grants on a table that has indexes add `<table>/index/*`;
   * here the indexes are granted by name instead ({@link tableIndexArns}).
   */
  readonly table: dynamodb.ITable;
  /** ARNs of the table's global secondary indexes: every function with table access may Query them. */
  readonly tableIndexArns: readonly string[];
  readonly settlementsQueue: sqs.IQueue;
  readonly eventBus: events.IEventBus;
  readonly adminTokenSecret: secretsmanager.ISecret;
  readonly sandboxWebhookSecret: secretsmanager.ISecret;
  readonly gocardlessWebhookSecret: secretsmanager.ISecret;
  /** Seals bank tokens: Encrypt and Decrypt only. */
  readonly tokenKey: kms.IKey;
  readonly aspspRegistrySecret: secretsmanager.ISecret;
  readonly tppCredentialsSecret: secretsmanager.ISecret;
  readonly sandboxQueue: sqs.IQueue;
  readonly callbackQueue: sqs.IQueue;
  readonly bankSyncQueue: sqs.IQueue;
  readonly statementImportQueue: sqs.IQueue;
  readonly payoutsQueue: sqs.IQueue;
  readonly statementFilesBucket: s3.IBucket;
  /** The HTTP API's base URL; a lazy token, since the API is built after (and from) the functions. */
  readonly apiBaseUrl: string;
}

/** Props of {@link SettledFunction}. */
export interface SettledFunctionProps {
  /** The function's name in infra/topology.ts, which is also its folder under functions/ and dist/. */
  readonly name: FunctionName;
  readonly spec: FunctionSpec;
  /** What `spec.access` refers to; each entry is granted with {@link bindResourceAccess}. */
  readonly resources: BindableResources;
}

/**
 * The one Lambda function construct: the esbuild bundle from dist/<name>, the newest Node.js runtime on arm64,
 * X-Ray tracing, its own log group with a retention, and exactly the access its topology entry lists.
 *
 * The role is created here rather than by lambda.Function so that it carries no AWSLambdaBasicExecutionRole (which
 * may write to any log group): it may write only to this function's own log group.
 */
export class SettledFunction extends Construct {
  readonly function: lambda.Function;
  readonly logGroup: logs.LogGroup;
  readonly role: iam.Role;

  constructor(scope: Construct, id: string, props: SettledFunctionProps) {
    super(scope, id);
    const bundleDirectory = bundleDirectoryOf(props.name);
    if (!existsSync(join(bundleDirectory, 'index.mjs'))) {
      throw new Error(`No bundle for function ${props.name} in ${bundleDirectory}: run \`npm run build\` first.`);
    }

    this.logGroup = new logs.LogGroup(this, 'LogGroup', { retention: logs.RetentionDays.ONE_MONTH });
    this.role = new iam.Role(this, 'Role', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: `Settled ${props.name} function`,
    });
    this.logGroup.grantWrite(this.role);

    this.function = new lambda.Function(this, 'Function', {
      code: lambda.Code.fromAsset(bundleDirectory),
      handler: 'index.handler',
      runtime: FUNCTION_RUNTIME,
      architecture: lambda.Architecture.ARM_64,
      tracing: lambda.Tracing.ACTIVE,
      logGroup: this.logGroup,
      role: this.role,
      description: props.spec.description,
      memorySize: props.spec.memoryMb,
      timeout: Duration.seconds(props.spec.timeoutSeconds),
      environment: {
        NODE_OPTIONS: '--enable-source-maps',
        [POWERTOOLS_VARIABLES.serviceName]: SERVICE_NAME,
        [POWERTOOLS_VARIABLES.metricsNamespace]: METRICS_NAMESPACE,
        AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
      },
    });
    // Scoped to this role; test/infra/stateless-stack.test.ts checks X-Ray stays the only "*" statement on it.
    Validations.of(this.role).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason:
        'Only the statement Lambda adds for active tracing: xray:PutTraceSegments and xray:PutTelemetryRecords do ' +
        'not support resource-level permissions, so "*" is the only resource they can be granted on.',
    });

    for (const access of props.spec.access) bindResourceAccess(this.function, access, props.resources);
  }
}

/**
 * Grants one {@link ResourceAccess} and sets the environment variable the adapters read to find the resource, in one
 * call so the two cannot drift apart. The variable's name comes from infra/topology.ts `accessBindings`, which the
 * local runtime reads too.
 */
export const bindResourceAccess = (fn: lambda.Function, access: ResourceAccess, resources: BindableResources): void => {
  switch (access) {
    case 'table:read':
      fn.addEnvironment(awsVariableOf(access), resources.table.tableName);
      resources.table.grantReadData(fn);
      grantIndexQueries(fn, resources.tableIndexArns);
      return;
    case 'table:write':
      fn.addEnvironment(awsVariableOf(access), resources.table.tableName);
      resources.table.grantReadWriteData(fn);
      grantIndexQueries(fn, resources.tableIndexArns);
      return;
    case 'settlements-queue:send':
      fn.addEnvironment(awsVariableOf(access), resources.settlementsQueue.queueUrl);
      resources.settlementsQueue.grantSendMessages(fn);
      return;
    case 'sandbox-queue:send':
      fn.addEnvironment(awsVariableOf(access), resources.sandboxQueue.queueUrl);
      resources.sandboxQueue.grantSendMessages(fn);
      return;
    case 'callback-queue:send':
      fn.addEnvironment(awsVariableOf(access), resources.callbackQueue.queueUrl);
      resources.callbackQueue.grantSendMessages(fn);
      return;
    case 'bank-sync-queue:send':
      fn.addEnvironment(awsVariableOf(access), resources.bankSyncQueue.queueUrl);
      resources.bankSyncQueue.grantSendMessages(fn);
      return;
    case 'statement-import-queue:send':
      fn.addEnvironment(awsVariableOf(access), resources.statementImportQueue.queueUrl);
      resources.statementImportQueue.grantSendMessages(fn);
      return;
    case 'payouts-queue:send':
      fn.addEnvironment(awsVariableOf(access), resources.payoutsQueue.queueUrl);
      resources.payoutsQueue.grantSendMessages(fn);
      return;
    case 'statement-files:write':
      fn.addEnvironment(awsVariableOf(access), resources.statementFilesBucket.bucketName);
      grantStatementObjects(fn, resources.statementFilesBucket, 's3:PutObject');
      return;
    case 'statement-files:read':
      fn.addEnvironment(awsVariableOf(access), resources.statementFilesBucket.bucketName);
      grantStatementObjects(fn, resources.statementFilesBucket, 's3:GetObject');
      return;
    case 'api:base-url':
      fn.addEnvironment(awsVariableOf(access), resources.apiBaseUrl);
      return;
    case 'event-bus:put':
      fn.addEnvironment(awsVariableOf(access), resources.eventBus.eventBusName);
      resources.eventBus.grantPutEventsTo(fn);
      return;
    case 'secret:admin-token':
      fn.addEnvironment(awsVariableOf(access), resources.adminTokenSecret.secretArn);
      resources.adminTokenSecret.grantRead(fn);
      return;
    case 'secret:sandbox-webhook':
      fn.addEnvironment(awsVariableOf(access), resources.sandboxWebhookSecret.secretArn);
      resources.sandboxWebhookSecret.grantRead(fn);
      return;
    case 'secret:gocardless-webhook':
      fn.addEnvironment(awsVariableOf(access), resources.gocardlessWebhookSecret.secretArn);
      resources.gocardlessWebhookSecret.grantRead(fn);
      return;
    case 'token-key:use':
      fn.addEnvironment(awsVariableOf(access), resources.tokenKey.keyArn);
      resources.tokenKey.grant(fn, 'kms:Encrypt', 'kms:Decrypt');
      return;
    case 'secret:aspsp-registry':
      fn.addEnvironment(awsVariableOf(access), resources.aspspRegistrySecret.secretArn);
      resources.aspspRegistrySecret.grantRead(fn);
      return;
    case 'secret:tpp-credentials':
      fn.addEnvironment(awsVariableOf(access), resources.tppCredentialsSecret.secretArn);
      resources.tppCredentialsSecret.grantRead(fn);
      return;
    default:
      return unhandledAccess(access);
  }
};

/**
 * One object action on every object of the statements bucket, nothing on the bucket itself (CDK's grantRead and
 * grantPut add `List*`, `GetBucket*`, `Abort*`). Object keys are `<tenantId>/<importId>`, made at run time, so the
 * resource must end in `/*`: acknowledged for exactly this resource.
 */
const grantStatementObjects = (fn: lambda.Function, bucket: s3.IBucket, action: 's3:GetObject' | 's3:PutObject'): void => {
  iam.Grant.addToPrincipal({ grantee: fn, actions: [action], resourceArns: [bucket.arnForObjects('*')] });
  if (fn.role === undefined) return;
  Validations.of(fn.role).acknowledge({
    id: `AwsSolutions-IAM5[Resource::${flattenedObjectsArn(bucket)}]`,
    reason:
      `Only ${action} on the statement files bucket's objects: their keys (tenant and import ids) are made at run ` +
      'time, so no fixed object ARN can be listed; the bucket itself is not granted.',
  });
};

/** `<bucket ARN>/*` as cdk-nag writes it in a finding (its own flattening of the resolved reference). */
const flattenedObjectsArn = (bucket: s3.IBucket): string => flattenCfnReference(Stack.of(bucket).resolve(bucket.arnForObjects('*')));

/** Reading through an index is a Query on the index's own ARN (writes always go to the table). */
const grantIndexQueries = (fn: lambda.Function, indexArns: readonly string[]): void => {
  if (indexArns.length === 0) return;
  iam.Grant.addToPrincipal({ grantee: fn, actions: ['dynamodb:Query'], resourceArns: [...indexArns] });
};

/** Compile-time exhaustiveness: a new ResourceAccess kind makes `access` not `never` here until it is handled. */
const unhandledAccess = (access: never): never => {
  throw new Error(`Unhandled resource access: ${String(access)}`);
};
