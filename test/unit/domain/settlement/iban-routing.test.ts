import { describe, expect, it } from 'vitest';
import type { Account } from '../../../../shared/domain/accounts/account';
import { routingOf } from '../../../../shared/domain/settlement/bank-transaction';
import { reconcileTransaction } from '../../../../shared/domain/settlement/reconcile-transaction';
import {
  anAccount,
  aPayment,
  aReportedTransaction,
  InMemoryAccountRepository,
  InMemoryPaymentRepository,
  InMemoryTransactionStore,
  RecordingEventPublisher,
} from '../../../support/domain-fakes';
import { fixedClock, sequentialIds } from '../../../support/fakes';

const EUR_IBAN = 'DE89370400440532013000';
const eurAccount: Account = { ...anAccount({ id: 'acc_01JD00000000000000000000EU', currency: 'EUR' }), sortCode: null, accountNumber: null, iban: EUR_IBAN };
const gbAccount = anAccount({ sortCode: '601613', accountNumber: '31926819' });

const world = (accounts: readonly Account[]) => {
  const payments = new InMemoryPaymentRepository([aPayment({ status: 'executed', currency: 'EUR', accountId: eurAccount.id })]);
  const transactions = new InMemoryTransactionStore(payments);
  const deps = {
    accounts: new InMemoryAccountRepository(accounts),
    payments,
    transactions,
    referenceIndex: payments,
    events: new RecordingEventPublisher(),
    ids: sequentialIds(),
    clock: fixedClock('2026-11-30T10:00:00.000Z'),
  };
  return { deps, transactions };
};

describe('routingOf', () => {
  it('routes a GB IBAN by the sort code and account number inside it, another country’s by the IBAN', () => {
    expect(routingOf({ sortCode: '', accountNumber: '', iban: 'gb29 nwbk 6016 1331 9268 19' })).toEqual({ kind: 'uk', sortCode: '601613', accountNumber: '31926819' });
    expect(routingOf({ sortCode: '', accountNumber: '', iban: 'de89 3704 0044 0532 0130 00' })).toEqual({ kind: 'iban', iban: EUR_IBAN });
  });

  it('routes by sort code and account number without an IBAN, or with one that does not parse', () => {
    expect(routingOf({ sortCode: '040004', accountNumber: '12345678' })).toEqual({ kind: 'uk', sortCode: '040004', accountNumber: '12345678' });
    expect(routingOf({ sortCode: '040004', accountNumber: '12345678', iban: 'DE00370400440532013000' })).toEqual({
      kind: 'uk',
      sortCode: '040004',
      accountNumber: '12345678',
    });
  });
});

describe('reconcileTransaction by IBAN', () => {
  it('stores a transaction naming an EUR IBAN on the account known by it, and nowhere else', async () => {
    const { deps, transactions } = world([eurAccount, anAccount()]);
    const outcomes = await reconcileTransaction(aReportedTransaction({ sortCode: '', accountNumber: '', iban: EUR_IBAN, currency: 'EUR' }), deps);
    expect(outcomes).toHaveLength(1);
    expect(outcomes[0]).not.toBe('kept_aside');
    const stored = transactions.all().map((entry) => entry.transaction);
    expect(stored.map((transaction) => transaction.accountId)).toEqual([eurAccount.id]);
    expect(stored[0]).not.toHaveProperty('iban');
  });

  it('stores a transaction naming a GB IBAN on the account connected by its sort code and account number', async () => {
    const { deps, transactions } = world([gbAccount]);
    await reconcileTransaction(aReportedTransaction({ sortCode: '', accountNumber: '', iban: 'GB29NWBK60161331926819' }), deps);
    expect(transactions.all().map((entry) => entry.transaction.accountId)).toEqual([gbAccount.id]);
  });

  it('keeps aside a transaction naming an IBAN no account is known by', async () => {
    const { deps, transactions } = world([anAccount()]);
    expect(await reconcileTransaction(aReportedTransaction({ sortCode: '', accountNumber: '', iban: 'NL91ABNA0417164300', currency: 'EUR' }), deps)).toEqual(['kept_aside']);
    expect(transactions.all()).toEqual([]);
  });
});
