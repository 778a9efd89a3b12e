import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { beforeAll, describe, expect, it } from 'vitest';
import { keptAsideByIbanKey } from '../../shared/adapters/dynamodb/keys';
import { tableAdapters } from '../../shared/adapters/dynamodb/repositories';
import { systemClock, ulidIds } from '../../shared/adapters/system';
import { connectAccount } from '../../shared/domain/accounts/connect-account';
import type { DomainEvent, EventPublisher } from '../../shared/domain/events/domain-event';
import type { ReportedTransaction } from '../../shared/domain/settlement/bank-transaction';
import { reconcileTransaction } from '../../shared/domain/settlement/reconcile-transaction';
import { createTestTable } from './table';

const EUR_IBAN = 'DE89370400440532013000';
const GB_IBAN = 'GB29NWBK60161331926819';

/** Accounts named by IBAN on real DynamoDB Local: the lookups are written with the account, in one transaction. */
describe('IBAN accounts on DynamoDB Local', () => {
  let adapters: ReturnType<typeof tableAdapters>;
  let table: Awaited<ReturnType<typeof createTestTable>>;
  const published: DomainEvent[] = [];
  const events: EventPublisher = { publish: async (batch) => void published.push(...batch) };

  beforeAll(async () => {
    table = await createTestTable();
    adapters = tableAdapters(table.documentClient, table.tableName);
  });

  const connect = (named: { iban?: string; sortCode?: string; accountNumber?: string }, currency: string) =>
    connectAccount(
      { tenantId: ulidIds.next('ten'), provider: 'sandbox', name: 'Acme', ...named, currency, sandboxProfile: 'exact', openingBalance: 150_000 },
      { accounts: adapters.accounts, ids: ulidIds, clock: systemClock },
    );

  const credit = (named: Pick<ReportedTransaction, 'sortCode' | 'accountNumber' | 'iban'>, bankTransactionId: string, currency: string): ReportedTransaction => ({
    provider: 'sandbox',
    ...named,
    bankTransactionId,
    status: 'booked',
    creditDebitIndicator: 'credit',
    amount: 4_200,
    currency,
    bookingDateTime: new Date().toISOString(),
    valueDateTime: null,
    reference: 'INVOICE 77',
    description: null,
    endToEndId: null,
    counterparty: null,
    merchant: null,
    category: null,
  });

  const deps = () => ({ ...adapters, events, ids: ulidIds, clock: systemClock });

  it('stores an EUR account named by IBAN with its lookup and cash position, and finds it by the IBAN only', async () => {
    // Act
    const account = await connect({ iban: 'de89 3704 0044 0532 0130 00' }, 'EUR');
    // Assess
    expect(account).toMatchObject({ iban: EUR_IBAN, sortCode: null, accountNumber: null, currency: 'EUR' });
    expect(await adapters.accounts.get(account.tenantId, account.id)).toEqual(account);
    expect((await adapters.accounts.findByIban('sandbox', EUR_IBAN)).map((found) => found.id)).toEqual([account.id]);
    expect(await adapters.accounts.findByIban('obie', EUR_IBAN)).toEqual([]);
    expect(await adapters.cash.get(account.tenantId, account.id, 'EUR')).toMatchObject({ settledBalance: 150_000 });
  });

  it('routes a transaction naming the EUR IBAN to that account, and keeps aside one naming an unknown IBAN', async () => {
    // Prepare
    const account = await connect({ iban: 'FR1420041010050500013M02606' }, 'EUR');
    // Act
    const outcomes = await reconcileTransaction(credit({ sortCode: '', accountNumber: '', iban: 'FR1420041010050500013M02606' }, 'eur-1', 'EUR'), deps());
    const orphan = await reconcileTransaction(credit({ sortCode: '', accountNumber: '', iban: 'NL91ABNA0417164300' }, 'eur-orphan', 'EUR'), deps());
    // Assess
    expect(outcomes).toEqual(['unmatched']);
    const page = await adapters.transactions.list(account.tenantId, account.id, {}, { limit: 10, cursor: undefined });
    expect(page.data.map((transaction) => [transaction.bankTransactionId, transaction.amount, transaction.currency])).toEqual([['eur-1', 4_200, 'EUR']]);
    expect(orphan).toEqual(['kept_aside']);
    const { Item } = await table.documentClient.send(
      new GetCommand({ TableName: table.tableName, Key: keptAsideByIbanKey('sandbox', 'NL91ABNA0417164300', 'eur-orphan') }),
    );
    expect(Item).toMatchObject({ entity: 'unclaimedTransaction', iban: 'NL91ABNA0417164300' });
  });

  it('finds a GB account named by IBAN by its sort code and account number, and not under an IBAN lookup', async () => {
    // Act
    const account = await connect({ iban: GB_IBAN }, 'GBP');
    // Assess
    expect(account).toMatchObject({ sortCode: '601613', accountNumber: '31926819', iban: GB_IBAN });
    expect((await adapters.accounts.findByBankAccount('sandbox', '601613', '31926819')).map((found) => [found.id, found.iban])).toEqual([[account.id, GB_IBAN]]);
    expect(await adapters.accounts.findByIban('sandbox', GB_IBAN)).toEqual([]);
    const outcomes = await reconcileTransaction(credit({ sortCode: '', accountNumber: '', iban: GB_IBAN }, 'gb-1', 'GBP'), deps());
    expect(outcomes).toEqual(['unmatched']);
  });
});
