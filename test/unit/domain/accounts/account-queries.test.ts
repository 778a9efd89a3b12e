import { describe, expect, it } from 'vitest';
import { listAccountTransactions } from '../../../../shared/domain/accounts/account-queries';
import { ForbiddenError, NotFoundError } from '../../../../shared/domain/errors';
import { anAccount, InMemoryAccountRepository, InMemoryPaymentRepository, InMemoryTransactionStore, OTHER_TENANT_ID, TENANT_ID } from '../../../support/domain-fakes';
import { fixedClock } from '../../../support/fakes';

const request = { tenantId: TENANT_ID, accountId: 'acc_01JD0000000000000000000001', filter: {}, page: { limit: 50, cursor: undefined }, requestId: 'req-1', endpoint: 'GET /v1/accounts/x/transactions' };

const world = (consent: Partial<ReturnType<typeof anAccount>['consent']> = {}, now = '2026-11-24T10:00:00.000Z') => {
  const base = anAccount();
  const accounts = new InMemoryAccountRepository([{ ...base, consent: { ...base.consent, ...consent } }]);
  const transactions = new InMemoryTransactionStore(new InMemoryPaymentRepository([]));
  return { accounts, deps: { accounts, transactions, clock: fixedClock(now) } };
};

describe('listAccountTransactions', () => {
  it('writes an immutable access-log entry for every retrieval', async () => {
    // Prepare
    const { accounts, deps } = world();
    // Act
    await listAccountTransactions(request, deps);
    await listAccountTransactions({ ...request, requestId: 'req-2' }, deps);
    // Assess
    expect(accounts.accessLog.map(({ tenantId, entry }) => [tenantId, entry.requestId, entry.scope, entry.count, entry.endpoint])).toEqual([
      [TENANT_ID, 'req-1', 'transactions', 0, request.endpoint],
      [TENANT_ID, 'req-2', 'transactions', 0, request.endpoint],
    ]);
  });

  it('refuses once the 90-day reconfirmation date has passed, and logs no access', async () => {
    const { accounts, deps } = world({ reconfirmBy: '2026-11-24T09:59:59.999Z' });
    await expect(listAccountTransactions(request, deps)).rejects.toBeInstanceOf(ForbiddenError);
    expect(accounts.accessLog).toEqual([]);
  });

  it('refuses a consent that is not authorised', async () => {
    const { deps } = world({ status: 'revoked' });
    await expect(listAccountTransactions(request, deps)).rejects.toBeInstanceOf(ForbiddenError);
  });

  it("answers another tenant's account as not found", async () => {
    const { deps } = world();
    await expect(listAccountTransactions({ ...request, tenantId: OTHER_TENANT_ID }, deps)).rejects.toBeInstanceOf(NotFoundError);
  });
});
