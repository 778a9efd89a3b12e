import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import * as v from 'valibot';

/**
 * Everything the mock banks remember, in one JSON document written atomically (temporary file + rename) after each
 * change: accounts and their transactions, consents, payments, tokens, authorisation codes, idempotency records,
 * queued event notifications, the bookings the scheme still owes, and the ports. Amounts are integer minor units.
 */
const Counterparty = v.object({
  name: v.string(),
  sortCode: v.optional(v.string()),
  accountNumber: v.optional(v.string()),
});

export const TransactionSchema = v.object({
  transactionId: v.string(),
  accountId: v.string(),
  /** The Faster Payments id, shared by both legs of a payment. */
  fasterPaymentsId: v.string(),
  endToEndIdentification: v.string(),
  creditDebit: v.picklist(['Credit', 'Debit']),
  status: v.picklist(['pending', 'booked']),
  amountMinor: v.number(),
  currency: v.string(),
  /** The payer's reference as this bank shows it to its customer. */
  reference: v.string(),
  counterparty: Counterparty,
  bookingDateTime: v.string(),
  valueDateTime: v.optional(v.string()),
  /** Booking order within the account, for stable paging. */
  sequence: v.number(),
});
export type StoredTransaction = v.InferOutput<typeof TransactionSchema>;

export const AccountSchema = v.object({
  accountId: v.string(),
  sortCode: v.string(),
  accountNumber: v.string(),
  name: v.string(),
  currency: v.string(),
  /** The booked balance; the available balance also subtracts pending debits. */
  bookedMinor: v.number(),
  openedAt: v.string(),
  transactions: v.array(TransactionSchema),
});
export type StoredAccount = v.InferOutput<typeof AccountSchema>;

export const CONSENT_STATUSES = ['awaiting', 'authorised', 'rejected', 'revoked', 'consumed'] as const;
export type ConsentStatus = (typeof CONSENT_STATUSES)[number];

export const ConsentSchema = v.object({
  consentId: v.string(),
  kind: v.picklist(['account-access', 'domestic-payment', 'domestic-vrp', 'file-payment']),
  clientId: v.string(),
  status: v.picklist(CONSENT_STATUSES),
  creationDateTime: v.string(),
  statusUpdateDateTime: v.string(),
  /** AIS: the request's Data (Permissions, ExpirationDateTime, ...), echoed back. PIS: the request's Data. */
  data: v.record(v.string(), v.unknown()),
  risk: v.record(v.string(), v.unknown()),
  /** AIS: the accounts the PSU gave access to; PIS: the debtor account once authorised. */
  accountIds: v.array(v.string()),
});
export type StoredConsent = v.InferOutput<typeof ConsentSchema>;

export const PaymentSchema = v.object({
  domesticPaymentId: v.string(),
  /** A payment under a VRP consent (vrp.ts), or one item of a file payment (file-payments.ts); absent on a single domestic payment. */
  kind: v.optional(v.picklist(['domestic-payment', 'domestic-vrp', 'file-item'])),
  /** A file item: the file payment it belongs to. */
  filePaymentId: v.optional(v.string()),
  consentId: v.string(),
  clientId: v.string(),
  status: v.picklist(['accepted', 'completed', 'rejected']),
  statusReason: v.optional(v.object({ code: v.string(), description: v.string() })),
  creationDateTime: v.string(),
  statusUpdateDateTime: v.string(),
  initiation: v.record(v.string(), v.unknown()),
  debtorAccountId: v.string(),
  /** VRP: the payment's Instruction (amount, creditor, its own references). */
  instruction: v.optional(v.record(v.string(), v.unknown())),
  fasterPaymentsId: v.optional(v.string()),
});
export type StoredPayment = v.InferOutput<typeof PaymentSchema>;

export const AccessTokenSchema = v.object({
  clientId: v.string(),
  kind: v.picklist(['client', 'psu']),
  scope: v.string(),
  consentId: v.optional(v.string()),
  expiresAt: v.number(),
});
export type StoredAccessToken = v.InferOutput<typeof AccessTokenSchema>;

export const RefreshTokenSchema = v.object({ clientId: v.string(), scope: v.string(), consentId: v.string() });

export const AuthorisationCodeSchema = v.object({
  clientId: v.string(),
  consentId: v.string(),
  redirectUri: v.string(),
  codeChallenge: v.string(),
  scope: v.string(),
  expiresAt: v.number(),
  used: v.boolean(),
});
export type StoredAuthorisationCode = v.InferOutput<typeof AuthorisationCodeSchema>;

