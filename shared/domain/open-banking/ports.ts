/**
 * Open Banking UK (OBIE Read/Write API v3.1.11 and v4.0): what the domain needs of a bank it reaches through the
 * gateway adapter (shared/adapters/obie). Every call names the bank by its registry id (`aspspId`); the adapter
 * knows that bank's endpoints, version, client registration and keys. The domain never sees HTTP, JWS or TLS.
 */
import type { ReportedTransaction } from '../settlement/bank-transaction';

export const OBIE_API_VERSIONS = ['v3.1.11', 'v4.0'] as const;
export type ObieApiVersion = (typeof OBIE_API_VERSIONS)[number];

/** A bank this deployment is configured for, as the tenant API shows it (`GET /v1/aspsps`). */
export interface Aspsp {
  readonly id: string;
  readonly name: string;
  readonly apiVersion: ObieApiVersion;
  /** OpenID Provider issuer; also the `iss` of the bank's event notifications. */
  readonly issuer: string;
  readonly authorizationEndpoint: string;
  readonly tokenEndpoint: string;
  readonly jwksUri: string;
  /** e.g. `https://bank.example/open-banking/v4.0`; the PIS API is under `/pisp`, AIS under `/aisp`. */
  readonly resourceBaseUrl: string;
  /** Whether the bank offers aggregated polling (`POST {resourceBaseUrl}/events`). */
  readonly aggregatedPolling: boolean;
}

export interface AspspDirectory {
  list(): Promise<readonly Aspsp[]>;
  get(aspspId: string): Promise<Aspsp | undefined>;
}

/** OAuth tokens the bank issued for one authorised consent. Secrets: encrypted at rest, never logged, never returned. */
export interface BankTokens {
  readonly accessToken: string;
  readonly refreshToken: string | null;
  /** ISO 8601 UTC. */
  readonly expiresAt: string;
}

/** What the PSU's authorisation needs, made by Settled and bound to one consent; `state` is single-use. */
export interface AuthorisationRequest {
  readonly state: string;
  readonly nonce: string;
  /** PKCE (RFC 7636): the adapter sends its S256 challenge with the authorisation and the verifier with the code. */
  readonly codeVerifier: string;
  /** Where the bank sends the PSU back with `code` and `state`: Settled's `GET /v1/consents/callback`. */
  readonly redirectUri: string;
}

export interface ConsentCreated {
  /** The bank's ConsentId. */
  readonly bankConsentId: string;
  /** The bank's authorisation page, with the signed request object. */
  readonly authorisationUrl: string;
}

/** One account behind an AIS consent, from `GET /accounts`. */
export interface BankAccountDetails {
  /** The bank's AccountId (the resource id in `/accounts/{AccountId}` and in event notifications). */
  readonly bankAccountId: string;
  readonly currency: string;
  readonly name: string | null;
  /** From an `UK.OBIE.SortCodeAccountNumber` identification; null when the bank gives only an IBAN. */
  readonly sortCode: string | null;
  readonly accountNumber: string | null;
  readonly iban: string | null;
}

export interface TransactionBatch {
  /** Normalised with `provider: 'obie'` and the account's sort code and number; booked and pending alike. */
  readonly transactions: readonly ReportedTransaction[];
  /** The latest booking time among them (UTC), or null when there were none: the next fetch starts there. */
  readonly latestBookingDateTime: string | null;
}

/** The bank refused access (HTTP 401/403): the consent is revoked, expired or not authorised at the bank. */
export class BankAccessDenied extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'BankAccessDenied';
  }
}

/** AIS: account-access consents and account data. */
export interface AccountInformationGateway {
  /** Creates an account-access consent (ReadAccountsDetail, ReadBalances, ReadTransactionsCredits/Debits/Detail). */
  createAccessConsent(aspspId: string, authorisation: AuthorisationRequest, options: { readonly expiresAt: string | null }): Promise<ConsentCreated>;
  /** The authorization-code grant (code + PKCE verifier), with private_key_jwt client authentication over mTLS. */
  exchangeCode(aspspId: string, code: string, authorisation: AuthorisationRequest): Promise<BankTokens>;
  refreshTokens(aspspId: string, tokens: BankTokens): Promise<BankTokens>;
  listAccounts(aspspId: string, tokens: BankTokens): Promise<readonly BankAccountDetails[]>;
  /**
   * The account's booked balance now (`InterimBooked`, else `ClosingBooked`), in minor units, negative when
   * overdrawn: a newly connected account's opening cash position; transactions are fetched from then on.
   */
  getBookedBalance(aspspId: string, tokens: BankTokens, bankAccountId: string): Promise<{ readonly amount: number; readonly currency: string; readonly at: string }>;
  /**
   * Booked and pending transactions booked at or after `since` (all the bank holds when null), following
   * `Links.Next` to the last page. `account` supplies the sort code and number the normalised transactions carry.
   */
  fetchTransactions(
    aspspId: string,
    tokens: BankTokens,
    account: { readonly bankAccountId: string; readonly sortCode: string; readonly accountNumber: string },
    since: string | null,
  ): Promise<TransactionBatch>;
  /** `DELETE /account-access-consents/{ConsentId}`: the bank stops serving data under it. */
  deleteAccessConsent(aspspId: string, bankConsentId: string): Promise<void>;
}

