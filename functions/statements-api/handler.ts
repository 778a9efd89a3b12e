import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { dynamoDbDocumentClient } from '../../shared/adapters/dynamodb/client';
import { tableAdapters } from '../../shared/adapters/dynamodb/repositories';
import { eventBridgeClient, sqsClient } from '../../shared/adapters/messaging/clients';
import { EventBridgePublisher } from '../../shared/adapters/messaging/eventbridge-publisher';
import { SqsStatementImportQueue } from '../../shared/adapters/messaging/sqs-statement-import-queue';
import { S3StatementFileStore, s3Client } from '../../shared/adapters/statements/s3-statement-files';
import { readStatement } from '../../shared/adapters/statements/statement-reader';
import { systemClock, ulidIds } from '../../shared/adapters/system';
import { NotFoundError, ValidationError } from '../../shared/domain/errors';
import { acceptStatement } from '../../shared/domain/statements/import-statement';
import { statementImportView, type StatementFormat } from '../../shared/domain/statements/statement-import';
import { StatementMappingSchema } from '../../shared/schemas/statement-mapping';
import { meteredPublisher } from '../../shared/runtime/business-metrics';
import { getStringFromEnv } from '../../shared/runtime/config';
import { RESOURCE_VARIABLES } from '../../shared/runtime/environment';
import { createApiHandler, json } from '../../shared/runtime/http/api-handler';
import { idempotentRoute } from '../../shared/runtime/http/idempotent-route';
import { pathParameter } from '../../shared/runtime/http/query';
import { parseJsonBody } from '../../shared/runtime/http/request';
import { authenticateTenant } from '../../shared/runtime/http/tenant-auth';

const { tenants, rateLimiter, accounts, idempotency, statementImports, statementMappings } = tableAdapters(
  dynamoDbDocumentClient,
  getStringFromEnv(RESOURCE_VARIABLES.tableName),
);
const files = new S3StatementFileStore(s3Client(), getStringFromEnv(RESOURCE_VARIABLES.statementFilesBucket));
const queue = new SqsStatementImportQueue(sqsClient(), getStringFromEnv(RESOURCE_VARIABLES.statementImportQueueUrl));
const events = meteredPublisher(new EventBridgePublisher(eventBridgeClient(), getStringFromEnv(RESOURCE_VARIABLES.eventBusName)));

/** API.md: up to 50 MB a file. */
const MAX_STATEMENT_BYTES = 50 * 1024 * 1024;

/** camt is XML (`application/xml`, `text/xml`, or an `+xml` type); a CSV export is `text/csv` (or `application/csv`). */
const formatOf = (event: APIGatewayProxyEventV2): StatementFormat => {
  const contentType = (event.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
  if (/^(application|text)\/([\w.-]+\+)?xml$/.test(contentType)) return 'camt';
  if (contentType === 'text/csv' || contentType === 'application/csv') return 'csv';
  throw new ValidationError(
    `Content-Type must be application/xml (camt.053 / camt.054) or text/csv (with ?mapping=), got ${JSON.stringify(contentType || 'none')}.`,
    { code: 'unsupported_media_type' },
  );
};

/**
 * A CSV file's text encoding from its media type (`text/csv; charset=windows-1252`), as a WHATWG label TextDecoder
 * knows; null when none is given or it is UTF-8. camt files are UTF-8 by the standard (the parser checks).
 */
const encodingOf = (event: APIGatewayProxyEventV2): string | null => {
  const charset = /;\s*charset\s*=\s*"?([\w.:-]+)"?/i.exec(event.headers['content-type'] ?? '')?.[1]?.toLowerCase();
  if (charset === undefined || charset === 'utf-8' || charset === 'utf8') return null;
  try {
    return new TextDecoder(charset).encoding;
  } catch {
    throw new ValidationError(`charset ${JSON.stringify(charset)} is not a text encoding this API reads.`, { code: 'unsupported_media_type' });
  }
};

const bodyBytesOf = (event: APIGatewayProxyEventV2): Buffer => {
  if (event.body === undefined || event.body === null || event.body === '') {
    throw new ValidationError('The request body is empty; send the statement file as the body.', { code: 'statement_malformed' });
  }
  const bytes = event.isBase64Encoded ? Buffer.from(event.body, 'base64') : Buffer.from(event.body, 'utf8');
  if (bytes.byteLength > MAX_STATEMENT_BYTES) {
    throw new ValidationError(`The statement is larger than ${MAX_STATEMENT_BYTES} bytes; split it into several files.`, { code: 'statement_too_large' });
  }
  return bytes;
};

export const handler = createApiHandler({
  'POST /v1/accounts/{accountId}/statements': async (event) => {
    const tenantId = await authenticateTenant(event, tenants, rateLimiter);
    return idempotentRoute(event, tenantId, { idempotency, clock: systemClock }, async () => {
      const format = formatOf(event);
      const mappingId = event.queryStringParameters?.mapping ?? null;
      const progress = await acceptStatement(
        {
          tenantId,
          accountId: pathParameter(event, 'accountId'),
          format,
          mappingId: format === 'csv' ? mappingId : null,
          encoding: format === 'csv' ? encodingOf(event) : null,
          body: bodyBytesOf(event),
        },
        { accounts, mappings: statementMappings, imports: statementImports, files, queue, read: readStatement, ids: ulidIds, clock: systemClock, events },
      );
      return json(202, statementImportView(progress), { location: `/v1/accounts/${progress.statementImport.accountId}/statements/${progress.statementImport.id}` });
    });
  },
  'GET /v1/accounts/{accountId}/statements/{importId}': async (event) => {
    const tenantId = await authenticateTenant(event, tenants, rateLimiter);
    const importId = pathParameter(event, 'importId');
    const progress = await statementImports.get(tenantId, importId);
    if (progress === undefined || progress.statementImport.accountId !== pathParameter(event, 'accountId')) {
      throw new NotFoundError(`Statement import ${importId} does not exist on this account.`);
    }
    return json(200, statementImportView(progress));
  },
  'POST /v1/statement-mappings': async (event) => {
    const tenantId = await authenticateTenant(event, tenants, rateLimiter);
    return idempotentRoute(event, tenantId, { idempotency, clock: systemClock }, async () => {
      const mapping = parseJsonBody(event, StatementMappingSchema);
      const saved = { id: ulidIds.next('map'), tenantId, createdAt: systemClock.now().toISOString(), mapping };
      await statementMappings.create(saved);
      return json(201, mappingView(saved));
    });
  },
  'GET /v1/statement-mappings/{mappingId}': async (event) => {
    const tenantId = await authenticateTenant(event, tenants, rateLimiter);
    const mappingId = pathParameter(event, 'mappingId');
    const saved = await statementMappings.get(tenantId, mappingId);
    if (saved === undefined) throw new NotFoundError(`Statement mapping ${mappingId} does not exist.`);
    return json(200, mappingView(saved));
  },
});

const mappingView = (saved: { id: string; createdAt: string; mapping: object }) => ({ id: saved.id, ...saved.mapping, createdAt: saved.createdAt });
