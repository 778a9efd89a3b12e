import { describe, expect, it } from 'vitest';
import { MAX_SYNC_ROUNDS, SYNC_ENDPOINT, syncAccountCoalesced, syncAccountTransactions, syncAspspAccount, type SyncLeases } from '../../../../shared/domain/accounts/sync-account';
import { freshTokens, storeTokens } from '../../../../shared/domain/open-banking/authorisation';
import { BankAccessDenied } from '../../../../shared/domain/open-banking/ports';
import { aReportedTransaction, TENANT_ID } from '../../../support/domain-fakes';
import { obieWorld } from './obie-world';

const transaction = (bankTransactionId: string, bookingDateTime: string) =>
  aReportedTransaction({ provider: 'obie', sortCode: '601613', accountNumber: '31926819', bankTransactionId, bookingDateTime });

describe('syncAccountTransactions', () => {
  it('fetches since the cursor less a day (never before the opening balance), enqueues, advances the cursor and logs one access', async () => {
    // Prepare
    const world = obieWorld();
    const account = await world.connected();
    world.clock.set('2026-11-27T10:00:00.000Z');
    world.accounts.put({ ...account, syncCursor: '2026-11-26T12:00:00.000Z', version: account.version + 1 });
    world.gateway.batch = { transactions: [transaction('t1', '2026-11-26T13:00:00.000Z'), transaction('t2', '2026-11-27T09:00:00.000Z')], latestBookingDateTime: '2026-11-27T09:00:00.000Z' };
    // Act
    const result = await syncAccountTransactions({ tenantId: TENANT_ID, accountId: account.id, requestId: 'sync-1' }, world.deps);
    // Assess
    expect(result).toEqual({ outcome: 'synced', count: 2, cursor: '2026-11-27T09:00:00.000Z' });
    expect(world.gateway.callsOf('fetchTransactions')[0]?.detail).toEqual({
      accessToken: expect.any(String),
      account: { bankAccountId: 'bank-acc-1', sortCode: '601613', accountNumber: '31926819' },
      since: '2026-11-25T12:00:00.000Z',
    });
    expect(world.settlements.messages.map((message) => message.kind === 'transaction' && message.transaction.bankTransactionId)).toEqual(['t1', 't2']);
    expect((await world.accounts.get(TENANT_ID, account.id))?.syncCursor).toBe('2026-11-27T09:00:00.000Z');
    expect(world.accounts.accessLog.map(({ entry }) => entry)).toEqual([
      { consentId: account.consent.id, at: '2026-11-27T10:00:00.000Z', endpoint: SYNC_ENDPOINT, scope: 'transactions', count: 2, requestId: 'sync-1' },
    ]);
  });

  it('the first sync starts at the opening balance, not a day before it', async () => {
    const world = obieWorld();
    const account = await world.connected();
    await syncAccountTransactions({ tenantId: TENANT_ID, accountId: account.id, requestId: 'r' }, world.deps);
    expect(world.gateway.callsOf('fetchTransactions')[0]?.detail).toMatchObject({ since: '2026-11-24T09:59:00.000Z' });
  });

  it('never moves the cursor backwards', async () => {
    const world = obieWorld();
    const account = await world.connected();
    world.gateway.batch = { transactions: [transaction('old', '2026-11-01T00:00:00.000Z')], latestBookingDateTime: '2026-11-01T00:00:00.000Z' };
    const result = await syncAccountTransactions({ tenantId: TENANT_ID, accountId: account.id, requestId: 'r' }, world.deps);
    expect(result).toMatchObject({ outcome: 'synced', cursor: '2026-11-24T09:59:00.000Z' });
    expect((await world.accounts.get(TENANT_ID, account.id))?.syncCursor).toBe('2026-11-24T09:59:00.000Z');
  });

  it('a revoked consent fetches nothing: the bank is never called and nothing is enqueued', async () => {
    const world = obieWorld();
    const account = await world.connected();
    world.accounts.put({ ...account, consent: { ...account.consent, status: 'revoked' }, version: account.version + 1 });
    const result = await syncAccountTransactions({ tenantId: TENANT_ID, accountId: account.id, requestId: 'r' }, world.deps);
    expect(result).toEqual({ outcome: 'refused', code: 'consent_revoked' });
    expect(world.gateway.callsOf('fetchTransactions')).toEqual([]);
    expect(world.gateway.callsOf('refreshTokens')).toEqual([]);
    expect(world.settlements.messages).toEqual([]);
    expect(world.accounts.accessLog).toEqual([]);
  });

  it('past reconfirmBy fetches nothing and emits consent.reconfirmation_required once over many syncs', async () => {
    const world = obieWorld();
    const account = await world.connected();
    world.clock.set('2027-02-22T10:00:00.001Z');
    for (let i = 0; i < 3; i += 1) {
      expect(await syncAccountTransactions({ tenantId: TENANT_ID, accountId: account.id, requestId: `r${i}` }, world.deps)).toEqual({
        outcome: 'refused',
        code: 'consent_reconfirmation_required',
      });
    }
    expect(world.gateway.callsOf('fetchTransactions')).toEqual([]);
    expect(world.events.types()).toEqual(['consent.reconfirmation_required']);
  });

  it('the bank refusing access revokes the consent with its reason and enqueues nothing', async () => {
    const world = obieWorld();
    const account = await world.connected();
    world.gateway.failures.set('fetchTransactions', new BankAccessDenied('403 from the bank'));
    const result = await syncAccountTransactions({ tenantId: TENANT_ID, accountId: account.id, requestId: 'r' }, world.deps);
    expect(result).toEqual({ outcome: 'refused', code: 'consent_revoked' });
    expect(await world.accounts.get(TENANT_ID, account.id)).toMatchObject({ status: 'disconnected', consent: { status: 'revoked', statusReason: 'bank_access_denied: 403 from the bank' } });
    expect(world.settlements.messages).toEqual([]);
    // And the next sync asks the bank nothing.
    await syncAccountTransactions({ tenantId: TENANT_ID, accountId: account.id, requestId: 'r2' }, world.deps);
    expect(world.gateway.callsOf('fetchTransactions')).toHaveLength(1);
  });
});

