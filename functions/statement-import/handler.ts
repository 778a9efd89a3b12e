import * as v from 'valibot';
import { dynamoDbDocumentClient } from '../../shared/adapters/dynamodb/client';
import { tableAdapters } from '../../shared/adapters/dynamodb/repositories';
import { sqsClient } from '../../shared/adapters/messaging/clients';
import { SqsSettlementQueue } from '../../shared/adapters/messaging/sqs-settlement-queue';
import { S3StatementFileStore, s3Client } from '../../shared/adapters/statements/s3-statement-files';
import { readStatement } from '../../shared/adapters/statements/statement-reader';
import { runStatementImport } from '../../shared/domain/statements/import-statement';
import { getStringFromEnv } from '../../shared/runtime/config';
import { RESOURCE_VARIABLES } from '../../shared/runtime/environment';
import { logger } from '../../shared/runtime/powertools';
import { createSqsHandler } from '../../shared/runtime/sqs-handler';

const { accounts, statementImports, statementMappings } = tableAdapters(dynamoDbDocumentClient, getStringFromEnv(RESOURCE_VARIABLES.tableName));
const files = new S3StatementFileStore(s3Client(), getStringFromEnv(RESOURCE_VARIABLES.statementFilesBucket));
const settlements = new SqsSettlementQueue(sqsClient(), getStringFromEnv(RESOURCE_VARIABLES.settlementsQueueUrl));

const JobSchema = v.object({ tenantId: v.pipe(v.string(), v.minLength(1)), accountId: v.pipe(v.string(), v.minLength(1)), importId: v.pipe(v.string(), v.minLength(1)) });

export const handler = createSqsHandler(async (record) => {
  const job = v.parse(JobSchema, JSON.parse(record.body));
  const { sent } = await runStatementImport(job, { accounts, mappings: statementMappings, imports: statementImports, files, read: readStatement, settlements });
  logger.info('Statement import queued for reconciliation', { importId: job.importId, sent });
});
