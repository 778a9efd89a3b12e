import type { AccountRepository } from '../accounts/account';
import { type DomainEvent, domainEvent, type EventPublisher } from '../events/domain-event';
import type { Payment } from '../payments/payment';
import type { PaymentRepository } from '../payments/payment-repository';
import { changeTime, paymentEvents } from '../payments/payment-events';
import type { Clock } from '../ports';
import type { PaymentStatusReport } from '../settlement/settlement-store';
import { allEnded, chunksOf, completionStatus, type Payout, payoutView } from './payout';
import type { BulkBankGateway, PayoutChunkMessage, PayoutChunkQueue, PayoutStore } from './payout-store';

/** Seconds between two questions to a bank about a chunk it reports as a whole (a file payment's report). */
export const FOLLOW_DELAY_SECONDS = 2;

export interface PayoutProcessingDeps {
  readonly payouts: PayoutStore;
  readonly payments: PaymentRepository;
  readonly events: EventPublisher;
  readonly clock: Clock;
}

const publishOutbox = async (payout: Payout, outbox: readonly DomainEvent[], deps: Pick<PayoutProcessingDeps, 'payouts' | 'events'>) => {
  if (outbox.length === 0) return;
  await deps.events.publish(outbox);
  await deps.payouts.clearOutbox(payout.tenantId, payout.id, outbox);
};

/**
 * The bank's decision on a batch's one authorisation (a status report under the batch's bank id).
 * Primary course: approved → the batch is `processing` (once, conditionally) and one message per chunk of the
 * bank's bulk limit is queued; rejected → the batch is `rejected` and its items are failed in chunks the same way.
 * A redelivered report finds the batch decided and queues the same chunks again: the chunk worker does each once.
 * Returns false when the id names no batch.
 */
export const applyPayoutDecision = async (
  report: PaymentStatusReport,
  deps: { readonly payouts: PayoutStore; readonly queue: PayoutChunkQueue; readonly clock: Clock; readonly bulkLimit: number },
): Promise<boolean> => {
  const payout = await deps.payouts.findByBankBatchId(report.provider, report.bankPaymentId);
  if (payout === undefined) return false;
  const wanted = report.status === 'rejected' ? 'rejected' : 'processing';
  let decided = payout;
  if (payout.status === 'authorisation_required') {
    // An Open Banking payout's chunks are the files the payer authorised one by one: their size is fixed already.
    const chunkSize = payout.provider === 'sandbox' ? deps.bulkLimit : payout.chunkSize;
    await deps.payouts.decide(payout, wanted, deps.clock.now().toISOString(), chunkSize);
    decided = (await deps.payouts.get(payout.tenantId, payout.id)) ?? payout;
  }
  const action = decided.status === 'rejected' ? 'reject' : 'submit';
  if (decided.status === 'authorisation_required' || decided.status === 'storing') return true;
  if ((action === 'reject') !== (wanted === 'rejected')) return true; // a late report contradicting the decision taken
  const messages: PayoutChunkMessage[] = chunksOf(decided.itemCount, decided.chunkSize).map((chunk) => ({
    tenantId: decided.tenantId,
    payoutId: decided.id,
    chunk: chunk.index,
    from: chunk.from,
    to: chunk.to,
    action,
  }));
  await deps.queue.enqueue(messages);
  return true;
};

/**
 * Fails items that never reached the bank (their chunk refused, or the batch's authorisation rejected), each with its
 * own conditional write (its batch counters move in it) and its `payment.failed` event, so a whole-chunk rejection
 * shows on every one of its items at once. An item changed meanwhile is read again; one already further on is left.
 */
export const failItems = async (items: readonly Payment[], reason: string, deps: PayoutProcessingDeps): Promise<void> => {
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const item = items[next];
      next += 1;
      if (item !== undefined) await failItem(item, reason, deps);
    }
  };
  await Promise.all(Array.from({ length: Math.min(FAIL_CONCURRENCY, items.length) }, worker));
};

/** Items failed at once when a chunk is refused. */
const FAIL_CONCURRENCY = 8;

const failItem = async (item: Payment, reason: string, deps: PayoutProcessingDeps): Promise<void> => {
  {
    let current: Payment | undefined = item;
    for (let attempt = 0; attempt < 5 && current !== undefined && current.status === 'authorisation_required'; attempt += 1) {
      const now = changeTime([current], deps.clock.now());
      const next: Payment = { ...current, status: 'failed', failureReason: reason, updatedAt: now, version: current.version + 1 };
      const events = paymentEvents(current, next, reason, now);
      if (await deps.payments.update(current, next, events)) {
        await deps.events.publish(events);
        await deps.payments.clearOutbox(next.tenantId, next.id, events);
        break;
      }
      current = await deps.payments.get(item.tenantId, item.id);
    }
  }
};

/**
 * One chunk of an authorised batch, once: its items are prepared for the bank's reports (lookup, reference index),
 * handed to the bank (which executes each and reports on each as for a single payment), or failed with the bank's
 * reason when it refuses the chunk whole; then the chunk is marked handed so a redelivered message sends nothing.
 * The bank's own record of the chunk covers a crash between its answer and the mark. Items already failed (a payee
 * name mismatch) are never sent.
 */
