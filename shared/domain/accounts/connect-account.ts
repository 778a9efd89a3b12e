import type { Clock, IdGenerator } from '../ports';
import type { Account, AccountRepository, Provider, SandboxProfile } from './account';

export interface ConnectAccountCommand {
  readonly tenantId: string;
  readonly provider: Provider;
  readonly name: string;
  readonly sortCode: string;
  readonly accountNumber: string;
  readonly currency: string;
  readonly sandboxProfile: SandboxProfile;
  readonly openingBalance: number;
}

const DAY_MS = 24 * 60 * 60 * 1000;
/** UK AIS: access must be reconfirmed by the customer every 90 days. */
export const RECONFIRMATION_DAYS = 90;

/**
 * Connects a tenant's bank account.
 * Primary course: create the AIS consent (the sandbox provider authorises at once), the account, and its cash
 * position at the opening balance, atomically.
 */
export const connectAccount = async (
  command: ConnectAccountCommand,
  deps: { readonly accounts: AccountRepository; readonly ids: IdGenerator; readonly clock: Clock },
): Promise<Account> => {
  const now = deps.clock.now();
  const account: Account = {
    id: deps.ids.next('acc'),
    tenantId: command.tenantId,
    status: 'active',
    provider: command.provider,
    name: command.name,
    sortCode: command.sortCode,
    accountNumber: command.accountNumber,
    currency: command.currency,
    sandboxProfile: command.provider === 'sandbox' ? command.sandboxProfile : null,
    aspspId: null,
    openingBalance: command.openingBalance,
    consent: {
      id: deps.ids.next('con'),
      status: 'authorised',
      expiresAt: null,
      reconfirmBy: new Date(now.getTime() + RECONFIRMATION_DAYS * DAY_MS).toISOString(),
    },
    createdAt: now.toISOString(),
  };
  await deps.accounts.create(account);
  return account;
};
