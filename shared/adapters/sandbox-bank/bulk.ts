import { createHash } from 'node:crypto';
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { type Account, isConnected } from '../../domain/accounts/account';
import type { Payment } from '../../domain/payments/payment';
import type { Payout } from '../../domain/payouts/payout';
import type { BulkBankGateway, BulkSubmission } from '../../domain/payouts/payout-store';
import type { WebhookScheduler } from './authorise';
import { type BehaviourSettings, DEFAULT_BEHAVIOUR, type PlannedWebhook, planWebhooks } from './behaviour';
import type { SandboxPayment } from './sandbox-payment';
import type { SandboxWebhook } from '../../schemas/sandbox-webhook';

type SandboxTransaction = Extract<SandboxWebhook, { type: 'transactions' }>['transactions'][number];
import type { SandboxPaymentStore } from './sandbox-store';

/** Items per chunk the sandbox bank accepts unless SETTLED_SANDBOX_BULK_LIMIT says otherwise (README settings). */
export const DEFAULT_SANDBOX_BULK_LIMIT = 500;
/** Share of a chaotic account's chunks the sandbox bank rejects whole (a file refused: format, limits, cut-off). */
export const CHAOTIC_CHUNK_REJECTION_RATE = 0.1;

/** SETTLED_SANDBOX_BULK_LIMIT as a whole number from 1 to 10,000. */
export const sandboxBulkLimit = (configured: string | undefined): number => {
  if (configured === undefined || configured === '') return DEFAULT_SANDBOX_BULK_LIMIT;
  const limit = Number(configured);
  if (!Number.isInteger(limit) || limit < 1 || limit > 10_000) throw new Error(`SETTLED_SANDBOX_BULK_LIMIT must be a whole number from 1 to 10000, not ${configured}`);
  return limit;
};

const chance = (id: string, aspect: string): number => createHash('sha256').update(`${id}|${aspect}`).digest().readUInt32BE(0) / 0x1_0000_0000;

const bulkChunkKey = (bankBatchId: string, chunk: number) => ({ pk: `SANDBOX#BULK#${bankBatchId}`, sk: `CHUNK#${String(chunk).padStart(4, '0')}` });

/** The sandbox bank's own record of an item it executes (its state, built from the item; never stored per item). */
export const sandboxItemOf = (item: Payment, account: Account & { sortCode: string; accountNumber: string }, decidedAt: string): SandboxPayment => ({
  bankPaymentId: item.bankPaymentId,
  status: 'approved',
  direction: 'outbound',
  amount: item.amount,
  currency: item.currency,
  reference: item.reference,
  profile: account.sandboxProfile ?? 'exact',
  account: { sortCode: account.sortCode, accountNumber: account.accountNumber, name: account.name },
  counterparty: item.counterparty === null ? null : { name: item.counterparty.name, sortCode: item.counterparty.sortCode, accountNumber: item.counterparty.accountNumber },
  createdAt: item.createdAt,
  decidedAt,
});

/** Most transactions the sandbox bank puts in one transactions webhook (the canonical format allows 1,000). */
const TRANSACTIONS_PER_WEBHOOK = 10;

/**
 * What the sandbox bank does with one accepted chunk: it executes each item as it would a single outbound payment
 * (planWebhooks: the same fate per item, rejected at execution now and then on a chaotic account, the booked debit
 * with the profile's references and narrative, the chaotic duplicate notification), but reports like a bank
 * reporting a bulk file rather than N single payments:
 * - per item, a status webhook only for an item it rejected (`rejected`, with its reason, the moment it does): an
 *   executed item is reported by its booked debit, which settles it (the payment's history still passes authorised
 *   and executed, with their events);
 * - the booked debits of a chunk due at the same moment in one transactions webhook (its id derived from the chunk
 *   and the moment, so a resent plan resends the same webhooks), the chaotic duplicates in one of their own a second
 *   later; no pending lines first;
 * - no payout item is returned after settling (a batch's completion would then hang on returns still to come).
 * This keeps a 1,000-item payout's webhooks to about one settlement message per item plus the failures.
 */
export const planChunk = (
  items: readonly Payment[],
  account: Account & { sortCode: string; accountNumber: string },
  decidedAt: string,
  settings: BehaviourSettings,
  chunkId = 'chunk',
): PlannedWebhook[] => {
  const planned = items.flatMap((item) => planWebhooks(sandboxItemOf(item, account, decidedAt), 'approve', new Date(decidedAt), settings).filter((webhook) => !webhook.webhookId.endsWith('_return')));
  const statuses = planned.filter((webhook) => webhook.payload.type === 'payment_status' && webhook.payload.status === 'rejected');
  const byDelay = new Map<number, SandboxTransaction[]>();
  for (const webhook of planned) {
    if (webhook.payload.type !== 'transactions') continue;
    const booked = webhook.payload.transactions.filter((transaction) => transaction.status === 'booked');
    if (booked.length > 0) byDelay.set(webhook.delaySeconds, [...(byDelay.get(webhook.delaySeconds) ?? []), ...booked]);
  }
  const grouped: PlannedWebhook[] = [...byDelay.entries()].flatMap(([delaySeconds, transactions]) =>
    Array.from({ length: Math.ceil(transactions.length / TRANSACTIONS_PER_WEBHOOK) }, (_, part) => ({
      webhookId: `msg_${chunkId}_txns_${delaySeconds}_${part}`,
      delaySeconds,
      payload: {
        type: 'transactions' as const,
        account: { sortCode: account.sortCode, accountNumber: account.accountNumber },
        transactions: transactions.slice(part * TRANSACTIONS_PER_WEBHOOK, (part + 1) * TRANSACTIONS_PER_WEBHOOK),
      },
    })),
  );
  return [...statuses, ...grouped];
};