describe('freshTokens', () => {
  it('uses stored tokens while more than 60 s are left, and refreshes (and stores) them when fewer are', async () => {
    // Prepare
    const world = obieWorld();
    const account = await world.connected();
    const context = { tenantId: TENANT_ID, consentId: account.consent.id, aspspId: 'mock-v4' };
    // Act / Assess: 300 s left.
    expect((await freshTokens(context, world.deps)).accessToken).toBe('access-code-code-1');
    expect(world.gateway.refreshes).toBe(0);
    // 59 s left.
    world.clock.set('2026-11-24T10:04:01.000Z');
    const refreshed = await freshTokens(context, world.deps);
    expect(refreshed.accessToken).toBe('access-refreshed-1');
    expect(world.gateway.callsOf('refreshTokens')[0]?.detail).toBe('refresh-code-code-1');
    expect((await freshTokens(context, world.deps)).accessToken).toBe('access-refreshed-1');
    expect(world.tokens.stored.get(`${TENANT_ID}|${account.consent.id}`)?.version).toBe(2);
  });

  it('two concurrent refreshes: one write wins, the other uses the winner’s tokens, and none is lost', async () => {
    // Prepare
    const world = obieWorld();
    const account = await world.connected();
    const context = { tenantId: TENANT_ID, consentId: account.consent.id, aspspId: 'mock-v4' };
    world.clock.set('2026-11-24T10:04:30.000Z');
    // Another process refreshes and stores between our read and our write.
    world.tokens.beforeNextPut = async () => {
      await storeTokens(context, { accessToken: 'access-concurrent', refreshToken: 'refresh-concurrent', expiresAt: '2026-11-24T10:09:30.000Z' }, 1, world.deps);
    };
    // Act
    const used = await freshTokens(context, world.deps);
    // Assess
    expect(used.accessToken).toBe('access-concurrent');
    const stored = world.tokens.stored.get(`${TENANT_ID}|${account.consent.id}`);
    expect(stored?.version).toBe(2);
    expect(await world.deps.sealer.open(stored?.sealed ?? '', context)).toContain('access-concurrent');
  });
});

describe('syncAspspAccount', () => {
  it('syncs every account connected to the bank account a notification names, and nothing for an unknown one', async () => {
    const world = obieWorld();
    const account = await world.connected();
    world.gateway.batch = { transactions: [transaction('t1', '2026-11-24T10:00:00.000Z')], latestBookingDateTime: '2026-11-24T10:00:00.000Z' };
    const deps = { ...world.deps, leases: new InMemorySyncLeases(), again: async () => undefined };
    expect(await syncAspspAccount({ aspspId: 'mock-v4', bankAccountId: 'unknown', requestId: 'n1' }, deps)).toEqual([]);
    expect(await syncAspspAccount({ aspspId: 'mock-v4', bankAccountId: 'bank-acc-1', requestId: 'n2' }, deps)).toEqual([
      { outcome: 'synced', count: 1, cursor: '2026-11-24T10:00:00.000Z', accountId: account.id },
    ]);
    expect(await world.accounts.listConnectedAt('mock-v4')).toEqual([{ tenantId: TENANT_ID, accountId: account.id }]);
    expect(await world.accounts.listConnectedAt('other-bank')).toEqual([]);
  });
});

