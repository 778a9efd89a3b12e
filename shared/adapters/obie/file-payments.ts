import { createHash } from 'node:crypto';
import * as v from 'valibot';
import {
  BankRefusedFile,
  type FilePaymentGateway,
  type FilePaymentItemOutcome,
  type FilePaymentState,
  type PaymentFile,
} from '../../domain/open-banking/file-payments';
import { formatAmount } from '../../domain/money';
import type { AuthorisationRequest, BankPaymentStatus, BankTokens, ConsentCreated, ObieApiVersion } from '../../domain/open-banking/ports';
import type { BankContext, ObieClient } from './client';
import { ObieBankError } from './errors';
import { domesticInitiation, MAX_IDENTIFICATION_LENGTH, SORT_CODE_ACCOUNT_NUMBER } from './payment-initiation';
import { fileItemOutcome, mapFilePaymentStatus } from './payment-status';
import { buildAuthorisationUrl } from './signing';
import { toUtcIso } from './transactions';

/** The JSON payment file format of each version (a file of domestic-payment Initiations). */
export const FILE_TYPE: Readonly<Record<ObieApiVersion, string>> = { 'v3.1.11': 'UK.OBIE.PaymentInitiation.3.1', 'v4.0': 'UK.OBIE.PaymentInitiation.4.0' };

/**
 * The payment file: `{ "Data": { "DomesticPayments": [ Initiation ] } }`, one domestic-payment Initiation per item
 * in the file's order, built by the same function as a single domestic payment's (ids, amount, payee, reference
 * where the version carries it), without DebtorAccount (the file's consent names it once).
 */
export const paymentFileDocument = (version: ObieApiVersion, file: PaymentFile): Record<string, unknown> => ({
  Data: {
    DomesticPayments: file.items.map((item) =>
      domesticInitiation(version, { paymentId: item.paymentId, amount: item.amount, currency: file.currency, reference: item.reference, creditor: item.creditor, debtor: null }),
    ),
  },
});

/**
 * The Initiation the file's consent and its file payment both carry, identically. FileHash is "a base64 encoding of
 * a SHA256 hash of the file to be uploaded": over the exact bytes sent, which are `JSON.stringify` of the document
 * (what the client sends). ControlSum is a JSON number in the spec: the total's exact decimal text read as a number,
 * which JSON writes back as the same shortest decimal (no arithmetic is done on it).
 */
export const fileInitiation = (version: ObieApiVersion, file: PaymentFile): Record<string, unknown> => {
  if (file.items.length === 0) throw new RangeError('a payment file holds at least one item');
  if (file.fileId.length === 0 || file.fileId.length > MAX_IDENTIFICATION_LENGTH) throw new RangeError(`file id must be 1 to ${MAX_IDENTIFICATION_LENGTH} characters`);
  const total = file.items.reduce((sum, item) => sum + item.amount, 0);
  const identification = `${file.debtor.sortCode}${file.debtor.accountNumber}`.replace(/[\s-]/g, '');
  if (!/^[0-9]{14}$/.test(identification)) throw new RangeError('a UK account needs a 6-digit sort code and an 8-digit account number');
  return {
    FileType: FILE_TYPE[version],
    FileHash: createHash('sha256').update(JSON.stringify(paymentFileDocument(version, file)), 'utf8').digest('base64'),
    FileReference: file.fileId,
    NumberOfTransactions: String(file.items.length),
    ControlSum: Number(formatAmount(total, file.currency)),
    DebtorAccount: { SchemeName: SORT_CODE_ACCOUNT_NUMBER, Identification: identification, Name: file.debtor.name },
  };
};

