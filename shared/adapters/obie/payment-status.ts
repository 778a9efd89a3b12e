import type { BankPaymentStatus } from '../../domain/open-banking/ports';
import { UnknownPaymentStatusError } from './errors';

export { UnknownPaymentStatusError } from './errors';

/**
 * Open Banking payment and payment-consent statuses, both versions, onto Settled's status model. Pure: no I/O.
 *
 * v4.0 reports ISO 20022 `ExternalPaymentTransactionStatus1Code` values (and `OBInternalConsentStatus1Code` for
 * consents); v3.1.11 reports the long names of the same statuses, which are mapped to their ISO code first, so
 * `BankPaymentStatus.code` is always the 4-letter code. The meanings quoted are the OB code set's
 * (External_Internal_CodeSets, OB_Internal_Codeset.csv).
 */
type SettledStatus = BankPaymentStatus['settledStatus'];

const ISO_PAYMENT_STATUS: Readonly<Record<string, SettledStatus>> = {
  // "Payment instruction has been received." Nothing accepted yet.
  RCVD: 'pending',
  // "Payment instruction is pending. Further checks and status update will be performed."
  PDNG: 'pending',
  // "Payment initiation needs multiple authentications, where some but not yet all have been performed." The bank
  // has not accepted the payment until the remaining authorisers act: pending, not authorised.
  PATC: 'pending',
  // "Authentication and syntactical and semantical validation are successful."
  ACTC: 'authorised',
  // "Preceding check of technical validation was successful. Customer profile check was also successful."
  ACCP: 'authorised',
  // "...an automatic funds check was positive." (AcceptedFundsChecked): accepted, not yet executed.
  ACFC: 'authorised',
  // "Instruction is accepted but a change will be made, such as date or remittance not sent."
  ACWC: 'authorised',
  // "...the payment instruction has been accepted for execution." (AcceptedSettlementInProcess): the debtor bank
  // executes it; Settled's `executed` means the bank has taken it for execution, settlement is then seen on the
  // creditor's statement (the point of Settled), so ACSP is executed, not merely authorised.
  ACSP: 'executed',
  // "Settlement completed." (on the debtor's account)
  ACSC: 'executed',
  // "Payment instruction included in the credit transfer is accepted without being posted to the creditor
  // customer's account." The money has left the debtor: executed (its crediting is for the statement to show).
  ACWP: 'executed',
  // "Settlement on the creditor's account has been completed."
  ACCC: 'executed',
  // "Payment instruction has been rejected."
  RJCT: 'rejected',
  // "Payment initiation has been successfully cancelled..." (in the v4.0 Update-5 draft's enumerations).
  CANC: 'rejected',
  // "Payment transaction previously reported with status 'ACWP' is blocked, for example, funds will neither be posted
  // to the Creditor's account, nor be returned to the Debtor." Nothing will reach the payee: rejected, with the
  // bank's reason kept for the operator.
  BLCK: 'rejected',
  // Consent statuses (OBInternalConsentStatus1Code), for a payment still at its consent.
  // AwaitingAuthorisation: the PSU has not yet approved it at the bank.
  AWAU: 'pending',
  // Authorised: the PSU approved the consent; the payment can be submitted.
  AUTH: 'authorised',
  // Consumed: the consent was used to submit the payment; the payment's own status tells more.
  COND: 'authorised',
};

/** v3.1.11 long names (payment `OBTransactionIndividualStatus1Code` and consent `OBExternalConsentStatus1Code`). */
const V3_NAME_TO_ISO: Readonly<Record<string, string>> = {
  Pending: 'PDNG',
  Rejected: 'RJCT',
  AcceptedSettlementInProcess: 'ACSP',
  AcceptedSettlementCompleted: 'ACSC',
  AcceptedWithoutPosting: 'ACWP',
  AcceptedCreditSettlementCompleted: 'ACCC',
  AcceptedTechnicalValidation: 'ACTC',
  AcceptedCustomerProfile: 'ACCP',
  AcceptedFundsChecked: 'ACFC',
  AcceptedWithChange: 'ACWC',
  Received: 'RCVD',
  Cancelled: 'CANC',
  Blocked: 'BLCK',
  AwaitingAuthorisation: 'AWAU',
  Authorised: 'AUTH',
  Consumed: 'COND',
};