/** Leases as the DynamoDB store keeps them: a request count and one owner with an expiry. */
class InMemorySyncLeases implements SyncLeases {
  requests = 0;
  owner: string | undefined;
  until = 0;
  /** Runs inside the next release, before it checks the count: a notification arriving mid-sync. */
  duringRelease: (() => Promise<void>) | undefined;
  async request(_t: string, _a: string, owner: string, now: Date) {
    this.requests += 1;
    if (this.owner !== undefined && this.owner !== owner && this.until > now.getTime()) return { held: false, requests: this.requests };
    this.owner = owner;
    this.until = now.getTime() + 60_000;
    return { held: true, requests: this.requests };
  }
  async release(_t: string, _a: string, owner: string, seen: number) {
    const hook = this.duringRelease;
    this.duringRelease = undefined;
    if (hook !== undefined) await hook();
    if (this.owner !== owner) return { released: true, requests: this.requests };
    if (this.requests !== seen) return { released: false, requests: this.requests };
    this.owner = undefined;
    return { released: true, requests: seen };
  }
  async abandon(_t: string, _a: string, owner: string) {
    if (this.owner === owner) this.owner = undefined;
  }
}

describe('syncAccountCoalesced', () => {
  it('syncs once for requests that arrive while a sync runs, and again for those that arrive during it', async () => {
    // Prepare
    const world = obieWorld();
    const account = await world.connected();
    world.gateway.batch = { transactions: [transaction('t1', '2026-11-24T10:00:00.000Z')], latestBookingDateTime: '2026-11-24T10:00:00.000Z' };
    const leases = new InMemorySyncLeases();
    const request = (requestId: string) => syncAccountCoalesced({ tenantId: TENANT_ID, accountId: account.id, requestId }, { ...world.deps, leases, again: async () => undefined });
    const coalesced: unknown[] = [];
    leases.duringRelease = async () => {
      coalesced.push(await request('n2'), await request('n3'));
    };
    // Act
    const first = await request('n1');
    const later = await request('n4');
    // Assess: n1 synced twice (n2 and n3 arrived during its first sync), n2 and n3 left it to n1, n4 synced alone
    expect(coalesced).toEqual([{ outcome: 'coalesced' }, { outcome: 'coalesced' }]);
    expect(first).toMatchObject({ outcome: 'synced' });
    expect(later).toMatchObject({ outcome: 'synced' });
    expect(world.gateway.callsOf('fetchTransactions')).toHaveLength(3);
    expect(leases.owner).toBeUndefined();
  });

  it('takes its own lease up again when its message is redelivered after a crash', async () => {
    // Prepare
    const world = obieWorld();
    const account = await world.connected();
    const leases = new InMemorySyncLeases();
    await leases.request(TENANT_ID, account.id, 'm1', new Date());
    // Act
    const redelivered = await syncAccountCoalesced({ tenantId: TENANT_ID, accountId: account.id, requestId: 'm1' }, { ...world.deps, leases, again: async () => undefined });
    // Assess
    expect(redelivered).toMatchObject({ outcome: 'synced' });
    expect(leases.owner).toBeUndefined();
  });

  it('hands the rest to a new message after a bounded number of rounds while requests keep arriving', async () => {
    // Prepare
    const world = obieWorld();
    const account = await world.connected();
    const leases = new InMemorySyncLeases();
    const again: string[] = [];
    const keepAsking = async () => {
      leases.requests += 1;
      leases.duringRelease = keepAsking;
    };
    leases.duringRelease = keepAsking;
    // Act
    await syncAccountCoalesced({ tenantId: TENANT_ID, accountId: account.id, requestId: 'm1' }, { ...world.deps, leases, again: async () => void again.push('again') });
    // Assess
    expect(world.gateway.callsOf('fetchTransactions')).toHaveLength(MAX_SYNC_ROUNDS);
    expect(again).toEqual(['again']);
    expect(leases.owner).toBeUndefined();
  });
});