const ConsentResponseSchema = v.object({ Data: v.object({ ConsentId: v.pipe(v.string(), v.minLength(1)), Status: v.string() }) });
const StatusReasonSchema = v.optional(v.array(v.object({ StatusReasonCode: v.optional(v.string()), StatusReasonDescription: v.optional(v.string()) })));
const FilePaymentResponseSchema = v.object({
  Data: v.object({
    FilePaymentId: v.pipe(v.string(), v.minLength(1)),
    Status: v.string(),
    StatusUpdateDateTime: v.string(),
    StatusReason: StatusReasonSchema,
  }),
});
const ReportFileSchema = v.object({
  Data: v.object({
    DomesticPayments: v.array(v.object({ EndToEndIdentification: v.pipe(v.string(), v.minLength(1)), Status: v.string(), StatusReason: StatusReasonSchema })),
  }),
});

/** A bank's business refusal (a rules error): v3.1.11 `UK.OBIE.Rules.*`, v4.0 U012 to U014. */
const isRulesCode = (code: string): boolean => code.startsWith('UK.OBIE.Rules.') || /^U01[2-4]$/.test(code);

/** A file rejected whole without a StatusReason (v3.1.11) takes its items' common reason from the report. */
const withItemsReason = (status: BankPaymentStatus, items: readonly FilePaymentItemOutcome[]): BankPaymentStatus => {
  if (status.settledStatus !== 'rejected' || status.reason !== null) return status;
  const reason = items.find((item) => item.reason !== null)?.reason ?? null;
  return { ...status, reason };
};

const statusOf = (data: v.InferOutput<typeof FilePaymentResponseSchema>['Data']): BankPaymentStatus =>
  mapFilePaymentStatus(data.Status, toUtcIso(data.StatusUpdateDateTime, 'StatusUpdateDateTime'), data.StatusReason);

/**
 * Bulk payments over Open Banking UK file payments (v3.1.11 and v4.0): a consent naming the file's hash, count,
 * total and the tenant's account (client credentials, idempotent per file and authorisation attempt), the file
 * uploaded to it, the PSU's one authorisation of all its payments at the bank, then one file payment keyed by the
 * file id, followed through its status and the bank's report file.
 */
export class ObieFilePaymentGateway implements FilePaymentGateway {
  constructor(private readonly client: ObieClient) {}

  async fileLimit(aspspId: string): Promise<number | null> {
    return (await this.client.context(aspspId)).bank.fileTransactionLimit ?? null;
  }

  async createFileConsent(aspspId: string, file: PaymentFile, authorisation: AuthorisationRequest): Promise<ConsentCreated> {
    const context = await this.client.context(aspspId);
    const version = context.bank.apiVersion;
    const initiation = fileInitiation(version, file);
    // One consent per file and authorisation attempt, and one upload to it: a retry replays both. Two keys, as a bank
    // may hold a key to one request whatever the endpoint.
    const keyOf = (step: string): string => createHash('sha256').update(`${file.fileId}\0${authorisation.state}${step}`).digest('base64url').slice(0, 40);
    const response = await this.refusingFile(context, file, 'consent', () =>
      this.client.withClientToken(context, 'payments', (accessToken) =>
        this.client.resource(context, { operation: 'CreateFilePaymentConsents', method: 'POST', path: '/pisp/file-payment-consents', body: { Data: { Initiation: initiation } }, accessToken, idempotencyKey: keyOf('') }),
      ),
    );
    const consentId = this.client.parse(context, 'CreateFilePaymentConsents', ConsentResponseSchema, response).Data.ConsentId;
    await this.refusingFile(context, file, 'file', () =>
      this.client.withClientToken(context, 'payments', (accessToken) =>
        this.client.resource(context, {
          operation: 'CreateFilePaymentConsentsConsentIdFile',
          method: 'POST',
          path: `/pisp/file-payment-consents/${encodeURIComponent(consentId)}/file`,
          // Sent as JSON.stringify of this document: the bytes FileHash was computed over.
          body: paymentFileDocument(version, file),
          accessToken,
          idempotencyKey: keyOf('\0file'),
        }),
      ),
    );
    const authorisationUrl = await buildAuthorisationUrl(context.bank, context.credentials, 'payments', consentId, authorisation, this.client.now());
    return { bankConsentId: consentId, authorisationUrl };
  }

