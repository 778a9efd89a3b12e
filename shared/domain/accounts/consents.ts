import { ConflictError, ForbiddenError, NotFoundError } from '../errors';
import { domainEvent, type DomainEvent, type EventPublisher } from '../events/domain-event';
import type { Clock } from '../ports';
import type { Account, AccountRepository, Consent } from './account';
import { accountView } from './account-view';
import { reconfirmByFrom } from './connect-account';

/** Where a use case reports what it did not let fail it (telling a bank a consent is revoked); never secrets. */
export interface OperationLog {
  warn(message: string, details: Readonly<Record<string, string>>): void;
}

export interface RetrievalDeps {
  readonly accounts: AccountRepository;
  readonly events: EventPublisher;
  readonly clock: Clock;
}

/** How many times a use case re-reads and retries after losing a conditional write to a concurrent change. */
const ATTEMPTS = 3;

const publishOutbox = async (account: Account, outbox: readonly DomainEvent[], deps: RetrievalDeps): Promise<void> => {
  if (outbox.length === 0) return;
  await deps.events.publish(outbox);
  await deps.accounts.clearOutbox(account.tenantId, account.id, outbox);
};

/**
 * The rule every retrieval of account data obeys, checked before anything is fetched or read: the consent is
 * authorised, not past its 90-day `reconfirmBy` and not lapsed. Past `reconfirmBy`, `consent.reconfirmation_required`
 * is emitted once per period: a conditional write marks the consent (with the event in the account's outbox) and
 * only the writer that marked it publishes; an outbox a crash left behind is published by the next refusal.
 * Throws ForbiddenError `consent_revoked`, `consent_reconfirmation_required` or `forbidden`.
 */
export const assertRetrievable = async (account: Account, deps: RetrievalDeps): Promise<void> => {
  const now = deps.clock.now().toISOString();
  const { consent } = account;
  if (consent.status === 'revoked') {
    throw new ForbiddenError(`The AIS consent ${consent.id} was revoked.`, { code: 'consent_revoked' });
  }
  if (consent.status !== 'authorised' || account.status !== 'active') {
    throw new ForbiddenError(`The AIS consent ${consent.id} is ${consent.status}.`);
  }
  if (consent.expiresAt !== null && now >= consent.expiresAt) {
    throw new ForbiddenError(`The AIS consent ${consent.id} lapsed at ${consent.expiresAt}.`, { code: 'consent_expired' });
  }
  if (now > consent.reconfirmBy) {
    await notifyReconfirmationRequired(account.tenantId, account.id, deps);
    throw new ForbiddenError(`The AIS consent ${consent.id} needed reconfirmation by ${consent.reconfirmBy}.`, {
      code: 'consent_reconfirmation_required',
    });
  }
};

const notifyReconfirmationRequired = async (tenantId: string, accountId: string, deps: RetrievalDeps): Promise<void> => {
  for (let attempt = 0; attempt < ATTEMPTS; attempt += 1) {
    const stored = await deps.accounts.getWithOutbox(tenantId, accountId);
    if (stored === undefined) return;
    const { account, outbox } = stored;
    if (account.consent.reconfirmationNotifiedFor === account.consent.reconfirmBy) {
      await publishOutbox(account, outbox, deps);
      return;
    }
    const next: Account = {
      ...account,
      consent: { ...account.consent, reconfirmationNotifiedFor: account.consent.reconfirmBy },
      version: account.version + 1,
    };
    const event = domainEvent('consent.reconfirmation_required', tenantId, deps.clock.now().toISOString(), accountView(next), [
      account.consent.id,
      account.consent.reconfirmBy,
    ]);
    if (await deps.accounts.update(next, { outbox: [event] })) {
      await publishOutbox(next, [...outbox, event], deps);
      return;
    }
  }
};

export interface ConsentDeps extends RetrievalDeps {
  readonly log: OperationLog;
}

/** Applies `change` to the account holding the consent, re-reading after a concurrent write; the stored result. */
export const changeConsentedAccount = async (
  tenantId: string,
  accountId: string,
  change: (account: Account) => Account | undefined,
  deps: { readonly accounts: AccountRepository },
): Promise<Account> => {
  for (let attempt = 0; attempt < ATTEMPTS; attempt += 1) {
    const account = await deps.accounts.get(tenantId, accountId);
    if (account === undefined) throw new NotFoundError(`Account ${accountId} does not exist.`);
    const changed = change(account);
    if (changed === undefined) return account;
    const next = { ...changed, version: account.version + 1 };
    if (await deps.accounts.update(next)) return next;
  }
  throw new ConflictError(`Account ${accountId} is changing concurrently; try again.`, { code: 'concurrent_update' });
};

const revoked = (account: Account, reason: string): Account => ({
  ...account,
  status: 'disconnected',
  consent: { ...account.consent, status: 'revoked', statusReason: reason, authorisationUrl: null, pendingBankConsentId: null },
});

