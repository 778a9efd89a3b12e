import { createHash } from 'node:crypto';
import * as v from 'valibot';
import type { MandateType } from '../../domain/mandates/mandate';
import type { VrpConsentTerms, VrpGateway } from '../../domain/open-banking/mandate-authorisation';
import { formatAmount } from '../../domain/money';
import { type AuthorisationRequest, BankAccessDenied, type BankPaymentStatus, type BankTokens, type ConsentCreated } from '../../domain/open-banking/ports';
import type { ObieClient } from './client';
import { mapPaymentStatus } from './payment-status';
import { MAX_IDENTIFICATION_LENGTH, SORT_CODE_ACCOUNT_NUMBER } from './payment-initiation';
import { buildAuthorisationUrl } from './signing';
import { toUtcIso } from './transactions';

/** What Settled asks the payer's bank to allow: the mandate's terms, paid into the tenant's account (the domain's port type). */
export type { VrpConsentTerms };

/** One payment under an authorised VRP consent. */
export interface VrpInstruction {
  /** Settled's payment id: InstructionIdentification, EndToEndIdentification and the x-idempotency-key. */
  readonly paymentId: string;
  readonly amount: number;
  readonly reference: string;
}

const PERIOD_TYPE = { day: 'Day', week: 'Week', fortnight: 'Fortnight', month: 'Month', 'half-year': 'Half-year', year: 'Year' } as const;
const ALIGNMENT = { consent: 'Consent', calendar: 'Calendar' } as const;

const creditorAccount = (creditor: VrpConsentTerms['creditor']) => {
  const identification = `${creditor.sortCode}${creditor.accountNumber}`;
  if (!/^[0-9]{14}$/.test(identification)) throw new RangeError('a UK account needs a 6-digit sort code and an 8-digit account number');
  return { SchemeName: SORT_CODE_ACCOUNT_NUMBER, Identification: identification, Name: creditor.name };
};

/**
 * The consent's ControlParameters from the mandate's limits (the VRP standard has the same periods and alignments):
 * MaximumIndividualAmount = maxPerPayment, one PeriodicLimits entry per period, the validity window, the type
 * (sweeping, else `Other`), and no SCA per payment (the payer authorised once).
 */
export const vrpControlParameters = (terms: VrpConsentTerms): Record<string, unknown> => ({
  ...(terms.validFrom === null ? {} : { ValidFromDateTime: terms.validFrom }),
  ...(terms.validTo === null ? {} : { ValidToDateTime: terms.validTo }),
  MaximumIndividualAmount: { Amount: formatAmount(terms.limits.maxPerPayment, terms.currency), Currency: terms.currency },
  PeriodicLimits: terms.limits.periods.map((limit) => ({
    PeriodType: PERIOD_TYPE[limit.period],
    PeriodAlignment: ALIGNMENT[limit.alignment],
    Amount: formatAmount(limit.maxAmount, terms.currency),
    Currency: terms.currency,
  })),
  VRPType: [terms.type === 'sweeping' ? 'UK.OBIE.VRPType.Sweeping' : 'UK.OBIE.VRPType.Other'],
  PSUAuthenticationMethods: ['UK.OBIE.SCANotRequired'],
});

/** The Initiation the consent and every payment under it carry, identically (the bank compares them). */
export const vrpInitiation = (terms: Pick<VrpConsentTerms, 'creditor' | 'reference'>): Record<string, unknown> => ({
  CreditorAccount: creditorAccount(terms.creditor),
  ...(terms.reference === null ? {} : { RemittanceInformation: { Structured: [{ CreditorReferenceInformation: { Reference: terms.reference } }] } }),
});

/** Sweeping moves the payer's money between their own accounts; commercial VRP pays a merchant for what it bills. */
export const vrpRisk = (type: MandateType): Record<string, unknown> => ({ PaymentContextCode: type === 'sweeping' ? 'TransferToSelf' : 'BillingGoodsAndServicesInArrears' });

