import { UnprocessableError } from '../errors';
import {
  type AuthorisationSession,
  type AuthorisationSessionStore,
  type BankTokenStore,
  callbackUriOf,
  newAuthorisationRequest,
  requestOf,
  sessionFor,
  storeTokens,
  type TokenSealer,
} from '../open-banking/authorisation';
import type { AccountInformationGateway, AspspDirectory, BankAccountDetails } from '../open-banking/ports';
import type { Clock, IdGenerator, SecretGenerator } from '../ports';
import type { Account, AccountRepository } from './account';
import { reconfirmByFrom } from './connect-account';
import type { OperationLog } from './consents';

export interface ObieAccessDeps {
  readonly accounts: AccountRepository;
  readonly aspsps: AspspDirectory;
  readonly gateway: AccountInformationGateway;
  readonly sessions: AuthorisationSessionStore;
  readonly sealer: TokenSealer;
  readonly secrets: SecretGenerator;
  readonly ids: IdGenerator;
  readonly clock: Clock;
  /** Settled's API base URL: the redirect URI registered at every bank is `${apiBaseUrl}/v1/consents/callback`. */
  readonly apiBaseUrl: string;
}

export interface ConnectObieAccountCommand {
  readonly tenantId: string;
  readonly aspspId: string;
  readonly name: string;
  readonly currency: string;
  /** The bank account wanted, when the tenant names it; else the first of the consent's accounts in `currency`. */
  readonly sortCode: string | null;
  readonly accountNumber: string | null;
  /** Where the customer's browser goes after the bank, with `?accountId=`; null: Settled's own page. */
  readonly redirectUrl: string | null;
}

/**
 * Starts an account-access consent at a real bank and the authorisation session that will bring the customer back.
 * Returns the account, `awaiting_authorisation`, whose consent carries the bank's `authorisationUrl`.
 */
const startAuthorisation = async (
  account: Pick<Account, 'id' | 'tenantId'>,
  aspspId: string,
  redirectUrl: string | null,
  deps: Omit<ObieAccessDeps, 'accounts' | 'aspsps' | 'ids'>,
) => {
  const request = newAuthorisationRequest(deps.secrets, callbackUriOf(deps.apiBaseUrl));
  const created = await deps.gateway.createAccessConsent(aspspId, request, { expiresAt: null });
  const session = await sessionFor(
    request,
    { purpose: 'account-access', tenantId: account.tenantId, subjectId: account.id, aspspId, bankConsentId: created.bankConsentId, redirectUrl },
    deps,
  );
  return { created, session };
};

/**
 * Connects a bank account at a real bank (Open Banking UK).
 * Primary course: the bank exists in the registry (else 422 `unknown_aspsp`); create the account-access consent at
 * the bank; store the account `awaiting_authorisation` and a single-use authorisation session (state, nonce and a
 * sealed PKCE verifier, expiring after an hour). The customer then authorises at `consent.authorisationUrl`.
 */
export const connectObieAccount = async (command: ConnectObieAccountCommand, deps: ObieAccessDeps): Promise<Account> => {
  const aspsp = await deps.aspsps.get(command.aspspId);
  if (aspsp === undefined) throw new UnprocessableError('unknown_aspsp', `No bank with id ${command.aspspId} is configured (GET /v1/aspsps lists them).`);
  const now = deps.clock.now();
  const identity = { id: deps.ids.next('acc'), tenantId: command.tenantId };
  const { created, session } = await startAuthorisation(identity, aspsp.id, command.redirectUrl, deps);
  const account: Account = {
    ...identity,
    status: 'awaiting_authorisation',
    provider: 'obie',
    name: command.name,
    sortCode: command.sortCode,
    accountNumber: command.accountNumber,
    iban: null,
    currency: command.currency,
    sandboxProfile: null,
    openingBalance: 0,
    consent: {
      id: deps.ids.next('con'),
      status: 'awaiting_authorisation',
      expiresAt: null,
      reconfirmBy: reconfirmByFrom(now),
      authorisationUrl: created.authorisationUrl,
      bankConsentId: created.bankConsentId,
      pendingBankConsentId: null,
      statusReason: null,
      reconfirmationNotifiedFor: null,
    },
    createdAt: now.toISOString(),
    aspspId: aspsp.id,
    bankAccountId: null,
    syncCursor: null,
    connectedAt: null,
    version: 1,
  };
  // The account first: a session always finds its account.
  await deps.accounts.create(account);
  await deps.sessions.create(session);
  return account;
};

