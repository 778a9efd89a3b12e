import { type Account, type AccountRepository, isConnected } from '../accounts/account';
import { ConflictError, NotFoundError, UnprocessableError, ValidationError } from '../errors';
import type { BankGateway, PaymentInitiation } from '../payments/bank-gateway';
import type { Payment } from '../payments/payment';
import type { PaymentRepository } from '../payments/payment-repository';
import type { Clock, SecretGenerator } from '../ports';
import type { SettlementQueue } from '../settlement/settlement-message';
import { type AuthorisationSession, callbackUriOf, claimedPaymentSession, newAuthorisationRequest, type PaymentSessionOpening, type TokenSealer } from './authorisation';
import type { CallbackQuery, CallbackResult } from './consent-callback';
import type { BankSyncQueue } from './bank-sync';
import type { AspspDirectory, AuthorisationRequest, BankPaymentStatus, DomesticPaymentInstruction, PaymentInitiationGateway } from './ports';

/**
 * Pay by bank through Open Banking UK. An inbound payment's payer chooses their own bank on Settled's hosted
 * bank-choice page; an outbound payment goes from the tenant's own account at its bank. Either way Settled creates
 * a domestic-payment consent at the bank, the PSU authorises it on the bank's page, the bank redirects to Settled's
 * callback, and Settled submits the domestic payment and follows its status (pushed, polled) into the same
 * settlements queue every bank report goes through.
 */

/** What Settled keeps of one Open Banking payment beside the payment: which bank, which consent, which payment there. */
export interface ObiePaymentRecord {
  /** The payment's `bankPaymentId` (`obp_…`, random): the hosted bank-choice page's address and the status key. */
  readonly bankPaymentId: string;
  readonly tenantId: string;
  readonly paymentId: string;
  /** The bank the payer chose (inbound) or the tenant's bank (outbound); null until chosen. */
  readonly aspspId: string | null;
  readonly bankConsentId: string | null;
  /** The bank's DomesticPaymentId once submitted. */
  readonly domesticPaymentId: string | null;
  readonly version: number;
}

export interface ObiePaymentStore {
  create(record: ObiePaymentRecord): Promise<void>;
  get(bankPaymentId: string): Promise<ObiePaymentRecord | undefined>;
  /** Writes `next` if the stored record is still `previous` (same version); false otherwise. */
  update(previous: ObiePaymentRecord, next: ObiePaymentRecord): Promise<boolean>;
  findByDomesticPayment(aspspId: string, domesticPaymentId: string): Promise<ObiePaymentRecord | undefined>;
}

export interface PaymentSessions {
  openForPayment(session: PaymentSessionOpening): Promise<void>;
}

export interface ObiePaymentDeps {
  readonly pis: PaymentInitiationGateway;
  readonly sessions: PaymentSessions;
  readonly records: ObiePaymentStore;
  readonly secrets: SecretGenerator;
  readonly clock: Clock;
  /** Settled's public base URL: the bank-choice page and the OAuth redirect URI hang off it. */
  readonly apiBaseUrl: string;
}

export const bankChoiceUrl = (apiBaseUrl: string, bankPaymentId: string): string => `${apiBaseUrl.replace(/\/$/, '')}/checkout/${bankPaymentId}`;

/**
 * The instruction a consent and its domestic payment both carry: rebuilt the same from the payment and its account
 * each time, so the bank finds the payment identical to what the PSU authorised.
 */
export const paymentInstruction = (payment: Payment, account: Account): DomesticPaymentInstruction => {
  if (!isConnected(account)) {
    throw new ConflictError(`Account ${account.id} is not connected yet; payments need an active account.`, { code: 'account_not_active' });
  }
  const own = { name: account.name, sortCode: account.sortCode, accountNumber: account.accountNumber };
  const base = { paymentId: payment.id, amount: payment.amount, currency: payment.currency, reference: payment.reference };
  if (payment.direction === 'inbound') return { ...base, creditor: own, debtor: null };
  const { counterparty } = payment;
  if (counterparty?.sortCode === undefined || counterparty.accountNumber === undefined) {
    throw new ValidationError('An outbound payment needs the counterparty to pay.', {
      details: [{ path: 'counterparty', message: 'name, sortCode and accountNumber are required for outbound payments' }],
    });
  }
  return { ...base, creditor: { name: counterparty.name, sortCode: counterparty.sortCode, accountNumber: counterparty.accountNumber }, debtor: own };
};