const findConsent = async (tenantId: string, consentId: string, deps: { readonly accounts: AccountRepository }): Promise<Account> => {
  const account = await deps.accounts.findByConsent(tenantId, consentId);
  if (account === undefined) throw new NotFoundError(`Consent ${consentId} does not exist.`);
  return account;
};

/**
 * The tenant revokes an AIS consent: `revoked` here at once, whatever the bank says, so nothing is retrieved under it
 * again; then the bank is told (`DELETE /account-access-consents/{ConsentId}`, and any reconfirmation awaiting the
 * customer). A bank that cannot be told is logged, not retried: the consent is revoked here either way. Revoking a
 * revoked consent changes nothing and tells nobody.
 */
export const revokeConsent = async (
  request: { readonly tenantId: string; readonly consentId: string },
  deps: ConsentDeps & { readonly gateway: { deleteAccessConsent(aspspId: string, bankConsentId: string): Promise<void> } },
): Promise<Account> => {
  const found = await findConsent(request.tenantId, request.consentId, deps);
  let before: Consent | undefined;
  const account = await changeConsentedAccount(
    found.tenantId,
    found.id,
    (current) => {
      if (current.consent.status === 'revoked') return undefined;
      before = current.consent;
      return revoked(current, 'revoked_by_tenant');
    },
    deps,
  );
  const aspspId = account.aspspId;
  if (before !== undefined && aspspId !== null) {
    for (const bankConsentId of [before.bankConsentId, before.pendingBankConsentId]) {
      if (bankConsentId === null) continue;
      try {
        await deps.gateway.deleteAccessConsent(aspspId, bankConsentId);
      } catch (error) {
        deps.log.warn('The bank could not be told that a consent is revoked; it is revoked here', {
          consentId: account.consent.id,
          aspspId,
          error: error instanceof Error ? error.name : 'unknown',
        });
      }
    }
  }
  return account;
};

/**
 * The bank says the customer revoked a consent there (an event notification `consent-authorization-revoked`). The
 * consent in force → `revoked` with the bank's reason; a reconfirmation awaiting the customer → withdrawn, the
 * consent in force untouched. Unknown or already revoked: nothing changes. Returns the account, if any.
 */
export const revokeConsentByBank = async (
  request: { readonly aspspId: string; readonly bankConsentId: string; readonly reason: string | null },
  deps: { readonly accounts: AccountRepository },
): Promise<Account | undefined> => {
  const found = await deps.accounts.findByBankConsent(request.aspspId, request.bankConsentId);
  if (found === undefined) return undefined;
  return changeConsentedAccount(
    found.tenantId,
    found.id,
    (current) => {
      if (current.consent.status === 'revoked') return undefined;
      if (current.consent.pendingBankConsentId === request.bankConsentId) {
        return { ...current, consent: { ...current.consent, pendingBankConsentId: null, authorisationUrl: null } };
      }
      if (current.consent.bankConsentId !== request.bankConsentId) return undefined;
      return revoked(current, request.reason ?? 'revoked_at_bank');
    },
    deps,
  );
};

/**
 * The 90-day reconfirmation. Sandbox: `reconfirmBy` moves 90 days ahead at once. obie: a new account-access consent
 * at the bank and its `authorisationUrl` for the customer; the consent in force serves until `reconfirmBy`, and the
 * new one replaces it once authorised (the consent callback). Only an authorised consent can be reconfirmed.
 */
export const reconfirmConsent = async (
  request: { readonly tenantId: string; readonly consentId: string; readonly redirectUrl: string | null },
  deps: RetrievalDeps & {
    /** obie: creates the bank consent and its authorisation session; answers the bank's ConsentId and page. */
    readonly startObieReconfirmation: (account: Account, redirectUrl: string | null) => Promise<{ bankConsentId: string; authorisationUrl: string }>;
  },
): Promise<Account> => {
  const found = await findConsent(request.tenantId, request.consentId, deps);
  const refuse = (account: Account) => {
    if (account.consent.status === 'revoked') throw new ConflictError(`Consent ${account.consent.id} was revoked.`, { code: 'consent_revoked' });
    if (account.consent.status !== 'authorised') {
      throw new ConflictError(`Consent ${account.consent.id} is ${account.consent.status}: only an authorised consent is reconfirmed.`, {
        code: 'consent_not_authorised',
      });
    }
  };
  refuse(found);
  if (found.provider === 'sandbox') {
    return changeConsentedAccount(
      found.tenantId,
      found.id,
      (current) => {
        refuse(current);
        return { ...current, consent: { ...current.consent, reconfirmBy: reconfirmByFrom(deps.clock.now()) } };
      },
      deps,
    );
  }
  const started = await deps.startObieReconfirmation(found, request.redirectUrl);
  return changeConsentedAccount(
    found.tenantId,
    found.id,
    (current) => {
      refuse(current);
      return { ...current, consent: { ...current.consent, pendingBankConsentId: started.bankConsentId, authorisationUrl: started.authorisationUrl } };
    },
    deps,
  );
};
