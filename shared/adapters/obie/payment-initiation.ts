import { createHash } from 'node:crypto';
import * as v from 'valibot';
import { formatAmount } from '../../domain/money';
import {
  type AuthorisationRequest,
  type BankPaymentStatus,
  type BankTokens,
  type ConsentCreated,
  type DomesticPaymentInstruction,
  type ObieApiVersion,
  type PaymentInitiationGateway,
} from '../../domain/open-banking/ports';
import type { ObieClient } from './client';
import { buildAuthorisationUrl } from './signing';
import { mapPaymentStatus } from './payment-status';
import { toUtcIso } from './transactions';

/** Longest InstructionIdentification / EndToEndIdentification the schemas accept (Max35Text). */
export const MAX_IDENTIFICATION_LENGTH = 35;
export const SORT_CODE_ACCOUNT_NUMBER = 'UK.OBIE.SortCodeAccountNumber';

const accountOf = (party: { readonly name: string; readonly sortCode: string; readonly accountNumber: string }) => {
  const identification = `${party.sortCode}${party.accountNumber}`.replace(/[\s-]/g, '');
  if (!/^[0-9]{14}$/.test(identification)) throw new RangeError('a UK account needs a 6-digit sort code and an 8-digit account number');
  return { SchemeName: SORT_CODE_ACCOUNT_NUMBER, Identification: identification, Name: party.name };
};

/**
 * The `Initiation` a domestic-payment consent and its domestic payment both carry, identically (the bank compares
 * them): built once from the instruction, so the two can never differ.
 * - InstructionIdentification and EndToEndIdentification = Settled's payment id (≤ 35; FPS carries 31 of the
 *   end-to-end id, which Settled's `pay_` + ULID ids fit).
 * - InstructedAmount = the currency's exact decimal string from minor units.
 * - The payee's reference: v3.1.11 `RemittanceInformation.Reference`; v4.0 has no such element, and its FPS mapping
 *   fills field 120 REFERENCE INFORMATION from `RemittanceInformation.Structured[].CreditorReferenceInformation.Reference`.
 */
export const domesticInitiation = (version: ObieApiVersion, instruction: DomesticPaymentInstruction): Record<string, unknown> => {
  if (instruction.paymentId.length === 0 || instruction.paymentId.length > MAX_IDENTIFICATION_LENGTH) {
    throw new RangeError(`payment id must be 1 to ${MAX_IDENTIFICATION_LENGTH} characters for InstructionIdentification`);
  }
  return {
    InstructionIdentification: instruction.paymentId,
    EndToEndIdentification: instruction.paymentId,
    InstructedAmount: { Amount: formatAmount(instruction.amount, instruction.currency), Currency: instruction.currency },
    ...(instruction.debtor === null ? {} : { DebtorAccount: accountOf(instruction.debtor) }),
    CreditorAccount: accountOf(instruction.creditor),
    RemittanceInformation:
      version === 'v3.1.11'
        ? { Reference: instruction.reference }
        : { Structured: [{ CreditorReferenceInformation: { Reference: instruction.reference } }] },
  };
};

/**
 * The Risk block, the same on consent and payment. An inbound pay-by-bank payment is the payer paying through the
 * merchant's checkout (Settled's hosted bank-choice page): v4.0 `EcommerceMerchantInitiatedPayment` ("the customer
 * (PSU) is making a payment using the merchant's customer-facing website or app which has an integrated checkout
 * feature"); v3.1.11 has no such code and `EcommerceGoods` asks for a delivery address, so `EcommerceServices`. An
 * outbound payment from the tenant's account to someone else's is `TransferToThirdParty` in both.
 */
export const domesticRisk = (version: ObieApiVersion, instruction: DomesticPaymentInstruction): Record<string, unknown> => {
  if (instruction.debtor !== null) return { PaymentContextCode: 'TransferToThirdParty' };
  return { PaymentContextCode: version === 'v3.1.11' ? 'EcommerceServices' : 'EcommerceMerchantInitiatedPayment' };
};

