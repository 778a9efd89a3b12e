import { ValidationError } from '../errors';
import type { Clock, IdGenerator } from '../ports';
import type { Account, AccountRepository, ConnectedAccount, SandboxProfile } from './account';
import { identifyBankAccount } from './iban';

export interface ConnectAccountCommand {
  readonly tenantId: string;
  readonly provider: 'sandbox';
  readonly name: string;
  /** An `iban`, or `sortCode` with `accountNumber`, or (a GB IBAN) all three agreeing: {@link identifyBankAccount}. */
  readonly iban?: string;
  readonly sortCode?: string;
  readonly accountNumber?: string;
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
 * Primary course: identify the bank account (sort code and account number, or IBAN: a GB IBAN gives both, another
 * country's IBAN stays the account's only identity), then create the AIS consent (the sandbox provider authorises
 * at once), the account, and its cash position at the opening balance, atomically.
 * Alternative course: the bank account is named inconsistently or not at all: 400, nothing stored.
 */
export async function connectAccount(
  command: ConnectAccountCommand & { readonly sortCode: string; readonly accountNumber: string },
  deps: ConnectAccountDeps,
): Promise<ConnectedAccount>;
export async function connectAccount(command: ConnectAccountCommand, deps: ConnectAccountDeps): Promise<Account>;
export async function connectAccount(command: ConnectAccountCommand, deps: ConnectAccountDeps): Promise<Account> {
  const identity = identifyBankAccount(command);
  if (!identity.ok) {
    throw new ValidationError('The bank account is invalid.', { details: [{ path: identity.path, message: identity.message }] });
  }
  const now = deps.clock.now();
  const account: Account = {
    id: deps.ids.next('acc'),
    tenantId: command.tenantId,
    status: 'active',
    provider: command.provider,
    name: command.name,
    sortCode: identity.value.sortCode,
    accountNumber: identity.value.accountNumber,
    iban: identity.value.iban,
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
}

export interface ConnectAccountDeps {
  readonly accounts: AccountRepository;
  readonly ids: IdGenerator;
  readonly clock: Clock;
}
