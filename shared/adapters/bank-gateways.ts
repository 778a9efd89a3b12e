import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { UnprocessableError } from '../domain/errors';
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
    // TrueLayer and GoCardless only report to Settled (their webhooks); no account is connected through them, so
    // no payment is initiated through them either.
    truelayer: () => reportOnly('truelayer'),
    gocardless: () => reportOnly('gocardless'),
  });
};

/** A provider Settled takes reports from but initiates nothing through. */
const reportOnly = (provider: string): BankGateway => ({
  initiatePayment: () => Promise.reject(new UnprocessableError('provider_not_supported', `Payments cannot be initiated through ${provider}.`)),
});
