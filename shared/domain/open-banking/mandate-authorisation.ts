import { type Account, type AccountRepository, isConnected } from '../accounts/account';
import type { OperationLog } from '../accounts/consents';
import { ValidationError } from '../errors';
import type { Mandate, MandateLimits, MandateType } from '../mandates/mandate';
import { decideMandate, type MandateDeps } from '../mandates/mandate-use-cases';
import type { MandateGateway } from '../mandates/ports';
import type { Payment } from '../payments/payment';
import type { Clock, SecretGenerator } from '../ports';
import type { SettlementQueue } from '../settlement/settlement-message';
import {
  type AuthorisationSession,
  type AuthorisationSessionStore,
  type BankTokenStore,
  callbackUriOf,
  freshTokens,
  newAuthorisationRequest,
  requestOf,
  sessionFor,
  storeTokens,
  type TokenSealer,
} from './authorisation';
import type { CallbackQuery, CallbackResult } from './consent-callback';
import type { ObiePaymentRecord, ObiePaymentStore } from './payment-authorisation';
import type { AspspDirectory, AuthorisationRequest, BankPaymentStatus, BankTokens, ConsentCreated } from './ports';

/**
 * Variable recurring payments at an Open Banking UK v4.0 bank. The mandate is a `domestic-vrp-consent` whose
 * ControlParameters are its limits; the payer authorises it once on their bank's page (signed request object,
 * PKCE), the bank redirects to Settled's consent callback, which exchanges the code, seals and stores the payer's
 * tokens and activates the mandate. Each payment under it (after the exact-limit write) is a funds confirmation and
 * a `domestic-vrp` with the payer's (refreshed) token; its booked credit settles it as any inbound payment.
 */

/** The terms of a VRP consent: the mandate's, paid into the tenant's account. */
export interface VrpConsentTerms {
  readonly mandateId: string;
  readonly type: MandateType;
  readonly currency: string;
  readonly limits: MandateLimits;
  readonly validFrom: string | null;
  readonly validTo: string | null;
  readonly reference: string | null;
  readonly creditor: { readonly name: string; readonly sortCode: string; readonly accountNumber: string };
}

/** The bank's VRP API (the adapter: shared/adapters/obie/vrp.ts). */
export interface VrpGateway {
  createConsent(aspspId: string, terms: VrpConsentTerms, authorisation: AuthorisationRequest): Promise<ConsentCreated>;
  exchangeCode(aspspId: string, code: string, authorisation: AuthorisationRequest): Promise<BankTokens>;
  refreshTokens(aspspId: string, tokens: BankTokens): Promise<BankTokens>;
  confirmFunds(aspspId: string, tokens: BankTokens, bankConsentId: string, amount: number, currency: string, reference: string): Promise<boolean>;
  submitPayment(
    aspspId: string,
    tokens: BankTokens,
    bankConsentId: string,
    terms: Pick<VrpConsentTerms, 'type' | 'currency' | 'creditor' | 'reference'>,
    instruction: { readonly paymentId: string; readonly amount: number; readonly reference: string },
  ): Promise<{ readonly bankPaymentId: string; readonly status: BankPaymentStatus }>;
  deleteConsent(aspspId: string, bankConsentId: string): Promise<void>;
}

/** The payer's bank said there is not enough money for this payment: nothing was submitted. */
export class FundsNotAvailable extends Error {
  override readonly name = 'FundsNotAvailable';
}

export interface ObieMandateDeps {
  readonly vrp: VrpGateway;
  readonly accounts: Pick<AccountRepository, 'get'>;
  readonly directory: Pick<AspspDirectory, 'get'>;
  readonly sessions: Pick<AuthorisationSessionStore, 'create'>;
  readonly tokens: BankTokenStore;
  readonly sealer: TokenSealer;
  readonly records: Pick<ObiePaymentStore, 'create' | 'get' | 'update'>;
  readonly settlements: SettlementQueue;
  readonly secrets: SecretGenerator;
  readonly clock: Clock;
  readonly apiBaseUrl: string;
  readonly log: OperationLog;
}