/** The bank-payment id of an Open Banking payment: random, since it is also the bank-choice page's address. */
const newBankPaymentId = (secrets: SecretGenerator): string => `obp_${secrets.randomToken(18)}`;

/** BankGateway for accounts at Open Banking banks. */
export class ObiePaymentGateway implements BankGateway {
  constructor(private readonly deps: ObiePaymentDeps) {}

  async initiatePayment(payment: Omit<Payment, 'bankPaymentId' | 'authorisationUrl'>, account: Account): Promise<PaymentInitiation> {
    const bankPaymentId = newBankPaymentId(this.deps.secrets);
    const record: ObiePaymentRecord = { bankPaymentId, tenantId: payment.tenantId, paymentId: payment.id, aspspId: null, bankConsentId: null, domesticPaymentId: null, version: 1 };
    if (payment.direction === 'inbound') {
      await this.deps.records.create(record);
      return { bankPaymentId, authorisationUrl: bankChoiceUrl(this.deps.apiBaseUrl, bankPaymentId) };
    }
    // Outbound: from the tenant's own account, so straight to its bank's page.
    const aspspId = account.aspspId;
    if (aspspId === null) throw new Error(`Open Banking account ${account.id} names no bank`);
    const { authorisationUrl, bankConsentId } = await this.openConsent({ ...payment, bankPaymentId, authorisationUrl: '' }, account, aspspId);
    await this.deps.records.create({ ...record, aspspId, bankConsentId });
    return { bankPaymentId, authorisationUrl };
  }

  /** Creates the payment consent at the bank and the session its authorisation comes back to. */
  async openConsent(payment: Payment, account: Account, aspspId: string): Promise<{ authorisationUrl: string; bankConsentId: string }> {
    const authorisation = newAuthorisationRequest(this.deps.secrets, callbackUriOf(this.deps.apiBaseUrl));
    const consent = await this.deps.pis.createPaymentConsent(aspspId, paymentInstruction(payment, account), authorisation);
    await this.deps.sessions.openForPayment({
      tenantId: payment.tenantId,
      paymentId: payment.id,
      aspspId,
      bankConsentId: consent.bankConsentId,
      authorisation,
      redirectUrl: payment.redirectUrl,
    });
    return consent;
  }
}

/** The payment behind a bank-choice page, with its record; NotFound for an unknown or non-Open-Banking id. */
export const paymentBehindChoice = async (
  bankPaymentId: string,
  deps: { readonly records: ObiePaymentStore; readonly payments: PaymentRepository },
): Promise<{ record: ObiePaymentRecord; payment: Payment }> => {
  const record = await deps.records.get(bankPaymentId);
  const payment = record === undefined ? undefined : await deps.payments.get(record.tenantId, record.paymentId);
  if (record === undefined || payment === undefined) throw new NotFoundError('This payment page does not exist.');
  return { record, payment };
};

/**
 * The payer chose their bank on the hosted page.
 * Primary course: the payment still awaits authorisation; create the consent at the chosen bank (creditor: the
 * tenant's account) and answer that bank's authorisation page. Choosing again (the payer came back) makes a new
 * consent; only the latest one's authorisation is honoured.
 */
export const chooseBank = async (
  bankPaymentId: string,
  aspspId: string,
  deps: { readonly gateway: ObiePaymentGateway; readonly records: ObiePaymentStore; readonly payments: PaymentRepository; readonly accounts: AccountRepository; readonly directory: AspspDirectory },
): Promise<string> => {
  const { record, payment } = await paymentBehindChoice(bankPaymentId, deps);
  if (payment.direction !== 'inbound') throw new NotFoundError('This payment page does not exist.');
  if (payment.status !== 'authorisation_required') {
    throw new ConflictError(`This payment is ${payment.status.replace(/_/g, ' ')}; there is nothing to authorise.`, { code: 'payment_not_awaiting_authorisation' });
  }
  if ((await deps.directory.get(aspspId)) === undefined) {
    throw new UnprocessableError('unknown_aspsp', `There is no bank "${aspspId}" to pay from.`, { details: [{ path: 'aspspId', message: 'must be one of the banks listed' }] });
  }
  const account = await deps.accounts.get(payment.tenantId, payment.accountId);
  if (account === undefined) throw new NotFoundError('This payment page does not exist.');
  const { authorisationUrl, bankConsentId } = await deps.gateway.openConsent(payment, account, aspspId);
  if (!(await deps.records.update(record, { ...record, aspspId, bankConsentId, version: record.version + 1 }))) {
    throw new ConflictError('The bank was chosen twice at once; choose again.', { code: 'concurrent_choice' });
  }
  return authorisationUrl;
};

