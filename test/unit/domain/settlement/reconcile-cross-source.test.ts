import { describe, expect, it } from 'vitest';
import type { ReportedTransaction } from '../../../../shared/domain/settlement/bank-transaction';
import { reconcileOnAccount, reconcileTransaction } from '../../../../shared/domain/settlement/reconcile-transaction';
import {
  anAccount,
  aReportedTransaction,
  InMemoryAccountRepository,
  InMemoryPaymentRepository,
  InMemoryTransactionStore,
  RecordingEventPublisher,
} from '../../../support/domain-fakes';
import { fixedClock, sequentialIds } from '../../../support/fakes';

// The same booking reported by a bank feed (webhook, sync) and by an imported statement under different ids: the
// statement entry carries no bank reference the feed uses, so it is stored under its entry key. Reconciliation
// recognises it by end-to-end id, direction, amount, currency and a booking time within 36 hours.

const account = anAccount();
const IMPORT = { importId: 'imp_01JD0000000000000000000001' };
const ENTRY_KEY = 'a'.repeat(64);

const crossSourceWorld = () => {
  const accounts = new InMemoryAccountRepository([account]);
  const payments = new InMemoryPaymentRepository([]);
  const transactions = new InMemoryTransactionStore(payments);
  const events = new RecordingEventPublisher();
  const deps = { accounts, payments, transactions, referenceIndex: payments, events, ids: sequentialIds(), clock: fixedClock('2026-03-03T09:00:00.000Z') };
  return { transactions, events, deps };
};

type World = ReturnType<typeof crossSourceWorld>;

/** A booked credit as the bank feed reports it: the bank's id and the time of day it was booked. */
const feedReport = (overrides: Partial<ReportedTransaction> = {}): ReportedTransaction =>
  aReportedTransaction({
    bankTransactionId: 'FEED-TXN-0001',
    endToEndId: 'E2E-0001',
    amount: 4_200,
    bookingDateTime: '2026-03-02T16:30:00.000Z',
    reference: null,
    description: null,
    ...overrides,
  });

/** The same booking as a statement states it: its entry key, the booking date at midnight UTC. */
const statementReport = (overrides: Partial<ReportedTransaction> = {}): ReportedTransaction =>
  feedReport({ bankTransactionId: ENTRY_KEY, bookingDateTime: '2026-03-02T00:00:00.000Z', ...overrides });

const fromFeed = async (world: World, report: ReportedTransaction) => {
  const [outcome] = await reconcileTransaction(report, world.deps);
  return outcome;
};
const fromStatement = (world: World, report: ReportedTransaction) => reconcileOnAccount(report, account, world.deps, IMPORT);

const storedIds = (world: World) => world.transactions.all().map((stored) => stored.transaction.bankTransactionId);