const ConsentResponseSchema = v.object({ Data: v.object({ ConsentId: v.pipe(v.string(), v.minLength(1)) }) });
const StatusReasonSchema = v.optional(
  v.array(v.object({ StatusReasonCode: v.optional(v.string()), StatusReasonDescription: v.optional(v.string()) })),
);
const PaymentResponseSchema = v.object({
  Data: v.object({
    DomesticPaymentId: v.pipe(v.string(), v.minLength(1)),
    Status: v.string(),
    StatusUpdateDateTime: v.string(),
    StatusReason: StatusReasonSchema,
  }),
});

const statusOf = (data: v.InferOutput<typeof PaymentResponseSchema>['Data']): BankPaymentStatus =>
  mapPaymentStatus(data.Status, toUtcIso(data.StatusUpdateDateTime, 'StatusUpdateDateTime'), data.StatusReason);

/** PIS over Open Banking UK (v3.1.11 and v4.0): domestic payment consents and domestic payments. */
export class ObiePaymentInitiationGateway implements PaymentInitiationGateway {
  constructor(private readonly client: ObieClient) {}

  async createPaymentConsent(aspspId: string, instruction: DomesticPaymentInstruction, authorisation: AuthorisationRequest): Promise<ConsentCreated> {
    const context = await this.client.context(aspspId);
    const version = context.bank.apiVersion;
    const body = { Data: { Initiation: domesticInitiation(version, instruction) }, Risk: domesticRisk(version, instruction) };
    const response = await this.client.withClientToken(context, 'payments', (accessToken) =>
      this.client.resource(context, {
        operation: 'CreateDomesticPaymentConsents',
        method: 'POST',
        path: '/pisp/domestic-payment-consents',
        body,
        accessToken,
        // The same payment asks for one consent per authorisation attempt: keyed by payment and state.
        idempotencyKey: createHash('sha256').update(`${instruction.paymentId}\0${authorisation.state}`).digest('base64url').slice(0, 40),
      }),
    );
    const consent = this.client.parse(context, 'CreateDomesticPaymentConsents', ConsentResponseSchema, response);
    const authorisationUrl = await buildAuthorisationUrl(context.bank, context.credentials, 'payments', consent.Data.ConsentId, authorisation, this.client.now());
    return { bankConsentId: consent.Data.ConsentId, authorisationUrl };
  }

  exchangeCode(aspspId: string, code: string, authorisation: AuthorisationRequest): Promise<BankTokens> {
    return this.client.exchangeCode(aspspId, code, authorisation);
  }

  async submitPayment(
    aspspId: string,
    tokens: BankTokens,
    bankConsentId: string,
    instruction: DomesticPaymentInstruction,
  ): Promise<{ readonly bankPaymentId: string; readonly status: BankPaymentStatus }> {
    const context = await this.client.context(aspspId);
    const version = context.bank.apiVersion;
    const response = await this.client.resource(context, {
      operation: 'CreateDomesticPayments',
      method: 'POST',
      path: '/pisp/domestic-payments',
      body: { Data: { ConsentId: bankConsentId, Initiation: domesticInitiation(version, instruction) }, Risk: domesticRisk(version, instruction) },
      accessToken: tokens.accessToken,
      idempotencyKey: instruction.paymentId,
    });
    const payment = this.client.parse(context, 'CreateDomesticPayments', PaymentResponseSchema, response);
    return { bankPaymentId: payment.Data.DomesticPaymentId, status: statusOf(payment.Data) };
  }

  async getPaymentStatus(aspspId: string, bankPaymentId: string): Promise<BankPaymentStatus> {
    const context = await this.client.context(aspspId);
    const response = await this.client.withClientToken(context, 'payments', (accessToken) =>
      this.client.resource(context, {
        operation: 'GetDomesticPaymentsDomesticPaymentId',
        method: 'GET',
        path: `/pisp/domestic-payments/${encodeURIComponent(bankPaymentId)}`,
        accessToken,
      }),
    );
    return statusOf(this.client.parse(context, 'GetDomesticPaymentsDomesticPaymentId', PaymentResponseSchema, response).Data);
  }
}
