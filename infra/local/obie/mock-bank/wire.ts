import { formatAmount } from '../../../../shared/domain/money';
import type { ObieVersion } from '../spec-validator';
import type { ConsentStatus, StoredAccount, StoredConsent, StoredPayment, StoredTransaction } from './state';

/**
 * How each API version spells the same things on the wire: consent and payment statuses, transaction and balance
 * codes, error codes, and where a payment's reference sits in the Initiation. Everything inside the mock is one
 * model; only this file knows v3.1.11 from v4.0.
 */
export const SORT_CODE_SCHEME = 'UK.OBIE.SortCodeAccountNumber';

export const pathVersion = (version: ObieVersion): 'v3.1' | 'v4.0' => (version === 'v3.1.11' ? 'v3.1' : 'v4.0');

const isRecord = (value: unknown): value is Record<string, unknown> => value !== null && typeof value === 'object' && !Array.isArray(value);

export const consentStatus = (version: ObieVersion, consent: StoredConsent): string => {
  const v3: Record<ConsentStatus, string> =
    consent.kind === 'account-access'
      ? { awaiting: 'AwaitingAuthorisation', authorised: 'Authorised', rejected: 'Rejected', revoked: 'Revoked', consumed: 'Authorised' }
      : { awaiting: 'AwaitingAuthorisation', authorised: 'Authorised', rejected: 'Rejected', revoked: 'Rejected', consumed: 'Consumed' };
  const v4: Record<ConsentStatus, string> =
    consent.kind === 'account-access'
      ? { awaiting: 'AWAU', authorised: 'AUTH', rejected: 'RJCT', revoked: 'CANC', consumed: 'AUTH' }
      : { awaiting: 'AWAU', authorised: 'AUTH', rejected: 'RJCT', revoked: 'RJCT', consumed: 'COND' };
  return (version === 'v3.1.11' ? v3 : v4)[consent.status];
};

/** The Permissions an account-access consent grants. */
export const consentPermissions = (consent: StoredConsent): string[] => {
  const permissions = consent.data.Permissions;
  return Array.isArray(permissions) ? permissions.filter((p): p is string => typeof p === 'string') : [];
};

export const paymentStatus = (version: ObieVersion, payment: StoredPayment): string => {
  const v3 = { accepted: 'AcceptedSettlementInProcess', completed: 'AcceptedSettlementCompleted', rejected: 'Rejected' } as const;
  const v4 = { accepted: 'ACSP', completed: 'ACSC', rejected: 'RJCT' } as const;
  return (version === 'v3.1.11' ? v3 : v4)[payment.status];
};

/** The payer's reference in an Initiation: v3.1.11 `RemittanceInformation.Reference`; v4.0 has no such field and
 * carries it as `Structured[0].CreditorReferenceInformation.Reference`, else the first `Unstructured` line. */
export const initiationReference = (version: ObieVersion, initiation: Record<string, unknown>): string | undefined => {
  const remittance = initiation.RemittanceInformation;
  if (!isRecord(remittance)) return undefined;
  if (version === 'v3.1.11') {
    if (typeof remittance.Reference === 'string') return remittance.Reference;
    return typeof remittance.Unstructured === 'string' ? remittance.Unstructured : undefined;
  }
  const structured = Array.isArray(remittance.Structured) ? remittance.Structured[0] : undefined;
  const creditorReference = isRecord(structured) ? structured.CreditorReferenceInformation : undefined;
  if (isRecord(creditorReference) && typeof creditorReference.Reference === 'string') return creditorReference.Reference;
  const unstructured = Array.isArray(remittance.Unstructured) ? remittance.Unstructured[0] : undefined;
  return typeof unstructured === 'string' ? unstructured : undefined;
};

/** `{SchemeName, Identification, Name}` of a sort code and account number account; undefined for other schemes. */
export const sortCodeAccount = (value: unknown): { sortCode: string; accountNumber: string; name: string | undefined } | undefined => {
  if (!isRecord(value) || value.SchemeName !== SORT_CODE_SCHEME || typeof value.Identification !== 'string') return undefined;
  const match = /^(\d{6})(\d{8})$/.exec(value.Identification);
  if (match?.[1] === undefined || match[2] === undefined) return undefined;
  return { sortCode: match[1], accountNumber: match[2], name: typeof value.Name === 'string' ? value.Name : undefined };
};

export const amountOf = (minor: number, currency: string): { Amount: string; Currency: string } => ({ Amount: formatAmount(Math.abs(minor), currency), Currency: currency });

export const accountJson = (version: ObieVersion, account: StoredAccount, detail: boolean): Record<string, unknown> => ({
  AccountId: account.accountId,
  Status: 'Enabled',
  StatusUpdateDateTime: account.openedAt,
  Currency: account.currency,
  ...(version === 'v3.1.11' ? { AccountType: 'Personal', AccountSubType: 'CurrentAccount' } : { AccountCategory: 'Personal', AccountTypeCode: 'CACC' }),
  Nickname: account.name.slice(0, 70),
  OpeningDate: account.openedAt,
  ...(detail ? { Account: [{ SchemeName: SORT_CODE_SCHEME, Identification: `${account.sortCode}${account.accountNumber}`, Name: account.name }] } : {}),
});

export const availableMinor = (account: StoredAccount): number =>
  account.bookedMinor - account.transactions.filter((t) => t.status === 'pending' && t.creditDebit === 'Debit').reduce((sum, t) => sum + t.amountMinor, 0);

