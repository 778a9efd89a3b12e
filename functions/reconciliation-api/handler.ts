import { randomInt } from 'node:crypto';
import { reconciliationReportCsv, reconciliationReportFileName } from '../../shared/adapters/csv/reconciliation-report-csv';
import { dynamoDbDocumentClient } from '../../shared/adapters/dynamodb/client';
import { tableAdapters } from '../../shared/adapters/dynamodb/repositories';
import { eventBridgeClient } from '../../shared/adapters/messaging/clients';
import { EventBridgePublisher } from '../../shared/adapters/messaging/eventbridge-publisher';
import { bankGateways } from '../../shared/adapters/bank-gateways';
import { payeeVerifier } from '../../shared/adapters/payee-verifiers';
import { systemClock, ulidIds } from '../../shared/adapters/system';
import { NotFoundError } from '../../shared/domain/errors';
import { exceptionView } from '../../shared/domain/reconciliation/reconciliation-exception';
import { buildReconciliationReport } from '../../shared/domain/reconciliation/reconciliation-report';
import { resolveException } from '../../shared/domain/reconciliation/resolve-exception';
import { ListExceptionsQuerySchema, ReportQuerySchema, ResolveExceptionRequestSchema } from '../../shared/schemas/tenant-api';
import { getStringFromEnv } from '../../shared/runtime/config';
import { createApiHandler, json } from '../../shared/runtime/http/api-handler';
import { idempotentRoute } from '../../shared/runtime/http/idempotent-route';
import { pageOf, parseQuery, pathParameter } from '../../shared/runtime/http/query';
import { parseJsonBody } from '../../shared/runtime/http/request';
import { authenticateCaller, authenticateTenant } from '../../shared/runtime/http/tenant-auth';
import { meteredPublisher } from '../../shared/runtime/business-metrics';
import { RESOURCE_VARIABLES } from '../../shared/runtime/environment';

const { tenants, rateLimiter, accounts, payments, transactions, exceptions, idempotency } = tableAdapters(dynamoDbDocumentClient, getStringFromEnv(RESOURCE_VARIABLES.tableName));
// What it publishes is what an operator counts: settlements by matchedBy, latency, exceptions by type.
const events = meteredPublisher(new EventBridgePublisher(eventBridgeClient(), getStringFromEnv(RESOURCE_VARIABLES.eventBusName)));
// A refund is an outbound payment initiated with the bank like any other.
// Confirmation of Payee before a refund leaves.
const payees = payeeVerifier();
const gateway = bankGateways(dynamoDbDocumentClient, getStringFromEnv(RESOURCE_VARIABLES.tableName), getStringFromEnv(RESOURCE_VARIABLES.apiBaseUrl));

export const handler = createApiHandler({
  'GET /v1/reconciliation/exceptions': async (event) => {
    const tenantId = await authenticateTenant(event, tenants, rateLimiter);
    const { limit, cursor, ...filter } = parseQuery(event, ListExceptionsQuerySchema);
    const page = await exceptions.list(tenantId, filter, pageOf({ limit, cursor }));
    return json(200, { data: page.data.map(exceptionView), nextCursor: page.nextCursor });
  },
  'GET /v1/reconciliation/exceptions/{exceptionId}': async (event) => {
    const tenantId = await authenticateTenant(event, tenants, rateLimiter);
    const exceptionId = pathParameter(event, 'exceptionId');
    const found = await exceptions.get(tenantId, exceptionId);
    if (found === undefined) throw new NotFoundError(`Exception ${exceptionId} does not exist.`);
    return json(200, exceptionView(found.exception));
  },
  // Matching and refunds move money: idempotent like every money-moving POST. The key that asks is who resolved it.
  'POST /v1/reconciliation/exceptions/{exceptionId}/resolve': async (event) => {
    const { tenantId, apiKeyId } = await authenticateCaller(event, tenants, rateLimiter);
    return idempotentRoute(event, tenantId, { idempotency, clock: systemClock }, async () => {
      const request = parseJsonBody(event, ResolveExceptionRequestSchema);
      const resolved = await resolveException(
        { ...request, tenantId, resolvedBy: apiKeyId, exceptionId: pathParameter(event, 'exceptionId') },
        { exceptions, transactions, payments, events, clock: systemClock, refunds: { accounts, gateway, ids: ulidIds, randomIndex: randomInt, payees } },
      );
      return json(200, exceptionView(resolved));
    });
  },
  'GET /v1/reconciliation/report': async (event) => {
    const tenantId = await authenticateTenant(event, tenants, rateLimiter);
    const query = parseQuery(event, ReportQuerySchema);
    const report = await buildReconciliationReport(
      { tenantId, from: new Date(query.from).toISOString(), to: new Date(query.to).toISOString(), accountId: query.accountId },
      { accounts, transactions, payments, exceptions, clock: systemClock },
    );
    if (query.format !== 'csv') return json(200, report);
    return {
      statusCode: 200,
      rawBody: { contentType: 'text/csv; charset=utf-8', content: reconciliationReportCsv(report) },
      headers: { 'content-disposition': `attachment; filename="${reconciliationReportFileName(report)}"` },
    };
  },
});
