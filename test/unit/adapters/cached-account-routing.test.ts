import { describe, expect, it, vi } from 'vitest';
import { withCachedAccountRouting } from '../../../shared/adapters/cached-account-routing';
import { anAccount, InMemoryAccountRepository } from '../../support/domain-fakes';

const world = () => {
  const account = anAccount({ sortCode: '040004', accountNumber: '12345678' });
  const accounts = new InMemoryAccountRepository([account]);
  const findByBankAccount = vi.spyOn(accounts, 'findByBankAccount');
  let now = 1_000_000;
  const cached = withCachedAccountRouting(accounts, { ttlMs: 30_000, now: () => now });
  return { account, accounts, cached, findByBankAccount, advance: (ms: number) => (now += ms) };
};

describe('withCachedAccountRouting', () => {
  it('reads a bank account once per lifetime, then again once it has passed', async () => {
    // Prepare
    const { account, cached, findByBankAccount, advance } = world();
    // Act
    const first = await cached.findByBankAccount('sandbox', '040004', '12345678');
    advance(29_999);
    const second = await cached.findByBankAccount('sandbox', '040004', '12345678');
    advance(2);
    await cached.findByBankAccount('sandbox', '040004', '12345678');
    // Assess
    expect(first.map((found) => found.id)).toEqual([account.id]);
    expect(second).toEqual(first);
    expect(findByBankAccount).toHaveBeenCalledTimes(2);
  });

  it('never remembers that nobody has connected a bank account: a connection a moment later is found', async () => {
    // Prepare
    const { accounts, cached, findByBankAccount } = world();
    // Act
    const before = await cached.findByBankAccount('sandbox', '040004', '99999999');
    await accounts.create(anAccount({ id: 'acc_later', sortCode: '040004', accountNumber: '99999999' }));
    const after = await cached.findByBankAccount('sandbox', '040004', '99999999');
    // Assess
    expect(before).toEqual([]);
    expect(after.map((found) => found.id)).toEqual(['acc_later']);
    expect(findByBankAccount).toHaveBeenCalledTimes(2);
  });

  it('leaves every other read to the repository', async () => {
    // Prepare
    const { account, cached } = world();
    // Act / Assess
    expect((await cached.get(account.tenantId, account.id))?.id).toBe(account.id);
  });
});
