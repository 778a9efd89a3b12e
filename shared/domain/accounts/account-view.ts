import { formatAmount } from '../money';
import type { Account } from './account';

/**
 * An account as the API returns it: fields picked one by one, so nothing internal (the bank's consent and account
 * ids, the sync cursor, tokens, which are never on the account anyway) can reach a response by being added later.
 */
export const accountView = (account: Account) => ({
  id: account.id,
  status: account.status,
  provider: account.provider,
  name: account.name,
  sortCode: account.sortCode,
  accountNumber: account.accountNumber,
  iban: account.iban,
  currency: account.currency,
  sandboxProfile: account.sandboxProfile,
  aspspId: account.aspspId,
  openingBalance: formatAmount(account.openingBalance, account.currency),
  consent: {
    id: account.consent.id,
    status: account.consent.status,
    expiresAt: account.consent.expiresAt,
    reconfirmBy: account.consent.reconfirmBy,
    authorisationUrl: account.consent.authorisationUrl,
  },
  createdAt: account.createdAt,
});
