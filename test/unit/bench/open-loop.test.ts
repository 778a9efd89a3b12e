import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { openLoop } from '../../../bench/support';

describe('openLoop (the steady load of npm run bench:settlement)', () => {
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'performance'] });
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('starts one request every 1000/rate ms, whatever the earlier ones are still doing', async () => {
    const startedAt: number[] = [];
    const origin = performance.now();
    const run = openLoop({
      rate: 50,
      seconds: 0.2,
      // Every answer takes 100 ms: a closed loop would start the second request only then.
      send: (index) => {
        startedAt[index] = performance.now() - origin;
        return new Promise<number>((resolve) => setTimeout(() => resolve(index), 100));
      },
    });
    await vi.runAllTimersAsync();
    const result = await run;

    expect(startedAt).toEqual([0, 20, 40, 60, 80, 100, 120, 140, 160, 180]);
    expect(result.results.map((settled) => (settled.status === 'fulfilled' ? settled.value : undefined))).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(result.latenciesMs).toEqual(Array.from({ length: 10 }, () => 100));
    expect(result.maxSendLagMs).toBe(0);
  });

  it('times a request from when it was due, so a sender that fell behind counts against the answer', async () => {
    const origin = performance.now();
    const run = openLoop({
      rate: 10,
      seconds: 0.3,
      send: (index) => {
        // The first send holds the sender up for 250 ms (as a busy client would): the next two go out late.
        if (index === 0) vi.advanceTimersByTime(250);
        return new Promise<void>((resolve) => setTimeout(resolve, 10));
      },
    });
    await vi.runAllTimersAsync();
    const result = await run;

    expect(performance.now() - origin).toBeGreaterThanOrEqual(260);
    // Due at 0, 100 and 200 ms; answered 10 ms after going out at 0+250, 250 and 250.
    expect(result.latenciesMs).toEqual([260, 160, 60]);
    expect(result.latencyMs).toEqual({ p50: 160, p90: 260, p99: 260, max: 260 });
    expect(result.maxSendLagMs).toBe(150);
  });

  it('reports a failed request as rejected and still times it', async () => {
    const run = openLoop({ rate: 100, seconds: 0.02, send: (index) => (index === 1 ? Promise.reject(new Error('refused')) : Promise.resolve(index)) });
    await vi.runAllTimersAsync();
    const result = await run;

    expect(result.results.map((settled) => settled.status)).toEqual(['fulfilled', 'rejected']);
    expect(result.failed).toBe(1);
    expect(result.latenciesMs.every((ms) => Number.isFinite(ms))).toBe(true);
  });
});