/** obie reconfirmation: a new consent at the bank for the same account, authorised through its own session. */
export const startObieReconfirmation =
  (deps: Omit<ObieAccessDeps, 'accounts' | 'aspsps' | 'ids'>) =>
  async (account: Account, redirectUrl: string | null): Promise<{ bankConsentId: string; authorisationUrl: string }> => {
    if (account.aspspId === null) throw new Error(`Account ${account.id} names no bank`);
    const { created, session } = await startAuthorisation(account, account.aspspId, redirectUrl, deps);
    await deps.sessions.create(session);
    return created;
  };

/** What the customer's browser is told once the bank sent it back. */
export type AccessOutcome =
  | { readonly kind: 'connected'; readonly account: Account }
  | { readonly kind: 'reconfirmed'; readonly account: Account }
  | { readonly kind: 'failed'; readonly accountId: string; readonly reason: string; readonly message: string };

const failed = (accountId: string, reason: string, message: string): AccessOutcome => ({ kind: 'failed', accountId, reason, message });

/** The bank account behind the consent that the account asked for. */
export const chooseBankAccount = (account: Account, offered: readonly BankAccountDetails[]): BankAccountDetails | undefined => {
  const withNumber = offered.filter((candidate) => candidate.sortCode !== null && candidate.accountNumber !== null && candidate.currency === account.currency);
  if (account.bankAccountId !== null) return withNumber.find((candidate) => candidate.bankAccountId === account.bankAccountId);
  if (account.sortCode !== null && account.accountNumber !== null) {
    return withNumber.find((candidate) => candidate.sortCode === account.sortCode && candidate.accountNumber === account.accountNumber);
  }
  return withNumber[0];
};

type CompleteDeps = Pick<ObieAccessDeps, 'accounts' | 'gateway' | 'sealer' | 'clock' | 'apiBaseUrl'> & {
  readonly tokens: BankTokenStore;
  readonly log: OperationLog;
};

/**
 * The customer authorised at the bank (the consent callback, with a claimed session): exchange the code (PKCE),
 * read the accounts behind the consent, take the one asked for (by sort code and number if named, else the first in
 * the account's currency), read its booked balance (the opening cash position; syncs start from its time), store
 * the sealed tokens, and make the account `active` with its consent `authorised` for 90 days — every change
 * conditional on the account's version. For a reconfirmation the account keeps its bank account, balance and
 * cursor; the new consent replaces the old, which the bank is told to delete.
 * Nothing fits (no such account, no sort code): the consent is `rejected` with the reason, the account unusable.
 */