/** One entry of v4.0 `Data.StatusReason` (v3.1.11 has none). */
export interface ObieStatusReason {
  readonly StatusReasonCode?: string;
  readonly StatusReasonDescription?: string;
}

/** "CODE: description", "CODE", "description", or null; several reasons joined with "; ". */
export const describeStatusReasons = (reasons: readonly ObieStatusReason[] | undefined): string | null => {
  const parts = (reasons ?? [])
    .map((reason) => [reason.StatusReasonCode, reason.StatusReasonDescription].filter((part) => part !== undefined && part !== '').join(': '))
    .filter((part) => part !== '');
  return parts.length === 0 ? null : parts.join('; ');
};

/** The ISO code of a status as either version reports it (`AcceptedSettlementInProcess` → `ACSP`). */
export const isoPaymentStatusCode = (status: string): string => {
  const iso = V3_NAME_TO_ISO[status] ?? status;
  if (ISO_PAYMENT_STATUS[iso] === undefined) throw new UnknownPaymentStatusError(status);
  return iso;
};

/**
 * Maps a payment (or payment-consent) status of either version to a {@link BankPaymentStatus}. `at` is the bank's
 * `StatusUpdateDateTime` (normalised to UTC ISO 8601 by the caller). Throws {@link UnknownPaymentStatusError} for a
 * code it does not know.
 */
export const mapPaymentStatus = (status: string, at: string, reasons?: readonly ObieStatusReason[]): BankPaymentStatus => {
  const code = isoPaymentStatusCode(status);
  const settledStatus = ISO_PAYMENT_STATUS[code];
  if (settledStatus === undefined) throw new UnknownPaymentStatusError(status);
  return { code, settledStatus, reason: describeStatusReasons(reasons), at };
};

/**
 * A file payment's own statuses (`OBWriteFileResponse3.Data.Status`), not the ISO payment codes: v4.0 `PDNG`
 * (InitiationPending), `INCO` (InitiationCompleted), `INFA` (InitiationFailed); v3.1.11 the long names. A file
 * pending at the bank has been accepted and is being processed item by item (`authorised`: its items report their
 * own outcomes), a completed one has every item final (`executed`: each item's report says whether it was paid), a
 * failed one was refused whole (`rejected`: no item moved money). `PDNG` means `pending` for a single payment; for a
 * file it is this, which is why files have their own mapping.
 */
const FILE_STATUS: Readonly<Record<string, { readonly code: string; readonly settledStatus: SettledStatus }>> = {
  PDNG: { code: 'PDNG', settledStatus: 'authorised' },
  InitiationPending: { code: 'PDNG', settledStatus: 'authorised' },
  INCO: { code: 'INCO', settledStatus: 'executed' },
  InitiationCompleted: { code: 'INCO', settledStatus: 'executed' },
  INFA: { code: 'INFA', settledStatus: 'rejected' },
  InitiationFailed: { code: 'INFA', settledStatus: 'rejected' },
};

/** Maps a file payment status of either version; throws {@link UnknownPaymentStatusError} for any other code. */
export const mapFilePaymentStatus = (status: string, at: string, reasons?: readonly ObieStatusReason[]): BankPaymentStatus => {
  const known = FILE_STATUS[status];
  if (known === undefined) throw new UnknownPaymentStatusError(status);
  return { code: known.code, settledStatus: known.settledStatus, reason: describeStatusReasons(reasons), at };
};

/** One item of a file's report: v4.0 ISO codes or v3.1.11 names; only a settled or a rejected item is final. */
export const fileItemOutcome = (status: string): 'pending' | 'executed' | 'rejected' => {
  const iso = V3_NAME_TO_ISO[status] ?? status;
  if (iso === 'ACSC' || iso === 'ACCC') return 'executed';
  if (iso === 'RJCT' || iso === 'CANC' || iso === 'BLCK') return 'rejected';
  return 'pending';
};
