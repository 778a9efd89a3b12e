import { describe, expect, it } from 'vitest';
import { acceptEventNotification, type BankSyncMessage, drainPolledEvents, type NotificationLedger, syncWorkOf } from '../../../../shared/domain/open-banking/bank-sync';
import { fixedClock } from '../../../support/fakes';
import type { EventNotification } from '../../../../shared/domain/open-banking/ports';

const notification = (events: EventNotification['events'], jti = 'jti-1'): EventNotification => ({ aspspId: 'south', jti, issuedAt: '2026-11-24T10:00:00.000Z', events });

class MemoryLedger implements NotificationLedger {
  readonly seen = new Set<string>();
  async recordFirst(aspspId: string, jti: string) {
    const key = `${aspspId}#${jti}`;
    if (this.seen.has(key)) return false;
    this.seen.add(key);
    return true;
  }
  async forget(aspspId: string, jti: string) {
    this.seen.delete(`${aspspId}#${jti}`);
  }
}

describe('event notifications to bank syncs', () => {
  it('asks for the account, the payment or the consent the event names, and nothing for others', () => {
    expect(
      syncWorkOf(
        notification([
          { kind: 'resource-update', resourceType: 'transactions', resourceId: 'ACC-1' },
          { kind: 'resource-update', resourceType: 'domestic-payment', resourceId: 'DP-1' },
          { kind: 'resource-update', resourceType: 'funds-confirmation-consents', resourceId: 'FC-1' },
          { kind: 'consent-authorization-revoked', resourceType: 'account-access-consent', resourceId: 'AAC-1', reason: 'ASPSP_REVOKED' },
        ]),
      ),
    ).toEqual([
      { kind: 'bank-account', aspspId: 'south', bankAccountId: 'ACC-1' },
      { kind: 'payment-status', aspspId: 'south', domesticPaymentId: 'DP-1' },
      { kind: 'consent-revoked', aspspId: 'south', bankConsentId: 'AAC-1', reason: 'ASPSP_REVOKED' },
    ]);
  });

  it('takes a jti once: a replay queues nothing', async () => {
    const ledger = new MemoryLedger();
    const queued: BankSyncMessage[] = [];
    const deps = { ledger, queue: { enqueue: async (messages: readonly BankSyncMessage[]) => void queued.push(...messages) }, now: '2026-11-24T10:00:01.000Z' };
    const event = notification([{ kind: 'resource-update', resourceType: 'transactions', resourceId: 'ACC-1' }]);
    expect(await acceptEventNotification(event, deps)).toEqual({ outcome: 'accepted', queued: 1 });
    expect(await acceptEventNotification(event, deps)).toEqual({ outcome: 'duplicate' });
    expect(queued).toHaveLength(1);
  });

  it('forgets the jti when the work cannot be queued, so the retry is taken', async () => {
    const ledger = new MemoryLedger();
    const event = notification([{ kind: 'resource-update', resourceType: 'transactions', resourceId: 'ACC-1' }]);
    const failing = { ledger, queue: { enqueue: async () => Promise.reject(new Error('queue down')) }, now: '2026-11-24T10:00:01.000Z' };
    await expect(acceptEventNotification(event, failing)).rejects.toThrow('queue down');
    const queued: BankSyncMessage[] = [];
    const working = { ledger, queue: { enqueue: async (messages: readonly BankSyncMessage[]) => void queued.push(...messages) }, now: '2026-11-24T10:00:02.000Z' };
    expect(await acceptEventNotification(event, working)).toEqual({ outcome: 'accepted', queued: 1 });
    expect(queued).toEqual([{ kind: 'bank-account', aspspId: 'south', bankAccountId: 'ACC-1' }]);
  });

  it('drains aggregated polling, acknowledging each round in the next and taking a re-offered event once', async () => {
    const rounds = [
      [notification([{ kind: 'resource-update', resourceType: 'domestic-payment', resourceId: 'DP-1' }], 'a'), notification([], 'b')],
      [notification([{ kind: 'resource-update', resourceType: 'domestic-payment', resourceId: 'DP-1' }], 'a')],
      [],
    ];
    const calls: (readonly string[])[] = [];
    const polling = {
      poll: async (_aspspId: string, acknowledge: readonly string[]) => {
        calls.push(acknowledge);
        return { notifications: rounds.shift() ?? [], moreAvailable: rounds.length > 0 };
      },
    };
    const queued: BankSyncMessage[] = [];
    const result = await drainPolledEvents('north', {
      polling,
      ledger: new MemoryLedger(),
      queue: { enqueue: async (messages) => void queued.push(...messages) },
      clock: fixedClock(),
    });
    expect(result).toEqual({ taken: 2, duplicates: 1 });
    expect(calls).toEqual([[], ['a', 'b'], ['a']]);
    expect(queued).toEqual([{ kind: 'payment-status', aspspId: 'south', domesticPaymentId: 'DP-1' }]);
  });
});
