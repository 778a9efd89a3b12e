import { type Account, isConnected } from '../accounts/account';
import { NotFoundError } from '../errors';
import type { Payment } from '../payments/payment';
import { chunksOf, type Payout } from '../payouts/payout';
import type { BulkBankGateway, BulkSubmission, ChunkReport, PayoutStore } from '../payouts/payout-store';
import type { SettlementQueue } from '../settlement/settlement-message';
import type { Clock, SecretGenerator } from '../ports';
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
import { BankRefusedFile, type FilePaymentGateway, type PaymentFile } from './file-payments';
import { BankAccessDenied } from './ports';

/**
 * Bulk payouts from accounts at Open Banking banks, through the banks' file payments. The payout is cut into files of
 * at most the bank's own limit (its registry entry), in index order; each file is a file-payment consent the payer
 * authorises at their bank. The payout's one `authorisationUrl` is Settled's page that walks the payer through those
 * authorisations in turn (one bank page per file), and the payout is decided once: approved when every file is
 * authorised (or refused by the bank, whose items then fail), rejected when the payer refuses any. Then each file
 * goes to the bank as its chunk (`POST /file-payments`), and its report is followed until every item is final.
 */

/** Settled's record of one file of a payout at the bank. */
export interface PayoutFileRecord {
  readonly tenantId: string;
  readonly payoutId: string;
  readonly chunk: number;
  readonly aspspId: string;
  /**
   * `awaiting_authorisation`: consent made, the payer is at their bank; `authorised`: the payer approved (tokens
   * stored under the consent), or the chunk had nothing left to send; `refused`: the bank refused the file before
   * authorisation; `submitted`: handed to the bank (`accepted` says whether it took it).
   */
  readonly status: 'awaiting_authorisation' | 'authorised' | 'refused' | 'submitted';
  readonly bankConsentId: string | null;
  readonly filePaymentId: string | null;
  readonly accepted: boolean | null;
  readonly reason: string | null;
  readonly version: number;
}

export interface PayoutFileStore {
  list(tenantId: string, payoutId: string): Promise<readonly PayoutFileRecord[]>;
  get(tenantId: string, payoutId: string, chunk: number): Promise<PayoutFileRecord | undefined>;
  /** Writes `next` if the stored record is still `previous` (same version), or none exists when `previous` is undefined. */
  save(next: PayoutFileRecord, previous: PayoutFileRecord | undefined): Promise<boolean>;
}

export interface ObieBulkDeps {
  readonly files: FilePaymentGateway;
  readonly records: PayoutFileStore;
  readonly payouts: PayoutStore;
  readonly accounts: { get(tenantId: string, accountId: string): Promise<Account | undefined> };
  readonly sessions: Pick<AuthorisationSessionStore, 'create'>;
  readonly tokens: BankTokenStore;
  readonly sealer: TokenSealer;
  readonly secrets: SecretGenerator;
  readonly clock: Clock;
  readonly apiBaseUrl: string;
}

/** The payer's page for a payout at an Open Banking bank: Settled's, walking them through each file's authorisation. */
export const payoutAuthorisationUrl = (apiBaseUrl: string, bankBatchId: string): string => `${apiBaseUrl.replace(/\/$/, '')}/payout-authorisations/${bankBatchId}`;

/** A file's id: the payout's and the chunk's (≤ 35 characters, FileReference and every idempotency key of the file). */
export const fileIdOf = (payoutId: string, chunk: number): string => `${payoutId.slice('bat_'.length)}-${chunk}`;

/** Items a file carries: those still to be sent (an item stopped by Confirmation of Payee never leaves). */
export const sendable = (items: readonly Payment[]): Payment[] => items.filter((item) => item.status === 'authorisation_required');

const aspspOf = (account: Pick<Account, 'id' | 'aspspId'>): string => {
  if (account.aspspId === null) throw new Error(`Open Banking account ${account.id} names no bank`);
  return account.aspspId;
};