/** Settled's status for a bank's: a payment the PSU authorised is at least authorised, even while the bank says pending. */
const reportedStatus = (status: BankPaymentStatus): 'authorised' | 'executed' | 'rejected' =>
  status.settledStatus === 'pending' ? 'authorised' : status.settledStatus;

/**
 * How often a submitted payment's status is polled while the bank has not executed it: 10 s, 1 min, 5 min, then
 * every 15 min, for about a day ({@link MAX_STATUS_POLLS}); notifications still move it after that.
 */
export const STATUS_POLL_DELAYS_SECONDS = [10, 60, 300, 900] as const;
export const MAX_STATUS_POLLS = 100;

/** The delay before poll number `attempt` (0-based), or undefined once the polls are used up. */
export const statusPollDelay = (attempt: number): number | undefined =>
  attempt >= MAX_STATUS_POLLS ? undefined : STATUS_POLL_DELAYS_SECONDS[Math.min(attempt, STATUS_POLL_DELAYS_SECONDS.length - 1)];

export interface CompletionDeps {
  readonly pis: PaymentInitiationGateway;
  readonly records: ObiePaymentStore;
  readonly payments: PaymentRepository;
  readonly accounts: AccountRepository;
  readonly settlements: SettlementQueue;
  readonly syncs: BankSyncQueue;
  readonly clock: Clock;
}

/**
 * Keeps the bank's payment id (and its lookup) once the money has been submitted, whatever changed the record since
 * it was read (the payer choosing again in another tab): without it no status report could find the payment.
 */
const recordSubmission = async (
  read: ObiePaymentRecord,
  submitted: { readonly aspspId: string; readonly bankConsentId: string; readonly domesticPaymentId: string },
  records: ObiePaymentStore,
): Promise<void> => {
  const { domesticPaymentId } = submitted;
  let current: ObiePaymentRecord | undefined = read;
  for (let attempt = 0; attempt < 5 && current !== undefined; attempt += 1) {
    if (current.domesticPaymentId === domesticPaymentId) return;
    // The bank that has the money is the one to ask about it, even if the payer chose another since.
    if (await records.update(current, { ...current, ...submitted, version: current.version + 1 })) return;
    current = await records.get(read.bankPaymentId);
  }
  throw new Error(`Could not record the bank's payment id ${domesticPaymentId} for ${read.bankPaymentId}`);
};

/** A claimed payment session, as the consent callback hands it over. */
export interface ClaimedPaymentSession {
  readonly tenantId: string;
  readonly paymentId: string;
  readonly aspspId: string;
  readonly bankConsentId: string;
  readonly authorisation: AuthorisationRequest;
}

/**
 * The bank redirected the PSU back after a payment consent.
 * Primary course: exchange the code, submit the domestic payment (idempotent at the bank by the payment id), record
 * the bank's payment id, queue its status as a bank report (authorised or executed) and a first status poll.
 * Alternative courses: the PSU refused (`error`) → the payment fails `authorisation_rejected`; a consent the payer
 * replaced by choosing another bank → 409, nothing submitted.
 */
