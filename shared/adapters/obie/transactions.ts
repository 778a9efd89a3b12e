import { createHash } from 'node:crypto';
import * as v from 'valibot';
import type { BankTransactionCode, ReportedTransaction } from '../../domain/settlement/bank-transaction';
import { parseBankAmount } from '../../domain/money';
import { ValidationError } from '../../domain/errors';

/**
 * `OBReadTransaction6` (the AIS transactions resource) in both its v3.1.11 and v4.0 shapes, normalised into the one
 * transaction schema every source feeds the settlements queue. Pure apart from hashing (no I/O).
 *
 * Where the fields come from (decided from the v4.0 Transactions data dictionary, identical in v3.1.11):
 * - `bankTransactionId` = `TransactionId` ("Unique identifier for the transaction within an servicing institution.
 *   This identifier is both unique and immutable"). It is optional in the schema; without it a stable id is derived
 *   from the account, booking time, amount, direction and narrative (prefixed `derived:`), so a re-fetch deduplicates.
 * - `endToEndId` = `TransactionReference` ("Unique reference for the transaction ... may as an example be the FPID in
 *   the Faster Payments context"): the scheme's identifier, the same on a pending entry and the booked entry that
 *   replaces it, and never the payer's words.
 * - `reference` and `description` = `TransactionInformation` ("the transaction narrative, which is unstructured
 *   text"). OBReadTransaction6 has no remittance-information element (no `RemittanceInformation`, and
 *   `SupplementaryData` is free-form and bank-specific); the payer's reference (FPS field 120 REFERENCE
 *   INFORMATION, which the PIS message-format mapping fills from `RemittanceInformation...Reference`) reaches the
 *   payee only through the narrative. Both fields carry it so the matcher tries it whole and in pieces.
 * - `status`: v3.1.11 `Booked`/`Pending`, v4.0 `BOOK`/`PDNG`. A `BOOK` entry flagged `TransactionMutability:
 *   Mutable` stays booked (it is on the books; the dictionary says only some fields may still change). `Rejected`,
 *   `RJCT`, `FUTR` (future) and `INFO` (information only) moved no money and are not returned ({@link normaliseObieTransaction} → null).
 * - `counterparty`: the other side's account (`DebtorAccount` on a credit, `CreditorAccount` on a debit): sort code
 *   and account number from a `UK.OBIE.SortCodeAccountNumber` identification, the name from the account, else the
 *   v4.0 `UltimateDebtor`/`UltimateCreditor`, else the agent's name.
 * - `merchant` from `MerchantDetails`; `bankTransactionCode` from `BankTransactionCode` and
 *   `ProprietaryBankTransactionCode` as sent. The dictionary defines `Code` as "the family within a domain"
 *   (ExternalBankTransactionFamily1Code) and `SubCode` as the sub-family; OBReadTransaction6 has no domain, so
 *   `domain.code` is '' (unknown) and the enrichment names the domain from the family where the ISO list has that
 *   family in one domain only (shared/domain/enrichment/category.ts). `category` is null: Open Banking sends no
 *   readable category, only these codes, from which enrichment derives one.
 * - Times to UTC ISO 8601; amounts exact from the decimal strings (never floats).
 */
const Amount = v.object({ Amount: v.string(), Currency: v.string() });
const CashAccount = v.object({
  SchemeName: v.optional(v.string()),
  Identification: v.optional(v.string()),
  Name: v.optional(v.string()),
});
const Agent = v.object({ Name: v.optional(v.string()) });
const Party = v.object({ Name: v.optional(v.string()) });

export const ObieTransactionSchema = v.object({
  AccountId: v.string(),
  TransactionId: v.optional(v.string()),
  TransactionReference: v.optional(v.string()),
  CreditDebitIndicator: v.picklist(['Credit', 'Debit']),
  Status: v.string(),
  TransactionMutability: v.optional(v.string()),
  BookingDateTime: v.string(),
  ValueDateTime: v.optional(v.string()),
  TransactionInformation: v.optional(v.string()),
  Amount,
  BankTransactionCode: v.optional(v.object({ Code: v.string(), SubCode: v.string() })),
  ProprietaryBankTransactionCode: v.optional(v.object({ Code: v.string(), Issuer: v.optional(v.string()) })),
  MerchantDetails: v.optional(v.object({ MerchantName: v.optional(v.string()), MerchantCategoryCode: v.optional(v.string()) })),
  CreditorAgent: v.optional(Agent),
  CreditorAccount: v.optional(CashAccount),
  DebtorAgent: v.optional(Agent),
  DebtorAccount: v.optional(CashAccount),
  UltimateCreditor: v.optional(Party),
  UltimateDebtor: v.optional(Party),
});
export type ObieTransaction = v.InferOutput<typeof ObieTransactionSchema>;

export const SORT_CODE_ACCOUNT_NUMBER_SCHEMES: readonly string[] = ['UK.OBIE.SortCodeAccountNumber', 'SortCodeAccountNumber'];

/** A `UK.OBIE.SortCodeAccountNumber` identification (6-digit sort code + 8-digit account number), or null. */
export const splitSortCodeAccountNumber = (account: { SchemeName?: string; Identification?: string } | undefined): { sortCode: string; accountNumber: string } | null => {
  if (account?.SchemeName === undefined || account.Identification === undefined) return null;
  if (!SORT_CODE_ACCOUNT_NUMBER_SCHEMES.includes(account.SchemeName)) return null;
  const digits = account.Identification.replace(/[\s-]/g, '');
  if (!/^[0-9]{14}$/.test(digits)) return null;
  return { sortCode: digits.slice(0, 6), accountNumber: digits.slice(6) };
};

