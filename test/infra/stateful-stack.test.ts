import { describe, expect, it } from 'vitest';
import { tableDefinition } from '../../shared/adapters/dynamodb/table-definition';
import { namesOf, settledTopology } from '../../infra/settled-topology';
import { VISIBILITY_TIMEOUT_FACTOR } from '../../infra/topology';
import { arnOf, isRecord, ref, resourceOf, resourcesOfType, synthesise, topologies } from './support';

const FOURTEEN_DAYS_IN_SECONDS = 14 * 24 * 60 * 60;

describe('stateful stack: the single table', () => {
  // Prepare
  const { stateful, statefulTemplate } = synthesise(settledTopology);
  const table = resourceOf(statefulTemplate, stateful.table);

  it('is on-demand, with point-in-time recovery, deletion protection and retained on stack deletion', () => {
    // Assess
    expect(table.type).toBe('AWS::DynamoDB::Table');
    expect(table.properties).toMatchObject({
      BillingMode: 'PAY_PER_REQUEST',
      PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
      DeletionProtectionEnabled: true,
    });
    expect(table.deletionPolicy).toBe('Retain');
  });

  it('expires items on the TTL attribute of the shared table definition', () => {
    expect(table.properties['TimeToLiveSpecification']).toEqual({
      AttributeName: tableDefinition.timeToLiveAttribute,
      Enabled: true,
    });
  });

  it('has the pk/sk key schema of the table definition', () => {
    expect(table.properties['KeySchema']).toEqual([
      { AttributeName: tableDefinition.partitionKey.name, KeyType: 'HASH' },
      { AttributeName: tableDefinition.sortKey.name, KeyType: 'RANGE' },
    ]);
    expect(table.properties['AttributeDefinitions']).toEqual(
      expect.arrayContaining([
        { AttributeName: tableDefinition.partitionKey.name, AttributeType: tableDefinition.partitionKey.type },
        { AttributeName: tableDefinition.sortKey.name, AttributeType: tableDefinition.sortKey.type },
      ]),
    );
  });

  it.each(tableDefinition.globalSecondaryIndexes.map((index) => [index.indexName, index] as const))(
    'has the global secondary index %s with its keys, projecting all attributes',
    (_name, index) => {
      expect(table.properties['GlobalSecondaryIndexes']).toEqual(
        expect.arrayContaining([
          {
            IndexName: index.indexName,
            KeySchema: [
              { AttributeName: index.partitionKey.name, KeyType: 'HASH' },
              { AttributeName: index.sortKey.name, KeyType: 'RANGE' },
            ],
            Projection: { ProjectionType: 'ALL' },
          },
        ]),
      );
      expect(table.properties['AttributeDefinitions']).toEqual(
        expect.arrayContaining([
          { AttributeName: index.partitionKey.name, AttributeType: index.partitionKey.type },
          { AttributeName: index.sortKey.name, AttributeType: index.sortKey.type },
        ]),
      );
    },
  );
});

describe.each(topologies)('stateful stack queues (%s)', (_label, topology) => {
  // Prepare
  const { stateful, statefulTemplate } = synthesise(topology);
  const queueNames = namesOf(topology.queues);

  it('declares a queue for every queue of the topology', () => {
    expect(namesOf(stateful.queues).sort()).toEqual([...queueNames].sort());
  });

  it.each(queueNames)('%s redrives to its own dead-letter queue after the topology maxReceiveCount', (name) => {
    // Act
    const { queue, deadLetterQueue } = stateful.queues[name];
    const properties = resourceOf(statefulTemplate, queue).properties;

    // Assess
    expect(properties['RedrivePolicy']).toEqual({
      deadLetterTargetArn: arnOf(deadLetterQueue),
      maxReceiveCount: topology.queues[name].maxReceiveCount,
    });
  });

  it.each(queueNames)('%s stays invisible for 6× its consumer timeout (6×30 s when unconsumed)', (name) => {
    const spec = topology.queues[name];
    const consumerTimeoutSeconds = spec.consumer === undefined ? 30 : topology.functions[spec.consumer].timeoutSeconds;
    const visibility = resourceOf(statefulTemplate, stateful.queues[name].queue).properties['VisibilityTimeout'];

    expect(visibility).toBeGreaterThanOrEqual(VISIBILITY_TIMEOUT_FACTOR * consumerTimeoutSeconds);
    expect(visibility).toBe(VISIBILITY_TIMEOUT_FACTOR * consumerTimeoutSeconds);
  });

  it.each(queueNames)('%s and its dead-letter queue are SQS-encrypted and refuse plain HTTP', (name) => {
    const { queue, deadLetterQueue } = stateful.queues[name];
    for (const sqsQueue of [queue, deadLetterQueue]) {
      expect(resourceOf(statefulTemplate, sqsQueue).properties['SqsManagedSseEnabled']).toBe(true);
      const tlsOnly = resourcesOfType(statefulTemplate, 'AWS::SQS::QueuePolicy').some(([, policy]) => {
        const queues = policy['Queues'];
        const document = policy['PolicyDocument'];
        const statements = isRecord(document) && Array.isArray(document['Statement']) ? document['Statement'] : [];
        return (
          Array.isArray(queues) &&
          queues.some((entry) => isRecord(entry) && entry['Ref'] === ref(sqsQueue).Ref) &&
          statements.some(
            (statement) =>
              isRecord(statement) &&
              statement['Effect'] === 'Deny' &&
              JSON.stringify(statement['Condition']) === JSON.stringify({ Bool: { 'aws:SecureTransport': 'false' } }),
          )
        );
      });
      expect(tlsOnly).toBe(true);
    }
  });

  it.each(queueNames)('%s keeps dead-lettered messages for 14 days', (name) => {
    const deadLetter = resourceOf(statefulTemplate, stateful.queues[name].deadLetterQueue);
    expect(deadLetter.properties['MessageRetentionPeriod']).toBe(FOURTEEN_DAYS_IN_SECONDS);
    expect(deadLetter.properties['RedrivePolicy']).toBeUndefined();
  });
});