  /** A 400 with a rules code is the bank refusing the file for a business reason; anything else stays an ObieBankError. */
  private async refusingFile<T>(context: BankContext, file: PaymentFile, stage: 'consent' | 'file', call: () => Promise<T>): Promise<T> {
    try {
      return await call();
    } catch (error) {
      if (!(error instanceof ObieBankError) || error.status !== 400) throw error;
      const code = error.errorCodes.find(isRulesCode);
      if (code === undefined) throw error;
      const limit = context.bank.fileTransactionLimit;
      const overLimit = stage === 'consent' && limit !== undefined && file.items.length > limit;
      throw new BankRefusedFile(`Bank ${context.bank.id} refused file ${file.fileId} (${stage}, ${code})`, overLimit ? 'file_over_bank_limit' : code);
    }
  }

  exchangeCode(aspspId: string, code: string, authorisation: AuthorisationRequest): Promise<BankTokens> {
    return this.client.exchangeCode(aspspId, code, authorisation);
  }

  async submitFilePayment(aspspId: string, tokens: BankTokens, bankConsentId: string, file: PaymentFile): Promise<{ readonly filePaymentId: string; readonly status: BankPaymentStatus }> {
    const context = await this.client.context(aspspId);
    const response = await this.client.resource(context, {
      operation: 'CreateFilePayments',
      method: 'POST',
      path: '/pisp/file-payments',
      body: { Data: { ConsentId: bankConsentId, Initiation: fileInitiation(context.bank.apiVersion, file) } },
      accessToken: tokens.accessToken,
      idempotencyKey: file.fileId,
    });
    const data = this.client.parse(context, 'CreateFilePayments', FilePaymentResponseSchema, response).Data;
    const status = statusOf(data);
    // v3.1.11 gives a failed file no StatusReason: its report file does (every item rejected with the file's reason).
    if (status.settledStatus === 'rejected' && status.reason === null) {
      return { filePaymentId: data.FilePaymentId, status: withItemsReason(status, await this.reportItems(context, data.FilePaymentId)) };
    }
    return { filePaymentId: data.FilePaymentId, status };
  }

  async getFilePayment(aspspId: string, filePaymentId: string): Promise<FilePaymentState> {
    const context = await this.client.context(aspspId);
    const response = await this.client.withClientToken(context, 'payments', (accessToken) =>
      this.client.resource(context, { operation: 'GetFilePaymentsFilePaymentId', method: 'GET', path: `/pisp/file-payments/${encodeURIComponent(filePaymentId)}`, accessToken }),
    );
    const status = statusOf(this.client.parse(context, 'GetFilePaymentsFilePaymentId', FilePaymentResponseSchema, response).Data);
    const items = await this.reportItems(context, filePaymentId);
    return { status: withItemsReason(status, items), items };
  }

  /** The report file's items; none while the bank has no report yet (a 400 or 404: a bank may publish it only later). */
  private async reportItems(context: BankContext, filePaymentId: string): Promise<FilePaymentItemOutcome[]> {
    let report: unknown;
    try {
      report = await this.client.withClientToken(context, 'payments', (accessToken) =>
        this.client.resource(context, { operation: 'GetFilePaymentsFilePaymentIdReportFile', method: 'GET', path: `/pisp/file-payments/${encodeURIComponent(filePaymentId)}/report-file`, accessToken }),
      );
    } catch (error) {
      if (error instanceof ObieBankError && (error.status === 400 || error.status === 404)) return [];
      throw error;
    }
    return this.client.parse(context, 'GetFilePaymentsFilePaymentIdReportFile', ReportFileSchema, report).Data.DomesticPayments.map((entry): FilePaymentItemOutcome => {
      const outcome = fileItemOutcome(entry.Status);
      return {
        paymentId: entry.EndToEndIdentification,
        status: outcome,
        reason: outcome === 'rejected' ? (entry.StatusReason?.[0]?.StatusReasonCode ?? 'rejected_by_bank') : null,
      };
    });
  }
}