const ConsentResponseSchema = v.object({ Data: v.object({ ConsentId: v.pipe(v.string(), v.minLength(1)), Status: v.string() }) });
const FundsResponseSchema = v.object({ Data: v.object({ FundsAvailableResult: v.object({ FundsAvailable: v.picklist(['Available', 'NotAvailable']) }) }) });
const VrpResponseSchema = v.object({
  Data: v.object({
    DomesticVRPId: v.pipe(v.string(), v.minLength(1)),
    Status: v.string(),
    StatusUpdateDateTime: v.string(),
    StatusReason: v.optional(v.array(v.object({ StatusReasonCode: v.optional(v.string()), StatusReasonDescription: v.optional(v.string()) }))),
  }),
});

/** The payer's decision as Settled's mandates see it, from the consent's v4.0 status. */
const CONSENT_STATUS: Readonly<Record<string, 'awaiting_authorisation' | 'approved' | 'rejected' | 'revoked'>> = {
  AWAU: 'awaiting_authorisation',
  AUTH: 'approved',
  RJCT: 'rejected',
  CANC: 'revoked',
  EXPD: 'revoked',
};

/**
 * VRP over Open Banking UK v4.0 (specs/v4.0/vrp-openapi.json): the consent with ControlParameters (client
 * credentials), the payer's one authorisation through the bank's page (the same signed request object and PKCE as
 * every consent), then, with the payer's tokens (refreshed as they expire), a funds confirmation and a domestic VRP
 * per payment, keyed by Settled's payment id so a retried submission is the same payment at the bank.
 */
export class ObieVrpGateway implements VrpGateway {
  constructor(private readonly client: ObieClient) {}

  async createConsent(aspspId: string, terms: VrpConsentTerms, authorisation: AuthorisationRequest): Promise<ConsentCreated> {
    const context = await this.client.context(aspspId);
    if (context.bank.apiVersion !== 'v4.0') throw new RangeError(`Bank ${aspspId} speaks ${context.bank.apiVersion}; VRP needs v4.0`);
    const body = { Data: { ControlParameters: vrpControlParameters(terms), Initiation: vrpInitiation(terms) }, Risk: vrpRisk(terms.type) };
    const response = await this.client.withClientToken(context, 'payments', (accessToken) =>
      this.client.resource(context, {
        operation: 'domesticVrpConsentsPost',
        method: 'POST',
        path: '/pisp/domestic-vrp-consents',
        body,
        accessToken,
        idempotencyKey: createHash('sha256').update(`${terms.mandateId}\0${authorisation.state}`).digest('base64url').slice(0, 40),
      }),
    );
    const consent = this.client.parse(context, 'domesticVrpConsentsPost', ConsentResponseSchema, response);
    const authorisationUrl = await buildAuthorisationUrl(context.bank, context.credentials, 'payments', consent.Data.ConsentId, authorisation, this.client.now());
    return { bankConsentId: consent.Data.ConsentId, authorisationUrl };
  }

  exchangeCode(aspspId: string, code: string, authorisation: AuthorisationRequest): Promise<BankTokens> {
    return this.client.exchangeCode(aspspId, code, authorisation);
  }

  /** Fresh payer tokens from the refresh token (each payment is off-session: the payer is not there). */
  async refreshTokens(aspspId: string, tokens: BankTokens): Promise<BankTokens> {
    const context = await this.client.context(aspspId);
    if (tokens.refreshToken === null) throw new BankAccessDenied(`Bank ${aspspId} gave no refresh token: the mandate must be authorised again`);
    const token = await this.client.tokenRequest(context, 'token (refresh_token)', { grant_type: 'refresh_token', refresh_token: tokens.refreshToken });
    return this.client.bankTokensOf(token, tokens.refreshToken);
  }