export const completePaymentAuthorisation = async (
  session: ClaimedPaymentSession,
  outcome: { readonly code: string } | { readonly error: string },
  deps: CompletionDeps,
): Promise<Payment> => {
  const payment = await deps.payments.get(session.tenantId, session.paymentId);
  const record = payment === undefined ? undefined : await deps.records.get(payment.bankPaymentId);
  if (payment === undefined || record === undefined) throw new NotFoundError(`Payment ${session.paymentId} does not exist.`);
  if (record.bankConsentId !== session.bankConsentId || record.aspspId !== session.aspspId) {
    throw new ConflictError('This authorisation was replaced by a later choice of bank.', { code: 'authorisation_superseded' });
  }
  const at = deps.clock.now().toISOString();
  if ('error' in outcome) {
    await deps.settlements.enqueue([
      { kind: 'payment_status', report: { provider: 'obie', bankPaymentId: payment.bankPaymentId, status: 'rejected', at, reason: 'authorisation_rejected' } },
    ]);
    return payment;
  }
  const account = await deps.accounts.get(payment.tenantId, payment.accountId);
  if (account === undefined) throw new NotFoundError(`Account ${payment.accountId} does not exist.`);
  const tokens = await deps.pis.exchangeCode(session.aspspId, outcome.code, session.authorisation);
  const submitted = await deps.pis.submitPayment(session.aspspId, tokens, session.bankConsentId, paymentInstruction(payment, account));
  await recordSubmission(record, { aspspId: session.aspspId, bankConsentId: session.bankConsentId, domesticPaymentId: submitted.bankPaymentId }, deps.records);
  await deps.settlements.enqueue([
    {
      kind: 'payment_status',
      report: { provider: 'obie', bankPaymentId: payment.bankPaymentId, status: reportedStatus(submitted.status), at: submitted.status.at, reason: submitted.status.reason },
    },
  ]);
  if (submitted.status.settledStatus !== 'rejected') {
    await deps.syncs.enqueue([{ kind: 'payment-status', aspspId: session.aspspId, domesticPaymentId: submitted.bankPaymentId, attempt: 0 }], {
      delaySeconds: STATUS_POLL_DELAYS_SECONDS[0],
    });
  }
  return payment;
};

/**
 * A domestic payment's status is due (notified, or a poll): read it at the bank and queue it as a bank report.
 * While the bank has not yet executed it, the next poll is queued with a longer delay (`attempt` counts them).
 */
export const refreshPaymentStatus = async (
  aspspId: string,
  domesticPaymentId: string,
  /** Which scheduled poll this is; undefined for a notified change, which schedules no further polls. */
  attempt: number | undefined,
  deps: Pick<CompletionDeps, 'pis' | 'records' | 'settlements' | 'syncs'>,
): Promise<'reported' | 'pending' | 'unknown_payment'> => {
  const record = await deps.records.findByDomesticPayment(aspspId, domesticPaymentId);
  if (record === undefined) return 'unknown_payment';
  const status = await deps.pis.getPaymentStatus(aspspId, domesticPaymentId);
  const next = attempt === undefined ? undefined : statusPollDelay(attempt + 1);
  const final = status.settledStatus === 'executed' || status.settledStatus === 'rejected';
  if (!final && attempt !== undefined && next !== undefined) {
    await deps.syncs.enqueue([{ kind: 'payment-status', aspspId, domesticPaymentId, attempt: attempt + 1 }], { delaySeconds: next });
  }
  if (status.settledStatus === 'pending') return 'pending';
  await deps.settlements.enqueue([
    { kind: 'payment_status', report: { provider: 'obie', bankPaymentId: record.bankPaymentId, status: reportedStatus(status), at: status.at, reason: status.reason } },
  ]);
  return 'reported';
};

/**
 * The consent callback's payment branch: the claimed session opened, the payment completed, and where the payer
 * goes next (the payment's redirect URL with its id and status, or Settled's page).
 */
export const completePaymentCallback = async (
  session: AuthorisationSession,
  query: CallbackQuery,
  deps: CompletionDeps & { readonly sealer: TokenSealer; readonly apiBaseUrl: string },
): Promise<CallbackResult> => {
  const claimed = await claimedPaymentSession(session, deps.apiBaseUrl, deps);
  const outcome = query.error !== null || query.code === null ? { error: query.error ?? 'access_denied' } : { code: query.code };
  const payment = await completePaymentAuthorisation(claimed, outcome, deps);
  return { outcome: { kind: 'payment', paymentId: payment.id, status: 'error' in outcome ? 'failed' : 'authorised' }, redirectUrl: session.redirectUrl };
};
