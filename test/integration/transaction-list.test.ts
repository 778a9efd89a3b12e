import { beforeAll, describe, expect, it } from 'vitest';
import { CLOCK_MARGIN_MS, listShardSchedule, shardsOf } from '../../shared/adapters/dynamodb/list-partitions';
import { DynamoDbTransactionStore } from '../../shared/adapters/dynamodb/transaction-store';
import type { Page, PageRequest } from '../../shared/domain/accounts/account';
import type { BankTransaction } from '../../shared/domain/settlement/bank-transaction';
import type { TransactionFilter } from '../../shared/domain/settlement/settlement-store';
import { aBankTransaction, TENANT_ID } from '../support/domain-fakes';
import { createTestTable } from './table';

const ACCOUNT_ID = 'acc_01JD0000000000000000000001';

/** Minute `n` of 24 November 2026, as a booking time. */
const minute = (n: number) => new Date(Date.UTC(2026, 10, 24, 10, n)).toISOString();

/**
 * 60 transactions, one a minute, newest last: every 3rd a debit, every 10th carries "Invoice INV-77" in its
 * description, #5 pending and replaced by its booked twin #6, #7 pending and still pending.
 */
const history: BankTransaction[] = Array.from({ length: 60 }, (_, n) =>
  aBankTransaction({
    id: `txn_${String(n).padStart(4, '0')}`,
    bankTransactionId: `bank-${n}`,
    bookingDateTime: minute(n),
    creditDebitIndicator: n % 3 === 0 ? 'debit' : 'credit',
    status: n === 5 || n === 7 ? 'pending' : 'booked',
    reference: `REF${n}`,
    description: n % 10 === 0 ? `J SMITH Invoice INV-77 #${n}` : `J SMITH #${n}`,
    supersededBy: n === 5 ? 'txn_0006' : null,
    supersedes: n === 6 ? 'txn_0005' : null,
    reconciliation: { status: n % 2 === 0 ? 'matched' : 'unmatched', paymentIds: [], exceptionId: null, matchedBy: null, keys: [], candidatePaymentIds: [] },
  }),
);

describe('DynamoDbTransactionStore.list on DynamoDB Local', () => {
  let store: DynamoDbTransactionStore;
  let queries = 0;

  beforeAll(async () => {
    const table = await createTestTable();
    const client = table.documentClient;
    store = new DynamoDbTransactionStore(client, table.tableName);
    for (const transaction of history) {
      await store.record({ transaction, paymentChanges: [], exception: undefined, supersedes: undefined, outbox: [] });
    }
    // Count the queries each list makes.
    client.middlewareStack.add(
      (next) => async (args) => {
        if (args.input !== null && typeof args.input === 'object' && 'KeyConditionExpression' in args.input) queries += 1;
        return next(args);
      },
      { step: 'initialize', name: 'countQueries' },
    );
  });

  /** Every page of a list, following nextCursor. */
  const all = async (filter: TransactionFilter, limit: number) => {
    const pages: Page<BankTransaction>[] = [];
    let cursor: string | undefined;
    do {
      const request: PageRequest = { limit, cursor };
      const page = await store.list(TENANT_ID, ACCOUNT_ID, filter, request);
      pages.push(page);
      cursor = page.nextCursor ?? undefined;
    } while (cursor !== undefined);
    return { pages, ids: pages.flatMap((page) => page.data.map((transaction) => transaction.id)) };
  };
  const expected = (keep: (n: number) => boolean) =>
    history.map((_, n) => n).filter(keep).reverse().map((n) => `txn_${String(n).padStart(4, '0')}`);

  it.each<{ description: string; filter: TransactionFilter; keep: (n: number) => boolean }>([
    { description: 'nothing: every row but the replaced pending one', filter: {}, keep: (n) => n !== 5 },
    { description: 'includeSuperseded', filter: { includeSuperseded: true }, keep: () => true },
    { description: 'direction=debit', filter: { direction: 'debit' }, keep: (n) => n % 3 === 0 && n !== 5 },
    { description: 'status=pending', filter: { status: 'pending' }, keep: (n) => n === 7 },
    { description: 'reconciliation=matched', filter: { reconciliation: 'matched' }, keep: (n) => n % 2 === 0 },
    { description: 'q, any case', filter: { q: 'invoice inv-77' }, keep: (n) => n % 10 === 0 },
    { description: 'q on the reference', filter: { q: 'ref4' }, keep: (n) => n === 4 || (n >= 40 && n <= 49) },
    { description: 'from/to (inclusive)', filter: { from: minute(20), to: minute(29) }, keep: (n) => n >= 20 && n <= 29 },
    { description: 'from/to with direction', filter: { from: minute(20), to: minute(39), direction: 'credit' }, keep: (n) => n >= 20 && n <= 39 && n % 3 !== 0 },
  ])('lists $description, newest first, in full pages', async ({ filter, keep }) => {
    // Act
    const { pages, ids } = await all(filter, 4);
    // Assess
    expect(ids).toEqual(expected(keep));
    // Only the last page may be short.
    for (const page of pages.slice(0, -1)) expect(page.data).toHaveLength(4);
  });

  it('reads once per page and partition when nothing is filtered out', async () => {
    queries = 0;
    const { pages } = await all({ includeSuperseded: true }, 25);
    expect(pages.map((page) => page.data.length)).toEqual([25, 25, 10]);
    // The history is one month: each page queries that month's shards and the list's base partition once each; the
    // first page also queries the shards of each later month up to now and its clock margin, empty (a run near or
    // after the end of the history's month).
    const later: string[] = [];
    for (let month = new Date(Date.UTC(2026, 11, 1)); month.toISOString().slice(0, 7) <= new Date(Date.now() + CLOCK_MARGIN_MS).toISOString().slice(0, 7); month.setUTCMonth(month.getUTCMonth() + 1)) {
      later.push(month.toISOString().slice(0, 7));
    }
    const emptyMonths = later.reduce((sum, month) => sum + shardsOf(listShardSchedule(), month), 0);
    expect(queries).toBe(3 * (shardsOf(listShardSchedule(), '2026-11') + 1) + emptyMonths);
  });
});
