import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { OperationLog } from '../domain/accounts/consents';
import { paymentSessionsOver, type TokenSealer } from '../domain/open-banking/authorisation';
import type { AccountRepository } from '../domain/accounts/account';
import { ObieMandateGateway } from '../domain/open-banking/mandate-authorisation';
import { ObiePaymentGateway } from '../domain/open-banking/payment-authorisation';
import type { ObieBulkDeps } from '../domain/open-banking/payout-files';
import type { SettlementQueue } from '../domain/settlement/settlement-message';
import type { AccountInformationGateway, AspspDirectory } from '../domain/open-banking/ports';
import { logger } from '../runtime/powertools';
import { DynamoDbAuthorisationSessionStore } from './dynamodb/authorisation-session-store';
import { DynamoDbBankTokenStore } from './dynamodb/bank-token-store';
import { DynamoDbObiePaymentStore } from './dynamodb/obie-payment-store';
import { DynamoDbPayoutFileStore } from './dynamodb/payout-file-store';
import { DynamoDbPayoutStore } from './dynamodb/payout-store';
import { DynamoDbAccountRepository } from './dynamodb/account-repository';
import { createObieGateways, type ObieGateways } from './obie';
import { cryptoSecrets, systemClock } from './system';
import { tokenSealerFromEnvironment } from './token-sealing/from-environment';

/**
 * The one place the Open Banking parts are composed for the functions: the gateway adapter over the registry and
 * credentials secrets (one client per execution environment: one token cache, one mTLS agent per bank), the token
 * sealer, and the payment side's stores.
 */
let gateways: ObieGateways | undefined;
export const obieGateways = (): ObieGateways => (gateways ??= createObieGateways());

let sealer: TokenSealer | undefined;
export const obieTokenSealer = (): TokenSealer => (sealer ??= tokenSealerFromEnvironment());

/** The registry of banks and the AIS gateway, for the account functions. */
export const obieAccountAccess = (): { readonly directory: AspspDirectory; readonly gateway: AccountInformationGateway } => ({
  directory: obieGateways().directory,
  gateway: obieGateways().accounts,
});

/** Pay by bank through Open Banking: the BankGateway for obie accounts, with the stores it keeps its state in. */
export const obiePayments = (client: DynamoDBDocumentClient, tableName: string, apiBaseUrl: string) => {
  const records = new DynamoDbObiePaymentStore(client, tableName);
  const sessions = new DynamoDbAuthorisationSessionStore(client, tableName);
  const { payments: pis, directory } = obieGateways();
  const gateway = new ObiePaymentGateway({
    pis,
    records,
    sessions: paymentSessionsOver({ sessions, sealer: obieTokenSealer(), clock: systemClock }),
    secrets: cryptoSecrets,
    clock: systemClock,
    apiBaseUrl,
  });
  return { gateway, records, directory, pis };
};

/** Use-case warnings to the function's log (the use cases pass no secrets in them). */
export const operationLog: OperationLog = { warn: (message, details) => logger.warn(message, { ...details }) };

/**
 * Variable recurring payments at Open Banking v4.0 banks: the MandateGateway for obie accounts, over the same
 * session store (the consent callback completes its authorisation), token store and payment records as payments.
 */
export const obieMandates = (
  client: DynamoDBDocumentClient,
  tableName: string,
  apiBaseUrl: string,
  queues: { readonly accounts: Pick<AccountRepository, 'get'>; readonly settlements: SettlementQueue },
): ObieMandateGateway =>
  new ObieMandateGateway({
    vrp: obieGateways().vrp,
    accounts: queues.accounts,
    directory: obieGateways().directory,
    sessions: new DynamoDbAuthorisationSessionStore(client, tableName),
    tokens: new DynamoDbBankTokenStore(client, tableName),
    sealer: obieTokenSealer(),
    records: new DynamoDbObiePaymentStore(client, tableName),
    settlements: queues.settlements,
    secrets: cryptoSecrets,
    clock: systemClock,
    apiBaseUrl,
    log: operationLog,
  });

/**
 * Bulk payouts from Open Banking accounts through the banks' file payments: the BulkBankGateway for obie accounts,
 * and what the payer's authorisation journey (Settled's page, the consent callback) needs besides.
 */
export const obiePayouts = (client: DynamoDBDocumentClient, tableName: string, apiBaseUrl: string): ObieBulkDeps => ({
  files: obieGateways().files,
  records: new DynamoDbPayoutFileStore(client, tableName),
  payouts: new DynamoDbPayoutStore(client, tableName),
  accounts: new DynamoDbAccountRepository(client, tableName),
  sessions: new DynamoDbAuthorisationSessionStore(client, tableName),
  tokens: new DynamoDbBankTokenStore(client, tableName),
  sealer: obieTokenSealer(),
  secrets: cryptoSecrets,
  clock: systemClock,
  apiBaseUrl,
});
