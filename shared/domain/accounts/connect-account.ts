import type { Clock, IdGenerator } from '../ports';
import type { AccountRepository, ConnectedAccount, SandboxProfile } from './account';

export interface ConnectAccountCommand {
  readonly tenantId: string;
  readonly provider: 'sandbox';
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

/** The end of a 90-day access period starting at `from`. */
export const reconfirmByFrom = (from: Date): string => new Date(from.getTime() + RECONFIRMATION_DAYS * DAY_MS).toISOString();

/**
 * Connects a tenant's bank account.
 * Primary course: create the AIS consent (the sandbox provider authorises at once), the account, and its cash
 * position at the opening balance, atomically.
 */
export const connectAccount = async (
  command: ConnectAccountCommand,
  deps: { readonly accounts: AccountRepository; readonly ids: IdGenerator; readonly clock: Clock },
): Promise<ConnectedAccount> => {
  const now = deps.clock.now();
  const account: ConnectedAccount = {
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
      reconfirmBy: reconfirmByFrom(now),
      authorisationUrl: null,
      bankConsentId: null,
      pendingBankConsentId: null,
      statusReason: null,
      reconfirmationNotifiedFor: null,
    },
    createdAt: now.toISOString(),
    bankAccountId: null,
    syncCursor: null,
    connectedAt: null,
    version: 1,
  };
  await deps.accounts.create(account);
  return account;
};