/** The file of a chunk, rebuilt the same from its items and the account each time (the bank compares it with the consent's). */
export const paymentFileOf = (payout: Pick<Payout, 'id' | 'currency'>, chunk: number, items: readonly Payment[], account: Account): PaymentFile => {
  if (!isConnected(account)) throw new Error(`Account ${account.id} is not connected`);
  return {
    fileId: fileIdOf(payout.id, chunk),
    currency: payout.currency,
    debtor: { name: account.name, sortCode: account.sortCode, accountNumber: account.accountNumber },
    items: items.map((item) => {
      const { counterparty } = item;
      if (counterparty?.sortCode === undefined || counterparty.accountNumber === undefined) throw new Error(`Payout item ${item.id} has no account to pay`);
      return { paymentId: item.id, amount: item.amount, reference: item.reference, creditor: { name: counterparty.name, sortCode: counterparty.sortCode, accountNumber: counterparty.accountNumber } };
    }),
  };
};

/** BulkBankGateway for accounts at Open Banking banks: files of the bank's limit, followed through its report. */
export class ObieBulkGateway implements BulkBankGateway {
  constructor(private readonly deps: ObieBulkDeps) {}

  async bulkLimit(account: Account): Promise<number | null> {
    if (account.provider !== 'obie' || account.aspspId === null) return null;
    return this.deps.files.fileLimit(account.aspspId);
  }

  identify(payoutId: string) {
    const bankBatchId = `obb_${payoutId.slice('bat_'.length)}`;
    return { bankBatchId, authorisationUrl: payoutAuthorisationUrl(this.deps.apiBaseUrl, bankBatchId) };
  }

  /** Nothing at the bank yet: each file's consent is made when the payer reaches it (the files need the stored items). */
  async initiateBatch(): Promise<void> {}

  /**
   * Hands an authorised file to the bank once: `POST /file-payments` keyed by the file id (a retry after a crash is
   * the same file payment at the bank), then the record says so. A file the bank refused before authorisation, or
   * rejects whole now, answers not accepted with the bank's reason, and its items fail.
   */
  async submitChunk(payout: Payout, chunk: number, items: readonly Payment[], account: Account): Promise<BulkSubmission> {
    const record = await this.deps.records.get(payout.tenantId, payout.id, chunk);
    if (record === undefined) return { accepted: false, reason: 'file_not_authorised' };
    if (record.status === 'refused') return { accepted: false, reason: record.reason ?? 'file_refused_by_bank' };
    if (record.status === 'submitted') return record.accepted === true ? { accepted: true, follow: true } : { accepted: false, reason: record.reason ?? 'file_rejected_by_bank' };
    if (record.status !== 'authorised') return { accepted: false, reason: 'file_not_authorised' };
    if (record.bankConsentId === null || items.length === 0) return { accepted: true };
    const tokens = await freshTokens(
      { tenantId: payout.tenantId, consentId: record.bankConsentId, aspspId: record.aspspId },
      {
        tokens: this.deps.tokens,
        sealer: this.deps.sealer,
        clock: this.deps.clock,
        gateway: {
          refreshTokens: async () => {
            throw new BankAccessDenied(`The payer's authorisation of file ${fileIdOf(payout.id, chunk)} has expired before it was sent`);
          },
        },
      },
    );
    const submitted = await this.deps.files.submitFilePayment(record.aspspId, tokens, record.bankConsentId, paymentFileOf(payout, chunk, items, account));
    const accepted = submitted.status.settledStatus !== 'rejected';
    const reason = accepted ? null : (submitted.status.reason ?? 'file_rejected_by_bank');
    await this.deps.records.save({ ...record, status: 'submitted', filePaymentId: submitted.filePaymentId, accepted, reason, version: record.version + 1 }, record);
    return accepted ? { accepted, follow: true } : { accepted, reason: reason ?? 'file_rejected_by_bank' };
  }

