import { type DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { batchGetAll } from './batch-get';
import { type CashMove, type CashPosition, type CashPositionStore, isNoMove, type PositionRef, sumShards } from '../../domain/cash/cash-position';
import { SETTING_VARIABLES } from '../../runtime/environment';
import { cashPositionKey, cashPositionListKey, cashShardKey } from './keys';
import { fromItem } from './items';

/** Default number of sub-items per balance: 1,000 settlements/s on one account at 2 write units each stays under half a partition's 1,000 WCU/s per shard. */
export const DEFAULT_BALANCE_SHARDS = 4;
export const MAX_BALANCE_SHARDS = 64;

/**
 * How many sub-items balances are spread over, from SETTLED_BALANCE_SHARDS (1 to 64). Writers pick one at random;
 * readers sum all of them, so the number may be raised at any time but never lowered (a lowered count would leave
 * the money on the higher sub-items unread).
 */
export const balanceShardCount = (environment: NodeJS.ProcessEnv = process.env): number => {
  const configured = environment[SETTING_VARIABLES.balanceShards];
  if (configured === undefined || configured === '') return DEFAULT_BALANCE_SHARDS;
  const count = Number(configured);
  if (!Number.isInteger(count) || count < 1 || count > MAX_BALANCE_SHARDS) {
    throw new Error(`${SETTING_VARIABLES.balanceShards} must be a whole number from 1 to ${MAX_BALANCE_SHARDS}, not ${configured}`);
  }
  return count;
};

type TransactItem = NonNullable<NonNullable<ConstructorParameters<typeof import('@aws-sdk/lib-dynamodb').TransactWriteCommand>[0]>['TransactItems']>[number];

/**
 * The writes that apply moves, to go in the same TransactWriteItems as what causes them: one atomic ADD per position
 * moved (moves of one position summed: a transaction may not touch one item twice), on a sub-item picked at random.
 * Unconditional: the cause's own condition (a transaction stored once, a payment at its version) makes it once.
 */
export const cashMoveWrites = (
  tableName: string,
  moves: readonly { readonly position: PositionRef; readonly move: CashMove }[],
  at: string,
  shards: number = balanceShardCount(),
  random: () => number = Math.random,
): TransactItem[] => {
  const byPosition = new Map<string, { position: PositionRef; move: CashMove }>();
  for (const { position, move } of moves) {
    const key = `${position.tenantId}|${position.accountId}|${position.currency}`;
    const sum = byPosition.get(key)?.move;
    byPosition.set(key, {
      position,
      move:
        sum === undefined
          ? move
          : { settled: sum.settled + move.settled, pendingInbound: sum.pendingInbound + move.pendingInbound, pendingOutbound: sum.pendingOutbound + move.pendingOutbound },
    });
  }
  return [...byPosition.values()]
    .filter(({ move }) => !isNoMove(move))
    .map(({ position, move }) => ({
      Update: {
        TableName: tableName,
        Key: cashShardKey(position.tenantId, position.accountId, position.currency, Math.floor(random() * shards)),
        UpdateExpression: 'ADD settledBalance :settled, pendingInbound :in, pendingOutbound :out SET asOf = :at, entity = :entity',
        ExpressionAttributeValues: { ':settled': move.settled, ':in': move.pendingInbound, ':out': move.pendingOutbound, ':at': at, ':entity': 'cashShard' },
      },
    }));
};

/**
 * Cash positions as sharded counters: the position item (opening balance, listed per tenant) plus N sub-items that
 * every move is added to at random, summed on read with one consistent BatchGetItem.
 */
export class DynamoDbCashPositionStore implements CashPositionStore {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
    private readonly shards: number = balanceShardCount(),
  ) {}

  async get(tenantId: string, accountId: string, currency: string): Promise<CashPosition | undefined> {
    const [position] = await this.summed([{ tenantId, accountId, currency }]);
    return position;
  }

  async list(tenantId: string): Promise<CashPosition[]> {
    const refs: PositionRef[] = [];
    let startKey: Record<string, unknown> | undefined;
    do {
      const result = await this.client.send(
        new QueryCommand({
          TableName: this.tableName,
          IndexName: 'gsi1',
          KeyConditionExpression: 'gsi1pk = :pk',
          ExpressionAttributeValues: { ':pk': cashPositionListKey(tenantId) },
          ExclusiveStartKey: startKey,
        }),
      );
      refs.push(...(result.Items ?? []).map((item) => fromItem<CashPosition>(item, 'cashPosition')));
      startKey = result.LastEvaluatedKey;
    } while (startKey !== undefined);
    return this.summed(refs);
  }

  /** Each position's item plus its sub-items, read consistently (one BatchGetItem for up to 20 positions). */
  private async summed(refs: readonly PositionRef[]): Promise<CashPosition[]> {
    const keys = refs.flatMap((ref) => [
      cashPositionKey(ref.tenantId, ref.accountId, ref.currency),
      ...Array.from({ length: this.shards }, (_, shard) => cashShardKey(ref.tenantId, ref.accountId, ref.currency, shard)),
    ]);
    const items = new Map((await batchGetAll(this.client, this.tableName, keys)).map((item) => [`${String(item.pk)}|${String(item.sk)}`, item]));
    const positions: CashPosition[] = [];
    for (const ref of refs) {
      const baseKey = cashPositionKey(ref.tenantId, ref.accountId, ref.currency);
      const base = items.get(`${baseKey.pk}|${baseKey.sk}`);
      if (base === undefined) continue;
      const shards = Array.from({ length: this.shards }, (_, shard) => cashShardKey(ref.tenantId, ref.accountId, ref.currency, shard))
        .map((key) => items.get(`${key.pk}|${key.sk}`))
        .filter((item) => item !== undefined)
        .map((item) => ({
          settledBalance: Number(item.settledBalance ?? 0),
          pendingInbound: Number(item.pendingInbound ?? 0),
          pendingOutbound: Number(item.pendingOutbound ?? 0),
          asOf: typeof item.asOf === 'string' ? item.asOf : '',
        }));
      const position = sumShards(fromItem<CashPosition>(base, 'cashPosition'), shards);
      positions.push(position);
    }
    return positions;
  }
}
