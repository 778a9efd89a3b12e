import type { EventBridgeEvent } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { LocalEventBus } from '../../../../infra/local/local-event-bus';
import { LocalQueue } from '../../../../infra/local/local-queue';
import type { EventRule } from '../../../../infra/topology';

const rule = (name: string, detailTypes: string[], retryAttempts = 2): EventRule => ({
  name,
  detailTypes,
  target: 'health',
  retryAttempts,
  maxEventAgeSeconds: 60,
});

const busWith = (rules: EventRule[], targets: Record<string, (event: EventBridgeEvent<string, unknown>) => Promise<unknown>>) => {
  const deadLetters = new Map(rules.map((r) => [r.name, new LocalQueue({ name: `${r.name}-dlq`, visibilityTimeoutMs: 10, maxReceiveCount: undefined, deadLetterQueue: undefined })]));
  const bus = new LocalEventBus({
    rules,
    targetOf: (r) => targets[r.name] ?? (async () => undefined),
    deadLetterQueueOf: (r) => deadLetters.get(r.name) ?? new LocalQueue({ name: 'x', visibilityTimeoutMs: 1, maxReceiveCount: undefined, deadLetterQueue: undefined }),
    retryBaseDelayMs: 1,
    onError: () => undefined,
  });
  return { bus, deadLetters };
};

describe('LocalEventBus', () => {
  it('delivers an event only to the rules that list its detail-type', async () => {
    const received: string[] = [];
    const { bus } = busWith([rule('settled', ['payment.settled']), rule('all', ['payment.settled', 'payment.failed'])], {
      settled: async (event) => received.push(`settled:${event['detail-type']}`),
      all: async (event) => received.push(`all:${event['detail-type']}`),
    });
    bus.put({ source: 'settled', detailType: 'payment.failed', detail: '{"a":1}' });
    bus.put({ source: 'other', detailType: 'payment.settled', detail: '{}' });
    await bus.idle();
    expect(received).toEqual(['all:payment.failed']);
  });

  it('delivers to a rule with detailFieldPresent only the events whose detail has that field', async () => {
    const received: string[] = [];
    const payoutsOnly: EventRule = { ...rule('payouts', ['payment.settled']), detailFieldPresent: 'data.payoutId' };
    const { bus } = busWith([payoutsOnly, rule('every', ['payment.settled'])], {
      payouts: async (event) => received.push(`payouts:${JSON.stringify(event.detail)}`),
      every: async () => received.push('every'),
    });
    bus.put({ source: 'settled', detailType: 'payment.settled', detail: '{"data":{"id":"pay_1"}}' });
    bus.put({ source: 'settled', detailType: 'payment.settled', detail: '{"data":{"id":"pay_2","payoutId":"bat_1"}}' });
    bus.put({ source: 'settled', detailType: 'payment.settled', detail: '{"data":"pay_3"}' });
    await bus.idle();
    expect(received.filter((entry) => entry.startsWith('payouts:'))).toEqual(['payouts:{"data":{"id":"pay_2","payoutId":"bat_1"}}']);
    expect(received.filter((entry) => entry === 'every')).toHaveLength(3);
  });

  it('delivers to a rule with detailFieldAbsent only the events whose detail lacks that field', async () => {
    const received: string[] = [];
    const notFannedOut: EventRule = { ...rule('callbacks', ['payment.settled']), detailFieldAbsent: 'metadata.fannedOut' };
    const { bus } = busWith([notFannedOut], { callbacks: async (event) => received.push(JSON.stringify(event.detail)) });
    bus.put({ source: 'settled', detailType: 'payment.settled', detail: '{"metadata":{"id":"evt_1"}}' });
    bus.put({ source: 'settled', detailType: 'payment.settled', detail: '{"metadata":{"id":"evt_2","fannedOut":true}}' });
    bus.put({ source: 'settled', detailType: 'payment.settled', detail: '{"data":{}}' });
    await bus.idle();
    expect(received).toEqual(['{"metadata":{"id":"evt_1"}}', '{"data":{}}']);
  });

  it('reports when the first attempt on each rule started after the put, and not again for a retry', async () => {
    const started: string[] = [];
    let attempts = 0;
    const bus = new LocalEventBus({
      rules: [rule('flaky', ['x'], 3), rule('steady', ['x'])],
      targetOf: (r) => async () => {
        if (r.name === 'flaky' && (attempts += 1) < 2) throw new Error('throttled');
      },
      deadLetterQueueOf: () => new LocalQueue({ name: 'dlq', visibilityTimeoutMs: 1, maxReceiveCount: undefined, deadLetterQueue: undefined }),
      retryBaseDelayMs: 1,
      onError: () => undefined,
      onFirstAttempt: (r, waitedMs) => started.push(`${r.name}:${waitedMs >= 0}`),
    });
    bus.put({ source: 'settled', detailType: 'x', detail: '{}' });
    await bus.idle();
    expect(attempts).toBe(2);
    expect(started.sort()).toEqual(['flaky:true', 'steady:true']);
  });

  it('retries a failing target and succeeds without dead-lettering', async () => {
    let attempts = 0;
    const { bus, deadLetters } = busWith([rule('flaky', ['x'], 3)], {
      flaky: async () => {
        attempts += 1;
        if (attempts < 3) throw new Error('throttled');
      },
    });
    bus.put({ source: 'settled', detailType: 'x', detail: '{}' });
    await bus.idle();
    expect(attempts).toBe(3);
    expect(deadLetters.get('flaky')?.size).toBe(0);
  });

  it('dead-letters the whole event after 1 + retryAttempts failures', async () => {
    let attempts = 0;
    const { bus, deadLetters } = busWith([rule('broken', ['x'], 2)], {
      broken: async () => {
        attempts += 1;
        throw new Error('down');
      },
    });
    bus.put({ source: 'settled', detailType: 'x', detail: '{"paymentId":"pay_1"}' });
    await bus.idle();
    expect(attempts).toBe(3);
    const [dead] = deadLetters.get('broken')?.peekAll() ?? [];
    expect(JSON.parse(dead?.body ?? '{}')).toMatchObject({ source: 'settled', 'detail-type': 'x', detail: { paymentId: 'pay_1' } });
  });
});
