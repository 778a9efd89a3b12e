import { describe, expect, it } from 'vitest';
import type { Account } from '../../../../shared/domain/accounts/account';
import type { DomainEvent } from '../../../../shared/domain/events/domain-event';
import type { Payment } from '../../../../shared/domain/payments/payment';
import type { PaymentRepository } from '../../../../shared/domain/payments/payment-repository';
import { payoutPayment } from '../../../../shared/domain/payouts/create-payout';
import { applyMoves, counterMoves, countersOf, type Payout, type PayoutCounters } from '../../../../shared/domain/payouts/payout';
import type { BulkBankGateway, BulkSubmission, PayoutChunkMessage, PayoutStore } from '../../../../shared/domain/payouts/payout-store';
import { applyPayoutDecision, processChunk } from '../../../../shared/domain/payouts/process-payout';

const clock = { now: () => new Date('2026-11-30T10:00:00.000Z') };
const account = { id: 'acc_1', tenantId: 'ten_1', provider: 'sandbox', sandboxProfile: 'chaotic' } as unknown as Account;

/** A payout of `size` items in memory, with a payments repository whose writes move the batch's counters as DynamoDB's do. */
const world = (size: number, rejectChunks: readonly number[]) => {
  const payout: Payout = {
    id: 'bat_5KQ2M9XR4T7W1B3C8D6E0F2G4H',
    tenantId: 'ten_1',
    accountId: 'acc_1',
    currency: 'GBP',
    status: 'processing',
    itemCount: size,
    totalAmount: 0,
    referenceToken: 'ABCDEFG',
    fingerprint: 'f',
    provider: 'sandbox',
    bankBatchId: 'sbb_5KQ2M9XR4T7W1B3C8D6E0F2G4H',
    authorisationUrl: 'http://bank/batch',
    chunkSize: 4,
    createdAt: clock.now().toISOString(),
    updatedAt: clock.now().toISOString(),
    authorisedAt: clock.now().toISOString(),
    completedAt: null,
  };
  const stored = new Map<string, Payment>();
  for (let index = 0; index < size; index += 1) {
    const item = { index, amount: 100 + index, reference: undefined, externalId: undefined, counterparty: { name: 'A B', sortCode: '200000', accountNumber: String(50_000_000 + index) } };
    const payment = payoutPayment(payout, item, { result: index === 0 ? 'no_match' : 'match' }, 'stop');
    stored.set(payment.id, payment);
  }
  let counters: PayoutCounters = countersOf([...stored.values()]);
  let record = payout;
  let outbox: readonly DomainEvent[] = [];
  const handed = new Set<number>();
  const submitted: { chunk: number; ids: string[] }[] = [];
  const published: DomainEvent[] = [];
  const payments = {
    get: async (_tenantId: string, id: string) => stored.get(id),
    update: async (previous: Payment, next: Payment) => {
      if (stored.get(next.id)?.version !== previous.version) return false;
      stored.set(next.id, next);
      counters = applyMoves(counters, counterMoves(previous, next));
      return true;
    },
    clearOutbox: async () => undefined,
  } as unknown as PaymentRepository;
  const payouts = {
    get: async () => record,
    getWithOutbox: async () => ({ payout: record, outbox }),
    counters: async () => counters,
    chunkHanded: async (_t: string, _p: string, chunk: number) => handed.has(chunk),
    markChunkHanded: async (_t: string, _p: string, chunk: number) => void handed.add(chunk),
    items: async (_p: unknown, from: number, to: number) => [...stored.values()].slice(from, to),
    prepareForBank: async () => undefined,
    complete: async (_p: Payout, status: Payout['status'], at: string, events: readonly DomainEvent[]) => {
      if (record.status !== 'processing') return false;
      record = { ...record, status, completedAt: at };
      outbox = events;
      return true;
    },
    clearOutbox: async () => void (outbox = []),
    findByBankBatchId: async () => record,
    decide: async (_p: Payout, status: 'processing' | 'rejected') => {
      if (record.status !== 'authorisation_required') return false;
      record = { ...record, status };
      return true;
    },
  } as unknown as PayoutStore;
  const bank: BulkBankGateway = {
    identify: () => ({ bankBatchId: payout.bankBatchId, authorisationUrl: payout.authorisationUrl }),
    initiateBatch: async () => undefined,
    submitChunk: async (_p, chunk, items): Promise<BulkSubmission> => {
      submitted.push({ chunk, ids: items.map((item) => item.id) });
      return rejectChunks.includes(chunk) ? { accepted: false, reason: 'chunk_rejected_by_bank' } : { accepted: true };
    },
    bulkLimit: async () => 4,
  };
  const queued: { message: PayoutChunkMessage; delaySeconds: number | undefined }[] = [];
  const queue = { enqueue: async (messages: readonly PayoutChunkMessage[], delaySeconds?: number) => void queued.push(...messages.map((message) => ({ message, delaySeconds }))) };
  const deps = { payouts, payments, events: { publish: async (events: readonly DomainEvent[]) => void published.push(...events) }, clock, accounts: { get: async () => account }, bank, queue };
  return { deps, stored, submitted, published, queued, counters: () => counters, setRecord: (next: Payout) => (record = next), record: () => record };
};

