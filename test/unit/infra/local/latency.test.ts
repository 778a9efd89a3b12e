import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { LatencyMonitor } from '../../../../infra/local/latency';

describe('LatencyMonitor (POST /_local/latency)', () => {
  const monitor = new LatencyMonitor();
  afterEach(() => {
    monitor.read();
  });
  afterAll(() => {
    monitor.stop();
  });

  it('summarises each hop since the previous read, then starts afresh', () => {
    for (const ms of [5, 1, 3, 2, 4]) monitor.record('dynamodb:GetItem', ms);
    monitor.record('function:payments-api', 40);

    const first = monitor.read();
    const second = monitor.read();

    expect(first.hopsMs).toEqual({
      'dynamodb:GetItem': { n: 5, p50: 3, p99: 5, max: 5 },
      'function:payments-api': { n: 1, p50: 40, p99: 40, max: 40 },
    });
    expect(second.hopsMs).toEqual({});
  });

  it('keeps the newest 100,000 samples of a hop once it has more, overwriting the oldest', () => {
    for (let i = 0; i < 100_000; i += 1) monitor.record('dynamodb-http', 1);
    for (let i = 0; i < 100_000; i += 1) monitor.record('dynamodb-http', 2);
    monitor.record('dynamodb-http', 3);

    const { hopsMs } = monitor.read();

    expect(hopsMs['dynamodb-http']).toEqual({ n: 100_000, p50: 2, p99: 2, max: 3 });
  });
});
