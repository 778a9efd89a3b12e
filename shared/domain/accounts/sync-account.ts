import { ForbiddenError, NotFoundError } from '../errors';
import type { EventPublisher } from '../events/domain-event';
import { type BankTokenStore, freshTokens, type TokenSealer } from '../open-banking/authorisation';
import { type AccountInformationGateway, BankAccessDenied } from '../open-banking/ports';
import type { Clock } from '../ports';
import type { SettlementQueue } from '../settlement/settlement-message';
import { type AccountRepository, isConnected } from './account';
import { assertRetrievable, changeConsentedAccount } from './consents';

/** How far before the cursor each fetch starts: a transaction booked late with an earlier time is still caught. */
export const SYNC_OVERLAP_MS = 24 * 60 * 60 * 1000;

/** The bank operation a sync performs, as its access-log entry names it. */
export const SYNC_ENDPOINT = 'GET /accounts/{AccountId}/transactions';

export interface SyncDeps {
  readonly accounts: AccountRepository;
  readonly gateway: Pick<AccountInformationGateway, 'fetchTransactions' | 'refreshTokens'>;
  readonly tokens: BankTokenStore;
  readonly sealer: TokenSealer;
  readonly settlements: SettlementQueue;
  readonly events: EventPublisher;
  readonly clock: Clock;
}

export type SyncResult =
  | { readonly outcome: 'synced'; readonly count: number; readonly cursor: string | null }
  /** Nothing fetched: the consent does not allow it (ForbiddenError's code), or the bank just refused and it is now revoked. */
  | { readonly outcome: 'refused'; readonly code: string };

/** The later of two ISO 8601 UTC times (null counts as earliest). */
const later = (a: string | null, b: string | null): string | null => (a === null ? b : b === null ? a : a > b ? a : b);

/**
 * Fetches an obie account's new transactions from its bank into the settlements queue (on an event notification,
 * and on a schedule). Primary course: the consent allows retrieval (authorised, within `reconfirmBy`: else nothing
 * is fetched, `consent.reconfirmation_required` emitted once); fresh tokens; the transactions booked since the
 * cursor less a day's overlap (never before the opening balance; the settlement pipeline drops what it has seen);
 * enqueued; the cursor advanced, never backwards; one access-log entry. The bank refusing access (401/403) means the
 * consent is gone there: it becomes `revoked` with the bank's reason, and nothing is enqueued.
 */
export const syncAccountTransactions = async (
  request: { readonly tenantId: string; readonly accountId: string; readonly requestId: string },
  deps: SyncDeps,
): Promise<SyncResult> => {
  const account = await deps.accounts.get(request.tenantId, request.accountId);
  if (account === undefined) throw new NotFoundError(`Account ${request.accountId} does not exist.`);
  try {
    await assertRetrievable(account, deps);
  } catch (error) {
    if (error instanceof ForbiddenError) return { outcome: 'refused', code: error.code };
    throw error;
  }
  if (account.provider !== 'obie' || account.aspspId === null || account.bankAccountId === null || !isConnected(account)) {
    return { outcome: 'refused', code: 'not_a_bank_account' };
  }
  const aspspId = account.aspspId;
  const context = { tenantId: account.tenantId, consentId: account.consent.id, aspspId };
  const since = account.syncCursor === null ? account.connectedAt : later(new Date(Date.parse(account.syncCursor) - SYNC_OVERLAP_MS).toISOString(), account.connectedAt);
  let batch;
  try {
    const tokens = await freshTokens(context, deps);
    batch = await deps.gateway.fetchTransactions(
      aspspId,
      tokens,
      { bankAccountId: account.bankAccountId, sortCode: account.sortCode, accountNumber: account.accountNumber },
      since,
    );
  } catch (error) {
    if (!(error instanceof BankAccessDenied)) throw error;
    await changeConsentedAccount(
      account.tenantId,
      account.id,
      (current) =>
        current.consent.status === 'revoked' || current.consent.bankConsentId !== account.consent.bankConsentId
          ? undefined
          : {
              ...current,
              status: 'disconnected',
              consent: { ...current.consent, status: 'revoked', statusReason: `bank_access_denied: ${error.message}`.slice(0, 500), authorisationUrl: null },
            },
      deps,
    );
    return { outcome: 'refused', code: 'consent_revoked' };
  }
  if (batch.transactions.length > 0) {
    await deps.settlements.enqueue(batch.transactions.map((transaction) => ({ kind: 'transaction' as const, transaction })));
  }
  const advanced = await changeConsentedAccount(
    account.tenantId,
    account.id,
    (current) => {
      const cursor = later(current.syncCursor, batch.latestBookingDateTime);
      return cursor === current.syncCursor ? undefined : { ...current, syncCursor: cursor };
    },
    deps,
  );
  await deps.accounts.appendAccessLog(account.tenantId, {
    consentId: account.consent.id,
    at: deps.clock.now().toISOString(),
    endpoint: SYNC_ENDPOINT,
    scope: 'transactions',
    count: batch.transactions.length,
    requestId: request.requestId,
  });
  return { outcome: 'synced', count: batch.transactions.length, cursor: advanced.syncCursor };
};