const creditorOf = (account: Account) => {
  if (!isConnected(account)) throw new Error(`Account ${account.id} is not connected`);
  return { name: account.name, sortCode: account.sortCode, accountNumber: account.accountNumber };
};

const termsOf = (mandate: Omit<Mandate, 'bankMandateId' | 'authorisationUrl'>, account: Account): VrpConsentTerms => ({
  mandateId: mandate.id,
  type: mandate.type,
  currency: mandate.currency,
  limits: mandate.limits,
  validFrom: mandate.validFrom,
  validTo: mandate.validTo,
  reference: mandate.reference,
  creditor: creditorOf(account),
});

const aspspOf = (account: Pick<Account, 'id' | 'aspspId'>): string => {
  if (account.aspspId === null) throw new Error(`Open Banking account ${account.id} names no bank`);
  return account.aspspId;
};

/** The payer's tokens for a mandate are kept as any consent's: sealed, under the bank's consent id. */
const tokenContext = (mandate: Pick<Mandate, 'tenantId' | 'bankMandateId'>) => ({ tenantId: mandate.tenantId, consentId: mandate.bankMandateId });

/** Settled's status for a bank's: a payment the mandate authorised is at least authorised, even while the bank says pending. */
const reportedStatus = (status: BankPaymentStatus): 'authorised' | 'executed' | 'rejected' => (status.settledStatus === 'pending' ? 'authorised' : status.settledStatus);

/** MandateGateway for accounts at Open Banking banks speaking v4.0 (VRP is a v4.0 API in this deployment). */
export class ObieMandateGateway implements MandateGateway {
  constructor(private readonly deps: ObieMandateDeps) {}

  async createMandate(mandate: Omit<Mandate, 'bankMandateId' | 'authorisationUrl'>, account: Account): Promise<{ bankMandateId: string; authorisationUrl: string }> {
    const aspspId = aspspOf(account);
    const bank = await this.deps.directory.get(aspspId);
    if (bank?.apiVersion !== 'v4.0') {
      throw new ValidationError(`Variable recurring payments need an Open Banking v4.0 bank in this deployment; ${aspspId} speaks ${bank?.apiVersion ?? 'no known version'}.`, {
        details: [{ path: 'accountId', message: 'VRP needs v4.0: must be an account at a v4.0 bank' }],
      });
    }
    const authorisation = newAuthorisationRequest(this.deps.secrets, callbackUriOf(this.deps.apiBaseUrl));
    const consent = await this.deps.vrp.createConsent(aspspId, termsOf(mandate, account), authorisation);
    await this.deps.sessions.create(
      await sessionFor(
        authorisation,
        { purpose: 'mandate', tenantId: mandate.tenantId, subjectId: mandate.id, aspspId, bankConsentId: consent.bankConsentId, redirectUrl: null },
        this.deps,
      ),
    );
    return { bankMandateId: consent.bankConsentId, authorisationUrl: consent.authorisationUrl };
  }

  /** The payer's decision reaches Settled by their redirect back (the consent callback), never by a read. */
  mandateStatus(): Promise<{ status: 'awaiting_authorisation'; decidedAt: null }> {
    return Promise.resolve({ status: 'awaiting_authorisation', decidedAt: null });
  }

  /** Random, like every Open Banking payment's bank-payment id (the key of its record and its status reports). */
  nextPaymentId(): string {
    return `obp_${this.deps.secrets.randomToken(18)}`;
  }

