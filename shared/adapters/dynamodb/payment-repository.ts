import { ConditionalCheckFailedException, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import {
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  TransactWriteCommand,
} from '@aws-sdk/lib-dynamodb';
import type { Page, PageRequest } from '../../domain/accounts/account';
import type { DomainEvent } from '../../domain/events/domain-event';
import type { Payment } from '../../domain/payments/payment';
import type { PaymentCreationOptions, PaymentCreationOutcome, PaymentFilter, PaymentRepository } from '../../domain/payments/payment-repository';
import type { OpenPaymentCandidate } from '../../domain/settlement/matching';
import type { ReferenceIndex } from '../../domain/settlement/settlement-store';
import { bankPaymentKey, paymentKey, paymentListKey, referenceClaimKey, referenceIndexKey, refundCounterKey } from './keys';
import { idempotencyCompletion } from './idempotency-store';
import { fromItem } from './items';
import { clearOutbox } from './outbox';
import { queryListPage } from './pagination';
import { paymentCashMoves, paymentCreation, paymentTransition } from './payment-items';
import { cashMoveWrites } from './cash-position-store';
import { batchGetAll } from './batch-get';
import { payoutCounterWrites } from './payout-store';

/** Payments, the bank-payment-id lookup, generated-reference claims and the reference index. */
export class DynamoDbPaymentRepository implements PaymentRepository, ReferenceIndex {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async claimReference(tenantId: string, matchingKey: string, paymentId: string): Promise<boolean> {
    try {
      await this.client.send(new PutCommand(referenceClaim(this.tableName, tenantId, matchingKey, paymentId)));
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
  }

  /**
   * One TransactWriteItems: the payment's own writes, then (by `options`) its reference claim and the completion of
   * the request's idempotency record. A claim held by another payment cancels it all: `reference_taken`.
   */
  async create(payment: Payment, options: PaymentCreationOptions = {}): Promise<PaymentCreationOutcome> {
    const items = paymentCreation(this.tableName, payment, options.outbox);
    const claimAt = options.claimReference === true ? items.length : -1;
    const transactItems = [
      ...items,
      ...(options.claimReference === true ? [{ Put: referenceClaim(this.tableName, payment.tenantId, payment.matchingKey, payment.id) }] : []),
      ...(options.idempotency === undefined ? [] : [idempotencyCompletion(this.tableName, options.idempotency)]),
      // What it counts as pending (nothing until executed, for a new payment) moves with it.
      ...cashMoveWrites(this.tableName, paymentCashMoves([{ from: undefined, to: payment }]), payment.updatedAt),
    ];
    try {
      await this.client.send(new TransactWriteCommand({ TransactItems: transactItems }));
      return 'created';
    } catch (error) {
      if (claimAt >= 0 && error instanceof TransactionCanceledException && error.CancellationReasons?.[claimAt]?.Code === 'ConditionalCheckFailed') {
        return 'reference_taken';
      }
      throw error;
    }
  }

  async get(tenantId: string, paymentId: string): Promise<Payment | undefined> {
    return (await this.getStored(tenantId, paymentId))?.payment;
  }

  /**
   * The payment with the events written with it and not yet published, and what its refunds counted so far
   * (undefined when it has none): one Query of the payment's partition, which holds both items, so the same single
   * request as `get`.
   */
  async getWithOutbox(tenantId: string, paymentId: string): Promise<{ payment: Payment; outbox: readonly DomainEvent[]; refunded: number | undefined } | undefined> {
    const { Items = [] } = await this.client.send(
      new QueryCommand({
        TableName: this.tableName,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': paymentKey(tenantId, paymentId).pk },
        ConsistentRead: true,
      }),
    );
    const item = Items.find((candidate) => candidate.sk === paymentKey(tenantId, paymentId).sk);
    if (item === undefined) return undefined;
    const counter = Items.find((candidate) => candidate.sk === refundCounterKey(tenantId, paymentId).sk);
    return {
      payment: toPayment(item),
      outbox: Array.isArray(item.outbox) ? (item.outbox as DomainEvent[]) : [],
      refunded: typeof counter?.refunded === 'number' ? counter.refunded : undefined,
    };
  }

  async list(tenantId: string, filter: PaymentFilter, page: PageRequest): Promise<Page<Payment>> {
    const { createdTo, ...equals } = filter;
    return queryListPage<Payment>(this.client, this.tableName, {
      partition: paymentListKey(tenantId),
      entity: 'payment',
      page,
      newestFirst: true,
      equals,
      createdBetween: { to: createdTo },
    });
  }

  async findByBankPaymentId(provider: string, bankPaymentId: string) {
    const { Item } = await this.client.send(
      new GetCommand({ TableName: this.tableName, Key: bankPaymentKey(provider, bankPaymentId), ConsistentRead: true }),
    );
    // A payout batch's own id (its authorisation decision) names no payment.
    if (Item === undefined || typeof Item.paymentId !== 'string') return undefined;
    return this.getStored(String(Item.tenantId), Item.paymentId);
  }

  async update(previous: Payment, next: Payment, outbox: readonly DomainEvent[]): Promise<boolean> {
    try {
      await this.client.send(
        new TransactWriteCommand({
          TransactItems: [
            ...paymentTransition(this.tableName, previous, next, outbox),
            // Its pending contribution moves with it, once: the write is conditional on the version read.
            ...cashMoveWrites(this.tableName, paymentCashMoves([{ from: previous, to: next }]), next.updatedAt),
            // A payout item's batch counters move with its status (nothing for other payments).
            ...payoutCounterWrites(this.tableName, [{ from: previous, to: next }]),
          ],
        }),
      );
      return true;
    } catch (error) {
      if (error instanceof TransactionCanceledException) return false;
      throw error;
    }
  }

  async clearOutbox(tenantId: string, paymentId: string, published: readonly DomainEvent[]): Promise<void> {
    await clearOutbox(this.client, this.tableName, paymentKey(tenantId, paymentId), published);
  }

  async findCandidates(tenantId: string, accountId: string, keys: readonly string[], prefixKey: string | null): Promise<OpenPaymentCandidate[]> {
    const found: OpenPaymentCandidate[] = [];
    // Exact keys: one batched read whatever the number of open payments.
    const unique = [...new Set(keys)].slice(0, 100);
    // A candidate left unread would be a wrong decision: unprocessed keys are read again (batch-get.ts).
    for (const item of await batchGetAll(this.client, this.tableName, unique.map((key) => referenceIndexKey(tenantId, accountId, key)))) found.push(...candidatesOf(item));
    // Skipped when the reference field's key is itself a stored key: a whole key is never a truncation of another
    // (matching.ts decideMatch), so what the query could find would not count.
    if (prefixKey !== null && !found.some((candidate) => candidate.matchingKey === prefixKey)) {
      const { pk } = referenceIndexKey(tenantId, accountId, prefixKey);
      const result = await this.client.send(
        new QueryCommand({
          TableName: this.tableName,
          KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
          ExpressionAttributeValues: { ':pk': pk, ':prefix': prefixKey },
          ConsistentRead: true,
          Limit: 25,
        }),
      );
      for (const item of result.Items ?? []) found.push(...candidatesOf(item));
    }
    const seen = new Set<string>();
    return found.filter((candidate) => !seen.has(candidate.paymentId) && seen.add(candidate.paymentId));
  }

  private async getStored(tenantId: string, paymentId: string): Promise<{ payment: Payment; outbox: readonly DomainEvent[] } | undefined> {
    const { Item } = await this.client.send(
      new GetCommand({ TableName: this.tableName, Key: paymentKey(tenantId, paymentId), ConsistentRead: true }),
    );
    if (Item === undefined) return undefined;
    return { payment: toPayment(Item), outbox: Array.isArray(Item.outbox) ? (Item.outbox as DomainEvent[]) : [] };
  }
}

/** The claim of a generated reference's matching key for one payment of the tenant, only if unclaimed. */
const referenceClaim = (tableName: string, tenantId: string, matchingKey: string, paymentId: string) => ({
  TableName: tableName,
  Item: { ...referenceClaimKey(tenantId, matchingKey), entity: 'referenceClaim', paymentId },
  ConditionExpression: 'attribute_not_exists(pk)',
});

/** Payments stored before providers other than the sandbox existed carry neither provider nor redirect URL. */
const toPayment = (item: Record<string, unknown>): Payment => {
  const stored = fromItem<Omit<Payment, 'provider' | 'redirectUrl'> & Partial<Pick<Payment, 'provider' | 'redirectUrl'>>>(item, 'payment');
  return { ...stored, provider: stored.provider ?? 'sandbox', redirectUrl: stored.redirectUrl ?? null };
};

const candidatesOf = (item: Record<string, unknown>): OpenPaymentCandidate[] => {
  const parse = (set: unknown, open: boolean): OpenPaymentCandidate[] =>
    (set instanceof Set ? [...(set as Set<string>)] : []).flatMap((entry) => {
      const [paymentId, currency, direction] = entry.split('|');
      if (paymentId === undefined || currency === undefined || (direction !== 'inbound' && direction !== 'outbound')) return [];
      return [{ paymentId, matchingKey: String(item.sk), currency, direction, open }];
    });
  return [...parse(item.entries, true), ...parse(item.closed, false)];
};
