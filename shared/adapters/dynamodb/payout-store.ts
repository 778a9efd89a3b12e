import { createHash } from 'node:crypto';
import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import {
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  TransactWriteCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import type { Page, PageRequest } from '../../domain/accounts/account';
import { batchPutAll, inParallel } from './batch-write';
import type { DomainEvent } from '../../domain/events/domain-event';
import type { IdempotencyCompletion } from '../../domain/idempotency/idempotency';
import { PAYMENT_STATUSES, type Payment } from '../../domain/payments/payment';
import { type CounterMove, counterMoves, emptyCounters, type Payout, type PayoutCounters, payoutItemIndex, payoutPaymentId, sumCounters } from '../../domain/payouts/payout';
import type { PayoutBegin, PayoutStore } from '../../domain/payouts/payout-store';
import { batchGetAll } from './batch-get';
import { idempotencyCompletion } from './idempotency-store';
import { fromItem } from './items';
import { bankPaymentKey, paymentKey, referenceClaimKey } from './keys';
import { UNBUCKETED } from './list-partitions';
import { clearOutbox } from './outbox';
import { queryListPage } from './pagination';
import { addToReferenceIndex, paymentItem } from './payment-items';

/**
 * Payout batches (docs/architecture.md, "Bulk payouts"). The batch item, its chunk markers, and its counters each in
 * a partition of their own (`…#BAT#<id>#<shard>`, PAYOUT_COUNTER_SHARDS of them) so a batch settling a thousand items
 * a second is spread over as many partitions; readers sum the shards with one consistent BatchGetItem.
 */
export const PAYOUT_COUNTER_SHARDS = 8;
/** Items read per BatchGetItem when listing a batch's items. */
const READ_SIZE = 100;

export const payoutKey = (tenantId: string, payoutId: string) => ({ pk: `${tenantId}#BAT#${payoutId}`, sk: 'PAYOUT' });
export const payoutChunkKey = (tenantId: string, payoutId: string, chunk: number) => ({ pk: `${tenantId}#BAT#${payoutId}`, sk: `CHUNK#${String(chunk).padStart(4, '0')}` });
export const payoutCounterKey = (tenantId: string, payoutId: string, shard: number) => ({ pk: `${tenantId}#BAT#${payoutId}#${String(shard).padStart(2, '0')}`, sk: 'COUNT' });
export const payoutListKey = (tenantId: string) => `${tenantId}#PAYOUTS`;

/** The counter shard of an item: fixed per payment, so one item's moves always land on the same sub-item. */
export const counterShardOf = (paymentId: string): number => createHash('sha256').update(paymentId).digest().readUInt16BE(0) % PAYOUT_COUNTER_SHARDS;

type TransactItem = NonNullable<NonNullable<ConstructorParameters<typeof TransactWriteCommand>[0]>['TransactItems']>[number];

const countName = (status: string) => `c_${status}`;
const amountName = (status: string) => `a_${status}`;

/**
 * The counter writes of payout payments changing status, for the SAME TransactWriteItems as the payments' own
 * conditional writes (so a count moves exactly when its item's status does, however often a message is redelivered).
 * One ADD per counter shard touched (moves on one shard summed: a transaction may not touch an item twice). Nothing
 * for payments that are not payout items: a single payment's write is exactly what it was.
 */
export const payoutCounterWrites = (tableName: string, changes: readonly { readonly from: Payment; readonly to: Payment }[]): TransactItem[] => {
  const byShard = new Map<string, { key: { pk: string; sk: string }; deltas: Map<string, number> }>();
  for (const { from, to } of changes) {
    if (to.payoutId === undefined) continue;
    const moves: CounterMove[] = counterMoves(from, to);
    if (moves.length === 0) continue;
    const key = payoutCounterKey(to.tenantId, to.payoutId, counterShardOf(to.id));
    const entry = byShard.get(key.pk) ?? { key, deltas: new Map<string, number>() };
    for (const move of moves) {
      entry.deltas.set(countName(move.status), (entry.deltas.get(countName(move.status)) ?? 0) + move.count);
      entry.deltas.set(amountName(move.status), (entry.deltas.get(amountName(move.status)) ?? 0) + move.amount);
    }
    byShard.set(key.pk, entry);
  }
  return [...byShard.values()].flatMap(({ key, deltas }) => {
    const moved = [...deltas.entries()].filter(([, delta]) => delta !== 0);
    if (moved.length === 0) return [];
    const names: Record<string, string> = {};
    const values: Record<string, unknown> = { ':entity': 'payoutCounter' };
    const adds = moved.map(([name, delta], index) => {
      names[`#m${index}`] = name;
      values[`:m${index}`] = delta;
      return `#m${index} :m${index}`;
    });
    return [{ Update: { TableName: tableName, Key: key, UpdateExpression: `ADD ${adds.join(', ')} SET entity = :entity`, ExpressionAttributeNames: names, ExpressionAttributeValues: values } }];
  });
};

const countersFromItem = (item: Record<string, unknown>): PayoutCounters => {
  const counters = emptyCounters();
  for (const status of PAYMENT_STATUSES) {
    const count = item[countName(status)];
    const amount = item[amountName(status)];
    counters[status] = { count: typeof count === 'number' ? count : 0, amount: typeof amount === 'number' ? amount : 0 };
  }
  return counters;
};

const counterAttributes = (counters: PayoutCounters): Record<string, number> =>
  Object.fromEntries(PAYMENT_STATUSES.flatMap((status) => [[countName(status), counters[status].count], [amountName(status), counters[status].amount]]));

export class DynamoDbPayoutStore implements PayoutStore {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async begin(draft: Payout, tokenClaim: string): Promise<PayoutBegin> {
    try {
      await this.client.send(
        new TransactWriteCommand({
          TransactItems: [
            { Put: { TableName: this.tableName, Item: { ...payoutKey(draft.tenantId, draft.id), entity: 'payout', ...draft }, ConditionExpression: 'attribute_not_exists(pk)' } },
            {
              Put: {
                TableName: this.tableName,
                Item: { ...referenceClaimKey(draft.tenantId, tokenClaim), entity: 'referenceClaim', payoutId: draft.id },
                ConditionExpression: 'attribute_not_exists(pk)',
              },
            },
          ],
        }),
      );
      return { outcome: 'created', payout: draft };
    } catch (error) {
      if (!(error instanceof TransactionCanceledException)) throw error;
      const [batch, claim] = error.CancellationReasons ?? [];
      if (batch?.Code === 'ConditionalCheckFailed') {
        const stored = await this.get(draft.tenantId, draft.id);
        if (stored === undefined) throw new Error(`Payout ${draft.id} vanished while being stored`);
        if (stored.fingerprint !== draft.fingerprint) return { outcome: 'conflict', payout: stored };
        return { outcome: stored.status === 'storing' ? 'resumed' : 'stored', payout: stored };
      }
      if (claim?.Code === 'ConditionalCheckFailed') return { outcome: 'token_taken' };
      throw error;
    }
  }

  async putItems(payments: readonly Payment[]): Promise<void> {
    const now = Date.now();
    await batchPutAll(this.client, this.tableName, payments.map((payment) => paymentItem(payment, now)));
  }

  async finish(payout: Payout, counters: PayoutCounters, completion: IdempotencyCompletion | undefined): Promise<boolean> {
    try {
      await this.client.send(
        new TransactWriteCommand({
          TransactItems: [
            {
              Update: {
                TableName: this.tableName,
                Key: payoutKey(payout.tenantId, payout.id),
                UpdateExpression: 'SET #status = :ready, gsi1pk = :list, gsi1sk = :position',
                ConditionExpression: '#status = :storing',
                ExpressionAttributeNames: { '#status': 'status' },
                ExpressionAttributeValues: { ':ready': 'authorisation_required', ':storing': 'storing', ':list': payoutListKey(payout.tenantId), ':position': `${payout.createdAt}#${payout.id}` },
              },
            },
            { Put: { TableName: this.tableName, Item: { ...payoutCounterKey(payout.tenantId, payout.id, 0), entity: 'payoutCounter', ...counterAttributes(counters) } } },
            {
              Put: {
                TableName: this.tableName,
                // The bank reports its decision on the batch under the batch's own id.
                Item: { ...bankPaymentKey(payout.provider, payout.bankBatchId), entity: 'bankPayout', tenantId: payout.tenantId, payoutId: payout.id },
              },
            },
            ...(completion === undefined ? [] : [idempotencyCompletion(this.tableName, completion)]),
          ],
        }),
      );
      return true;
    } catch (error) {
      if (error instanceof TransactionCanceledException) return false;
      throw error;
    }
  }

  async get(tenantId: string, payoutId: string): Promise<Payout | undefined> {
    const { Item } = await this.client.send(new GetCommand({ TableName: this.tableName, Key: payoutKey(tenantId, payoutId), ConsistentRead: true }));
    return Item === undefined ? undefined : fromItem<Payout>(Item, 'payout');
  }

  async getWithOutbox(tenantId: string, payoutId: string): Promise<{ payout: Payout; outbox: readonly DomainEvent[] } | undefined> {
    const { Item } = await this.client.send(new GetCommand({ TableName: this.tableName, Key: payoutKey(tenantId, payoutId), ConsistentRead: true }));
    if (Item === undefined) return undefined;
    return { payout: fromItem<Payout>(Item, 'payout'), outbox: Array.isArray(Item.outbox) ? (Item.outbox as DomainEvent[]) : [] };
  }

  async counters(tenantId: string, payoutId: string): Promise<PayoutCounters> {
    const keys = Array.from({ length: PAYOUT_COUNTER_SHARDS }, (_, shard) => payoutCounterKey(tenantId, payoutId, shard));
    return sumCounters((await batchGetAll(this.client, this.tableName, keys)).map(countersFromItem));
  }

  async list(tenantId: string, page: PageRequest): Promise<Page<Payout>> {
    return queryListPage<Payout>(this.client, this.tableName, { partition: payoutListKey(tenantId), entity: 'payout', page, newestFirst: true, schedule: UNBUCKETED });
  }

  /** Items [from, to) of the batch in index order (their ids derive from it), read consistently. */
  async items(payout: Pick<Payout, 'tenantId' | 'id'>, from: number, to: number): Promise<Payment[]> {
    const ids = Array.from({ length: Math.max(0, to - from) }, (_, offset) => payoutPaymentId(payout.id, from + offset));
    const found = await batchGetAll(this.client, this.tableName, ids.map((id) => paymentKey(payout.tenantId, id)));
    const byId = new Map(found.map((item) => [String(item.id), fromItem<Payment>(item, 'payment')]));
    return ids.flatMap((id) => {
      const payment = byId.get(id);
      return payment === undefined ? [] : [payment];
    });
  }

  async itemsPage(
    payout: Pick<Payout, 'tenantId' | 'id' | 'itemCount'>,
    filter: { readonly from: number; readonly limit: number; readonly status?: Payment['status'] | undefined; readonly maxScanned: number },
  ): Promise<{ readonly data: readonly Payment[]; readonly next: number | null }> {
    const data: Payment[] = [];
    let index = filter.from;
    while (index < payout.itemCount && data.length < filter.limit && index - filter.from < filter.maxScanned) {
      const to = Math.min(payout.itemCount, index + READ_SIZE);
      const read = await this.items(payout, index, to);
      index = to;
      for (const item of read) {
        if (filter.status !== undefined && item.status !== filter.status) continue;
        data.push(item);
        if (data.length === filter.limit) {
          // Continue right after the last item kept.
          index = payoutItemIndex(item.id) + 1;
          break;
        }
      }
    }
    return { data, next: index < payout.itemCount ? index : null };
  }

  /**
   * What the bank's reports on these items need before the bank sees them: each item's bank payment id lookup
   * (PutItem of a fixed item: writing it again changes nothing) and its reference-index entry (ADD to a set: the
   * same). Idempotent, so a redelivered chunk prepares again harmlessly.
   */
  async prepareForBank(payments: readonly Payment[]): Promise<void> {
    await batchPutAll(
      this.client,
      this.tableName,
      payments.map((payment) => ({ ...bankPaymentKey(payment.provider, payment.bankPaymentId), entity: 'bankPayment', tenantId: payment.tenantId, paymentId: payment.id })),
    );
    await inParallel(payments, 16, async (payment) => {
      await this.client.send(new UpdateCommand(addToReferenceIndex(this.tableName, payment).Update));
    });
  }

  async chunkHanded(tenantId: string, payoutId: string, chunk: number): Promise<boolean> {
    const { Item } = await this.client.send(new GetCommand({ TableName: this.tableName, Key: payoutChunkKey(tenantId, payoutId, chunk), ConsistentRead: true }));
    return Item !== undefined;
  }

  async markChunkHanded(tenantId: string, payoutId: string, chunk: number, outcome: { readonly accepted: boolean; readonly reason?: string | undefined }, at: string): Promise<void> {
    await this.client.send(
      new PutCommand({
        TableName: this.tableName,
        Item: { ...payoutChunkKey(tenantId, payoutId, chunk), entity: 'payoutChunk', accepted: outcome.accepted, reason: outcome.reason ?? null, at },
      }),
    );
  }

  /** The batch's authorisation decision, once: from authorisation_required only. False when already decided. */
  async decide(payout: Payout, status: 'processing' | 'rejected', at: string, chunkSize: number): Promise<boolean> {
    try {
      await this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: payoutKey(payout.tenantId, payout.id),
          UpdateExpression: 'SET #status = :status, authorisedAt = :authorisedAt, updatedAt = :at, chunkSize = :chunkSize',
          ConditionExpression: '#status = :awaiting',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: { ':status': status, ':authorisedAt': status === 'processing' ? at : null, ':at': at, ':awaiting': 'authorisation_required', ':chunkSize': chunkSize },
        }),
      );
      return true;
    } catch (error) {
      if (error instanceof Error && error.name === 'ConditionalCheckFailedException') return false;
      throw error;
    }
  }

  /** Completes the batch once (keyed by the batch: only a processing one), with its event in the outbox. */
  async complete(payout: Payout, status: 'completed' | 'completed_with_failures', at: string, outbox: readonly DomainEvent[]): Promise<boolean> {
    try {
      await this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: payoutKey(payout.tenantId, payout.id),
          UpdateExpression: 'SET #status = :status, completedAt = :at, updatedAt = :at, outbox = :outbox',
          ConditionExpression: '#status = :processing',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: { ':status': status, ':at': at, ':processing': 'processing', ':outbox': outbox },
        }),
      );
      return true;
    } catch (error) {
      if (error instanceof Error && error.name === 'ConditionalCheckFailedException') return false;
      throw error;
    }
  }

  async clearOutbox(tenantId: string, payoutId: string, published: readonly DomainEvent[]): Promise<void> {
    await clearOutbox(this.client, this.tableName, payoutKey(tenantId, payoutId), published);
  }

  /** The batch a bank's id for it names (its authorisation decision arrives under that id). */
  async findByBankBatchId(provider: string, bankBatchId: string): Promise<Payout | undefined> {
    const { Item } = await this.client.send(new GetCommand({ TableName: this.tableName, Key: bankPaymentKey(provider, bankBatchId), ConsistentRead: true }));
    if (Item?.entity !== 'bankPayout' || typeof Item.tenantId !== 'string' || typeof Item.payoutId !== 'string') return undefined;
    return this.get(Item.tenantId, Item.payoutId);
  }
}