  async consentStatus(aspspId: string, bankConsentId: string): Promise<'awaiting_authorisation' | 'approved' | 'rejected' | 'revoked'> {
    const context = await this.client.context(aspspId);
    const response = await this.client.withClientToken(context, 'payments', (accessToken) =>
      this.client.resource(context, { operation: 'domesticVrpConsentsGet', method: 'GET', path: `/pisp/domestic-vrp-consents/${encodeURIComponent(bankConsentId)}`, accessToken }),
    );
    const status = this.client.parse(context, 'domesticVrpConsentsGet', ConsentResponseSchema, response).Data.Status;
    return CONSENT_STATUS[status] ?? 'revoked';
  }

  /** Revokes the consent at the bank (v4.0 `DELETE /domestic-vrp-consents/{ConsentId}`, client credentials). */
  async deleteConsent(aspspId: string, bankConsentId: string): Promise<void> {
    const context = await this.client.context(aspspId);
    await this.client.withClientToken(context, 'payments', (accessToken) =>
      this.client.resource(context, { operation: 'domesticVrpConsentsDelete', method: 'DELETE', path: `/pisp/domestic-vrp-consents/${encodeURIComponent(bankConsentId)}`, accessToken }),
    );
  }

  async confirmFunds(aspspId: string, tokens: BankTokens, bankConsentId: string, amount: number, currency: string, reference: string): Promise<boolean> {
    const context = await this.client.context(aspspId);
    const response = await this.client.resource(context, {
      operation: 'domesticVrpConsentsFundsConfirmation',
      method: 'POST',
      path: `/pisp/domestic-vrp-consents/${encodeURIComponent(bankConsentId)}/funds-confirmation`,
      body: { Data: { ConsentId: bankConsentId, Reference: reference, InstructedAmount: { Amount: formatAmount(amount, currency), Currency: currency } } },
      accessToken: tokens.accessToken,
    });
    return this.client.parse(context, 'domesticVrpConsentsFundsConfirmation', FundsResponseSchema, response).Data.FundsAvailableResult.FundsAvailable === 'Available';
  }

  async submitPayment(
    aspspId: string,
    tokens: BankTokens,
    bankConsentId: string,
    terms: Pick<VrpConsentTerms, 'type' | 'currency' | 'creditor' | 'reference'>,
    instruction: VrpInstruction,
  ): Promise<{ readonly bankPaymentId: string; readonly status: BankPaymentStatus }> {
    if (instruction.paymentId.length === 0 || instruction.paymentId.length > MAX_IDENTIFICATION_LENGTH) {
      throw new RangeError(`payment id must be 1 to ${MAX_IDENTIFICATION_LENGTH} characters for InstructionIdentification`);
    }
    const context = await this.client.context(aspspId);
    const response = await this.client.resource(context, {
      operation: 'domesticVrpPost',
      method: 'POST',
      path: '/pisp/domestic-vrps',
      body: {
        Data: {
          ConsentId: bankConsentId,
          PSUAuthenticationMethod: 'UK.OBIE.SCANotRequired',
          PSUInteractionType: 'OffSession',
          VRPType: terms.type === 'sweeping' ? 'UK.OBIE.VRPType.Sweeping' : 'UK.OBIE.VRPType.Other',
          Initiation: vrpInitiation(terms),
          Instruction: {
            InstructionIdentification: instruction.paymentId,
            EndToEndIdentification: instruction.paymentId,
            RemittanceInformation: { Structured: [{ CreditorReferenceInformation: { Reference: instruction.reference } }] },
            InstructedAmount: { Amount: formatAmount(instruction.amount, terms.currency), Currency: terms.currency },
            CreditorAccount: creditorAccount(terms.creditor),
          },
        },
        Risk: vrpRisk(terms.type),
      },
      accessToken: tokens.accessToken,
      idempotencyKey: instruction.paymentId,
    });
    const payment = this.client.parse(context, 'domesticVrpPost', VrpResponseSchema, response).Data;
    return { bankPaymentId: payment.DomesticVRPId, status: mapPaymentStatus(payment.Status, toUtcIso(payment.StatusUpdateDateTime, 'StatusUpdateDateTime'), payment.StatusReason) };
  }
}