export const completeAccountAccess = async (session: AuthorisationSession, code: string, deps: CompleteDeps): Promise<AccessOutcome> => {
  const account = await deps.accounts.get(session.tenantId, session.subjectId);
  if (account === undefined || account.aspspId !== session.aspspId) return failed(session.subjectId, 'unknown_account', 'The account no longer exists.');
  const reconfirmation = account.consent.pendingBankConsentId === session.bankConsentId && account.consent.status === 'authorised';
  const initial = account.consent.bankConsentId === session.bankConsentId && account.consent.status === 'awaiting_authorisation';
  if (!reconfirmation && !initial) {
    return failed(account.id, 'consent_superseded', `The consent is ${account.consent.status}; this authorisation is no longer current.`);
  }
  const tokens = await deps.gateway.exchangeCode(session.aspspId, code, await requestOf(session, callbackUriOf(deps.apiBaseUrl), deps));
  const chosen = chooseBankAccount(account, await deps.gateway.listAccounts(session.aspspId, tokens));
  if (chosen === undefined || chosen.sortCode === null || chosen.accountNumber === null) {
    const message = `The bank offered no ${account.currency} account with a sort code and account number${account.sortCode === null ? '' : ` matching ${account.sortCode} ${account.accountNumber}`}.`;
    if (initial) await rejectConsent(account, 'no_matching_account', deps);
    else await withdrawReconfirmation(account, session.bankConsentId, deps);
    return failed(account.id, 'no_matching_account', message);
  }
  const context = { tenantId: account.tenantId, consentId: account.consent.id };
  const now = deps.clock.now();
  if (initial) {
    const balance = await deps.gateway.getBookedBalance(session.aspspId, tokens, chosen.bankAccountId);
    if (!(await storeTokens(context, tokens, null, deps))) return failed(account.id, 'concurrent_update', 'The account was connected by another request.');
    const next: Account = {
      ...account,
      status: 'active',
      sortCode: chosen.sortCode,
      accountNumber: chosen.accountNumber,
      bankAccountId: chosen.bankAccountId,
      openingBalance: balance.amount,
      syncCursor: balance.at,
      connectedAt: balance.at,
      consent: { ...account.consent, status: 'authorised', authorisationUrl: null, reconfirmBy: reconfirmByFrom(now) },
      version: account.version + 1,
    };
    if (!(await deps.accounts.update(next, { connected: true }))) return failed(account.id, 'concurrent_update', 'The account changed meanwhile; nothing was connected.');
    return { kind: 'connected', account: next };
  }
  const stored = await deps.tokens.get(context.tenantId, context.consentId);
  if (!(await storeTokens(context, tokens, stored?.version ?? null, deps))) return failed(account.id, 'concurrent_update', 'The tokens changed meanwhile.');
  const previousBankConsentId = account.consent.bankConsentId;
  const next: Account = {
    ...account,
    consent: {
      ...account.consent,
      bankConsentId: session.bankConsentId,
      pendingBankConsentId: null,
      authorisationUrl: null,
      reconfirmBy: reconfirmByFrom(now),
    },
    version: account.version + 1,
  };
  if (!(await deps.accounts.update(next))) return failed(account.id, 'concurrent_update', 'The account changed meanwhile; nothing was reconfirmed.');
  if (previousBankConsentId !== null && previousBankConsentId !== session.bankConsentId) {
    try {
      await deps.gateway.deleteAccessConsent(session.aspspId, previousBankConsentId);
    } catch (error) {
      deps.log.warn('The bank could not be told to delete a reconfirmed consent', {
        consentId: account.consent.id,
        aspspId: session.aspspId,
        error: error instanceof Error ? error.name : 'unknown',
      });
    }
  }
  return { kind: 'reconfirmed', account: next };
};

const rejectConsent = async (account: Account, reason: string, deps: Pick<CompleteDeps, 'accounts'>): Promise<boolean> =>
  deps.accounts.update({
    ...account,
    status: 'disconnected',
    consent: { ...account.consent, status: 'rejected', statusReason: reason, authorisationUrl: null },
    version: account.version + 1,
  });

const withdrawReconfirmation = async (account: Account, bankConsentId: string, deps: Pick<CompleteDeps, 'accounts'>): Promise<boolean> =>
  account.consent.pendingBankConsentId !== bankConsentId
    ? false
    : deps.accounts.update({ ...account, consent: { ...account.consent, pendingBankConsentId: null, authorisationUrl: null }, version: account.version + 1 });

/**
 * The customer refused at the bank (`error=access_denied` on the redirect). A first authorisation: the consent is
 * `rejected` (the bank's error kept) and the account stays unusable. A reconfirmation: the request is withdrawn and
 * the consent in force serves until its `reconfirmBy`.
 */
export const rejectAccountAccess = async (
  session: AuthorisationSession,
  error: string,
  deps: Pick<CompleteDeps, 'accounts'>,
): Promise<AccessOutcome> => {
  const account = await deps.accounts.get(session.tenantId, session.subjectId);
  if (account === undefined) return failed(session.subjectId, 'unknown_account', 'The account no longer exists.');
  if (account.consent.bankConsentId === session.bankConsentId && account.consent.status === 'awaiting_authorisation') {
    await rejectConsent(account, error, deps);
  } else {
    await withdrawReconfirmation(account, session.bankConsentId, deps);
  }
  return failed(account.id, 'consent_rejected', 'The bank account was not connected: access was refused at the bank.');
};
