import { describe, expect, it } from 'vitest';
import { type BankSyncMessage, drainPolledEvents, MAX_POLLING_ROUNDS, type NotificationLedger, sweepWork } from '../../../../shared/domain/open-banking/bank-sync';
import type { EventNotification } from '../../../../shared/domain/open-banking/ports';
import { fixedClock } from '../../../support/fakes';
import { anAspsp, StaticAspspDirectory } from '../../../support/open-banking-fakes';

describe('sweepWork', () => {
  const connected: Record<string, { tenantId: string; accountId: string }[]> = {
    'mock-v4': [
      { tenantId: 'ten_1', accountId: 'acc_1' },
      { tenantId: 'ten_2', accountId: 'acc_2' },
    ],
    'mock-v31': [{ tenantId: 'ten_1', accountId: 'acc_3' }],
  };
  const connectedAt = async (aspspId: string) => connected[aspspId] ?? [];

  it('asks for a sync of every account connected at every bank, and a poll of every bank that offers aggregated polling', async () => {
    const directory = new StaticAspspDirectory([
      anAspsp({ id: 'mock-v4', aggregatedPolling: false }),
      anAspsp({ id: 'mock-v31', apiVersion: 'v3.1.11', aggregatedPolling: true }),
      anAspsp({ id: 'quiet-bank', aggregatedPolling: true }),
    ]);
    expect(await sweepWork({ directory, connectedAt })).toEqual<BankSyncMessage[]>([
      { kind: 'account', tenantId: 'ten_1', accountId: 'acc_1' },
      { kind: 'account', tenantId: 'ten_2', accountId: 'acc_2' },
      { kind: 'poll-events', aspspId: 'mock-v31' },
      { kind: 'account', tenantId: 'ten_1', accountId: 'acc_3' },
      { kind: 'poll-events', aspspId: 'quiet-bank' },
    ]);
  });

  it('asks nothing of a deployment with no banks', async () => {
    expect(await sweepWork({ directory: new StaticAspspDirectory([]), connectedAt })).toEqual([]);
  });
});

describe('drainPolledEvents bounds', () => {
  const ledger: NotificationLedger = { recordFirst: async () => true, forget: async () => undefined };

  it(`stops after ${MAX_POLLING_ROUNDS} rounds against a bank that never runs dry`, async () => {
    let round = 0;
    const polling = {
      poll: async () => {
        round += 1;
        const event: EventNotification = { aspspId: 'mock-v31', jti: `jti-${round}`, issuedAt: '2026-11-24T10:00:00.000Z', events: [] };
        return { notifications: [event], moreAvailable: true };
      },
    };
    const result = await drainPolledEvents('mock-v31', { polling, ledger, queue: { enqueue: async () => undefined }, clock: fixedClock() });
    expect(round).toBe(MAX_POLLING_ROUNDS);
    expect(result).toEqual({ taken: MAX_POLLING_ROUNDS, duplicates: 0 });
  });

  it('stops at the first queue failure, leaving that round unacknowledged so the bank offers it again', async () => {
    const acknowledged: (readonly string[])[] = [];
    const polling = {
      poll: async (_aspspId: string, acknowledge: readonly string[]) => {
        acknowledged.push(acknowledge);
        return {
          notifications: [{ aspspId: 'mock-v31', jti: 'jti-1', issuedAt: '2026-11-24T10:00:00.000Z', events: [{ kind: 'resource-update' as const, resourceType: 'transactions', resourceId: 'a-1' }] }],
          moreAvailable: false,
        };
      },
    };
    const forgotten: string[] = [];
    const remembering: NotificationLedger = { recordFirst: async () => true, forget: async (_aspspId, jti) => void forgotten.push(jti) };
    const queue = {
      enqueue: async () => {
        throw new Error('SQS unavailable');
      },
    };
    await expect(drainPolledEvents('mock-v31', { polling, ledger: remembering, queue, clock: fixedClock() })).rejects.toThrow('SQS unavailable');
    expect(acknowledged).toEqual([[]]);
    expect(forgotten).toEqual(['jti-1']);
  });
});
