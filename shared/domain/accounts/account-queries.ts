import { ForbiddenError, NotFoundError } from '../errors';
import type { Clock } from '../ports';
import { formatAmount } from '../money';
import type { BankTransaction } from '../settlement/bank-transaction';
import type { TransactionFilter, TransactionStore } from '../settlement/settlement-store';
import type { Account, AccountRepository, Page, PageRequest } from './account';

/** An account as the API returns it. */
export const accountView = (account: Account) => ({
  id: account.id,
  status: account.status,
  provider: account.provider,
  name: account.name,
  sortCode: account.sortCode,
  accountNumber: account.accountNumber,
  currency: account.currency,
  sandboxProfile: account.sandboxProfile,
  openingBalance: formatAmount(account.openingBalance, account.currency),
  consent: account.consent,
  createdAt: account.createdAt,
});

export const getAccount = async (tenantId: string, accountId: string, deps: { readonly accounts: AccountRepository }): Promise<Account> => {
  const account = await deps.accounts.get(tenantId, accountId);
  if (account === undefined) throw new NotFoundError(`Account ${accountId} does not exist.`);
  return account;
};

/**
 * Reads an account's transactions under its AIS consent.
 * Primary course: check the consent is authorised and not past its 90-day reconfirmation, read the page, and write
 * an immutable access-log entry for the retrieval (who, what, how many, which request).
 */
export const listAccountTransactions = async (
  request: { tenantId: string; accountId: string; filter: TransactionFilter; page: PageRequest; requestId: string; endpoint: string },
  deps: { readonly accounts: AccountRepository; readonly transactions: TransactionStore; readonly clock: Clock },
): Promise<Page<BankTransaction>> => {
  const account = await getAccount(request.tenantId, request.accountId, deps);
  const now = deps.clock.now();
  if (account.consent.status !== 'authorised') {
    throw new ForbiddenError(`The AIS consent ${account.consent.id} is ${account.consent.status}.`);
  }
  if (now.toISOString() > account.consent.reconfirmBy) {
    throw new ForbiddenError(`The AIS consent ${account.consent.id} needed reconfirmation by ${account.consent.reconfirmBy}.`);
  }
  const page = await deps.transactions.list(request.tenantId, request.accountId, request.filter, request.page);
  await deps.accounts.appendAccessLog(request.tenantId, {
    consentId: account.consent.id,
    at: now.toISOString(),
    endpoint: request.endpoint,
    scope: 'transactions',
    count: page.data.length,
    requestId: request.requestId,
  });
  return page;
};