  /** The bank's report on a submitted file: items it rejected, and whether every item's answer is final. */
  async followChunk(payout: Payout, chunk: number): Promise<ChunkReport> {
    const record = await this.deps.records.get(payout.tenantId, payout.id, chunk);
    if (record?.filePaymentId === null || record?.filePaymentId === undefined || record.accepted !== true) return { failed: [], done: true };
    const state = await this.deps.files.getFilePayment(record.aspspId, record.filePaymentId);
    if (state.status.settledStatus === 'rejected' && state.items.length === 0) {
      // Rejected whole after it was accepted, with no report: every item of the file fails with the file's reason.
      const items = sendable(await this.deps.payouts.items(payout, ...chunkRange(payout, chunk)));
      return { failed: items.map((item) => ({ paymentId: item.id, reason: state.status.reason ?? 'file_rejected_by_bank' })), done: true };
    }
    const failed = state.items.filter((item) => item.status === 'rejected').map((item) => ({ paymentId: item.paymentId, reason: item.reason ?? 'rejected_by_bank' }));
    const final = state.status.settledStatus === 'executed' || state.status.settledStatus === 'rejected';
    return { failed, done: final && state.items.length > 0 && state.items.every((item) => item.status !== 'pending') };
  }
}

const chunkRange = (payout: Pick<Payout, 'itemCount' | 'chunkSize'>, chunk: number): [number, number] => {
  const from = chunk * payout.chunkSize;
  return [from, Math.min(payout.itemCount, from + payout.chunkSize)];
};

/** Where the payer goes next on their way through a payout's authorisation. */
export type PayoutAuthorisationStep =
  | { readonly kind: 'bank'; readonly url: string }
  | { readonly kind: 'decided'; readonly payoutId: string; readonly status: Payout['status'] };

export interface PayoutJourneyDeps extends ObieBulkDeps {
  /**
   * Where the payer's decision goes: a status report under the batch's bank id on the settlements queue, taken by
   * the same `applyPayoutDecision` as a sandbox decision. Durable before the payer is answered, so a crash after it
   * loses nothing, and a decision asked for again (the page reloaded) is taken once.
   */
  readonly decisions: SettlementQueue;
}

/**
 * `GET /payout-authorisations/{bankBatchId}`: the payer's next step. Primary course: the first file not yet
 * authorised gets its consent at the bank (with its file uploaded) and a session for the callback, and the payer is
 * sent to the bank's page for it. A file the bank refuses outright is recorded refused and the next one is tried.
 * When every file is authorised or refused, the approval is queued as the batch's status report (again on a reload
 * until it is taken: `applyPayoutDecision` decides once and queues the chunks).
 * Coming back to the page while a file awaits authorisation makes a new consent for it; only the latest is honoured.
 */
export const nextPayoutStep = async (bankBatchId: string, deps: PayoutJourneyDeps): Promise<PayoutAuthorisationStep> => {
  const payout = await deps.payouts.findByBankBatchId('obie', bankBatchId);
  if (payout === undefined) throw new NotFoundError('This payout authorisation page does not exist.');
  if (payout.status !== 'authorisation_required') return { kind: 'decided', payoutId: payout.id, status: payout.status };
  const account = await deps.accounts.get(payout.tenantId, payout.accountId);
  if (account === undefined) throw new NotFoundError('This payout authorisation page does not exist.');
  const aspspId = aspspOf(account);
  const records = new Map((await deps.records.list(payout.tenantId, payout.id)).map((record) => [record.chunk, record]));
  for (const chunk of chunksOf(payout.itemCount, payout.chunkSize)) {
    const previous = records.get(chunk.index);
    if (previous !== undefined && previous.status !== 'awaiting_authorisation') continue;
    const base = { tenantId: payout.tenantId, payoutId: payout.id, chunk: chunk.index, aspspId, filePaymentId: null, accepted: null, version: (previous?.version ?? 0) + 1 };
    const items = sendable(await deps.payouts.items(payout, chunk.from, chunk.to));
    if (items.length === 0) {
      await deps.records.save({ ...base, status: 'authorised', bankConsentId: null, reason: null }, previous);
      continue;
    }
    const authorisation = newAuthorisationRequest(deps.secrets, callbackUriOf(deps.apiBaseUrl));
    try {
      const consent = await deps.files.createFileConsent(aspspId, paymentFileOf(payout, chunk.index, items, account), authorisation);
      await deps.sessions.create(
        await sessionFor(
          authorisation,
          { purpose: 'payout', tenantId: payout.tenantId, subjectId: `${payout.id}:${chunk.index}`, aspspId, bankConsentId: consent.bankConsentId, redirectUrl: null },
          deps,
        ),
      );
      if (!(await deps.records.save({ ...base, status: 'awaiting_authorisation', bankConsentId: consent.bankConsentId, reason: null }, previous))) {
        throw new Error(`File ${chunk.index} of payout ${payout.id} changed while its consent was made; try again`);
      }
      return { kind: 'bank', url: consent.authorisationUrl };
    } catch (error) {
      if (!(error instanceof BankRefusedFile)) throw error;
      await deps.records.save({ ...base, status: 'refused', bankConsentId: null, reason: error.reason }, previous);
    }
  }
  return decide(payout, 'authorised', deps);
};