export const processChunk = async (
  message: PayoutChunkMessage,
  deps: PayoutProcessingDeps & { readonly accounts: Pick<AccountRepository, 'get'>; readonly bank: BulkBankGateway; readonly queue: PayoutChunkQueue },
): Promise<void> => {
  const payout = await deps.payouts.get(message.tenantId, message.payoutId);
  if (payout === undefined) throw new Error(`Payout ${message.payoutId} does not exist`);
  if (message.action === 'follow') {
    await followChunk(payout, message, deps);
    return;
  }
  if (!(await deps.payouts.chunkHanded(payout.tenantId, payout.id, message.chunk))) {
    const items = (await deps.payouts.items(payout, message.from, message.to)).filter((item) => item.status === 'authorisation_required');
    if (message.action === 'reject') {
      await failItems(items, 'rejected_by_payer', deps);
      await deps.payouts.markChunkHanded(payout.tenantId, payout.id, message.chunk, { accepted: false, reason: 'rejected_by_payer' }, deps.clock.now().toISOString());
      return;
    }
    const account = await deps.accounts.get(payout.tenantId, payout.accountId);
    if (account === undefined) throw new Error(`Account ${payout.accountId} of payout ${payout.id} does not exist`);
    await deps.payouts.prepareForBank(items);
    const outcome = await deps.bank.submitChunk(payout, message.chunk, items, account);
    if (!outcome.accepted) await failItems(items, outcome.reason ?? 'chunk_rejected_by_bank', deps);
    // A bank that reports on the chunk as a whole is asked later what became of each item (a redelivered message may
    // ask twice: the answers fail each item once).
    else if (outcome.follow === true && deps.bank.followChunk !== undefined) await deps.queue.enqueue([{ ...message, action: 'follow' }], FOLLOW_DELAY_SECONDS);
    await deps.payouts.markChunkHanded(payout.tenantId, payout.id, message.chunk, outcome, deps.clock.now().toISOString());
  }
  // A chunk whose items all failed before leaving produces no later event: the batch may be complete now.
  await completeIfDone(payout.tenantId, payout.id, deps);
};

/**
 * What the bank reported on a chunk it accepted: the items it refused since are failed with its reason (each once,
 * by the items' own conditional writes); while it has more to say, the same question is queued again. Items it
 * executed settle when their booked debits arrive, as every outbound payment does.
 */
const followChunk = async (
  payout: Payout,
  message: PayoutChunkMessage,
  deps: PayoutProcessingDeps & { readonly accounts: Pick<AccountRepository, 'get'>; readonly bank: BulkBankGateway; readonly queue: PayoutChunkQueue },
): Promise<void> => {
  if (deps.bank.followChunk === undefined) return;
  const account = await deps.accounts.get(payout.tenantId, payout.accountId);
  if (account === undefined) throw new Error(`Account ${payout.accountId} of payout ${payout.id} does not exist`);
  const report = await deps.bank.followChunk(payout, message.chunk, account);
  if (report.failed.length > 0) {
    const reasons = new Map(report.failed.map((failure) => [failure.paymentId, failure.reason]));
    const items = (await deps.payouts.items(payout, message.from, message.to)).filter((item) => item.status === 'authorisation_required' && reasons.has(item.id));
    for (const reason of new Set(items.map((item) => reasons.get(item.id) ?? 'rejected_by_bank'))) {
      await failItems(items.filter((item) => reasons.get(item.id) === reason), reason, deps);
    }
  }
  if (!report.done) await deps.queue.enqueue([message], FOLLOW_DELAY_SECONDS);
  await completeIfDone(payout.tenantId, payout.id, deps);
};

/**
 * `payout.completed`, exactly once: when every item has ended (settled, failed or returned) by the batch's counters,
 * which move in the same writes as the items' statuses, the batch is completed with a write conditional on it still
 * being `processing`, its event in the same write (outbox), then published. Whoever loses the race, or comes again
 * after a crash, publishes what the outbox still holds (same event id).
 */
export const completeIfDone = async (tenantId: string, payoutId: string, deps: Pick<PayoutProcessingDeps, 'payouts' | 'events' | 'clock'>): Promise<void> => {
  const found = await deps.payouts.getWithOutbox(tenantId, payoutId);
  if (found === undefined) return;
  const { payout, outbox } = found;
  if (payout.status !== 'processing') {
    await publishOutbox(payout, outbox, deps);
    return;
  }
  const counters = await deps.payouts.counters(tenantId, payoutId);
  if (!allEnded(payout, counters)) return;
  const status = completionStatus(counters);
  const at = deps.clock.now().toISOString();
  const event = domainEvent('payout.completed', tenantId, at, payoutView({ ...payout, status, completedAt: at }, counters), [payoutId]);
  if (await deps.payouts.complete(payout, status, at, [event])) {
    await publishOutbox(payout, [event], deps);
    return;
  }
  const again = await deps.payouts.getWithOutbox(tenantId, payoutId);
  if (again !== undefined) await publishOutbox(again.payout, again.outbox, deps);
};

/** A payment event's payout, when the payment is a payout item that has just ended (the only events that can complete one). */
export const endedPayoutItem = (event: DomainEvent): { readonly tenantId: string; readonly payoutId: string } | undefined => {
  const data = event.data;
  if (data === null || typeof data !== 'object' || !('payoutId' in data) || typeof data.payoutId !== 'string') return undefined;
  return { tenantId: event.metadata.tenantId, payoutId: data.payoutId };
};
