import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, GetCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import type { Payment } from '../../domain/payments/payment';
import type { PaymentCreationOptions } from '../../domain/payments/payment-repository';
import { REFUNDABLE_STATUSES, type RefundCap, type RefundCreationOutcome, type RefundStore } from '../../domain/payments/refund-payment';
import { cashMoveWrites } from './cash-position-store';
import { idempotencyCompletion } from './idempotency-store';
import { paymentKey, referenceClaimKey, refundCounterKey } from './keys';
import { paymentCashMoves, paymentCreation } from './payment-items';

/** Attempts of the same write when DynamoDB cancels it only because another transaction held one of its items. */
const CONFLICT_ATTEMPTS = 6;
const CONFLICT_BACKOFF_MS = 15;

/**
 * Refund counters: one item per refunded payment (`<tenant>#PAY#<id>` / `REFUNDS`, beside the payment) holding the
 * minor units of its refunds counted so far. It moves only in the write that creates a refund, by a conditional ADD,
 * so no read-then-write race can let refunds pass what the payment settled.
 */
export class DynamoDbRefundStore implements RefundStore {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async refunded(tenantId: string, paymentId: string): Promise<number> {
    const { Item } = await this.client.send(new GetCommand({ TableName: this.tableName, Key: refundCounterKey(tenantId, paymentId), ConsistentRead: true }));
    return typeof Item?.refunded === 'number' ? Item.refunded : 0;
  }

  /**
   * One TransactWriteItems: [0] the counter raised by the refund's amount if the total stays within the settled
   * amount read; [1] a check that the original is still refundable with exactly that settled amount; then the
   * refund payment's own writes, its reference claim, the idempotency completion and its cash moves.
   */
  async createRefund(refund: Payment, cap: RefundCap, options: PaymentCreationOptions): Promise<RefundCreationOutcome> {
    const creation = paymentCreation(this.tableName, refund, options.outbox);
    const claimAt = options.claimReference === true ? 2 + creation.length : -1;
    const transactItems = [
      {
        Update: {
          TableName: this.tableName,
          Key: refundCounterKey(cap.original.tenantId, cap.original.id),
          UpdateExpression: 'ADD refunded :amount SET entity = :entity, paymentId = :paymentId',
          ConditionExpression: 'attribute_not_exists(refunded) OR refunded <= :most',
          ExpressionAttributeValues: { ':amount': refund.amount, ':most': cap.settled - refund.amount, ':entity': 'refundCounter', ':paymentId': cap.original.id },
        },
      },
      {
        ConditionCheck: {
          TableName: this.tableName,
          Key: paymentKey(cap.original.tenantId, cap.original.id),
          ConditionExpression: '#status IN (:s0, :s1) AND #settlement.#amountSettled = :settled',
          ExpressionAttributeNames: { '#status': 'status', '#settlement': 'settlement', '#amountSettled': 'amountSettled' },
          ExpressionAttributeValues: { ':s0': REFUNDABLE_STATUSES[0], ':s1': REFUNDABLE_STATUSES[1], ':settled': cap.settled },
        },
      },
      ...creation,
      ...(options.claimReference === true
        ? [
            {
              Put: {
                TableName: this.tableName,
                Item: { ...referenceClaimKey(refund.tenantId, refund.matchingKey), entity: 'referenceClaim', paymentId: refund.id },
                ConditionExpression: 'attribute_not_exists(pk)',
              },
            },
          ]
        : []),
      ...(options.idempotency === undefined ? [] : [idempotencyCompletion(this.tableName, options.idempotency)]),
      ...cashMoveWrites(this.tableName, paymentCashMoves([{ from: undefined, to: refund }]), refund.updatedAt),
    ];
    for (let attempt = 1; ; attempt += 1) {
      try {
        await this.client.send(new TransactWriteCommand({ TransactItems: transactItems }));
        return 'created';
      } catch (error) {
        if (!(error instanceof TransactionCanceledException)) throw error;
        const codes = (error.CancellationReasons ?? []).map((reason) => reason.Code ?? 'None');
        if (codes[0] === 'ConditionalCheckFailed') return 'exceeds_settled';
        if (codes[1] === 'ConditionalCheckFailed') return 'original_changed';
        if (claimAt >= 0 && codes[claimAt] === 'ConditionalCheckFailed') return 'reference_taken';
        // Another refund's transaction held the counter: the same write again, its conditions decide afresh.
        if (codes.includes('TransactionConflict') && attempt < CONFLICT_ATTEMPTS) {
          await new Promise((resolve) => setTimeout(resolve, CONFLICT_BACKOFF_MS * attempt * (1 + Math.random())));
          continue;
        }
        throw error;
      }
    }
  }
}
