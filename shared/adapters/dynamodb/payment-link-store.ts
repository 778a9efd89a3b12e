import { ConditionalCheckFailedException, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, GetCommand, TransactWriteCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { Page, PageRequest } from '../../domain/accounts/account';
import type { IdempotencyCompletion } from '../../domain/idempotency/idempotency';
import { MULTI_USE_MAX_PAYMENTS, type PaymentLink } from '../../domain/payment-links/payment-link';
import type { LinkCreationOutcome, LinkPaymentOutcome, PaymentLinkStore } from '../../domain/payment-links/payment-link-store';
import type { Payment } from '../../domain/payments/payment';
import { matchingKey } from '../../domain/references';
import { cashMoveWrites } from './cash-position-store';
import { idempotencyCompletion } from './idempotency-store';
import { fromItem } from './items';
import { referenceClaimKey } from './keys';
import { listPartitionOf, listShardSchedule } from './list-partitions';
import { queryListPage } from './pagination';
import { paymentCashMoves, paymentCreation } from './payment-items';

/**
 * Payment links in the single table (docs/payment-links.md). Keys, beside keys.ts's:
 * - the link: `<tenantId>#LNK#<linkId>` / `LINK`, listed through gsi1 under `<tenantId>#LINKS` in month buckets and
 *   shards like payments (list-partitions.ts);
 * - its public lookup `PAYLINK#<linkId>` / `PAYLINK` → the tenant: the hosted page has no API key, only the link id
 *   (80 random bits in a ULID), so like `BANKPAY#` and `OBPAY#` it is keyed by that outside identity.
 * `expiresAt` is stored as `validUntil`: `expiresAt` is the table's TTL attribute (items.ts strips it on read).
 */
export const paymentLinkKey = (tenantId: string, linkId: string) => ({ pk: `${tenantId}#LNK#${linkId}`, sk: 'LINK' });
export const paymentLinkListKey = (tenantId: string) => `${tenantId}#LINKS`;
export const publicPaymentLinkKey = (linkId: string) => ({ pk: `PAYLINK#${linkId}`, sk: 'PAYLINK' });

const ENTITY = 'paymentLink';

export const paymentLinkItem = (link: PaymentLink, now = Date.now()) => {
  const { expiresAt, ...rest } = link;
  return {
    ...paymentLinkKey(link.tenantId, link.id),
    gsi1pk: listPartitionOf(paymentLinkListKey(link.tenantId), listShardSchedule(), `${link.createdAt}#${link.id}`, link.id, now),
    gsi1sk: `${link.createdAt}#${link.id}`,
    entity: ENTITY,
    ...rest,
    validUntil: expiresAt,
  };
};

type StoredLink = Omit<PaymentLink, 'expiresAt'> & { readonly validUntil: string | null };

const fromStored = ({ validUntil, ...rest }: StoredLink): PaymentLink => ({ ...rest, expiresAt: validUntil });
const toLink = (item: Record<string, unknown>): PaymentLink => fromStored(fromItem<StoredLink>(item, ENTITY));

export class DynamoDbPaymentLinkStore implements PaymentLinkStore {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async create(link: PaymentLink, options: { readonly claimReference: boolean; readonly idempotency?: IdempotencyCompletion }): Promise<LinkCreationOutcome> {
    const items = [
      { Put: { TableName: this.tableName, Item: paymentLinkItem(link), ConditionExpression: 'attribute_not_exists(pk)' } },
      {
        Put: {
          TableName: this.tableName,
          Item: { ...publicPaymentLinkKey(link.id), entity: 'paymentLinkLookup', tenantId: link.tenantId },
          ConditionExpression: 'attribute_not_exists(pk)',
        },
      },
    ];
    const claimAt = options.claimReference ? items.length : -1;
    try {
      await this.client.send(
        new TransactWriteCommand({
          TransactItems: [
            ...items,
            ...(options.claimReference ? [{ Put: this.claim(link.tenantId, link.reference, link.id) }] : []),
            ...(options.idempotency === undefined ? [] : [idempotencyCompletion(this.tableName, options.idempotency)]),
          ],
        }),
      );
      return 'created';
    } catch (error) {
      if (claimAt >= 0 && error instanceof TransactionCanceledException && error.CancellationReasons?.[claimAt]?.Code === 'ConditionalCheckFailed') return 'reference_taken';
      throw error;
    }
  }

  async get(tenantId: string, linkId: string): Promise<PaymentLink | undefined> {
    const { Item } = await this.client.send(new GetCommand({ TableName: this.tableName, Key: paymentLinkKey(tenantId, linkId), ConsistentRead: true }));
    return Item === undefined ? undefined : toLink(Item);
  }

  async findPublic(linkId: string): Promise<PaymentLink | undefined> {
    const { Item } = await this.client.send(new GetCommand({ TableName: this.tableName, Key: publicPaymentLinkKey(linkId), ConsistentRead: true }));
    return Item === undefined ? undefined : this.get(String(Item.tenantId), linkId);
  }

  async list(tenantId: string, page: PageRequest): Promise<Page<PaymentLink>> {
    const result = await queryListPage<StoredLink>(this.client, this.tableName, {
      partition: paymentLinkListKey(tenantId),
      entity: ENTITY,
      page,
      newestFirst: true,
    });
    return { data: result.data.map(fromStored), nextCursor: result.nextCursor };
  }

  /**
   * One TransactWriteItems: the payment's own creation (payment, bank payment id lookup, reference index), its
   * reference claim (multi-use), its pending cash move, and the link's update, conditional on the link being active,
   * unexpired and with room (single-use: no payment yet). Two payers submitting at once both reach this write;
   * DynamoDB lets one through, the other is cancelled whole: `link_changed`, nothing of its payment stored.
   */
  async recordPayment(link: PaymentLink, payment: Payment, options: { readonly claimReference: boolean; readonly now: string }): Promise<LinkPaymentOutcome> {
    const creation = paymentCreation(this.tableName, payment);
    const claim = options.claimReference ? [{ Put: this.claim(payment.tenantId, payment.reference, payment.id) }] : [];
    const linkAt = creation.length + claim.length;
    const room = link.singleUse ? 1 : MULTI_USE_MAX_PAYMENTS;
    try {
      await this.client.send(
        new TransactWriteCommand({
          TransactItems: [
            ...creation,
            ...claim,
            {
              Update: {
                TableName: this.tableName,
                Key: paymentLinkKey(link.tenantId, link.id),
                UpdateExpression: 'SET payments = list_append(payments, :payment)',
                ConditionExpression: '#status = :active AND (attribute_type(validUntil, :null) OR validUntil > :now) AND size(payments) < :room',
                ExpressionAttributeNames: { '#status': 'status' },
                ExpressionAttributeValues: { ':payment': [payment.id], ':active': 'active', ':null': 'NULL', ':now': options.now, ':room': room },
              },
            },
            ...cashMoveWrites(this.tableName, paymentCashMoves([{ from: undefined, to: payment }]), payment.updatedAt),
          ],
        }),
      );
      return 'recorded';
    } catch (error) {
      if (!(error instanceof TransactionCanceledException)) throw error;
      const reasons = error.CancellationReasons ?? [];
      // Another payer's write to the same link at the same moment cancels this one as a TransactionConflict on AWS:
      // the same answer as a failed condition (read the link again, then refuse or retry).
      if (reasons[linkAt]?.Code === 'ConditionalCheckFailed' || reasons[linkAt]?.Code === 'TransactionConflict') return 'link_changed';
      if (claim.length > 0 && reasons[creation.length]?.Code === 'ConditionalCheckFailed') return 'reference_taken';
      throw error;
    }
  }

  async complete(link: PaymentLink, paymentId: string, at: string): Promise<boolean> {
    try {
      await this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: paymentLinkKey(link.tenantId, link.id),
          UpdateExpression: 'SET #status = :completed, completedBy = :payment, completedAt = :at',
          // Once per link: only an active single-use link, and only by a payment made through it.
          ConditionExpression: '#status = :active AND singleUse = :true AND contains(payments, :payment)',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: { ':completed': 'completed', ':active': 'active', ':true': true, ':payment': paymentId, ':at': at },
        }),
      );
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
  }

  async deactivate(link: PaymentLink, at: string): Promise<boolean> {
    try {
      await this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: paymentLinkKey(link.tenantId, link.id),
          UpdateExpression: 'SET validUntil = :at',
          // The same condition a payment's write has: a payment and the deactivation cannot both win.
          ConditionExpression: '#status = :active AND (attribute_type(validUntil, :null) OR validUntil > :at)',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: { ':active': 'active', ':null': 'NULL', ':at': at },
        }),
      );
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
  }

  /** The claim of a reference's matching key for one payment or link of the tenant, only if unclaimed (payment-repository.ts). */
  private claim(tenantId: string, reference: string, ownerId: string) {
    return {
      TableName: this.tableName,
      Item: { ...referenceClaimKey(tenantId, matchingKey(reference)), entity: 'referenceClaim', paymentId: ownerId },
      ConditionExpression: 'attribute_not_exists(pk)',
    };
  }
}
