import { createHash, randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { ValidationError } from '../../../../shared/domain/errors';
import { displayAccountNumber, displayAmount, displaySortCode } from '../../../../shared/adapters/hosted-pages/format';
import { formatAmount, parseBankAmount } from '../../../../shared/domain/money';
import { FILE_TYPES, REPORT_ITEM_STATUSES } from '../file-formats';
import type { ObieVersion } from '../spec-validator';
import { type FasterPaymentsScheme, submitToScheme } from './scheme';
import type { BankState, StoredAccessToken, StoredConsent, StoredFilePayment, StoredPayment } from './state';
import { type ObErrorCode, SORT_CODE_SCHEME, availableMinor, consentStatus, sortCodeAccount } from './wire';

/**
 * File payments of a mock bank, both versions (payment-initiation specs, `/pisp/file-payment-consents`,
 * `.../{ConsentId}/file`, `/pisp/file-payments`, `.../{FilePaymentId}`, `.../report-file`): a bulk of domestic
 * payments from one account, authorised once by the PSU. FileType `UK.OBIE.PaymentInitiation.3.1` / `.4.0` is a JSON
 * file of domestic-payment Initiations (../file-formats.ts). The bank holds the consent to its own file limit and
 * the uploaded file to the consent's FileHash, NumberOfTransactions and ControlSum; a refusal there is a normal
 * answer (400, rules code), not a violation. A submitted file is rejected whole when the debtor cannot cover its
 * ControlSum (or a test control says so), else each item goes to the scheme as a domestic payment would.
 */

export interface FileReply {
  readonly status: number;
  readonly body?: unknown;
}

/** What the bank lends the file payments API: its checks, state, scheme and file limit. */
export interface FileHost {
  readonly id: string;
  readonly apiVersion: ObieVersion;
  readonly resourceBaseUrl: string;
  readonly state: BankState;
  readonly scheme: FasterPaymentsScheme;
  readonly fileTransactionLimit: number;
  save(): void;
  bearer(request: IncomingMessage, kind: 'client' | 'psu' | 'any', scopes: readonly string[]): StoredAccessToken;
  checkSignature(request: IncomingMessage, rawBody: string): Promise<void>;
  idempotent(request: IncomingMessage, operation: string, rawBody: string, produce: () => Promise<FileReply>): Promise<FileReply>;
  consentOf(consentId: string, kind: StoredConsent['kind']): StoredConsent;
  refuse(status: number, code: ObErrorCode, message: string, violation: boolean, path?: string): Error;
}

export const FILE_OPERATIONS = [
  'CreateFilePaymentConsents',
  'GetFilePaymentConsentsConsentId',
  'CreateFilePaymentConsentsConsentIdFile',
  'GetFilePaymentConsentsConsentIdFile',
  'CreateFilePayments',
  'GetFilePaymentsFilePaymentId',
  'GetFilePaymentsFilePaymentIdReportFile',
] as const;
export const isFileOperation = (operationId: string): boolean => (FILE_OPERATIONS as readonly string[]).includes(operationId);

/** A business refusal of a file (over the limit, sums that do not add up): v3.1.11 name, v4.0 code U014. */
export const FILE_RULES_CODE: ObErrorCode = 'UK.OBIE.Rules.FailsControlParameters';

const isRecord = (value: unknown): value is Record<string, unknown> => value !== null && typeof value === 'object' && !Array.isArray(value);
const recordOf = (value: unknown): Record<string, unknown> => (isRecord(value) ? value : {});
const canonical = (value: unknown): string => {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (isRecord(value)) return `{${Object.keys(value).sort().map((key) => `${JSON.stringify(key)}:${canonical(value[key])}`).join(',')}}`;
  return JSON.stringify(value);
};

/** FileHash: "A base64 encoding of a SHA256 hash of the file to be uploaded" (standard base64, 44 characters). */
export const fileHash = (content: string): string => createHash('sha256').update(content, 'utf8').digest('base64');

/** The items of an uploaded payment file (its shape was checked against the file format by the validator). */
export const fileItems = (content: string): Record<string, unknown>[] => {
  const parsed: unknown = JSON.parse(content);
  const items = recordOf(recordOf(parsed).Data).DomesticPayments;
  return Array.isArray(items) ? items.map(recordOf) : [];
};

/** What the authorisation page shows of a file consent: how many payments, and their total. */
export const describeFileConsent = (state: BankState, consent: StoredConsent): { title: string; lines: readonly [string, string][] } => {
  const initiation = recordOf(consent.data.Initiation);
  const count = Number(initiation.NumberOfTransactions);
  const total = parseBankAmount(String(initiation.ControlSum), 'GBP');
  const pretty = displayAmount(total, 'GBP');
  const debtor = sortCodeAccount(initiation.DebtorAccount);
  const uploaded = state.files[consent.consentId] !== undefined;
  return {
    title: `${count} payment${count === 1 ? '' : 's'}, total ${pretty}`,
    lines: [
      ['Payments', String(count)],
      ['Total', pretty],
      ['From account', debtor === undefined ? '' : `${displaySortCode(debtor.sortCode)} ${displayAccountNumber(debtor.accountNumber)}`],
      ['File reference', typeof initiation.FileReference === 'string' ? initiation.FileReference : ''],
      ['File', uploaded ? 'uploaded' : 'not uploaded'],
    ],
  };
};

export class MockFilePaymentsApi {
  constructor(private readonly host: FileHost) {}

  async operate(operationId: string, request: IncomingMessage, url: URL, rawBody: string, body: unknown): Promise<FileReply> {
    const segments = url.pathname.slice(new URL(this.host.resourceBaseUrl).pathname.length).split('/').filter((s) => s !== '');
    // `/pisp/file-payment-consents/{ConsentId}[/file]`, `/pisp/file-payments/{FilePaymentId}[/report-file]`.
    const resourceId = segments[2] ?? '';
    switch (operationId) {
      case 'CreateFilePaymentConsents':
        return this.createConsent(request, rawBody, recordOf(body));
      case 'GetFilePaymentConsentsConsentId':
        this.host.bearer(request, 'any', ['payments']);
        return { status: 200, body: this.consentJson(this.host.consentOf(resourceId, 'file-payment')) };
      case 'CreateFilePaymentConsentsConsentIdFile':
        return this.upload(request, rawBody, resourceId);
      case 'GetFilePaymentConsentsConsentIdFile': {
        this.host.bearer(request, 'any', ['payments']);
        const consent = this.host.consentOf(resourceId, 'file-payment');
        const file = this.host.state.files[consent.consentId];
        if (file === undefined) throw this.host.refuse(400, 'UK.OBIE.Resource.NotFound', 'no file has been uploaded for this consent', false);
        const parsed: unknown = JSON.parse(file.content);
        return { status: 200, body: parsed };
      }
      case 'CreateFilePayments':
        return this.createFilePayment(request, rawBody, recordOf(body));
      case 'GetFilePaymentsFilePaymentId':
        this.host.bearer(request, 'any', ['payments']);
        return { status: 200, body: this.filePaymentJson(this.filePaymentOf(resourceId)) };
      case 'GetFilePaymentsFilePaymentIdReportFile':
        this.host.bearer(request, 'any', ['payments']);
        return { status: 200, body: this.reportJson(this.filePaymentOf(resourceId)) };
      default:
        throw this.host.refuse(400, 'UK.OBIE.Field.Unexpected', `${operationId} is not offered by this mock bank`, false);
    }
  }

  private rules(message: string, path: string): Error {
    return this.host.refuse(400, FILE_RULES_CODE, message, false, path);
  }

  /** ControlSum (a JSON number in the spec) as minor units: its shortest decimal text, read as a bank amount. */
  private controlSum(value: unknown): number {
    if (typeof value !== 'number') throw this.host.refuse(400, 'UK.OBIE.Field.Missing', 'this bank requires ControlSum', false, 'Data.Initiation.ControlSum');
    try {
      return parseBankAmount(String(value), 'GBP');
    } catch (error) {
      if (error instanceof ValidationError) throw this.host.refuse(400, 'UK.OBIE.Field.Invalid', error.message, false, 'Data.Initiation.ControlSum');
      throw error;
    }
  }

  private async createConsent(request: IncomingMessage, rawBody: string, body: Record<string, unknown>): Promise<FileReply> {
    const token = this.host.bearer(request, 'client', ['payments']);
    await this.host.checkSignature(request, rawBody);
    return this.host.idempotent(request, 'file-payment-consent', rawBody, async () => {
      const data = recordOf(body.Data);
      const initiation = recordOf(data.Initiation);
      const fileType = FILE_TYPES[this.host.apiVersion];
      if (initiation.FileType !== fileType) throw this.host.refuse(400, 'UK.OBIE.Field.Invalid', `this bank takes FileType ${fileType} only`, false, 'Data.Initiation.FileType');
      if (sortCodeAccount(initiation.DebtorAccount) === undefined) {
        throw this.host.refuse(400, 'UK.OBIE.Field.Missing', `this bank requires a ${SORT_CODE_SCHEME} DebtorAccount on a file payment`, false, 'Data.Initiation.DebtorAccount');
      }
      if (typeof initiation.NumberOfTransactions !== 'string') {
        throw this.host.refuse(400, 'UK.OBIE.Field.Missing', 'this bank requires NumberOfTransactions', false, 'Data.Initiation.NumberOfTransactions');
      }
      const count = Number(initiation.NumberOfTransactions);
      if (count < 1) throw this.host.refuse(400, 'UK.OBIE.Field.Invalid', 'a file holds at least one transaction', false, 'Data.Initiation.NumberOfTransactions');
      if (count > this.host.fileTransactionLimit) {
        throw this.rules(`this bank accepts at most ${this.host.fileTransactionLimit} transactions in one file`, 'Data.Initiation.NumberOfTransactions');
      }
      if (this.controlSum(initiation.ControlSum) <= 0) throw this.host.refuse(400, 'UK.OBIE.Field.Invalid', 'ControlSum must be positive', false, 'Data.Initiation.ControlSum');
      const now = new Date().toISOString();
      const consent: StoredConsent = {
        consentId: `fpc-${randomUUID()}`,
        kind: 'file-payment',
        clientId: token.clientId,
        status: 'awaiting',
        creationDateTime: now,
        statusUpdateDateTime: now,
        data,
        risk: {},
        accountIds: [],
      };
      this.host.state.consents[consent.consentId] = consent;
      this.host.save();
      return { status: 201, body: this.consentJson(consent) };
    });
  }

  private consentJson(consent: StoredConsent): Record<string, unknown> {
    const debtor = consent.accountIds[0] === undefined ? undefined : this.host.state.accounts[consent.accountIds[0]];
    const awaitingUpload = consent.status === 'awaiting' && this.host.state.files[consent.consentId] === undefined;
    return {
      Data: {
        ...consent.data,
        ConsentId: consent.consentId,
        CreationDateTime: consent.creationDateTime,
        Status: awaitingUpload ? (this.host.apiVersion === 'v3.1.11' ? 'AwaitingUpload' : 'AWUP') : consentStatus(this.host.apiVersion, consent),
        StatusUpdateDateTime: consent.statusUpdateDateTime,
        ...(debtor === undefined ? {} : { Debtor: { SchemeName: SORT_CODE_SCHEME, Identification: `${debtor.sortCode}${debtor.accountNumber}`, Name: debtor.name } }),
      },
      Links: { Self: `${this.host.resourceBaseUrl}/pisp/file-payment-consents/${consent.consentId}` },
      Meta: {},
    };
  }

  /** The file for a consent awaiting it: its hash, count and sum must be the consent's, each item payable here. */
  private async upload(request: IncomingMessage, rawBody: string, consentId: string): Promise<FileReply> {
    this.host.bearer(request, 'client', ['payments']);
    await this.host.checkSignature(request, rawBody);
    return this.host.idempotent(request, `file-upload ${consentId}`, rawBody, async () => {
      const consent = this.host.consentOf(consentId, 'file-payment');
      if (this.host.state.files[consentId] !== undefined) throw this.host.refuse(400, 'UK.OBIE.Resource.InvalidConsentStatus', 'a file was already uploaded for this consent', false);
      if (consent.status !== 'awaiting') throw this.host.refuse(400, 'UK.OBIE.Resource.InvalidConsentStatus', `the consent is ${consentStatus(this.host.apiVersion, consent)}`, false);
      const initiation = recordOf(consent.data.Initiation);
      if (fileHash(rawBody) !== initiation.FileHash) throw this.rules('the file does not match the consent FileHash (base64 SHA-256 of the uploaded bytes)', 'Data.Initiation.FileHash');
      const items = fileItems(rawBody);
      if (String(items.length) !== initiation.NumberOfTransactions) {
        throw this.rules(`the file holds ${items.length} transactions, the consent ${String(initiation.NumberOfTransactions)}`, 'Data.Initiation.NumberOfTransactions');
      }
      const total = items.reduce((sum, item, index) => sum + this.itemAmount(item, index), 0);
      if (total !== this.controlSum(initiation.ControlSum)) throw this.rules(`the file's amounts add up to ${formatAmount(total, 'GBP')}, not the consent ControlSum`, 'Data.Initiation.ControlSum');
      this.host.state.files[consentId] = { content: rawBody, uploadedAt: new Date().toISOString() };
      consent.statusUpdateDateTime = new Date().toISOString();
      this.host.save();
      return { status: 200 };
    });
  }

  /** An item as a domestic payment's Initiation is checked by this bank: a positive GBP amount, a sort code payee. */
  private itemAmount(item: Record<string, unknown>, index: number): number {
    const path = `Data.DomesticPayments[${index}]`;
    const amount = recordOf(item.InstructedAmount);
    if (amount.Currency !== 'GBP') throw this.host.refuse(400, 'UK.OBIE.Unsupported.Currency', 'Faster Payments moves GBP only', false, `${path}.InstructedAmount.Currency`);
    if (sortCodeAccount(item.CreditorAccount) === undefined) {
      throw this.host.refuse(400, 'UK.OBIE.Unsupported.AccountIdentifier', `CreditorAccount must be ${SORT_CODE_SCHEME} with 14 digits`, false, `${path}.CreditorAccount`);
    }
    try {
      const minor = parseBankAmount(String(amount.Amount), 'GBP');
      if (minor <= 0) throw this.host.refuse(400, 'UK.OBIE.Field.Invalid', 'the amount must be positive', false, `${path}.InstructedAmount.Amount`);
      return minor;
    } catch (error) {
      if (error instanceof ValidationError) throw this.host.refuse(400, 'UK.OBIE.Field.Invalid', error.message, false, `${path}.InstructedAmount.Amount`);
      throw error;
    }
  }

  private async createFilePayment(request: IncomingMessage, rawBody: string, body: Record<string, unknown>): Promise<FileReply> {
    const token = this.host.bearer(request, 'psu', ['payments']);
    await this.host.checkSignature(request, rawBody);
    return this.host.idempotent(request, 'file-payment', rawBody, async () => {
      const data = recordOf(body.Data);
      const consentId = String(data.ConsentId);
      if (token.consentId !== consentId) throw this.host.refuse(400, 'UK.OBIE.Resource.ConsentMismatch', 'the access token was issued for another consent', true, 'Data.ConsentId');
      const consent = this.host.consentOf(consentId, 'file-payment');
      if (consent.status !== 'authorised') throw this.host.refuse(400, 'UK.OBIE.Resource.InvalidConsentStatus', `the consent is ${consentStatus(this.host.apiVersion, consent)}, not authorised`, false);
      if (canonical(data.Initiation) !== canonical(consent.data.Initiation)) throw this.host.refuse(400, 'UK.OBIE.Resource.ConsentMismatch', 'Data.Initiation differs from the consent', true, 'Data.Initiation');
      const file = this.host.state.files[consentId];
      const debtorId = consent.accountIds[0];
      const debtor = debtorId === undefined ? undefined : this.host.state.accounts[debtorId];
      if (file === undefined || debtor === undefined) throw this.host.refuse(400, 'UK.OBIE.Resource.InvalidConsentStatus', 'the consent has no file or no debtor account', false);
      const now = new Date().toISOString();
      consent.status = 'consumed';
      consent.statusUpdateDateTime = now;
      const initiation = recordOf(data.Initiation);
      const filePayment: StoredFilePayment = {
        filePaymentId: `fp-${randomUUID()}`,
        consentId,
        clientId: token.clientId,
        creationDateTime: now,
        initiation,
        debtorAccountId: debtor.accountId,
        itemPaymentIds: [],
      };
      this.host.state.filePayments[filePayment.filePaymentId] = filePayment;
      const forced = this.host.state.rejectNextFile;
      if (forced !== undefined) {
        delete this.host.state.rejectNextFile;
        filePayment.rejection = { ...forced, at: now };
      } else if (availableMinor(debtor) < this.controlSum(initiation.ControlSum)) {
        filePayment.rejection = { code: 'AM04', description: 'Insufficient funds in the debtor account for the whole file', at: now };
      } else {
        for (const item of fileItems(file.content)) {
          const payment: StoredPayment = {
            domesticPaymentId: `fpi-${randomUUID()}`,
            kind: 'file-item',
            filePaymentId: filePayment.filePaymentId,
            consentId,
            clientId: token.clientId,
            status: 'accepted',
            creationDateTime: now,
            statusUpdateDateTime: now,
            initiation: item,
            debtorAccountId: debtor.accountId,
          };
          this.host.state.payments[payment.domesticPaymentId] = payment;
          filePayment.itemPaymentIds.push(payment.domesticPaymentId);
          const amount = recordOf(item.InstructedAmount);
          submitToScheme(this.host.scheme, this.host, payment, item, { minor: parseBankAmount(String(amount.Amount), 'GBP'), currency: 'GBP' });
        }
      }
      this.host.save();
      return { status: 201, body: this.filePaymentJson(filePayment) };
    });
  }

  private filePaymentOf(filePaymentId: string): StoredFilePayment {
    const filePayment = this.host.state.filePayments[filePaymentId];
    if (filePayment === undefined) {
      throw this.host.refuse(400, 'UK.OBIE.Resource.NotFound', `no file payment ${filePaymentId}`, false);
    }
    return filePayment;
  }

  private items(filePayment: StoredFilePayment): StoredPayment[] {
    return filePayment.itemPaymentIds.flatMap((id) => {
      const payment = this.host.state.payments[id];
      return payment === undefined ? [] : [payment];
    });
  }

  /** The file's status: rejected whole, completed once every item is final, else pending; and since when. */
  fileStatus(filePayment: StoredFilePayment): { status: 'pending' | 'completed' | 'failed'; at: string } {
    if (filePayment.rejection !== undefined) return { status: 'failed', at: filePayment.rejection.at };
    const items = this.items(filePayment);
    if (items.some((item) => item.status === 'accepted')) return { status: 'pending', at: filePayment.creationDateTime };
    const at = items.reduce((latest, item) => (item.statusUpdateDateTime > latest ? item.statusUpdateDateTime : latest), filePayment.creationDateTime);
    return { status: 'completed', at };
  }

  private filePaymentJson(filePayment: StoredFilePayment): Record<string, unknown> {
    const debtor = this.host.state.accounts[filePayment.debtorAccountId];
    const { status, at } = this.fileStatus(filePayment);
    const names =
      this.host.apiVersion === 'v3.1.11'
        ? { pending: 'InitiationPending', completed: 'InitiationCompleted', failed: 'InitiationFailed' }
        : { pending: 'PDNG', completed: 'INCO', failed: 'INFA' };
    const rejection = filePayment.rejection;
    return {
      Data: {
        FilePaymentId: filePayment.filePaymentId,
        ConsentId: filePayment.consentId,
        CreationDateTime: filePayment.creationDateTime,
        Status: names[status],
        StatusUpdateDateTime: at,
        ...(rejection !== undefined && this.host.apiVersion === 'v4.0' ? { StatusReason: [{ StatusReasonCode: rejection.code, StatusReasonDescription: rejection.description }] } : {}),
        Initiation: filePayment.initiation,
        ...(debtor === undefined ? {} : { Debtor: { SchemeName: SORT_CODE_SCHEME, Identification: `${debtor.sortCode}${debtor.accountNumber}`, Name: debtor.name } }),
      },
      Links: { Self: `${this.host.resourceBaseUrl}/pisp/file-payments/${filePayment.filePaymentId}` },
      Meta: {},
    };
  }

  /**
   * The report file (the bank's own format, ../file-formats.ts): one entry per item in file order, its status
   * (pending items AcceptedSettlementInProcess / ACSP) and, when rejected, its reason; a file rejected whole reports
   * every item rejected with the file's reason.
   */
  private reportJson(filePayment: StoredFilePayment): Record<string, unknown> {
    const statuses = REPORT_ITEM_STATUSES[this.host.apiVersion];
    const rejection = filePayment.rejection;
    const consentFile = this.host.state.files[filePayment.consentId];
    const entries =
      rejection !== undefined
        ? fileItems(consentFile?.content ?? '{}').map((item) => ({
            InstructionIdentification: String(item.InstructionIdentification),
            EndToEndIdentification: String(item.EndToEndIdentification),
            Status: statuses.rejected,
            StatusReason: [{ StatusReasonCode: rejection.code, StatusReasonDescription: rejection.description }],
          }))
        : this.items(filePayment).map((payment) => ({
            InstructionIdentification: String(payment.initiation.InstructionIdentification),
            EndToEndIdentification: String(payment.initiation.EndToEndIdentification),
            Status: statuses[payment.status],
            ...(payment.statusReason === undefined ? {} : { StatusReason: [{ StatusReasonCode: payment.statusReason.code, StatusReasonDescription: payment.statusReason.description }] }),
          }));
    return { Data: { DomesticPayments: entries } };
  }
}
