import { Aws, Duration, RemovalPolicy, SecretValue, Stack, type StackProps, Validations } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as events from 'aws-cdk-lib/aws-events';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { S3_SERVER_ACCESS_LOGS_USE_BUCKET_POLICY as S3_ACCESS_LOGS_USE_BUCKET_POLICY } from 'aws-cdk-lib/cx-api';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import type { Construct } from 'constructs';
import { type KeyAttribute, tableDefinition } from '../shared/adapters/dynamodb/table-definition';
import { QueueWithDeadLetter } from './constructs/queue-with-dead-letter';
import { SandboxWebhookSecret } from './constructs/sandbox-webhook-secret';
import { type SettledTopology, constructIdOf, mapRecord, settledTopology } from './settled-topology';
import { type QueueName, type QueueSpec, VISIBILITY_TIMEOUT_FACTOR } from './topology';

/** Props of {@link SettledStatefulStack}. */
export interface SettledStatefulStackProps extends StackProps {
  /** Which queues exist and who consumes them (for their visibility timeout). Default: infra/topology.ts. */
  readonly topology?: Pick<SettledTopology, 'functions' | 'queues'>;
}

/** Visibility of a queue nobody consumes yet: sized for a consumer with Lambda's default 30 s timeout. */
const UNCONSUMED_QUEUE_CONSUMER_TIMEOUT_SECONDS = 30;

const ATTRIBUTE_TYPES: Record<KeyAttribute['type'], dynamodb.AttributeType> = {
  S: dynamodb.AttributeType.STRING,
  N: dynamodb.AttributeType.NUMBER,
};

const attributeOf = (key: KeyAttribute): dynamodb.Attribute => ({ name: key.name, type: ATTRIBUTE_TYPES[key.type] });

/**
 * Everything that holds data or must outlive a redeploy of the functions: the single table, the work queues and
 * their dead-letter queues, the domain event bus and the secrets. Kept apart from the stateless stack so replacing
 * functions or the API never touches them.
 */
export class SettledStatefulStack extends Stack {
  readonly table: dynamodb.Table;
  readonly queues: Readonly<Record<QueueName, QueueWithDeadLetter>>;
  readonly eventBus: events.EventBus;
  readonly adminTokenSecret: secretsmanager.Secret;
  readonly sandboxWebhookSecret: secretsmanager.Secret;
  /** Encrypts bank tokens at rest (Encrypt/Decrypt with the consent as encryption context). */
  readonly tokenKey: kms.Key;
  /** The ASPSP registry: `{ "aspsps": [...] }` (shared/adapters/obie/configuration.ts). */
  readonly aspspRegistrySecret: secretsmanager.Secret;
  /** Settled's Open Banking client credentials (signing key, transport certificate and key). */
  readonly tppCredentialsSecret: secretsmanager.Secret;
  /** The GoCardless webhook endpoint's secret (HMAC key of `Webhook-Signature`). */
  readonly gocardlessWebhookSecret: secretsmanager.Secret;
  /** Accepted statement files, until the import worker has read them (expired after 30 days). */
  readonly statementFilesBucket: s3.Bucket;
  /** Its name, a formula of this stack's name, the account and the region, so grants on it need no cross-stack import. */
  readonly statementFilesBucketName: string;