describe('reconcileOnAccount: the same booking from the other kind of source', () => {
  it('takes a statement entry for a booking the feed already reported as a duplicate', async () => {
    // Prepare
    const world = crossSourceWorld();
    await fromFeed(world, feedReport());
    const published = world.events.published.length;

    // Act
    const outcome = await fromStatement(world, statementReport());

    // Assess
    expect(outcome).toBe('duplicate');
    expect(storedIds(world)).toEqual(['FEED-TXN-0001']);
    expect(world.events.published).toHaveLength(published);
  });

  it('takes a feed transaction for a booking a statement already brought as a duplicate', async () => {
    // Prepare
    const world = crossSourceWorld();
    await fromStatement(world, statementReport());

    // Act
    const outcome = await fromFeed(world, feedReport());

    // Assess
    expect(outcome).toBe('duplicate');
    expect(world.transactions.all().map((stored) => [stored.transaction.bankTransactionId, stored.transaction.importId])).toEqual([[ENTRY_KEY, IMPORT.importId]]);
  });

  it('keeps two feed transactions with the same end-to-end id as two (a payer may pay twice)', async () => {
    const world = crossSourceWorld();
    await fromFeed(world, feedReport());
    const outcome = await fromFeed(world, feedReport({ bankTransactionId: 'FEED-TXN-0002' }));
    expect(outcome).toBe('unmatched');
    expect(storedIds(world)).toEqual(['FEED-TXN-0001', 'FEED-TXN-0002']);
  });

  it('keeps two statement entries with the same end-to-end id as two', async () => {
    const world = crossSourceWorld();
    await fromStatement(world, statementReport());
    const outcome = await fromStatement(world, statementReport({ bankTransactionId: 'b'.repeat(64) }));
    expect(outcome).toBe('unmatched');
    expect(storedIds(world)).toHaveLength(2);
  });

  it.each([
    { case: 'another amount', overrides: { amount: 4_201 } },
    { case: 'the other direction', overrides: { creditDebitIndicator: 'debit' as const } },
    { case: 'another currency', overrides: { currency: 'EUR' } },
    { case: 'another end-to-end id', overrides: { endToEndId: 'E2E-0002' } },
    { case: 'no end-to-end id', overrides: { endToEndId: null } },
    { case: 'a booking more than 36 hours later', overrides: { bookingDateTime: '2026-03-04T04:30:00.001Z' } },
    { case: 'a booking more than 36 hours earlier', overrides: { bookingDateTime: '2026-03-01T04:29:59.999Z' } },
    { case: 'a pending status', overrides: { status: 'pending' as const } },
  ])('keeps a statement entry with $case as a transaction of its own', async ({ overrides }) => {
    // Prepare
    const world = crossSourceWorld();
    await fromFeed(world, feedReport());

    // Act
    const outcome = await fromStatement(world, statementReport(overrides));

    // Assess
    expect(outcome).not.toBe('duplicate');
    expect(storedIds(world)).toEqual(['FEED-TXN-0001', ENTRY_KEY]);
  });

  it.each([
    { case: '36 hours later', bookingDateTime: '2026-03-04T04:30:00.000Z' },
    { case: '36 hours earlier', bookingDateTime: '2026-03-01T04:30:00.000Z' },
  ])('still takes a booking exactly $case for the same one', async ({ bookingDateTime }) => {
    const world = crossSourceWorld();
    await fromFeed(world, feedReport());
    expect(await fromStatement(world, statementReport({ bookingDateTime }))).toBe('duplicate');
  });

  it('takes a statement entry stored under the AcctSvcrRef the feed used as its transaction id for a duplicate by id', async () => {
    // Prepare: no end-to-end id at all; the bank's reference is the feed's id.
    const world = crossSourceWorld();
    await fromFeed(world, feedReport({ endToEndId: null }));

    // Act
    const outcome = await fromStatement(world, statementReport({ bankTransactionId: 'FEED-TXN-0001', endToEndId: null }));

    // Assess
    expect(outcome).toBe('duplicate');
    expect(storedIds(world)).toEqual(['FEED-TXN-0001']);
  });

  // One report per stored booking: when a payer paid twice with one end-to-end id and the feed reported only one of
  // the two, the first statement entry is taken for it and the second is a booking of its own.
  it('keeps the second of two twin statement entries when the feed reported only one booking', async () => {
    // Prepare
    const world = crossSourceWorld();
    await fromFeed(world, feedReport());

    // Act
    const outcomes = [await fromStatement(world, statementReport()), await fromStatement(world, statementReport({ bankTransactionId: 'b'.repeat(64) }))];

    // Assess
    expect(outcomes).toEqual(['duplicate', 'unmatched']);
    expect(storedIds(world)).toHaveLength(2);
  });

  it('takes a redelivered statement entry for the same feed booking again', async () => {
    // Prepare
    const world = crossSourceWorld();
    await fromFeed(world, feedReport());
    await fromStatement(world, statementReport());

    // Act
    const redelivered = await fromStatement(world, statementReport());

    // Assess
    expect(redelivered).toBe('duplicate');
    expect(storedIds(world)).toEqual(['FEED-TXN-0001']);
  });
});