describe('stateful stack: event bus and secrets', () => {
  // Prepare
  const { stateful, statefulTemplate } = synthesise(settledTopology);

  it('declares the domain event bus', () => {
    expect(resourceOf(statefulTemplate, stateful.eventBus).type).toBe('AWS::Events::EventBus');
  });

  it('generates the admin token (letters and digits, at least 32), so it never appears in the template', () => {
    const secret = resourceOf(statefulTemplate, stateful.adminTokenSecret);
    const generator = secret.properties['GenerateSecretString'];

    expect(secret.properties['SecretString']).toBeUndefined();
    expect(generator).toMatchObject({ ExcludePunctuation: true, IncludeSpace: false });
    expect(isRecord(generator) ? generator['PasswordLength'] : undefined).toBeGreaterThanOrEqual(32);
  });

  it('makes the sandbox webhook secret whsec_ + a deploy-time reference to generated base64-alphabet material', () => {
    // Act
    const secretString = resourceOf(statefulTemplate, stateful.sandboxWebhookSecret).properties['SecretString'];
    const materialLogicalId = /"Ref":"([^"]+)"/.exec(JSON.stringify(secretString))?.[1];
    const material = resourcesOfType(statefulTemplate, 'AWS::SecretsManager::Secret').find(
      ([logicalId]) => logicalId === materialLogicalId,
    )?.[1];

    // Assess: CloudFormation resolves the reference when it creates the secret; the template holds no value.
    expect(secretString).toEqual({
      'Fn::Join': ['', ['whsec_{{resolve:secretsmanager:', { Ref: materialLogicalId }, ':SecretString:::}}']],
    });
    // 44 characters of [A-Za-z0-9] are valid unpadded base64 (33 bytes).
    expect(material).toMatchObject({
      GenerateSecretString: { PasswordLength: 44, ExcludePunctuation: true, IncludeSpace: false },
    });
    expect(material?.['SecretString']).toBeUndefined();
  });

  it('retains the secrets and the token key when the stack is deleted', () => {
    expect(resourceOf(statefulTemplate, stateful.adminTokenSecret).deletionPolicy).toBe('Retain');
    expect(resourceOf(statefulTemplate, stateful.sandboxWebhookSecret).deletionPolicy).toBe('Retain');
    expect(resourceOf(statefulTemplate, stateful.aspspRegistrySecret).deletionPolicy).toBe('Retain');
    expect(resourceOf(statefulTemplate, stateful.tppCredentialsSecret).deletionPolicy).toBe('Retain');
    expect(resourceOf(statefulTemplate, stateful.tokenKey).deletionPolicy).toBe('Retain');
  });

  it('rotates the token key and starts the ASPSP registry empty (no bank until the operator adds one)', () => {
    expect(resourceOf(statefulTemplate, stateful.tokenKey).properties['EnableKeyRotation']).toBe(true);
    expect(resourceOf(statefulTemplate, stateful.aspspRegistrySecret).properties['SecretString']).toBe('{"aspsps":[]}');
    expect(resourceOf(statefulTemplate, stateful.tppCredentialsSecret).properties['SecretString']).toBeUndefined();
  });
});
