import { describe, expect, it } from 'vitest';
import { announcePosition } from '../../../../shared/domain/cash/announce-position';
import type { CashPosition, CashPositionStore } from '../../../../shared/domain/cash/cash-position';
import { domainEvent, withMovedPosition } from '../../../../shared/domain/events/domain-event';
import { InMemoryCashPositionStore, RecordingEventPublisher, TENANT_ID } from '../../../support/domain-fakes';

const world = () => {
  const cash = new InMemoryCashPositionStore();
  cash.open({ tenantId: TENANT_ID, accountId: 'acc_1', currency: 'GBP', openingBalance: 10_000 });
  let reads = 0;
  const counted: CashPositionStore = {
    get: async (tenantId, accountId, currency): Promise<CashPosition | undefined> => {
      reads += 1;
      return cash.get(tenantId, accountId, currency);
    },
    list: (tenantId) => cash.list(tenantId),
  };
  return { cash: counted, events: new RecordingEventPublisher(), reads: () => reads };
};

const received = (moved: boolean) =>
  withMovedPosition([domainEvent('transaction.received', TENANT_ID, '2026-11-24T10:00:00.000Z', { id: 'txn_1' }, ['acc_1', 'bank-1'])], moved ? { accountId: 'acc_1', currency: 'GBP' } : undefined)[0];

describe('announcePosition', () => {
  it('publishes the position once for an event whose write moved it, under an id derived from that event', async () => {
    // Prepare
    const deps = world();
    const event = received(true);
    if (event === undefined) throw new Error('no event');
    // Act: the same event handled twice (a republished outbox)
    await announcePosition(event, deps);
    await announcePosition(event, deps);
    // Assess
    expect(deps.events.types()).toEqual(['cash_position.updated', 'cash_position.updated']);
    expect(new Set(deps.events.ids()).size).toBe(1);
    expect(deps.events.published[0]?.data).toMatchObject({ accountId: 'acc_1', currency: 'GBP', settledBalance: '100.00' });
  });

  it('reads nothing and publishes nothing for an event whose write moved no cash', async () => {
    // Prepare
    const deps = world();
    const event = received(false);
    if (event === undefined) throw new Error('no event');
    // Act
    const announced = await announcePosition(event, deps);
    // Assess
    expect(announced).toBe(false);
    expect(deps.reads()).toBe(0);
    expect(deps.events.published).toEqual([]);
  });
});
