import type { Account, Page, PageRequest } from '../accounts/account';
import type { DomainEvent } from '../events/domain-event';
import type { IdempotencyCompletion } from '../idempotency/idempotency';
import type { Payment } from '../payments/payment';
import type { Payout, PayoutCounters } from './payout';

export type PayoutBegin =
  | { readonly outcome: 'created' | 'resumed' | 'stored' | 'conflict'; readonly payout: Payout }
  | { readonly outcome: 'token_taken' };

export interface PayoutStore {
  /**
   * Writes the batch record first (status `storing`) with the claim of its reference token, both only if new.
   * `resumed`: this batch (same id and request) was begun before and never finished, so storing continues with the
   * stored record; `stored`: it was finished; `conflict`: the id belongs to another request; `token_taken`: another
   * batch of the tenant holds the token (draw another).
   */
  begin(draft: Payout, tokenClaim: string): Promise<PayoutBegin>;
  /** Writes the items (idempotent: the same ids and content written again). */
  putItems(payments: readonly Payment[]): Promise<void>;
  /** Marks the batch stored, with its initial counters, its bank id lookup and the request's stored answer; false if already. */
  finish(payout: Payout, counters: PayoutCounters, completion: IdempotencyCompletion | undefined): Promise<boolean>;
  get(tenantId: string, payoutId: string): Promise<Payout | undefined>;
  getWithOutbox(tenantId: string, payoutId: string): Promise<{ payout: Payout; outbox: readonly DomainEvent[] } | undefined>;
  counters(tenantId: string, payoutId: string): Promise<PayoutCounters>;
  list(tenantId: string, page: PageRequest): Promise<Page<Payout>>;
  items(payout: Pick<Payout, 'tenantId' | 'id'>, from: number, to: number): Promise<Payment[]>;
  /**
   * Up to `limit` items from index `from` on, in index order, those in `status` only if given; reads at most
   * `maxScanned` items, so a selective filter answers short. `next`: the index to continue from, or null at the end.
   */
  itemsPage(payout: Pick<Payout, 'tenantId' | 'id' | 'itemCount'>, filter: { readonly from: number; readonly limit: number; readonly status?: Payment['status'] | undefined; readonly maxScanned: number }): Promise<{ readonly data: readonly Payment[]; readonly next: number | null }>;
  prepareForBank(payments: readonly Payment[]): Promise<void>;
  chunkHanded(tenantId: string, payoutId: string, chunk: number): Promise<boolean>;
  markChunkHanded(tenantId: string, payoutId: string, chunk: number, outcome: BulkSubmission, at: string): Promise<void>;
  decide(payout: Payout, status: 'processing' | 'rejected', at: string, chunkSize: number): Promise<boolean>;
  complete(payout: Payout, status: 'completed' | 'completed_with_failures', at: string, outbox: readonly DomainEvent[]): Promise<boolean>;
  clearOutbox(tenantId: string, payoutId: string, published: readonly DomainEvent[]): Promise<void>;
  findByBankBatchId(provider: string, bankBatchId: string): Promise<Payout | undefined>;
}

/** The bank's answer to one chunk: accepted (it will report on each item), or rejected whole with its reason. */
export interface BulkSubmission {
  readonly accepted: boolean;
  readonly reason?: string | undefined;
}

/** A bank's bulk payment API: one authorisation for the batch, then its items in chunks of the bank's bulk limit. */
export interface BulkBankGateway {
  /** The bank's id and authorisation page for a batch (known before the bank is asked, so a retried store agrees). */
  identify(payoutId: string): { readonly bankBatchId: string; readonly authorisationUrl: string };
  /** Asks the bank for the batch's authorisation (idempotent by bank batch id). */
  initiateBatch(payout: Payout, account: Account): Promise<void>;
  /** Hands one chunk of authorised items to the bank; idempotent by (batch, chunk): a chunk resent is not executed twice. */
  submitChunk(payout: Payout, chunk: number, items: readonly Payment[], account: Account): Promise<BulkSubmission>;
  /** Items per chunk the bank accepts. */
  readonly bulkLimit: number;
  /** Whether payouts can be made from this account through this gateway (its provider has a bulk API here). */
  supports(account: Account): boolean;
}

/** Queues chunk work: one message per chunk. */
export interface PayoutChunkQueue {
  enqueue(messages: readonly PayoutChunkMessage[]): Promise<void>;
}

export interface PayoutChunkMessage {
  readonly tenantId: string;
  readonly payoutId: string;
  readonly chunk: number;
  readonly from: number;
  readonly to: number;
  /** `submit`: hand the items to the bank; `reject`: the batch's authorisation was refused, fail them. */
  readonly action: 'submit' | 'reject';
}