/**
 * An Open Banking ISODateTime as UTC ISO 8601. The AIS notes say a date-time without a zone is UTC ("defaulted to
 * 00:00:00+00:00"), so one without a designator is read as UTC, never as the machine's local time.
 */
export const toUtcIso = (value: string, field = 'dateTime'): string => {
  const zoned = /(?:Z|[+-][0-9]{2}:?[0-9]{2})$/i.test(value) ? value : `${value}Z`;
  const millis = Date.parse(zoned);
  if (Number.isNaN(millis)) throw new ValidationError(`Open Banking ${field} ${JSON.stringify(value)} is not an ISO 8601 date-time`);
  return new Date(millis).toISOString();
};

const BOOKED = new Set(['Booked', 'BOOK']);
const PENDING = new Set(['Pending', 'PDNG']);
/** Statuses of entries that moved no money: skipped, not errors. */
const NOT_MONEY = new Set(['Rejected', 'RJCT', 'FUTR', 'INFO']);

const nonEmpty = (value: string | undefined): string | undefined => (value === undefined || value.trim() === '' ? undefined : value);

const counterpartyOf = (transaction: ObieTransaction): ReportedTransaction['counterparty'] => {
  const credit = transaction.CreditDebitIndicator === 'Credit';
  const account = credit ? transaction.DebtorAccount : transaction.CreditorAccount;
  const ultimate = credit ? transaction.UltimateDebtor : transaction.UltimateCreditor;
  const agent = credit ? transaction.DebtorAgent : transaction.CreditorAgent;
  const identified = splitSortCodeAccountNumber(account);
  const name = nonEmpty(account?.Name) ?? nonEmpty(ultimate?.Name) ?? nonEmpty(agent?.Name);
  if (identified === null && name === undefined) return null;
  return { ...(name === undefined ? {} : { name }), ...(identified ?? {}) };
};

/** The ISO family/sub-family (no domain: Open Banking sends none, so its code is '') and the bank's proprietary code. */
const bankTransactionCodeOf = (transaction: ObieTransaction): BankTransactionCode | null => {
  const iso = transaction.BankTransactionCode;
  const proprietary = transaction.ProprietaryBankTransactionCode;
  if (iso === undefined && proprietary === undefined) return null;
  return {
    domain: iso === undefined ? null : { code: '', family: iso.Code, subFamily: iso.SubCode },
    proprietary: proprietary === undefined ? null : { code: proprietary.Code, issuer: nonEmpty(proprietary.Issuer) ?? null },
  };
};

const derivedId = (transaction: ObieTransaction): string =>
  `derived:${createHash('sha256')
    .update(JSON.stringify([transaction.AccountId, transaction.BookingDateTime, transaction.CreditDebitIndicator, transaction.Amount.Amount, transaction.Amount.Currency, transaction.TransactionInformation ?? '', transaction.TransactionReference ?? '']))
    .digest('base64url')}`;

/**
 * Normalises one `OBTransaction6` (either version) of the account `account`. Returns null for an entry that moved
 * no money (rejected, future, information). Throws ValidationError when the entry is not a transaction at all
 * (missing fields, an amount that is not exact in its currency, an unknown status).
 */
export const normaliseObieTransaction = (
  input: unknown,
  account: { readonly sortCode: string; readonly accountNumber: string },
): ReportedTransaction | null => {
  const parsed = v.safeParse(ObieTransactionSchema, input);
  if (!parsed.success) {
    throw new ValidationError('Open Banking transaction is malformed', {
      details: parsed.issues.map((issue) => ({ path: v.getDotPath(issue) ?? '', message: issue.message })),
    });
  }
  const transaction = parsed.output;
  if (NOT_MONEY.has(transaction.Status)) return null;
  const status = BOOKED.has(transaction.Status) ? 'booked' : PENDING.has(transaction.Status) ? 'pending' : undefined;
  if (status === undefined) throw new ValidationError(`Open Banking transaction status ${JSON.stringify(transaction.Status)} is not known`);
  const narrative = nonEmpty(transaction.TransactionInformation) ?? null;
  const merchantName = nonEmpty(transaction.MerchantDetails?.MerchantName);
  const merchantCode = nonEmpty(transaction.MerchantDetails?.MerchantCategoryCode);
  return {
    provider: 'obie',
    sortCode: account.sortCode,
    accountNumber: account.accountNumber,
    bankTransactionId: nonEmpty(transaction.TransactionId) ?? derivedId(transaction),
    status,
    creditDebitIndicator: transaction.CreditDebitIndicator === 'Credit' ? 'credit' : 'debit',
    amount: parseBankAmount(transaction.Amount.Amount, transaction.Amount.Currency),
    currency: transaction.Amount.Currency,
    bookingDateTime: toUtcIso(transaction.BookingDateTime, 'BookingDateTime'),
    valueDateTime: transaction.ValueDateTime === undefined ? null : toUtcIso(transaction.ValueDateTime, 'ValueDateTime'),
    reference: narrative,
    description: narrative,
    endToEndId: nonEmpty(transaction.TransactionReference) ?? null,
    counterparty: counterpartyOf(transaction),
    merchant:
      merchantName === undefined && merchantCode === undefined
        ? null
        : { ...(merchantName === undefined ? {} : { name: merchantName }), ...(merchantCode === undefined ? {} : { categoryCode: merchantCode }) },
    category: null,
    bankTransactionCode: bankTransactionCodeOf(transaction),
  };
};
