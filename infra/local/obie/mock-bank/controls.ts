import type { IncomingMessage, ServerResponse } from 'node:http';
import * as v from 'valibot';
import { ValidationError } from '../../../../shared/domain/errors';
import { formatAmount, parseAmount } from '../../../../shared/domain/money';
import type { ObieVersion } from '../spec-validator';
import { escapeHtml, readBody, sendJson } from './http';
import type { FasterPaymentsScheme } from './scheme';
import type { BankState, StoredAccount, StoredConsent } from './state';
import { availableMinor, consentStatus } from './wire';

/**
 * The test controls of a mock bank, under `/_mock/` on its HTTP port (README.md): open an account, read one, credit
 * one from an outside bank, read a consent, revoke an account-access consent as its PSU would at the bank, and have
 * the next file payment rejected whole.
 */
export interface ControlledBank {
  readonly id: string;
  readonly apiVersion: ObieVersion;
  readonly state: BankState;
  readonly scheme: FasterPaymentsScheme;
  openAccount(name: string, balanceMinor: number, accountNumber?: string): StoredAccount;
  newCustomerName(): string;
  /** The PSU revokes the consent at the bank: the bank ends it and notifies the TPP. */
  revokeAtBank(consent: StoredConsent): void;
  save(): void;
}

/** The next file payment submitted to `bank` is rejected whole (status RJCT / InitiationFailed) with this reason. */
export const rejectNextFile = (bank: ControlledBank, reasonCode: string, description = 'The bank rejected the whole file'): void => {
  bank.state.rejectNextFile = { code: reasonCode, description };
  bank.save();
};

const RejectNextFileSchema = v.object({
  reasonCode: v.pipe(v.string(), v.regex(/^[A-Z0-9]{4}$/, 'reasonCode must be a four-character ISO 20022 status reason code')),
  description: v.optional(v.pipe(v.string(), v.minLength(1), v.maxLength(500))),
});

/** A new customer's opening balance: 10,000.00 GBP. */
export const OPENING_BALANCE_MINOR = 1_000_000;

const NewAccountSchema = v.object({
  name: v.optional(v.pipe(v.string(), v.minLength(1), v.maxLength(70))),
  balance: v.optional(v.string()),
  accountNumber: v.optional(v.pipe(v.string(), v.regex(/^\d{8}$/))),
});

const OutsideCreditSchema = v.object({
  amount: v.string(),
  reference: v.pipe(v.string(), v.maxLength(140)),
  payerName: v.pipe(v.string(), v.minLength(1), v.maxLength(140)),
  payerSortCode: v.optional(v.pipe(v.string(), v.regex(/^\d{6}$/))),
  payerAccountNumber: v.optional(v.pipe(v.string(), v.regex(/^\d{8}$/))),
});

export const serveControl = async (bank: ControlledBank, request: IncomingMessage, url: URL, response: ServerResponse): Promise<void> => {
  const segments = url.pathname.split('/').filter((s) => s !== '').slice(1);
  const rawBody = await readBody(request);
  let input: unknown;
  try {
    input = rawBody === '' ? {} : JSON.parse(rawBody);
  } catch {
    sendJson(response, 400, { error: 'the body is not JSON' });
    return;
  }
  try {
    const [collection, id, action] = segments;
    if (collection === 'accounts' && id === undefined && request.method === 'GET') {
      sendJson(response, 200, { accounts: Object.values(bank.state.accounts).map((a) => accountView(a)) });
      return;
    }
    if (collection === 'accounts' && id === undefined && request.method === 'POST') {
      const body = v.parse(NewAccountSchema, input);
      const account = bank.openAccount(
        body.name ?? bank.newCustomerName(),
        body.balance === undefined ? OPENING_BALANCE_MINOR : parseAmount(body.balance, 'GBP', { path: 'balance', allowZero: true }),
        body.accountNumber,
      );
      sendJson(response, 201, accountView(account));
      return;
    }
    if (collection === 'file-payments' && id === 'reject-next' && request.method === 'POST') {
      const body = v.parse(RejectNextFileSchema, input);
      rejectNextFile(bank, body.reasonCode, body.description);
      sendJson(response, 200, { rejectNextFile: body.reasonCode });
      return;
    }
    const account = id === undefined ? undefined : bank.state.accounts[id];
    if (collection === 'accounts' && action === undefined && request.method === 'GET') {
      if (account === undefined) sendJson(response, 404, { error: `no account ${id ?? ''}` });
      else sendJson(response, 200, accountView(account));
      return;
    }
    if (collection === 'accounts' && action === 'credits' && request.method === 'POST') {
      if (account === undefined) {
        sendJson(response, 404, { error: `no account ${id ?? ''}` });
        return;
      }
      const body = v.parse(OutsideCreditSchema, input);
      const credit = bank.scheme.creditFromOutside({
        bankId: bank.id,
        accountId: account.accountId,
        amountMinor: parseAmount(body.amount, 'GBP'),
        reference: body.reference,
        payer: { name: body.payerName, ...(body.payerSortCode === undefined ? {} : { sortCode: body.payerSortCode }), ...(body.payerAccountNumber === undefined ? {} : { accountNumber: body.payerAccountNumber }) },
      });
      sendJson(response, 202, { fasterPaymentsId: credit.fasterPaymentsId, pendingTransactionId: credit.pendingTransactionId });
      return;
    }
    const consent = id === undefined ? undefined : bank.state.consents[id];
    if (collection === 'consents' && consent === undefined) {
      sendJson(response, 404, { error: `no consent ${id ?? ''}` });
      return;
    }
    if (collection === 'consents' && consent !== undefined && action === undefined && request.method === 'GET') {
      sendJson(response, 200, { consentId: consent.consentId, kind: consent.kind, status: consentStatus(bank.apiVersion, consent), accountIds: consent.accountIds });
      return;
    }
    if (collection === 'consents' && consent !== undefined && action === 'revoke' && request.method === 'POST') {
      if (consent.kind !== 'account-access' || consent.status !== 'authorised') {
        sendJson(response, 409, { error: `only an authorised account-access consent can be revoked; this one is ${consent.kind} ${consent.status}` });
        return;
      }
      bank.revokeAtBank(consent);
      sendJson(response, 200, { consentId: consent.consentId, status: consentStatus(bank.apiVersion, consent) });
      return;
    }
    sendJson(response, 404, { error: `no control ${request.method ?? ''} ${escapeHtml(url.pathname)}` });
  } catch (error) {
    if (error instanceof v.ValiError || error instanceof ValidationError) {
      sendJson(response, 400, { error: error.message });
      return;
    }
    throw error;
  }
};

const accountView = (account: StoredAccount): Record<string, unknown> => ({
    accountId: account.accountId,
    sortCode: account.sortCode,
    accountNumber: account.accountNumber,
    name: account.name,
    currency: account.currency,
    balance: { booked: formatAmount(account.bookedMinor, account.currency), available: formatAmount(availableMinor(account), account.currency) },
    transactions: account.transactions.map((t) => ({
      transactionId: t.transactionId,
      status: t.status,
      creditDebit: t.creditDebit,
      amount: formatAmount(t.amountMinor, t.currency),
      currency: t.currency,
      reference: t.reference,
      fasterPaymentsId: t.fasterPaymentsId,
      endToEndIdentification: t.endToEndIdentification,
      counterparty: t.counterparty,
      bookingDateTime: t.bookingDateTime,
    })),
});