/**
 * One account's sync at a time, however many are asked for: a bank notifies every pending and booked change (a
 * 100-payment file is ~200 notifications), and each sync fetches a day of transactions, so syncing once per
 * notification costs the square of the account's traffic. Each request is counted; the first caller takes a lease
 * and syncs, then gives the lease up only if nobody asked meanwhile, else syncs again and picks every request up.
 */
export interface SyncLeases {
  /** Counts a request; `held` when the caller holds the account's lease now (it was free, expired, or already the caller's). */
  request(tenantId: string, accountId: string, owner: string, now: Date): Promise<{ readonly held: boolean; readonly requests: number }>;
  /** Gives the lease up if the count is still `seen`; otherwise keeps it and answers the count to sync for again. */
  release(tenantId: string, accountId: string, owner: string, seen: number): Promise<{ readonly released: boolean; readonly requests: number }>;
  /** Gives the lease up whatever the count (the owner hands the rest to a new message). */
  abandon(tenantId: string, accountId: string, owner: string): Promise<void>;
}

/** Syncs one lease holder runs before it hands the rest of the work to a new message (bounded work per invocation). */
export const MAX_SYNC_ROUNDS = 5;

export type CoalescedSyncResult = SyncResult | { readonly outcome: 'coalesced' };

/**
 * Syncs an account unless a sync of it is running (that one picks this request up: `coalesced`).
 * The lease's owner is the queue message: a crash leaves the lease to the message's redelivery (same id), which
 * takes it up again; a lease left by a message that never comes back expires. After {@link MAX_SYNC_ROUNDS} rounds
 * with requests still arriving, the holder gives the lease up and queues one more sync (`again`).
 */
export const syncAccountCoalesced = async (
  request: { readonly tenantId: string; readonly accountId: string; readonly requestId: string },
  deps: SyncDeps & { readonly leases: SyncLeases; readonly again: () => Promise<void> },
): Promise<CoalescedSyncResult> => {
  const lease = await deps.leases.request(request.tenantId, request.accountId, request.requestId, deps.clock.now());
  if (!lease.held) return { outcome: 'coalesced' };
  let seen = lease.requests;
  let result: SyncResult = { outcome: 'synced', count: 0, cursor: null };
  for (let round = 0; round < MAX_SYNC_ROUNDS; round += 1) {
    result = await syncAccountTransactions(request, deps);
    const released = await deps.leases.release(request.tenantId, request.accountId, request.requestId, seen);
    if (released.released) return result;
    seen = released.requests;
  }
  await deps.again();
  await deps.leases.abandon(request.tenantId, request.accountId, request.requestId);
  return result;
};

/**
 * A bank's event notification said an account's transactions changed (rid = its AccountId): every account connected
 * to it (any tenant) is synced, coalesced with syncs of it already running. Unknown to Settled: nothing to do.
 */
export const syncAspspAccount = async (
  request: { readonly aspspId: string; readonly bankAccountId: string; readonly requestId: string },
  deps: SyncDeps & { readonly leases: SyncLeases; readonly again: (account: { readonly tenantId: string; readonly accountId: string }) => Promise<void> },
): Promise<readonly (CoalescedSyncResult & { readonly accountId: string })[]> => {
  const accounts = await deps.accounts.findByAspspAccount(request.aspspId, request.bankAccountId);
  const results: (CoalescedSyncResult & { readonly accountId: string })[] = [];
  for (const account of accounts) {
    const target = { tenantId: account.tenantId, accountId: account.id };
    results.push({ ...(await syncAccountCoalesced({ ...target, requestId: request.requestId }, { ...deps, again: () => deps.again(target) })), accountId: account.id });
  }
  return results;
};
