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
  /** The bank reports on the accepted chunk as a whole (a file's report): ask it later with `followChunk`. */
  readonly follow?: boolean | undefined;
}

/** What the bank has reported on a chunk it accepted: items it refused since, and whether it has more to say. */
export interface ChunkReport {
  readonly failed: readonly { readonly paymentId: string; readonly reason: string }[];
  /** True once the bank's answer on every item of the chunk is final: nothing more to follow. */
  readonly done: boolean;
}

/** A bank's bulk payment API: one authorisation for the batch, then its items in chunks of the bank's bulk limit. */
export interface BulkBankGateway {
  /** Items per chunk for payouts from this account, or null when its bank takes no bulk payments through Settled. */
  bulkLimit(account: Account): Promise<number | null>;
  /** The bank's id and authorisation page for a batch (known before the bank is asked, so a retried store agrees). */
  identify(payoutId: string, account: Account): { readonly bankBatchId: string; readonly authorisationUrl: string };
  /** Asks the bank for the batch's authorisation (idempotent by bank batch id). */
  initiateBatch(payout: Payout, account: Account): Promise<void>;
  /** Hands one chunk of authorised items to the bank; idempotent by (batch, chunk): a chunk resent is not executed twice. */
  submitChunk(payout: Payout, chunk: number, items: readonly Payment[], account: Account): Promise<BulkSubmission>;
  /**
   * Asks the bank what became of an accepted chunk's items, for a bank that reports a chunk as a whole (a file's
   * report) rather than per payment; absent when the bank reports every item by itself.
   */
  followChunk?(payout: Payout, chunk: number, account: Account): Promise<ChunkReport>;
}

/** Queues chunk work: one message per chunk. */
export interface PayoutChunkQueue {
  /** Queues the messages, each delivered after `delaySeconds` (0 when absent; at most 900). */
  enqueue(messages: readonly PayoutChunkMessage[], delaySeconds?: number): Promise<void>;
}

export interface PayoutChunkMessage {
  readonly tenantId: string;
  readonly payoutId: string;
  readonly chunk: number;
  readonly from: number;
  readonly to: number;
  /**
   * `submit`: hand the items to the bank; `reject`: the batch's authorisation was refused, fail them; `follow`: ask
   * the bank what became of a submitted chunk's items (again later until it has said everything).
   */
  readonly action: 'submit' | 'reject' | 'follow';
}
