import { describe, expect, it } from 'vitest';
import { ACCOUNT_CACHE_MILLISECONDS, cachedAccountReads } from '../../../shared/adapters/cached-account-reads';
import type { Account } from '../../../shared/domain/accounts/account';
import { AT, anAccount, TENANT_ID } from '../../support/domain-fakes';

/** An account store that counts its reads, and whose account can be changed between them. */
const countingStore = (initial: Account | undefined) => {
  let current = initial;
  let reads = 0;
  return {
    store: { get: async () => ((reads += 1), current) },
    reads: () => reads,
    set: (account: Account | undefined) => (current = account),
  };
};

describe('cachedAccountReads', () => {
  it('reads an active account once per lifetime, then again', async () => {
    // Prepare
    let now = new Date(AT).getTime();
    const account = anAccount();
    const { store, reads } = countingStore(account);
    const cached = cachedAccountReads(store, { now: () => new Date(now) });
    // Act + Assess
    expect(await cached.get(TENANT_ID, account.id)).toEqual(account);
    now += ACCOUNT_CACHE_MILLISECONDS - 1;
    expect(await cached.get(TENANT_ID, account.id)).toEqual(account);
    expect(reads()).toBe(1);
    now += 1;
    await cached.get(TENANT_ID, account.id);
    expect(reads()).toBe(2);
  });

  it('sees a disconnection once the lifetime has passed', async () => {
    let now = new Date(AT).getTime();
    const { store, set } = countingStore(anAccount());
    const cached = cachedAccountReads(store, { now: () => new Date(now) });
    await cached.get(TENANT_ID, anAccount().id);
    set(anAccount({ status: 'disconnected' }));
    now += ACCOUNT_CACHE_MILLISECONDS;
    expect(await cached.get(TENANT_ID, anAccount().id)).toMatchObject({ status: 'disconnected' });
  });

  it('never keeps an absent or inactive account', async () => {
    const now = new Date(AT).getTime();
    const { store, reads, set } = countingStore(undefined);
    const cached = cachedAccountReads(store, { now: () => new Date(now) });
    expect(await cached.get(TENANT_ID, 'acc_1')).toBeUndefined();
    set(anAccount({ id: 'acc_1', status: 'awaiting_authorisation' }));
    expect(await cached.get(TENANT_ID, 'acc_1')).toMatchObject({ status: 'awaiting_authorisation' });
    set(anAccount({ id: 'acc_1' }));
    expect(await cached.get(TENANT_ID, 'acc_1')).toMatchObject({ status: 'active' });
    expect(reads()).toBe(3);
  });

  it('keeps accounts apart by tenant', async () => {
    const now = new Date(AT).getTime();
    const { store, reads } = countingStore(anAccount());
    const cached = cachedAccountReads(store, { now: () => new Date(now) });
    await cached.get(TENANT_ID, 'acc_1');
    await cached.get('ten_other', 'acc_1');
    expect(reads()).toBe(2);
  });
});
