import { describe, expect, it } from 'vitest';
import { listAccountTransactions } from '../../../../shared/domain/accounts/account-queries';
import { ForbiddenError, NotFoundError } from '../../../../shared/domain/errors';
import { anAccount, InMemoryAccountRepository, InMemoryPaymentRepository, InMemoryTransactionStore, OTHER_TENANT_ID, RecordingEventPublisher, TENANT_ID } from '../../../support/domain-fakes';
import { fixedClock } from '../../../support/fakes';

const request = { tenantId: TENANT_ID, accountId: 'acc_01JD0000000000000000000001', filter: {}, page: { limit: 50, cursor: undefined }, requestId: 'req-1', endpoint: 'GET /v1/accounts/x/transactions' };

const world = (consent: Partial<ReturnType<typeof anAccount>['consent']> = {}, now = '2026-11-24T10:00:00.000Z') => {
  const base = anAccount();
  const accounts = new InMemoryAccountRepository([{ ...base, consent: { ...base.consent, ...consent } }]);
  const transactions = new InMemoryTransactionStore(new InMemoryPaymentRepository([]));
  const events = new RecordingEventPublisher();
  return { accounts, events, deps: { accounts, transactions, events, clock: fixedClock(now) } };
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
    await expect(listAccountTransactions(request, deps)).rejects.toMatchObject({ code: 'consent_reconfirmation_required' });
    expect(accounts.accessLog).toEqual([]);
  });

  it('emits consent.reconfirmation_required once however many retrievals are refused, and again after the next period', async () => {
    // Prepare
    const { accounts, events, deps } = world({ reconfirmBy: '2026-11-24T09:59:59.999Z' });
    // Act
    for (let i = 0; i < 3; i += 1) await expect(listAccountTransactions(request, deps)).rejects.toBeInstanceOf(ForbiddenError);
    // Assess
    expect(events.types()).toEqual(['consent.reconfirmation_required']);
    expect(events.published[0]?.data).toMatchObject({ id: request.accountId, consent: { id: 'con_01JD0000000000000000000001' } });
    expect(accounts.outboxOf(TENANT_ID, request.accountId)).toEqual([]);
    // A new period (reconfirmed, then lapsed again) is a new fact.
    const stored = accounts.accounts[0]!;
    accounts.put({ ...stored, consent: { ...stored.consent, reconfirmBy: '2026-11-24T09:59:59.998Z' }, version: stored.version + 1 });
    await expect(listAccountTransactions(request, deps)).rejects.toBeInstanceOf(ForbiddenError);
    expect(events.types()).toEqual(['consent.reconfirmation_required', 'consent.reconfirmation_required']);
    expect(new Set(events.ids()).size).toBe(2);
  });

  it('publishes an event a failed publish left in the outbox on the next refusal, with the same id', async () => {
    const { accounts, events, deps } = world({ reconfirmBy: '2026-11-24T09:59:59.999Z' });
    events.failNext();
    await expect(listAccountTransactions(request, deps)).rejects.toThrow('EventBridge unavailable');
    expect(accounts.outboxOf(TENANT_ID, request.accountId)).toHaveLength(1);
    await expect(listAccountTransactions(request, deps)).rejects.toBeInstanceOf(ForbiddenError);
    expect(events.ids()).toEqual([expect.stringMatching(/^evt_/)]);
    expect(accounts.outboxOf(TENANT_ID, request.accountId)).toEqual([]);
  });

  it('refuses a revoked consent with consent_revoked and emits nothing', async () => {
    const { events, deps } = world({ status: 'revoked' });
    await expect(listAccountTransactions(request, deps)).rejects.toMatchObject({ code: 'consent_revoked' });
    expect(events.published).toEqual([]);
  });

  it('refuses a consent that is not authorised', async () => {
    const { deps } = world({ status: 'awaiting_authorisation' });
    await expect(listAccountTransactions(request, deps)).rejects.toMatchObject({ code: 'forbidden' });
  });

  it("answers another tenant's account as not found", async () => {
    const { deps } = world();
    await expect(listAccountTransactions({ ...request, tenantId: OTHER_TENANT_ID }, deps)).rejects.toBeInstanceOf(NotFoundError);
  });
});