const decide = async (payout: Payout, status: 'authorised' | 'rejected', deps: PayoutJourneyDeps): Promise<PayoutAuthorisationStep> => {
  const report = { provider: 'obie' as const, bankPaymentId: payout.bankBatchId, status, at: deps.clock.now().toISOString(), reason: status === 'rejected' ? 'rejected_by_payer' : null };
  await deps.decisions.enqueue([{ kind: 'payment_status', report }]);
  return { kind: 'decided', payoutId: payout.id, status: status === 'rejected' ? 'rejected' : 'processing' };
};

/** `payout_<id>:<chunk>` of a session, or undefined for a subject that is not one. */
const subjectOf = (session: AuthorisationSession): { payoutId: string; chunk: number } | undefined => {
  const match = /^(bat_[0-9A-Z]{26}):(\d{1,5})$/.exec(session.subjectId);
  return match?.[1] === undefined || match[2] === undefined ? undefined : { payoutId: match[1], chunk: Number(match[2]) };
};

/**
 * The payer came back from their bank for one file. Refused: the whole payout is rejected (its items fail, nothing
 * is sent). Approved: the payer's tokens are stored sealed under the file's consent and the file is authorised; the
 * payer goes on to the next file, or, the last one done, the payout is approved and its files queued to be sent.
 * A callback for a consent the file no longer has (the payer started that file again) changes nothing.
 */
export const completePayoutCallback = async (session: AuthorisationSession, query: CallbackQuery, deps: PayoutJourneyDeps): Promise<CallbackResult> => {
  const subject = subjectOf(session);
  if (subject === undefined) throw new NotFoundError('This payout authorisation does not exist.');
  const payout = await deps.payouts.get(session.tenantId, subject.payoutId);
  if (payout === undefined) throw new NotFoundError('This payout authorisation does not exist.');
  const record = await deps.records.get(payout.tenantId, payout.id, subject.chunk);
  const outcome = (status: Payout['status'], next: string | null): CallbackResult => ({ outcome: { kind: 'payout', payoutId: payout.id, status, next }, redirectUrl: null });
  if (record?.status !== 'awaiting_authorisation' || record.bankConsentId !== session.bankConsentId || payout.status !== 'authorisation_required') {
    return outcome(payout.status, payout.status === 'authorisation_required' ? payout.authorisationUrl : null);
  }
  if (query.error !== null || query.code === null) {
    const step = await decide(payout, 'rejected', deps);
    return outcome(step.kind === 'decided' ? step.status : payout.status, null);
  }
  const tokens = await deps.files.exchangeCode(session.aspspId, query.code, await requestOf(session, callbackUriOf(deps.apiBaseUrl), deps));
  await storeTokens({ tenantId: payout.tenantId, consentId: session.bankConsentId }, tokens, null, deps);
  await deps.records.save({ ...record, status: 'authorised', version: record.version + 1 }, record);
  const records = await deps.records.list(payout.tenantId, payout.id);
  const pending = chunksOf(payout.itemCount, payout.chunkSize).some((chunk) => {
    const status = records.find((candidate) => candidate.chunk === chunk.index)?.status;
    return status === undefined || status === 'awaiting_authorisation';
  });
  if (pending) return outcome('authorisation_required', payout.authorisationUrl);
  const step = await decide(payout, 'authorised', deps);
  return outcome(step.kind === 'decided' ? step.status : payout.status, null);
};