const chunk = (index: number, from: number, to: number): PayoutChunkMessage => ({ tenantId: 'ten_1', payoutId: 'bat_5KQ2M9XR4T7W1B3C8D6E0F2G4H', chunk: index, from, to, action: 'submit' });

describe('payout chunks', () => {
  it('fails every item of a chunk the bank refuses whole, with its reason and its event, and counts them', async () => {
    // Prepare
    const { deps, stored, published, counters } = world(8, [1]);
    // Act
    await processChunk(chunk(1, 4, 8), deps);
    // Assess
    const items = [...stored.values()].slice(4, 8);
    expect(items.map((item) => [item.status, item.failureReason])).toEqual(Array.from({ length: 4 }, () => ['failed', 'chunk_rejected_by_bank']));
    expect(published.filter((event) => event.type === 'payment.failed')).toHaveLength(4);
    expect(counters().failed.count).toBe(5);
    expect(counters().authorisation_required.count).toBe(3);
  });

  it('never sends an item stopped by Confirmation of Payee, and sends nothing twice when a chunk is redelivered', async () => {
    // Prepare
    const { deps, submitted, stored } = world(8, []);
    // Act
    await processChunk(chunk(0, 0, 4), deps);
    await processChunk(chunk(0, 0, 4), deps);
    // Assess
    expect(submitted).toHaveLength(1);
    expect(submitted[0]?.ids).toHaveLength(3);
    expect(submitted[0]?.ids).not.toContain([...stored.keys()][0]);
  });

  it('completes the batch once when a chunk ends its last items, with counts that add up', async () => {
    // Prepare: a batch of 4 whose only chunk the bank refuses
    const { deps, published, record } = world(4, [0]);
    // Act
    await processChunk(chunk(0, 0, 4), deps);
    await processChunk(chunk(0, 0, 4), deps);
    // Assess
    const completed = published.filter((event) => event.type === 'payout.completed');
    expect(completed).toHaveLength(1);
    expect(record().status).toBe('completed_with_failures');
    expect((completed[0]?.data as { counts: Record<string, number> }).counts).toMatchObject({ total: 4, failed: 4, settled: 0 });
  });

  it('follows a chunk the bank reports as a whole: fails the items it rejected with its reason, and asks again until it has said all', async () => {
    // Prepare: a bank that accepts chunk 0 (items 0-3, item 0 stopped by CoP) to report on it later
    const { deps, stored, queued, published } = world(4, []);
    const ids = [...stored.keys()];
    const reports = [
      { failed: [{ paymentId: ids[2] ?? '', reason: 'AC01' }], done: false },
      { failed: [{ paymentId: ids[2] ?? '', reason: 'AC01' }, { paymentId: ids[3] ?? '', reason: 'AM04' }], done: true },
    ];
    const bank: BulkBankGateway = { ...deps.bank, submitChunk: async () => ({ accepted: true, follow: true }), followChunk: async () => reports.shift() ?? { failed: [], done: true } };
    const followed = { ...deps, bank };
    // Act: the chunk is handed over, then followed twice (as its queued messages arrive)
    await processChunk(chunk(0, 0, 4), followed);
    const first = queued.shift();
    await processChunk(first?.message ?? chunk(0, 0, 4), followed);
    const second = queued.shift();
    await processChunk(second?.message ?? chunk(0, 0, 4), followed);
    // Assess
    expect(first).toMatchObject({ message: { action: 'follow', chunk: 0 }, delaySeconds: 2 });
    expect(second).toMatchObject({ message: { action: 'follow', chunk: 0 }, delaySeconds: 2 });
    expect(queued).toEqual([]);
    expect([ids[2], ids[3]].map((id) => [stored.get(id ?? '')?.status, stored.get(id ?? '')?.failureReason])).toEqual([
      ['failed', 'AC01'],
      ['failed', 'AM04'],
    ]);
    expect(stored.get(ids[1] ?? '')?.status).toBe('authorisation_required');
    expect(published.filter((event) => event.type === 'payment.failed')).toHaveLength(2);
  });

  it('asks nothing later of a bank that reports each item by itself', async () => {
    // Prepare
    const { deps, queued } = world(4, []);
    // Act
    await processChunk(chunk(0, 0, 4), deps);
    // Assess
    expect(queued).toEqual([]);
  });

  it('queues one message per chunk of the bank limit once authorised, and the same again for a redelivered decision', async () => {
    // Prepare
    const { deps, setRecord, record } = world(10, []);
    setRecord({ ...record(), status: 'authorisation_required' });
    const sent: PayoutChunkMessage[] = [];
    const decisionDeps = { payouts: deps.payouts, queue: { enqueue: async (messages: readonly PayoutChunkMessage[]) => void sent.push(...messages) }, clock, bulkLimit: 4 };
    const report = { provider: 'sandbox' as const, bankPaymentId: 'sbb_5KQ2M9XR4T7W1B3C8D6E0F2G4H', status: 'authorised' as const, at: clock.now().toISOString(), reason: null };
    // Act
    await applyPayoutDecision(report, decisionDeps);
    await applyPayoutDecision(report, decisionDeps);
    // Assess
    expect(record().status).toBe('processing');
    expect(sent.map((message) => [message.chunk, message.from, message.to])).toEqual([
      [0, 0, 4],
      [1, 4, 8],
      [2, 8, 10],
      [0, 0, 4],
      [1, 4, 8],
      [2, 8, 10],
    ]);
  });
});
