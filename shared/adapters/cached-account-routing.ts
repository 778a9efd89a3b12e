import type { Account, AccountRepository, Provider } from '../domain/accounts/account';
import { ExpiringCache } from './expiring-cache';

/** How long a bank account's connected accounts are remembered by one function instance. */
export const ACCOUNT_ROUTING_TTL_MS = 30_000;

/**
 * The account repository with its two routing lookups (which connected accounts a reported bank account is) kept
 * in memory for a short time, as every transaction of a busy account would otherwise read them again. Only found
 * accounts are kept: an account connected a moment ago is read, never missed. What the cache can get wrong for up to
 * its lifetime is an account disconnected meanwhile still receiving a transaction, which reconciling on it anyway
 * records faithfully; nothing else of an account changes its routing.
 */
export const withCachedAccountRouting = (
  accounts: AccountRepository,
  options: { readonly ttlMs?: number; readonly now?: () => number } = {},
): AccountRepository => {
  const ttlMs = options.ttlMs ?? ACCOUNT_ROUTING_TTL_MS;
  const now = options.now ?? Date.now;
  const cache = new ExpiringCache<Account[]>(ttlMs);
  const remembered = async (key: string, read: () => Promise<Account[]>): Promise<Account[]> => {
    const hit = cache.get(key, now());
    if (hit !== undefined) return hit;
    const found = await read();
    if (found.length > 0) cache.set(key, found, now());
    return found;
  };
  return Object.assign(Object.create(accounts) as AccountRepository, {
    findByBankAccount: (provider: Provider, sortCode: string, accountNumber: string) =>
      remembered(`${provider}|${sortCode}|${accountNumber}`, () => accounts.findByBankAccount(provider, sortCode, accountNumber)),
    findByIban: (provider: Provider, iban: string) => remembered(`${provider}|iban|${iban}`, () => accounts.findByIban(provider, iban)),
  });
};
