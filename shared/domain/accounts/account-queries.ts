import { NotFoundError } from '../errors';
import type { EventPublisher } from '../events/domain-event';
import type { Clock } from '../ports';
import type { BankTransaction } from '../settlement/bank-transaction';
import type { TransactionFilter, TransactionStore } from '../settlement/settlement-store';
import type { Account, AccountRepository, Page, PageRequest } from './account';
import { assertRetrievable } from './consents';

export { accountView } from './account-view';

export const getAccount = async (tenantId: string, accountId: string, deps: { readonly accounts: AccountRepository }): Promise<Account> => {
  const account = await deps.accounts.get(tenantId, accountId);
  if (account === undefined) throw new NotFoundError(`Account ${accountId} does not exist.`);
  return account;
};

/**
 * Reads an account's transactions under its AIS consent.
 * Primary course: check the consent is authorised and not past its 90-day reconfirmation ({@link assertRetrievable}:
 * 403 and nothing read otherwise), read the page, and write an immutable access-log entry for the retrieval (who,
 * what, how many, which request).
 */
export const listAccountTransactions = async (
  request: { tenantId: string; accountId: string; filter: TransactionFilter; page: PageRequest; requestId: string; endpoint: string },
  deps: { readonly accounts: AccountRepository; readonly transactions: TransactionStore; readonly events: EventPublisher; readonly clock: Clock },
): Promise<Page<BankTransaction>> => {
  const account = await getAccount(request.tenantId, request.accountId, deps);
  await assertRetrievable(account, deps);
  const now = deps.clock.now();
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
