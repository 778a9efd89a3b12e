import type { Account, AccountRepository } from '../domain/accounts/account';
import type { Clock } from '../domain/ports';

/** How long an account read for a payment is reused: an active account's payment details never change. */
export const ACCOUNT_CACHE_MILLISECONDS = 5_000;
const MAX_CACHED_ACCOUNTS = 1_000;

/**
 * Account reads for initiating payments, kept in this process for {@link ACCOUNT_CACHE_MILLISECONDS}.
 *
 * What a payment takes from its account (provider, currency, sort code and account number, name, sandbox profile,
 * bank) never changes once the account is active, so only active accounts are kept. Its status can change: an
 * account disconnected (consent revoked or expired) can still take new payments here for up to the cache's
 * lifetime after the read that found it active. Such a payment only awaits authorisation (no money moves without
 * the payer). Accounts that are absent or not active are never kept: they are read again every time.
 */
export const cachedAccountReads = (accounts: Pick<AccountRepository, 'get'>, clock: Clock, lifetimeMs = ACCOUNT_CACHE_MILLISECONDS): Pick<AccountRepository, 'get'> => {
  const cache = new Map<string, { account: Account; readAt: number }>();
  return {
    get: async (tenantId, accountId) => {
      const key = `${tenantId}#${accountId}`;
      const now = clock.now().getTime();
      const cached = cache.get(key);
      if (cached !== undefined && now - cached.readAt < lifetimeMs && now >= cached.readAt) return cached.account;
      cache.delete(key);
      const account = await accounts.get(tenantId, accountId);
      if (account?.status === 'active') {
        // Oldest first: a Map keeps insertion order.
        if (cache.size >= MAX_CACHED_ACCOUNTS) cache.delete(cache.keys().next().value ?? key);
        cache.set(key, { account, readAt: now });
      }
      return account;
    },
  };
};