  constructor(scope: Construct, id: string, props: SettledStatefulStackProps = {}) {
    super(scope, id, props);
    // Server access logs delivered under a bucket policy, not the legacy log-delivery ACL (set before any child exists).
    this.node.setContext(S3_ACCESS_LOGS_USE_BUCKET_POLICY, true);
    const topology = props.topology ?? settledTopology;

    this.table = new dynamodb.Table(this, 'Table', {
      partitionKey: attributeOf(tableDefinition.partitionKey),
      sortKey: attributeOf(tableDefinition.sortKey),
      billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      timeToLiveAttribute: tableDefinition.timeToLiveAttribute,
      deletionProtection: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    for (const index of tableDefinition.globalSecondaryIndexes) {
      this.table.addGlobalSecondaryIndex({
        indexName: index.indexName,
        partitionKey: attributeOf(index.partitionKey),
        sortKey: attributeOf(index.sortKey),
        projectionType: dynamodb.ProjectionType.ALL,
      });
    }

    const visibilityTimeoutOf = (spec: QueueSpec): Duration => {
      const consumerTimeoutSeconds =
        spec.consumer === undefined
          ? UNCONSUMED_QUEUE_CONSUMER_TIMEOUT_SECONDS
          : topology.functions[spec.consumer].timeoutSeconds;
      return Duration.seconds(VISIBILITY_TIMEOUT_FACTOR * consumerTimeoutSeconds);
    };
    this.queues = mapRecord(
      topology.queues,
      (spec, name) =>
        new QueueWithDeadLetter(this, `${constructIdOf(name)}Queue`, {
          spec,
          visibilityTimeout: visibilityTimeoutOf(spec),
        }),
    );

    this.eventBus = new events.EventBus(this, 'DomainEventBus', {
      description: 'Settled domain events (source "settled", detail-type the event type)',
    });

    this.adminTokenSecret = new secretsmanager.Secret(this, 'AdminToken', {
      description: 'Settled: operator admin token (Authorization: Bearer) for the admin API',
      // Letters and digits only: the token travels in an HTTP header and is pasted into shells.
      generateSecretString: { passwordLength: 48, excludePunctuation: true, includeSpace: false },
      removalPolicy: RemovalPolicy.RETAIN,
    });
    Validations.of(this.adminTokenSecret).acknowledge({
      id: 'AwsSolutions-SMG4',
      reason:
        'A static bearer token for operators, with no downstream system a rotation Lambda could update. Rotation ' +
        'procedure: `aws secretsmanager put-secret-value --secret-id <arn> ' +
        '--secret-string "$(openssl rand -hex 32)"`, ' +
        'then hand the new token to the operators; admin-api reads it through the Powertools cache, so the old ' +
        'token stops working within 5 minutes without a deploy.',
    });

    this.sandboxWebhookSecret = new SandboxWebhookSecret(this, 'SandboxWebhookSecret').secret;

    this.tokenKey = new kms.Key(this, 'TokenKey', {
      description: 'Settled: encrypts Open Banking tokens at rest (encryption context: tenantId, consentId)',
      enableKeyRotation: true,
      // Tokens sealed with it are unreadable without it: never deleted with the stack.
      removalPolicy: RemovalPolicy.RETAIN,
    });

    this.aspspRegistrySecret = new secretsmanager.Secret(this, 'AspspRegistry', {
      description: 'Settled: the ASPSP registry, JSON { "aspsps": [...] }: the banks this deployment talks to',
      // Starts empty (no bank); the operator puts the registry entries (README, "Real banks").
      secretStringValue: SecretValue.unsafePlainText('{"aspsps":[]}'),
      removalPolicy: RemovalPolicy.RETAIN,
    });
    this.tppCredentialsSecret = new secretsmanager.Secret(this, 'TppCredentials', {
      description: "Settled: Open Banking client credentials, JSON (organisation and software ids, signing JWK, transport certificate and key)",
      removalPolicy: RemovalPolicy.RETAIN,
    });
    this.gocardlessWebhookSecret = new secretsmanager.Secret(this, 'GoCardlessWebhookSecret', {
      description: "Settled: the secret of the GoCardless webhook endpoint (HMAC-SHA256 key of Webhook-Signature)",
      // GoCardless issues the secret when the endpoint is created in its dashboard; until the operator puts it here,
      // this random value makes the endpoint refuse every webhook rather than accept any.
      generateSecretString: { passwordLength: 48, excludePunctuation: true, includeSpace: false },
      removalPolicy: RemovalPolicy.RETAIN,
    });
    // Bank statements are customer data: private, encrypted, TLS only, every access logged, kept no longer than needed.
    const statementAccessLogs = new s3.Bucket(this, 'StatementFilesAccessLogs', {
      encryption: s3.BucketEncryption.S3_MANAGED,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      lifecycleRules: [{ expiration: Duration.days(400) }],
      removalPolicy: RemovalPolicy.RETAIN,
    });
    Validations.of(statementAccessLogs).acknowledge({
      id: 'AwsSolutions-S1',
      reason: 'This is the access-log bucket of the statement files bucket; logging it into itself would loop.',
    });
    this.statementFilesBucketName = statementFilesBucketName(this.stackName);
    this.statementFilesBucket = new s3.Bucket(this, 'StatementFiles', {
      bucketName: this.statementFilesBucketName,
      encryption: s3.BucketEncryption.S3_MANAGED,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      serverAccessLogsBucket: statementAccessLogs,
      serverAccessLogsPrefix: 'statement-files/',
      // The import reads a file within minutes; 30 days leaves time to investigate a failed import.
      lifecycleRules: [{ expiration: Duration.days(30), abortIncompleteMultipartUploadAfter: Duration.days(1) }],
      removalPolicy: RemovalPolicy.RETAIN,
    });

    for (const secret of [this.aspspRegistrySecret, this.tppCredentialsSecret, this.gocardlessWebhookSecret]) {
      Validations.of(secret).acknowledge({
        id: 'AwsSolutions-SMG4',
        reason:
          'Configuration issued outside AWS (bank registrations, Open Banking directory certificates and keys, the ' +
          'GoCardless webhook endpoint secret), with no ' +
          'system a rotation Lambda could ask for new ones. The operator rotates them with `aws secretsmanager ' +
          'put-secret-value` when the directory or a bank issues new ones; the functions read them through the ' +
          'Powertools cache, so a new value takes effect within 5 minutes without a deploy.',
      });
    }
  }
}

/** The statement files bucket of a stateful stack: `<stack>-statements-<account>-<region>` (S3 names are global). */
export const statementFilesBucketName = (statefulStackName: string): string =>
  `${statefulStackName.toLowerCase().replace(/[^a-z0-9-]/g, '-').slice(0, 20)}-statements-${Aws.ACCOUNT_ID}-${Aws.REGION}`;
