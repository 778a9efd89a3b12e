/**
 * `npm run bench:ceiling`: how many requests a second DynamoDB Local itself answers on this machine, with nothing of
 * Settled in between: 25 requests in flight of each shape a settlement makes (a consistent GetItem, an UpdateItem ADD,
 * a BatchGetItem of 5 keys, a TransactWriteItems of 4 items). Divided by the requests a settlement makes
 * (`npm run bench:settlement`), it bounds the settlements per second the local runtime can reach here, whatever the
 * functions do. First, the whole settlement mix: the 8 requests one settlement makes, in order, 25 settlements in
 * flight — the most settlements a second DynamoDB Local itself allows here, with no function, queue or HTTP in
 * between. One warm-up round, then one measured round per shape; results in bench/results/ceiling.json.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { BatchGetCommand, BatchWriteCommand, GetCommand, TransactWriteCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { ensureTable, startDynamoDbLocal } from '../infra/local/dynamodb-local';
import { localDocumentClient, round } from './support';

const REQUESTS = Number(process.env.BENCH_CEILING_REQUESTS ?? 3000);
const IN_FLIGHT = Number(process.env.BENCH_CEILING_IN_FLIGHT ?? 25);
const TABLE = 'settled';

const key = (i: number) => ({ pk: `CEILING#${i % 1000}`, sk: 'ITEM' });

const shapes: Record<string, (i: number) => object> = {
  'GetItem (consistent)': (i) => new GetCommand({ TableName: TABLE, Key: key(i), ConsistentRead: true }),
  'UpdateItem (ADD)': (i) => new UpdateCommand({ TableName: TABLE, Key: key(i), UpdateExpression: 'ADD n :one', ExpressionAttributeValues: { ':one': 1 } }),
  'BatchGetItem (5 keys, consistent)': (i) =>
    new BatchGetCommand({ RequestItems: { [TABLE]: { Keys: [0, 1, 2, 3, 4].map((k) => key(i * 5 + k)), ConsistentRead: true } } }),
  'TransactWriteItems (4 items)': (i) =>
    new TransactWriteCommand({
      TransactItems: [0, 1, 2, 3].map((k) => ({ Update: { TableName: TABLE, Key: key(i * 4 + k), UpdateExpression: 'ADD n :one', ExpressionAttributeValues: { ':one': 1 } } })),
    }),
};

/**
 * The DynamoDB requests of one settlement as the functions make them (docs/architecture.md §8.1), in order, on keys of
 * their own: the reference-index read, the payment read, reconcile's write (transaction, payment, index, balance
 * sub-item), the position read (item + 4 sub-items), the event log write (3 events), the outbox clear, the group's
 * claim and its mark. Run back to back by each worker, it is the most settlements a second DynamoDB Local allows here.
 */
const settlementMix = async (client: ReturnType<typeof localDocumentClient>, i: number): Promise<void> => {
  const k = (part: string) => ({ pk: `MIX#${i}#${part}`, sk: 'ITEM' });
  const add = (part: string) => ({ Update: { TableName: TABLE, Key: k(part), UpdateExpression: 'ADD n :one', ExpressionAttributeValues: { ':one': 1 } } });
  await client.send(new BatchGetCommand({ RequestItems: { [TABLE]: { Keys: [k('ref')], ConsistentRead: true } } }));
  await client.send(new GetCommand({ TableName: TABLE, Key: k('payment'), ConsistentRead: true }));
  await client.send(new TransactWriteCommand({ TransactItems: [add('txn'), add('payment'), add('ref'), add('shard')] }));
  await client.send(new BatchGetCommand({ RequestItems: { [TABLE]: { Keys: ['pos', 's0', 's1', 's2', 's3'].map(k), ConsistentRead: true } } }));
  await client.send(new TransactWriteCommand({ TransactItems: ['e1', 'e2', 'e3'].map((part) => ({ Put: { TableName: TABLE, Item: { ...k(part), n: 1 }, ConditionExpression: 'attribute_not_exists(pk)' } })) }));
  await client.send(new UpdateCommand({ TableName: TABLE, Key: k('txn'), UpdateExpression: 'REMOVE outbox' }));
  await client.send(new TransactWriteCommand({ TransactItems: [add('d1'), add('d2'), add('d3')] }));
  await client.send(new BatchWriteCommand({ RequestItems: { [TABLE]: ['d1', 'd2', 'd3'].map((part) => ({ PutRequest: { Item: { ...k(part), delivered: true } } })) } }));
};

const main = async () => {
  const loadAtStart = loadavg().map((value) => round(value, 2));
  const dynamoDb = await startDynamoDbLocal({ dataDir: undefined });
  const results: Record<string, number> = {};
  try {
    await ensureTable(dynamoDb.endpoint, TABLE);
    const client = localDocumentClient(dynamoDb.endpoint);
    for (const measured of [false, true]) {
      let next = 0;
      const mixes = Math.round(REQUESTS / 8);
      const started = performance.now();
      await Promise.all(
        Array.from({ length: IN_FLIGHT }, async () => {
          for (let i = next++; i < mixes; i = next++) await settlementMix(client, measured ? i + mixes : i);
        }),
      );
      if (measured) results['settlement mix (8 requests)'] = round(mixes / ((performance.now() - started) / 1000), 0);
    }
    for (const [name, make] of Object.entries(shapes)) {
      for (const measured of [false, true]) {
        let next = 0;
        const started = performance.now();
        await Promise.all(
          Array.from({ length: IN_FLIGHT }, async () => {
            // Bounded parallelism over one counter: each worker takes the next request number.
            for (let i = next++; i < REQUESTS; i = next++) await client.send(make(i) as never);
          }),
        );
        if (measured) results[name] = round(REQUESTS / ((performance.now() - started) / 1000), 0);
      }
    }
  } finally {
    await dynamoDb.stop();
  }
  const report = {
    date: new Date().toISOString(),
    machine: `${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}`,
    loadAverage: { atStart: loadAtStart, atEnd: loadavg().map((value) => round(value, 2)) },
    command: `BENCH_CEILING_REQUESTS=${REQUESTS} BENCH_CEILING_IN_FLIGHT=${IN_FLIGHT} npm run bench:ceiling`,
    requestsPerSecond: results,
  };
  for (const [name, perSecond] of Object.entries(results)) console.log(`${name.padEnd(36)} ${perSecond} ${name.startsWith('settlement') ? 'settlements' : 'requests'}/s (${IN_FLIGHT} in flight)`);
  console.log(JSON.stringify(report, null, 2));
  mkdirSync('bench/results', { recursive: true });
  writeFileSync('bench/results/ceiling.json', `${JSON.stringify(report, null, 2)}\n`);
};

await main();