  /**
   * Primary course: the payer's tokens (refreshed when due), a funds confirmation, then the domestic VRP (keyed by
   * the payment id, so a retry is the same payment at the bank); the bank's payment id is recorded so its status
   * reports find the payment, and the bank's answer (accepted, or rejected by the scheme) is queued as a bank report.
   * No status poll is scheduled: the poll reads `domestic-payments`, a VRP's status lives at `domestic-vrps`; the
   * payment settles from its booked credit on the tenant's account, as every inbound payment does.
   * Alternative course: funds not available → {@link FundsNotAvailable}, nothing submitted.
   */
  async executePayment(mandate: Mandate, payment: Payment, account: Account): Promise<void> {
    const aspspId = aspspOf(account);
    const record: ObiePaymentRecord = { bankPaymentId: payment.bankPaymentId, tenantId: payment.tenantId, paymentId: payment.id, aspspId, bankConsentId: mandate.bankMandateId, domesticPaymentId: null, version: 1 };
    await this.deps.records.create(record);
    const tokens = await freshTokens({ ...tokenContext(mandate), aspspId }, { tokens: this.deps.tokens, sealer: this.deps.sealer, gateway: this.deps.vrp, clock: this.deps.clock });
    if (!(await this.deps.vrp.confirmFunds(aspspId, tokens, mandate.bankMandateId, payment.amount, payment.currency, payment.reference))) {
      throw new FundsNotAvailable(`The payer's bank has not enough funds for payment ${payment.id}`);
    }
    const terms = { type: mandate.type, currency: mandate.currency, reference: mandate.reference, creditor: creditorOf(account) };
    const submitted = await this.deps.vrp.submitPayment(aspspId, tokens, mandate.bankMandateId, terms, { paymentId: payment.id, amount: payment.amount, reference: payment.reference });
    if (!(await this.deps.records.update(record, { ...record, domesticPaymentId: submitted.bankPaymentId, version: record.version + 1 }))) {
      throw new Error(`Could not record the bank's payment id ${submitted.bankPaymentId} for ${payment.bankPaymentId}`);
    }
    await this.deps.settlements.enqueue([
      { kind: 'payment_status', report: { provider: 'obie', bankPaymentId: payment.bankPaymentId, status: reportedStatus(submitted.status), at: submitted.status.at, reason: submitted.status.reason } },
    ]);
  }

  /**
   * After the local revocation (which alone stops Settled taking payments): the consent deleted at the bank, best
   * effort. A failure is logged and not retried: the mandate is revoked here whatever the bank answers, and Settled
   * never pays under that consent again.
   */
  async revokeMandate(mandate: Mandate): Promise<void> {
    try {
      const account = await this.deps.accounts.get(mandate.tenantId, mandate.accountId);
      if (account === undefined) return;
      await this.deps.vrp.deleteConsent(aspspOf(account), mandate.bankMandateId);
    } catch (error) {
      this.deps.log.warn('The VRP consent could not be deleted at the bank; the mandate is revoked in Settled', {
        mandateId: mandate.id,
        error: error instanceof Error ? error.name : 'unknown',
      });
    }
  }
}



export interface MandateCallbackDeps {
  readonly vrp: Pick<VrpGateway, 'exchangeCode'>;
  readonly tokens: BankTokenStore;
  readonly sealer: TokenSealer;
  readonly mandates: MandateDeps['mandates'];
  readonly events: MandateDeps['events'];
  readonly clock: Clock;
  readonly apiBaseUrl: string;
}

/**
 * The consent callback's mandate branch (the session is already claimed: single use).
 * Primary course: exchange the code for the payer's tokens, seal and store them under the consent, then record the
 * approval (active, `mandate.activated`, one conditional write with the event in the outbox).
 * Alternative course: the payer refused (`error`) → the mandate is rejected; nothing is stored.
 */
export const completeMandateCallback = async (session: AuthorisationSession, query: CallbackQuery, deps: MandateCallbackDeps): Promise<CallbackResult> => {
  if (query.error !== null || query.code === null) {
    const rejected = await decideMandate(session.tenantId, session.subjectId, 'rejected', deps);
    return { outcome: { kind: 'mandate', mandateId: rejected.id, status: rejected.status }, redirectUrl: session.redirectUrl };
  }
  const authorisation = await requestOf(session, callbackUriOf(deps.apiBaseUrl), deps);
  const tokens = await deps.vrp.exchangeCode(session.aspspId, query.code, authorisation);
  await storeTokens({ tenantId: session.tenantId, consentId: session.bankConsentId }, tokens, null, deps);
  const mandate = await decideMandate(session.tenantId, session.subjectId, 'approved', deps);
  return { outcome: { kind: 'mandate', mandateId: mandate.id, status: mandate.status }, redirectUrl: session.redirectUrl };
};