/** A payment's status at the bank, the ISO 20022 code kept and mapped onto Settled's status model. */
export interface BankPaymentStatus {
  /** The 4-letter ISO 20022 code (v3.1.11 names such as AcceptedSettlementInProcess are mapped to theirs: ACSP). */
  readonly code: string;
  /** Settled's view: `pending` moves nothing (the bank has not accepted it yet). */
  readonly settledStatus: 'pending' | 'authorised' | 'executed' | 'rejected';
  /** The bank's StatusReason (code and description), kept as the payment's failure reason when rejected. */
  readonly reason: string | null;
  readonly at: string;
}

/** The payment a domestic-payment consent and the domestic payment after it both carry, identically. */
export interface DomesticPaymentInstruction {
  /** Settled's payment id: InstructionIdentification and EndToEndIdentification. */
  readonly paymentId: string;
  /** Minor units. */
  readonly amount: number;
  readonly currency: string;
  /** RemittanceInformation.Reference: what comes back on the payee's statement. */
  readonly reference: string;
  readonly creditor: { readonly name: string; readonly sortCode: string; readonly accountNumber: string };
  /** Outbound payments from the tenant's account name it; inbound ones let the payer choose theirs at the bank. */
  readonly debtor: { readonly name: string; readonly sortCode: string; readonly accountNumber: string } | null;
}

/** PIS: domestic payment consents and domestic payments. */
export interface PaymentInitiationGateway {
  createPaymentConsent(aspspId: string, instruction: DomesticPaymentInstruction, authorisation: AuthorisationRequest): Promise<ConsentCreated>;
  exchangeCode(aspspId: string, code: string, authorisation: AuthorisationRequest): Promise<BankTokens>;
  /** `POST /domestic-payments` with `x-idempotency-key` = the payment id, so a retry never pays twice. */
  submitPayment(
    aspspId: string,
    tokens: BankTokens,
    bankConsentId: string,
    instruction: DomesticPaymentInstruction,
  ): Promise<{ readonly bankPaymentId: string; readonly status: BankPaymentStatus }>;
  /** `GET /domestic-payments/{DomesticPaymentId}` with a client-credentials token. */
  getPaymentStatus(aspspId: string, bankPaymentId: string): Promise<BankPaymentStatus>;
}

/** A verified event notification (a Security Event Token the bank signed). */
export interface EventNotification {
  readonly aspspId: string;
  readonly jti: string;
  /** Issued at, ISO 8601 UTC. */
  readonly issuedAt: string;
  readonly events: readonly NotifiedEvent[];
}

export type NotifiedEvent =
  /** `rty` e.g. `transactions` (rid = AccountId), `domestic-payment` (rid = DomesticPaymentId), `account-access-consent`. */
  | { readonly kind: 'resource-update'; readonly resourceType: string; readonly resourceId: string }
  | { readonly kind: 'consent-authorization-revoked'; readonly resourceType: string; readonly resourceId: string; readonly reason: string | null };

export interface EventNotificationVerifier {
  /**
   * Verifies the compact JWS against the JWKS of the bank its `iss` names (cached; fetched again once on an unknown
   * `kid`), its `aud` (our client id at that bank) and its age; throws `UnauthorizedError` on any failure and
   * `ValidationError` when it verifies but is not an event notification.
   */
  verify(jwt: string): Promise<EventNotification>;
}

/** Aggregated polling (`POST /events`): the bank's queued notifications, acknowledged on the next call. */
export interface EventPollingGateway {
  poll(aspspId: string, acknowledge: readonly string[]): Promise<{ readonly notifications: readonly EventNotification[]; readonly moreAvailable: boolean }>;
}
