import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { type BankGateway, gatewayByProvider } from '../domain/payments/bank-gateway';
import { obiePayments } from './open-banking-wiring';
import { SandboxBankGateway } from './sandbox-bank/sandbox-gateway';
import { SandboxPaymentStore } from './sandbox-bank/sandbox-store';

/**
 * The payment gateway of every provider, each built on first use: a deployment without Open Banking banks never
 * reads their secrets.
 */
export const bankGateways = (client: DynamoDBDocumentClient, tableName: string, apiBaseUrl: string): BankGateway => {
  let sandbox: BankGateway | undefined;
  let obie: BankGateway | undefined;
  return gatewayByProvider({
    sandbox: () => (sandbox ??= new SandboxBankGateway(new SandboxPaymentStore(client, tableName), apiBaseUrl)),
    obie: () => (obie ??= obiePayments(client, tableName, apiBaseUrl).gateway),
  });
};
