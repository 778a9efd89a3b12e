import { describe, expect, it } from 'vitest';
import { costOf, DEFAULT_ASSUMPTIONS, LONDON_LIST_PRICES, type RequestCounts, requestUnits } from '../../../bench/cost';

/** One settlement's made-up counts; every figure below is worked out by hand from them. */
const counts: RequestCounts = {
  dynamodb: [
    { command: 'GetItem', requests: 2, items: 2, consistentReads: 1 }, // 1 + 0.5 RRU
    { command: 'PutItem', requests: 1, items: 1, consistentReads: 0 }, // 1 WRU
    { command: 'TransactWriteItems', requests: 1, items: 3, consistentReads: 0 }, // 6 WRU
    { command: 'BatchGetItem', requests: 1, items: 4, consistentReads: 0 }, // 2 RRU
    { command: 'TransactGetItems', requests: 1, items: 2, consistentReads: 0 }, // 4 RRU
    { command: 'Query', requests: 1, items: 1, consistentReads: 1 }, // 1 RRU
  ],
  lambda: [
    { function: 'reconcile', invocations: 1, memoryMb: 1024 },
    { function: 'tenant-callbacks', invocations: 2, memoryMb: 512 },
  ],
  sqsSendRequests: 2,
  sqsConsumedBatches: 1,
  eventBridgeEntries: 3,
};

describe('cost per settlement', () => {
  it('prices DynamoDB by request units: transactional items twice, eventually consistent reads half', () => {
    expect(requestUnits(counts.dynamodb)).toEqual({ wru: 7, rru: 8.5 });
  });

  it('adds up Lambda, SQS, EventBridge and DynamoDB per million at London list prices', () => {
    const cost = costOf(counts, 1e6);
    // 7e6 WRU × $0.7423/M + 8.5e6 RRU × $0.1485/M
    expect(cost.dynamoDb).toBeCloseTo(5.1961 + 1.26225, 9);
    // (1 × 1 GB + 2 × 0.5 GB) × 0.05 s × 1e6 = 100,000 GB-s × $0.0000133334, plus 3e6 requests × $0.20/M
    expect(cost.units.lambdaGbSeconds).toBeCloseTo(100_000, 6);
    expect(cost.lambda).toBeCloseTo(1.33334 + 0.6, 9);
    // 2 sends + 1 batch × (receive + delete) = 4 requests × $0.40/M
    expect(cost.sqs).toBeCloseTo(1.6, 9);
    expect(cost.eventBridge).toBeCloseTo(3, 9);
    expect(cost.total).toBeCloseTo(12.99169, 9);
  });

  it('follows its assumptions and prices', () => {
    const longer = costOf(counts, 1, LONDON_LIST_PRICES, { ...DEFAULT_ASSUMPTIONS, lambdaMsPerInvocation: 100 });
    expect(longer.units.lambdaGbSeconds).toBeCloseTo(0.2, 12);
    const bigItems = costOf(counts, 1, { ...LONDON_LIST_PRICES, dynamoDbWriteRequestUnit: 1, dynamoDbReadRequestUnit: 0 }, { ...DEFAULT_ASSUMPTIONS, writeUnitsPerItem: 3 });
    expect(bigItems.dynamoDb).toBe(21);
  });

  it('refuses a command it has no price for rather than counting it free', () => {
    expect(() => requestUnits([{ command: 'ExecuteStatement', requests: 1, items: 1, consistentReads: 0 }])).toThrow('ExecuteStatement');
  });
});
