import type { Account, AccountRepository } from '../domain/accounts/account';
import type { Clock } from '../domain/ports';
import { ExpiringCache } from './expiring-cache';

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
  const cache = new ExpiringCache<Account>(lifetimeMs, MAX_CACHED_ACCOUNTS);
  return {
    get: async (tenantId, accountId) => {
      const key = `${tenantId}#${accountId}`;
      const now = clock.now().getTime();
      const cached = cache.get(key, now);
      if (cached !== undefined) return cached;
      const account = await accounts.get(tenantId, accountId);
      if (account?.status === 'active') cache.set(key, account, now);
      return account;
    },
  };
};