/** Whether the sandbox bank refuses a chunk whole: now and then on a chaotic account (deterministic per chunk). */
export const chunkRejected = (account: Pick<Account, 'sandboxProfile'>, bankBatchId: string, chunk: number): boolean =>
  account.sandboxProfile === 'chaotic' && chance(`${bankBatchId}#${chunk}`, 'chunk') < CHAOTIC_CHUNK_REJECTION_RATE;

/**
 * The sandbox bank's bulk payments: one authorisation page for the whole batch (a sandbox payment marked `bulk`, its
 * amount the batch's total), then chunks of at most `bulkLimit` items it executes one by one, reporting on each
 * with the same webhooks as for a single outbound payment.
 */
export class SandboxBulkGateway implements BulkBankGateway {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
    private readonly store: SandboxPaymentStore,
    private readonly apiBaseUrl: string,
    private readonly schedule: WebhookScheduler,
    private readonly limit: number,
    private readonly settings: BehaviourSettings = DEFAULT_BEHAVIOUR,
    private readonly now: () => Date = () => new Date(),
  ) {}

  async bulkLimit(account: Account): Promise<number | null> {
    return account.provider === 'sandbox' ? this.limit : null;
  }

  identify(payoutId: string) {
    const bankBatchId = `sbb_${payoutId.slice('bat_'.length)}`;
    return { bankBatchId, authorisationUrl: `${this.apiBaseUrl.replace(/\/$/, '')}/sandbox/authorisations/${bankBatchId}` };
  }

  async initiateBatch(payout: Payout, account: Account): Promise<void> {
    if (!isConnected(account)) throw new Error(`Account ${account.id} has no bank account yet`);
    try {
      await this.store.create({
        bankPaymentId: payout.bankBatchId,
        status: 'awaiting_authorisation',
        direction: 'outbound',
        amount: payout.totalAmount,
        currency: payout.currency,
        reference: payout.id,
        profile: account.sandboxProfile ?? 'exact',
        account: { sortCode: account.sortCode, accountNumber: account.accountNumber, name: account.name },
        counterparty: null,
        createdAt: payout.createdAt,
        decidedAt: null,
        bulk: { itemCount: payout.itemCount },
      });
    } catch (error) {
      // Asked again for the same batch (a retried store): the bank already has it.
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
    }
  }

  /**
   * Accepts (or refuses) a chunk once: the bank's record of the chunk is its idempotency key. A chunk resent after it
   * was accepted gets the same answer and nothing is executed again; one resent after a crash between planning and
   * recording schedules the same webhooks (same ids) again, which the receiving side drops.
   */
  async submitChunk(payout: Payout, chunk: number, items: readonly Payment[], account: Account): Promise<BulkSubmission> {
    if (!isConnected(account)) throw new Error(`Account ${account.id} has no bank account yet`);
    const { Item } = await this.client.send(new GetCommand({ TableName: this.tableName, Key: bulkChunkKey(payout.bankBatchId, chunk), ConsistentRead: true }));
    if (Item !== undefined) return { accepted: Item.accepted === true, ...(typeof Item.reason === 'string' ? { reason: Item.reason } : {}) };
    if (items.length > this.limit) return this.record(payout, chunk, { accepted: false, reason: 'bulk_limit_exceeded' });
    if (chunkRejected(account, payout.bankBatchId, chunk)) return this.record(payout, chunk, { accepted: false, reason: 'chunk_rejected_by_bank' });
    await this.schedule(planChunk(items, account, this.now().toISOString(), this.settings, `${payout.bankBatchId}_${chunk}`));
    return this.record(payout, chunk, { accepted: true });
  }

  private async record(payout: Payout, chunk: number, outcome: BulkSubmission): Promise<BulkSubmission> {
    try {
      await this.client.send(
        new PutCommand({
          TableName: this.tableName,
          Item: { ...bulkChunkKey(payout.bankBatchId, chunk), entity: 'sandboxBulkChunk', accepted: outcome.accepted, reason: outcome.reason ?? null },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
      return outcome;
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
      const { Item } = await this.client.send(new GetCommand({ TableName: this.tableName, Key: bulkChunkKey(payout.bankBatchId, chunk), ConsistentRead: true }));
      return { accepted: Item?.accepted === true, ...(typeof Item?.reason === 'string' ? { reason: Item.reason } : {}) };
    }
  }
}

/** The webhook that tells Settled the tenant's decision on a batch: a payment status under the batch's bank id. */
export const bulkDecisionWebhooks = (batch: SandboxPayment, decision: 'approve' | 'reject', decidedAt: Date): PlannedWebhook[] => {
  const status = decision === 'approve' ? 'authorised' : 'rejected';
  return [
    {
      webhookId: `msg_${batch.bankPaymentId}_${status}`,
      delaySeconds: 0,
      payload: {
        type: 'payment_status',
        bankPaymentId: batch.bankPaymentId,
        status,
        at: decidedAt.toISOString(),
        ...(decision === 'reject' ? { reason: 'rejected_by_payer' } : {}),
      },
    },
  ];
};
