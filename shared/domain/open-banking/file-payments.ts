/**
 * Bulk payments through Open Banking UK file payments (v3.1.11 and v4.0 `file-payment-consents`, `file-payments`):
 * what the domain needs of a bank for a payout. A payout is cut into files of at most the bank's own limit
 * (configuration: the registry entry's `fileTransactionLimit`); each file is one consent the PSU authorises at the
 * bank, then one file payment, whose per-item outcomes the bank reports in its report file.
 */
import type { AuthorisationRequest, BankPaymentStatus, BankTokens, ConsentCreated } from './ports';

/** One payment in a file: the same fields a domestic payment's Initiation carries. */
export interface PaymentFileItem {
  /** Settled's payment id: InstructionIdentification and EndToEndIdentification (≤ 35 characters). */
  readonly paymentId: string;
  /** Minor units. */
  readonly amount: number;
  /** RemittanceInformation reference: what comes back on the debtor's and payee's statements. */
  readonly reference: string;
  readonly creditor: { readonly name: string; readonly sortCode: string; readonly accountNumber: string };
}

/** One file of a payout: a chunk of its items, all from the tenant's account, in one currency. */
export interface PaymentFile {
  /** FileReference, and the idempotency of everything done with this file (≤ 35 characters, unique per file). */
  readonly fileId: string;
  readonly currency: string;
  readonly debtor: { readonly name: string; readonly sortCode: string; readonly accountNumber: string };
  /** 1 to the bank's file limit, in the payout's index order. */
  readonly items: readonly PaymentFileItem[];
}

/** One item's outcome in the bank's report file. */
export interface FilePaymentItemOutcome {
  /** The item's EndToEndIdentification (Settled's payment id). */
  readonly paymentId: string;
  /** `pending`: not final yet; `executed`: paid out (its booked debit settles it); `rejected`: not paid. */
  readonly status: 'pending' | 'executed' | 'rejected';
  /** The bank's reason (ISO 20022 code, e.g. `AC01`), when rejected. */
  readonly reason: string | null;
}

/** A file payment as the bank reports it: the file's status, and per item once the bank offers its report. */
export interface FilePaymentState {
  /** The whole file: `rejected` means no item of it was paid. */
  readonly status: BankPaymentStatus;
  /** Empty until the bank has a report file for it. */
  readonly items: readonly FilePaymentItemOutcome[];
}

/** The bank refused a file as a whole for a business reason (over its limit, sums that do not add up, funds). */
export class BankRefusedFile extends Error {
  override readonly name = 'BankRefusedFile';
  constructor(
    message: string,
    /** A short code kept as each item's failure reason (e.g. `AM04`, `file_over_bank_limit`). */
    readonly reason: string,
  ) {
    super(message);
  }
}

/** PIS file payments at a bank. */
export interface FilePaymentGateway {
  /** Most transactions the bank accepts in one file, from the registry; null when it offers no file payments. */
  fileLimit(aspspId: string): Promise<number | null>;
  /**
   * `POST /file-payment-consents` (client credentials, signed; idempotent per file and authorisation attempt) with
   * the file's FileType, FileHash, NumberOfTransactions, ControlSum and DebtorAccount, then
   * `POST /file-payment-consents/{ConsentId}/file` with the file itself; answers the bank's authorisation page.
   * Throws BankRefusedFile when the bank refuses the consent or the file for a business reason.
   */
  createFileConsent(aspspId: string, file: PaymentFile, authorisation: AuthorisationRequest): Promise<ConsentCreated>;
  exchangeCode(aspspId: string, code: string, authorisation: AuthorisationRequest): Promise<BankTokens>;
  /**
   * `POST /file-payments` with the PSU's token and `x-idempotency-key` = the file id, so a retry never pays twice.
   * A file the bank refuses whole answers status `rejected` (with its reason), not an error.
   */
  submitFilePayment(aspspId: string, tokens: BankTokens, bankConsentId: string, file: PaymentFile): Promise<{ readonly filePaymentId: string; readonly status: BankPaymentStatus }>;
  /** `GET /file-payments/{FilePaymentId}` and, once the bank has one, `GET …/report-file` (client credentials). */
  getFilePayment(aspspId: string, filePaymentId: string): Promise<FilePaymentState>;
}