export const balancesJson = (version: ObieVersion, account: StoredAccount, at: string): Record<string, unknown>[] =>
  [
    [version === 'v3.1.11' ? 'InterimBooked' : 'ITBD', account.bookedMinor],
    [version === 'v3.1.11' ? 'InterimAvailable' : 'ITAV', availableMinor(account)],
  ].map(([type, minor]) => ({
    AccountId: account.accountId,
    CreditDebitIndicator: Number(minor) >= 0 ? 'Credit' : 'Debit',
    Type: type,
    DateTime: at,
    Amount: amountOf(Number(minor), account.currency),
  }));

/**
 * One transaction: the Faster Payments id in TransactionReference, the payer's reference (as this bank shows it) in
 * TransactionInformation, the end-to-end id in SupplementaryData, the counterparty as DebtorAccount (credits) or
 * CreditorAccount (debits), ISO family/sub-family codes and the bank's own code.
 */
export const transactionJson = (version: ObieVersion, transaction: StoredTransaction, bankName: string): Record<string, unknown> => {
  const booked = transaction.status === 'booked';
  const counterparty = {
    ...(transaction.counterparty.sortCode !== undefined && transaction.counterparty.accountNumber !== undefined
      ? { SchemeName: SORT_CODE_SCHEME, Identification: `${transaction.counterparty.sortCode}${transaction.counterparty.accountNumber}` }
      : {}),
    Name: transaction.counterparty.name.slice(0, 350),
  };
  const credit = transaction.creditDebit === 'Credit';
  return {
    AccountId: transaction.accountId,
    TransactionId: transaction.transactionId,
    TransactionReference: transaction.fasterPaymentsId,
    CreditDebitIndicator: transaction.creditDebit,
    Status: version === 'v3.1.11' ? (booked ? 'Booked' : 'Pending') : booked ? 'BOOK' : 'PDNG',
    TransactionMutability: booked ? 'Immutable' : 'Mutable',
    BookingDateTime: transaction.bookingDateTime,
    ...(transaction.valueDateTime === undefined ? {} : { ValueDateTime: transaction.valueDateTime }),
    ...(transaction.reference === '' ? {} : { TransactionInformation: transaction.reference }),
    Amount: amountOf(transaction.amountMinor, transaction.currency),
    BankTransactionCode: { Code: credit ? 'RCDT' : 'ICDT', SubCode: 'DMCT' },
    ProprietaryBankTransactionCode: { Code: credit ? 'FASTER PAYMENT IN' : 'FASTER PAYMENT OUT', Issuer: bankName.slice(0, 35) },
    ...(credit ? { DebtorAccount: counterparty } : { CreditorAccount: counterparty }),
    SupplementaryData: { EndToEndIdentification: transaction.endToEndIdentification },
  };
};

/** OB error codes: v3.1.11 sends the name, v4.0 the four-character code of the OB internal code set. */
const ERROR_CODES = {
  'UK.OBIE.Field.Expected': 'U001',
  'UK.OBIE.Field.Invalid': 'U002',
  'UK.OBIE.Field.Missing': 'U004',
  'UK.OBIE.Field.Unexpected': 'U005',
  'UK.OBIE.Header.Invalid': 'U006',
  'UK.OBIE.Header.Missing': 'U007',
  'UK.OBIE.Resource.ConsentMismatch': 'U008',
  'UK.OBIE.Resource.InvalidConsentStatus': 'U009',
  'UK.OBIE.Resource.InvalidFormat': 'U010',
  'UK.OBIE.Resource.NotFound': 'U011',
  // A business rule of the bank's (file payments: over its file limit, a file that does not match its consent).
  'UK.OBIE.Rules.FailsControlParameters': 'U014',
  'UK.OBIE.Signature.Invalid': 'U015',
  'UK.OBIE.Signature.InvalidClaim': 'U016',
  'UK.OBIE.Signature.MissingClaim': 'U017',
  'UK.OBIE.Signature.Malformed': 'U018',
  'UK.OBIE.Signature.Missing': 'U019',
  'UK.OBIE.Unsupported.AccountIdentifier': 'U021',
  'UK.OBIE.Unsupported.Currency': 'U023',
  'UK.OBIE.Reauthenticate': 'U028',
  'UK.OBIE.UnexpectedError': 'U000',
} as const;
export type ObErrorCode = keyof typeof ERROR_CODES;

export interface ObErrorDetail {
  readonly code: ObErrorCode;
  readonly message: string;
  readonly path?: string;
}

const STATUS_TEXT: Record<number, string> = { 400: '400 BadRequest', 403: '403 Forbidden', 404: '404 NotFound', 409: '409 Conflict', 500: '500 InternalError' };

export const errorJson = (version: ObieVersion, status: number, id: string, errors: readonly ObErrorDetail[]): Record<string, unknown> => ({
  Code: STATUS_TEXT[status] ?? `${status}`,
  Id: id.slice(0, 40),
  Message: (errors[0]?.message ?? 'Error').slice(0, 500),
  Errors: errors.map((error) => ({
    ErrorCode: version === 'v3.1.11' ? error.code : ERROR_CODES[error.code],
    Message: error.message.slice(0, 500),
    ...(error.path === undefined ? {} : { Path: error.path.slice(0, 500) }),
  })),
});
