import { paymentMove } from '../../domain/cash/cash-position';
import type { DomainEvent } from '../../domain/events/domain-event';
import { isOpen, type Payment, wasSentToBank } from '../../domain/payments/payment';
import { bankPaymentKey, paymentKey, paymentListKey, referenceIndexKey, refundCounterKey } from './keys';
import { setExpression } from './items';
import { listPartitionOf, listShardSchedule } from './list-partitions';
import { appendToOutbox } from './outbox';

/** One reference-index entry: the payment and what the matcher needs without reading the payment. */
export const referenceEntry = (payment: Pick<Payment, 'id' | 'currency' | 'direction'>) => `${payment.id}|${payment.currency}|${payment.direction}`;

export const paymentItem = (payment: Payment, now = Date.now()) => ({
  ...paymentKey(payment.tenantId, payment.id),
  // The list's month bucket and shard (list-partitions.ts): one busy tenant's payments never share one partition.
  gsi1pk: listPartitionOf(paymentListKey(payment.tenantId), listShardSchedule(), `${payment.createdAt}#${payment.id}`, payment.id, now),
  gsi1sk: `${payment.createdAt}#${payment.id}`,
  entity: 'payment',
  ...payment,
});

/** What only a payment sent to the bank has: the lookup of its bank payment id and its reference-index entry. */
const sentPaymentLookups = (tableName: string, payment: Payment) => [
  {
    Put: {
      TableName: tableName,
      Item: { ...bankPaymentKey(payment.provider, payment.bankPaymentId), entity: 'bankPayment', tenantId: payment.tenantId, paymentId: payment.id },
      ConditionExpression: 'attribute_not_exists(pk)',
    },
  },
  addToReferenceIndex(tableName, payment),
];

/**
 * The writes that create a payment (only if new): itself (with `outbox`, the events of its creation), its bank
 * payment id lookup, its reference-index entry. A payment stopped before it was sent (Confirmation of Payee) is the
 * item alone: no bank id to look up, and no booked transaction can ever settle it.
 */
export const paymentCreation = (tableName: string, payment: Payment, outbox: readonly DomainEvent[] = []) => [
  {
    Put: {
      TableName: tableName,
      Item: { ...paymentItem(payment), ...(outbox.length === 0 ? {} : { outbox }) },
      ConditionExpression: 'attribute_not_exists(pk)',
    },
  },
  ...(wasSentToBank(payment) ? sentPaymentLookups(tableName, payment) : []),
];

/** Index the open payment under its matching key (a string set, so ADD and DELETE need no read). */
export const addToReferenceIndex = (tableName: string, payment: Payment) => ({
  Update: {
    TableName: tableName,
    Key: referenceIndexKey(payment.tenantId, payment.accountId, payment.matchingKey),
    UpdateExpression: 'ADD entries :entry SET entity = :entity',
    ExpressionAttributeValues: { ':entry': new Set([referenceEntry(payment)]), ':entity': 'referenceIndex' },
  },
});

/**
 * A closed payment leaves the open entries but stays under its key as closed: a later transaction with its
 * reference is then recognised as a second payment of a settled invoice, or a return, instead of unmatched.
 */
export const closeInReferenceIndex = (tableName: string, payment: Payment) => ({
  Update: {
    TableName: tableName,
    Key: referenceIndexKey(payment.tenantId, payment.accountId, payment.matchingKey),
    UpdateExpression: 'DELETE entries :entry ADD closed :entry',
    ExpressionAttributeValues: { ':entry': new Set([referenceEntry(payment)]) },
  },
});

/** A returned payment is open again (it awaits its money once more): back among the open entries. */
export const reopenInReferenceIndex = (tableName: string, payment: Payment) => ({
  Update: {
    TableName: tableName,
    Key: referenceIndexKey(payment.tenantId, payment.accountId, payment.matchingKey),
    UpdateExpression: 'DELETE closed :entry ADD entries :entry',
    ExpressionAttributeValues: { ':entry': new Set([referenceEntry(payment)]) },
  },
});

/**
 * The conditional write of a payment's next state: only if the stored version is the one it was derived from.
 * Appends the events of the change to the payment's outbox in the same write.
 */
export const paymentUpdate = (tableName: string, next: Payment, outbox: readonly DomainEvent[]) => {
  const { id: _id, tenantId: _tenantId, ...fields } = next;
  const expression = setExpression(fields);
  const { assignments, names, values } = expression;
  appendToOutbox(expression, outbox);
  names['#version'] = 'version';
  values[':expectedVersion'] = next.version - 1;
  return {
    Update: {
      TableName: tableName,
      Key: paymentKey(next.tenantId, next.id),
      UpdateExpression: `SET ${assignments.join(', ')}`,
      ConditionExpression: '#version = :expectedVersion',
      ExpressionAttributeNames: names,
      ExpressionAttributeValues: values,
    },
  };
};

/** The writes a payment update implies: itself, and moving between open and closed in the reference index. */
export const paymentTransition = (tableName: string, previous: Pick<Payment, 'status'>, next: Payment, outbox: readonly DomainEvent[]) => [
  paymentUpdate(tableName, next, outbox),
  ...(isOpen(previous) && !isOpen(next) ? [closeInReferenceIndex(tableName, next)] : []),
  ...(!isOpen(previous) && isOpen(next) ? [reopenInReferenceIndex(tableName, next)] : []),
  ...refundRelease(tableName, previous, next),
];

const NEVER_PAID: readonly Payment['status'][] = ['failed', 'expired'];

/**
 * A refund that fails or expires sent nothing: what it counted against its original's settled amount comes back.
 * Once: it rides on the refund's own transition, which is conditional on the version read.
 */
const refundRelease = (tableName: string, previous: Pick<Payment, 'status'>, next: Payment) =>
  next.refundOf !== undefined && !NEVER_PAID.includes(previous.status) && NEVER_PAID.includes(next.status)
    ? [
        {
          Update: {
            TableName: tableName,
            Key: refundCounterKey(next.tenantId, next.refundOf),
            UpdateExpression: 'ADD refunded :released',
            ExpressionAttributeValues: { ':released': -next.amount },
          },
        },
      ]
    : [];

/** A reference-index item as stored, for seeding (benchmarks) with exactly the layout the adapters write. */
export const referenceIndexItem = (
  tenantId: string,
  accountId: string,
  matchingKey: string,
  entries: { open: readonly Pick<Payment, 'id' | 'currency' | 'direction'>[]; closed: readonly Pick<Payment, 'id' | 'currency' | 'direction'>[] },
) => ({
  ...referenceIndexKey(tenantId, accountId, matchingKey),
  entity: 'referenceIndex',
  ...(entries.open.length === 0 ? {} : { entries: new Set(entries.open.map(referenceEntry)) }),
  ...(entries.closed.length === 0 ? {} : { closed: new Set(entries.closed.map(referenceEntry)) }),
});

/** How payment writes move their positions' pending figures (for cash-position-store.ts `cashMoveWrites`). */
export const paymentCashMoves = (changes: readonly { readonly from: Payment | undefined; readonly to: Payment }[]) =>
  changes.map(({ from, to }) => ({ position: { tenantId: to.tenantId, accountId: to.accountId, currency: to.currency }, move: paymentMove(from, to) }));
