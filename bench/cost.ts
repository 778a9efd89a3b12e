/**
 * The AWS cost of a settlement, from requests counted on the local runtime (npm run bench:settlement). Pure: counts
 * and prices in, dollars out, so the arithmetic is unit-tested (test/unit/bench/cost.test.ts).
 */

/**
 * AWS list prices, eu-west-2 (London), in US dollars, list prices as of 2026, from the public pricing pages:
 * aws.amazon.com/lambda/pricing, aws.amazon.com/sqs/pricing, aws.amazon.com/eventbridge/pricing,
 * aws.amazon.com/dynamodb/pricing/on-demand. Free tiers are left out (they do not scale with settlements).
 */
export const LONDON_LIST_PRICES = {
  /** Lambda, Arm (Graviton), per GB-second of billed duration. */
  lambdaArmGbSecond: 0.0000133334,
  /** Lambda, per request (invocation): $0.20 per million. */
  lambdaRequest: 0.2 / 1e6,
  /** SQS standard queue, per request (each 64 KB chunk of a request's payload is one request): $0.40 per million. */
  sqsRequest: 0.4 / 1e6,
  /** EventBridge, custom events put on a bus, per 64 KB chunk of an entry: $1.00 per million. Deliveries to Lambda targets are free. */
  eventBridgeEntry: 1.0 / 1e6,
  /** DynamoDB on-demand, Standard table class, per write request unit: $0.7423 per million. */
  dynamoDbWriteRequestUnit: 0.7423 / 1e6,
  /** DynamoDB on-demand, Standard table class, per read request unit: $0.1485 per million. */
  dynamoDbReadRequestUnit: 0.1485 / 1e6,
} as const;

export type Prices = { readonly [K in keyof typeof LONDON_LIST_PRICES]: number };

/** DynamoDB requests of one command by one function: requests, items they touched, and items read strongly consistent. */
export interface DynamoDbCount {
  readonly command: string;
  readonly requests: number;
  /** A transaction's or batch's items; equal to `requests` for single-item commands. */
  readonly items: number;
  readonly consistentReads: number;
}

/** What one settlement (or any unit of work) asked of AWS, counted on the local runtime. Averages may be fractional. */
export interface RequestCounts {
  readonly dynamodb: readonly DynamoDbCount[];
  /** Invocations per function, with that function's memory (infra/topology.ts). */
  readonly lambda: readonly { readonly function: string; readonly invocations: number; readonly memoryMb: number }[];
  /** SendMessage calls plus SendMessageBatch calls (a batch of ≤ 10 entries is one request). */
  readonly sqsSendRequests: number;
  /** Batches the Lambda event source received: each is one ReceiveMessage and one DeleteMessageBatch. */
  readonly sqsConsumedBatches: number;
  readonly eventBridgeEntries: number;
}

export interface Assumptions {
  /** Billed duration of every invocation (the local runtime's wall time is not Lambda's). */
  readonly lambdaMsPerInvocation: number;
  /** Items written are ≤ 1 KB and items (or a Query's page) read are ≤ 4 KB: one unit per item, no more. */
  readonly writeUnitsPerItem: number;
  readonly readUnitsPer4Kb: number;
  /** Every SQS payload and EventBridge entry is ≤ 64 KB: one chunk. */
  readonly chunksPerMessage: number;
}

export const DEFAULT_ASSUMPTIONS: Assumptions = { lambdaMsPerInvocation: 50, writeUnitsPerItem: 1, readUnitsPer4Kb: 1, chunksPerMessage: 1 };

const READS = new Set(['GetItem', 'Query', 'Scan', 'BatchGetItem']);
const WRITES = new Set(['PutItem', 'UpdateItem', 'DeleteItem', 'BatchWriteItem']);

/**
 * Request units of DynamoDB requests: a write 1 WRU per item, a TransactWriteItems item 2 WRU, a strongly
 * consistent read 1 RRU, an eventually consistent one 0.5, a TransactGetItems item 2 RRU (each per size unit of the
 * assumptions; a Query is one read of ≤ 4 KB). Throws on a command it does not know, so none is priced as free.
 */
export const requestUnits = (counts: readonly DynamoDbCount[], assumptions: Assumptions = DEFAULT_ASSUMPTIONS): { readonly wru: number; readonly rru: number } => {
  let wru = 0;
  let rru = 0;
  for (const { command, items, consistentReads } of counts) {
    if (command === 'TransactWriteItems') wru += 2 * items * assumptions.writeUnitsPerItem;
    else if (command === 'TransactGetItems') rru += 2 * items * assumptions.readUnitsPer4Kb;
    else if (WRITES.has(command)) wru += items * assumptions.writeUnitsPerItem;
    else if (READS.has(command)) rru += (consistentReads + 0.5 * (items - consistentReads)) * assumptions.readUnitsPer4Kb;
    else throw new Error(`No price for DynamoDB ${command}`);
  }
  return { wru, rru };
};

export interface Cost {
  readonly lambda: number;
  readonly sqs: number;
  readonly eventBridge: number;
  readonly dynamoDb: number;
  readonly total: number;
  readonly units: { readonly lambdaGbSeconds: number; readonly lambdaRequests: number; readonly sqsRequests: number; readonly eventBridgeEntries: number; readonly wru: number; readonly rru: number };
}

/** Dollars for `counts` (one unit of work) times `multiplier` (1e6: per million). */
export const costOf = (counts: RequestCounts, multiplier: number, prices: Prices = LONDON_LIST_PRICES, assumptions: Assumptions = DEFAULT_ASSUMPTIONS): Cost => {
  const lambdaRequests = counts.lambda.reduce((sum, fn) => sum + fn.invocations, 0) * multiplier;
  const lambdaGbSeconds = counts.lambda.reduce((sum, fn) => sum + fn.invocations * (fn.memoryMb / 1024) * (assumptions.lambdaMsPerInvocation / 1000), 0) * multiplier;
  // On AWS the event source's receive and delete are requests too: one each per batch.
  const sqsRequests = (counts.sqsSendRequests + 2 * counts.sqsConsumedBatches) * assumptions.chunksPerMessage * multiplier;
  const eventBridgeEntries = counts.eventBridgeEntries * assumptions.chunksPerMessage * multiplier;
  const units = requestUnits(counts.dynamodb, assumptions);
  const wru = units.wru * multiplier;
  const rru = units.rru * multiplier;
  const lambda = lambdaGbSeconds * prices.lambdaArmGbSecond + lambdaRequests * prices.lambdaRequest;
  const sqs = sqsRequests * prices.sqsRequest;
  const eventBridge = eventBridgeEntries * prices.eventBridgeEntry;
  const dynamoDb = wru * prices.dynamoDbWriteRequestUnit + rru * prices.dynamoDbReadRequestUnit;
  return { lambda, sqs, eventBridge, dynamoDb, total: lambda + sqs + eventBridge + dynamoDb, units: { lambdaGbSeconds, lambdaRequests, sqsRequests, eventBridgeEntries, wru, rru } };
};
