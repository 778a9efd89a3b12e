import { ConditionalCheckFailedException, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, GetCommand, PutCommand, TransactWriteCommand, type TransactWriteCommandInput, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { Page, PageRequest } from '../../domain/accounts/account';
import type { DomainEvent } from '../../domain/events/domain-event';
import type { IdempotencyCompletion } from '../../domain/idempotency/idempotency';
import type { Mandate, PeriodUsage } from '../../domain/mandates/mandate';
import type { MandatePaymentOutcome, MandateRepository, UsageClaim } from '../../domain/mandates/ports';
import type { Payment } from '../../domain/payments/payment';
import { batchGetAll } from './batch-get';
import { cashMoveWrites } from './cash-position-store';
import { idempotencyCompletion } from './idempotency-store';
import { fromItem, setExpression } from './items';
import { referenceClaimKey } from './keys';
import { listPartitionOf, listShardSchedule } from './list-partitions';
import { appendToOutbox, clearOutbox } from './outbox';
import { queryListPage } from './pagination';
import { paymentCashMoves, paymentCreation } from './payment-items';

export const mandatePartition = (tenantId: string, mandateId: string) => `${tenantId}#MAN#${mandateId}`;
export const mandateKey = (tenantId: string, mandateId: string) => ({ pk: mandatePartition(tenantId, mandateId), sk: 'MANDATE' });
export const mandateListKey = (tenantId: string) => `${tenantId}#MANDATES`;
/** One period window's usage: keyed by mandate + period + window start, so each window is counted on its own item. */
export const mandateUsageKey = (tenantId: string, mandateId: string, period: string, windowStart: number) => ({
  pk: mandatePartition(tenantId, mandateId),
  sk: `USAGE#${period}#${new Date(windowStart).toISOString()}`,
});

/** Concurrent transactions on one window's item cancel each other (TransactionConflict): tried again, never refused. */
const MAX_CONFLICT_RETRIES = 60;
const pause = (ms: number) => new Promise((resolveWait) => setTimeout(resolveWait, ms));

/** Mandates, their period-window usage items, and the one write that takes a payment under a mandate. */
export class DynamoDbMandateRepository implements MandateRepository {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async create(mandate: Mandate, idempotency?: IdempotencyCompletion): Promise<void> {
    const sortKey = `${mandate.createdAt}#${mandate.id}`;
    const put = {
      TableName: this.tableName,
      Item: {
        ...mandateKey(mandate.tenantId, mandate.id),
        gsi1pk: listPartitionOf(mandateListKey(mandate.tenantId), listShardSchedule(), sortKey, mandate.id, Date.now()),
        gsi1sk: sortKey,
        entity: 'mandate',
        ...mandate,
      },
      ConditionExpression: 'attribute_not_exists(pk)',
    };
    if (idempotency === undefined) {
      await this.client.send(new PutCommand(put));
      return;
    }
    await this.client.send(new TransactWriteCommand({ TransactItems: [{ Put: put }, idempotencyCompletion(this.tableName, idempotency)] }));
  }

  async get(tenantId: string, mandateId: string): Promise<{ mandate: Mandate; outbox: readonly DomainEvent[] } | undefined> {
    const { Item } = await this.client.send(new GetCommand({ TableName: this.tableName, Key: mandateKey(tenantId, mandateId), ConsistentRead: true }));
    if (Item === undefined) return undefined;
    return { mandate: fromItem<Mandate>(Item, 'mandate'), outbox: Array.isArray(Item.outbox) ? (Item.outbox as DomainEvent[]) : [] };
  }

  async list(tenantId: string, page: PageRequest): Promise<Page<Mandate>> {
    return queryListPage<Mandate>(this.client, this.tableName, { partition: mandateListKey(tenantId), entity: 'mandate', page, newestFirst: true });
  }

  async usage(mandate: Mandate, windows: readonly UsageClaim[]): Promise<PeriodUsage[]> {
    const keys = windows.map((claim) => mandateUsageKey(mandate.tenantId, mandate.id, claim.limit.period, claim.window.start));
    const items = keys.length === 0 ? [] : await batchGetAll(this.client, this.tableName, keys);
    const used = new Map(items.map((item) => [String(item.sk), typeof item.used === 'number' ? item.used : 0]));
    return windows.map((claim, index) => ({ ...claim, used: used.get(keys[index]?.sk ?? '') ?? 0 }));
  }

  async update(previous: Mandate, next: Mandate, outbox: readonly DomainEvent[]): Promise<boolean> {
    const { id: _id, tenantId: _tenantId, ...fields } = next;
    const expression = setExpression(fields);
    appendToOutbox(expression, outbox);
    try {
      await this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: mandateKey(next.tenantId, next.id),
          UpdateExpression: `SET ${expression.assignments.join(', ')}`,
          ConditionExpression: '#version = :expectedVersion',
          ExpressionAttributeNames: { ...expression.names, '#version': 'version' },
          ExpressionAttributeValues: { ...expression.values, ':expectedVersion': previous.version },
        }),
      );
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
  }

  async clearOutbox(tenantId: string, mandateId: string, published: readonly DomainEvent[]): Promise<void> {
    await clearOutbox(this.client, this.tableName, mandateKey(tenantId, mandateId), published);
  }

  async createPayment(
    mandate: Mandate,
    payment: Payment,
    claims: readonly UsageClaim[],
    options: { readonly claimReference: boolean; readonly idempotency?: IdempotencyCompletion | undefined; readonly outbox: readonly DomainEvent[] },
  ): Promise<MandatePaymentOutcome> {
    const [paymentPut, ...paymentRest] = paymentCreation(this.tableName, payment);
    if (paymentPut === undefined || !('Put' in paymentPut)) throw new Error('A payment creation starts with its Put');
    const transactItems: NonNullable<TransactWriteCommandInput['TransactItems']> = [
      { Put: { ...paymentPut.Put, Item: { ...paymentPut.Put.Item, ...(options.outbox.length === 0 ? {} : { outbox: options.outbox }) } } },
      ...paymentRest,
    ];
    const claimAt = options.claimReference ? transactItems.length : -1;
    if (options.claimReference) {
      transactItems.push({
        Put: {
          TableName: this.tableName,
          Item: { ...referenceClaimKey(payment.tenantId, payment.matchingKey), entity: 'referenceClaim', paymentId: payment.id },
          ConditionExpression: 'attribute_not_exists(pk)',
        },
      });
    }
    if (options.idempotency !== undefined) transactItems.push(idempotencyCompletion(this.tableName, options.idempotency));
    transactItems.push(...cashMoveWrites(this.tableName, paymentCashMoves([{ from: undefined, to: payment }]), payment.updatedAt));
    // Revoked (or otherwise changed status) between the read and this write: nothing is taken.
    const mandateAt = transactItems.length;
    transactItems.push({
      ConditionCheck: {
        TableName: this.tableName,
        Key: mandateKey(mandate.tenantId, mandate.id),
        ConditionExpression: '#status = :active',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: { ':active': 'active' },
      },
    });
    const usageAt = transactItems.length;
    for (const claim of claims) {
      transactItems.push({
        Update: {
          TableName: this.tableName,
          Key: mandateUsageKey(mandate.tenantId, mandate.id, claim.limit.period, claim.window.start),
          UpdateExpression: 'ADD used :amount SET entity = :entity, windowEnd = :windowEnd, maxAmount = :maxAmount',
          // Exact: the window's total after this payment is at most the maximum, whatever runs concurrently.
          ConditionExpression: 'attribute_not_exists(used) OR used <= :room',
          ExpressionAttributeValues: {
            ':amount': payment.amount,
            ':room': claim.limit.maxAmount - payment.amount,
            ':entity': 'mandateUsage',
            ':windowEnd': new Date(claim.window.end).toISOString(),
            ':maxAmount': claim.limit.maxAmount,
          },
        },
      });
    }
    for (let attempt = 0; ; attempt += 1) {
      try {
        await this.client.send(new TransactWriteCommand({ TransactItems: transactItems }));
        return { outcome: 'created' };
      } catch (error) {
        if (!(error instanceof TransactionCanceledException)) throw error;
        const codes = (error.CancellationReasons ?? []).map((reason) => reason.Code ?? 'None');
        const failed = (index: number) => codes[index] === 'ConditionalCheckFailed';
        const exceeded = claims.findIndex((_claim, index) => failed(usageAt + index));
        if (exceeded >= 0) return { outcome: 'limit_exceeded', claimIndex: exceeded };
        if (failed(mandateAt)) return { outcome: 'mandate_not_active' };
        if (claimAt >= 0 && failed(claimAt)) return { outcome: 'reference_taken' };
        if (codes.includes('TransactionConflict') && attempt < MAX_CONFLICT_RETRIES) {
          await pause(5 + Math.floor(Math.random() * Math.min(200, 10 * (attempt + 1))));
          continue;
        }
        throw error;
      }
    }
  }
}