/** `body` absent for an answer without one (the file upload's 200). */
export const IdempotencySchema = v.object({ bodyHash: v.string(), status: v.number(), body: v.optional(v.unknown()) });

/** A file payment consent's uploaded file: the exact text received (its FileHash is over these bytes). */
export const UploadedFileSchema = v.object({ content: v.string(), uploadedAt: v.string() });

/**
 * A file payment: the file as a whole. Its items are payments (kind `file-item`) in `payments`, in file order; its
 * status follows from them (pending until every item is final), unless the whole file was rejected.
 */
export const FilePaymentSchema = v.object({
  filePaymentId: v.string(),
  consentId: v.string(),
  clientId: v.string(),
  creationDateTime: v.string(),
  initiation: v.record(v.string(), v.unknown()),
  debtorAccountId: v.string(),
  /** The whole file refused (funds, or a test control): no item moved money. */
  rejection: v.optional(v.object({ code: v.string(), description: v.string(), at: v.string() })),
  itemPaymentIds: v.array(v.string()),
});
export type StoredFilePayment = v.InferOutput<typeof FilePaymentSchema>;

export const QueuedEventSchema = v.object({ jti: v.string(), clientId: v.string(), jwt: v.string(), createdAt: v.string() });

export const BankStateSchema = v.object({
  accounts: v.record(v.string(), AccountSchema),
  consents: v.record(v.string(), ConsentSchema),
  payments: v.record(v.string(), PaymentSchema),
  /** Keyed by token value: opaque random strings. */
  accessTokens: v.record(v.string(), AccessTokenSchema),
  refreshTokens: v.record(v.string(), RefreshTokenSchema),
  codes: v.record(v.string(), AuthorisationCodeSchema),
  /** Keyed by `${clientId} ${operation} ${x-idempotency-key}`. */
  idempotency: v.record(v.string(), IdempotencySchema),
  /** Event notifications awaiting aggregated polling (banks that do not push). */
  eventQueue: v.array(QueuedEventSchema),
  /** File payment consents' uploaded files, by consent id (absent in a state written before file payments). */
  files: v.optional(v.record(v.string(), UploadedFileSchema), {}),
  filePayments: v.optional(v.record(v.string(), FilePaymentSchema), {}),
  /** Test control: the next file payment is rejected whole with this reason. */
  rejectNextFile: v.optional(v.object({ code: v.string(), description: v.string() })),
  customerCount: v.number(),
  accountCount: v.number(),
});
export type BankState = v.InferOutput<typeof BankStateSchema>;

export const BookingLegSchema = v.object({ bankId: v.string(), accountId: v.string(), pendingTransactionId: v.string() });
export const PendingBookingSchema = v.object({
  fasterPaymentsId: v.string(),
  dueAt: v.number(),
  legs: v.array(BookingLegSchema),
  /** The payment at the payer's bank, completed when the money has moved. */
  payment: v.optional(v.object({ bankId: v.string(), domesticPaymentId: v.string() })),
});
export type PendingBooking = v.InferOutput<typeof PendingBookingSchema>;

export const PortsSchema = v.object({ https: v.number(), http: v.number() });

export const MockBanksStateSchema = v.object({
  version: v.literal(1),
  ports: v.record(v.string(), PortsSchema),
  banks: v.record(v.string(), BankStateSchema),
  pendingBookings: v.array(PendingBookingSchema),
  fasterPaymentsCount: v.number(),
});
export type MockBanksState = v.InferOutput<typeof MockBanksStateSchema>;

export const emptyBankState = (): BankState => ({
  accounts: {},
  consents: {},
  payments: {},
  accessTokens: {},
  refreshTokens: {},
  codes: {},
  idempotency: {},
  eventQueue: [],
  files: {},
  filePayments: {},
  customerCount: 0,
  accountCount: 0,
});

/** Reads a JSON document and checks it against its schema; undefined when the file does not exist. */
export const readJsonFile = <TSchema extends v.GenericSchema>(path: string, schema: TSchema): v.InferOutput<TSchema> | undefined => {
  if (!existsSync(path)) return undefined;
  const parsed: unknown = JSON.parse(readFileSync(path, 'utf8'));
  return v.parse(schema, parsed);
};

/** Writes a JSON document atomically: a reader (or a crash) sees the old file or the new one, never half of one. */
export const writeJsonFile = (path: string, value: unknown): void => {
  mkdirSync(dirname(path), { recursive: true });
  const temporary = `${path}.${process.pid}.tmp`;
  writeFileSync(temporary, JSON.stringify(value), { mode: 0o600 });
  renameSync(temporary, path);
};
