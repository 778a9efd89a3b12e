import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Clock } from '../../domain/ports';
import { DEFAULT_TENANT_RATE_LIMIT_PER_SECOND } from '../../domain/tenants/rate-limit';
import { getPositiveIntegerFromEnv } from '../../runtime/config';
import { SandboxPaymentStore } from '../sandbox-bank/sandbox-store';
import { systemClock } from '../system';
import { DynamoDbAccountRepository } from './account-repository';
import { DynamoDbAuthorisationSessionStore } from './authorisation-session-store';
import { DynamoDbBankTokenStore } from './bank-token-store';
import { DynamoDbCashPositionStore } from './cash-position-store';
import { DynamoDbEventLog, DynamoDbWebhookEndpointRepository } from './callback-store';
import { DynamoDbExceptionStore } from './exception-store';
import { DynamoDbIdempotencyStore } from './idempotency-store';
import { DynamoDbPaymentRepository } from './payment-repository';
import { DynamoDbRateLimiter } from './rate-limiter';
import { DynamoDbTenantRepository } from './tenant-repository';
import { DynamoDbTransactionStore } from './transaction-store';
import { DynamoDbStatementImportStore, DynamoDbStatementMappingStore } from './statement-import-store';
import { SETTING_VARIABLES } from '../../runtime/environment';

/** Every table adapter over one client and table: a function composes the ones it uses at module scope. */
export const tableAdapters = (client: DynamoDBDocumentClient, tableName: string, clock: Clock = systemClock) => {
  const payments = new DynamoDbPaymentRepository(client, tableName);
  return {
    tenants: new DynamoDbTenantRepository(client, tableName),
    accounts: new DynamoDbAccountRepository(client, tableName),
    authorisationSessions: new DynamoDbAuthorisationSessionStore(client, tableName),
    bankTokens: new DynamoDbBankTokenStore(client, tableName),
    payments,
    referenceIndex: payments,
    transactions: new DynamoDbTransactionStore(client, tableName),
    statementImports: new DynamoDbStatementImportStore(client, tableName, () => clock.now()),
    statementMappings: new DynamoDbStatementMappingStore(client, tableName),
    cash: new DynamoDbCashPositionStore(client, tableName),
    endpoints: new DynamoDbWebhookEndpointRepository(client, tableName),
    eventLog: new DynamoDbEventLog(client, tableName),
    idempotency: new DynamoDbIdempotencyStore(client, tableName, clock),
    exceptions: new DynamoDbExceptionStore(client, tableName),
    sandbox: new SandboxPaymentStore(client, tableName),
    // Read at cold start so a bad limit fails fast rather than on a tenant's first request.
    rateLimiter: new DynamoDbRateLimiter(
      client,
      tableName,
      getPositiveIntegerFromEnv(SETTING_VARIABLES.tenantRateLimitPerSecond, DEFAULT_TENANT_RATE_LIMIT_PER_SECOND),
    ),
  };
};
