/**
 * What Settled keeps while a customer is away at their bank authorising a consent, and the bank tokens it gets back.
 * Shared by account access (AIS) and payments (PIS): the `state` the bank brings back says which.
 */
import type { Clock, SecretGenerator } from '../ports';
import type { AccountInformationGateway, AuthorisationRequest, BankTokens } from './ports';

/** How long a customer has to authorise at their bank before the session is unusable. */
export const AUTHORISATION_SESSION_SECONDS = 60 * 60;

export type AuthorisationPurpose = 'account-access' | 'payment' | 'mandate' | 'payout';

/** One authorisation in progress; single-use: `claim` hands it out once. */
export interface AuthorisationSession {
  /** A bearer secret: the store keeps only its SHA-256. */
  readonly state: string;
  readonly purpose: AuthorisationPurpose;
  readonly tenantId: string;
  /** The account (account-access), payment (payment), mandate (mandate) or payout file (`<payoutId>:<chunk>`) being authorised. */
  readonly subjectId: string;
  readonly aspspId: string;
  readonly bankConsentId: string;
  readonly nonce: string;
  /** The PKCE verifier, sealed ({@link TokenSealer}) with the context (tenantId, subjectId). */
  readonly sealedCodeVerifier: string;
  /** Where the customer's browser goes once it is over; null: Settled's own page. */
  readonly redirectUrl: string | null;
  readonly createdAt: string;
  readonly expiresAt: string;
  readonly usedAt: string | null;
}

export interface AuthorisationSessionStore {
  create(session: AuthorisationSession): Promise<void>;
  /**
   * Marks the session used, in one conditional write, and returns it as it was; undefined when the state is
   * unknown, expired at `now` or already used, and then nothing changed.
   */
  claim(state: string, now: Date): Promise<AuthorisationSession | undefined>;
}

/** Whose secret a sealed value is: the encryption context, so a value sealed for one consent opens for no other. */
export interface SealingContext {
  readonly tenantId: string;
  readonly consentId: string;
}

/** Encrypts secrets at rest (KMS on AWS, AES-256-GCM locally); `open` fails on any tampering or another context. */
export interface TokenSealer {
  seal(plaintext: string, context: SealingContext): Promise<string>;
  open(sealed: string, context: SealingContext): Promise<string>;
}

/** A consent's sealed tokens as stored, with the version every replacement is conditional on. */
export interface StoredBankTokens {
  readonly sealed: string;
  readonly version: number;
}

export interface BankTokenStore {
  get(tenantId: string, consentId: string): Promise<StoredBankTokens | undefined>;
  /** Stores `sealed` only if the stored version is still `expectedVersion` (null: none stored yet); false otherwise. */
  put(tenantId: string, consentId: string, sealed: string, expectedVersion: number | null): Promise<boolean>;
}

/** The random material of one authorisation: `state` and `nonce` 32 bytes, the PKCE verifier 64 (RFC 7636 allows 43–128 characters). */
export const newAuthorisationRequest = (secrets: SecretGenerator, redirectUri: string): AuthorisationRequest => ({
  state: secrets.randomToken(32),
  nonce: secrets.randomToken(32),
  codeVerifier: secrets.randomToken(64),
  redirectUri,
});

/** Settled's redirect URI registered at every bank. */
export const callbackUriOf = (apiBaseUrl: string): string => `${apiBaseUrl.replace(/\/$/, '')}/v1/consents/callback`;

export const sessionFor = async (
  request: AuthorisationRequest,
  session: Pick<AuthorisationSession, 'purpose' | 'tenantId' | 'subjectId' | 'aspspId' | 'bankConsentId' | 'redirectUrl'>,
  deps: { readonly sealer: TokenSealer; readonly clock: Clock },
): Promise<AuthorisationSession> => {
  const now = deps.clock.now();
  return {
    ...session,
    state: request.state,
    nonce: request.nonce,
    sealedCodeVerifier: await deps.sealer.seal(request.codeVerifier, { tenantId: session.tenantId, consentId: session.subjectId }),
    createdAt: now.toISOString(),
    expiresAt: new Date(now.getTime() + AUTHORISATION_SESSION_SECONDS * 1000).toISOString(),
    usedAt: null,
  };
};

/** The authorisation request a claimed session was made from, its verifier opened, for the code exchange. */
export const requestOf = async (session: AuthorisationSession, redirectUri: string, deps: { readonly sealer: TokenSealer }): Promise<AuthorisationRequest> => ({
  state: session.state,
  nonce: session.nonce,
  codeVerifier: await deps.sealer.open(session.sealedCodeVerifier, { tenantId: session.tenantId, consentId: session.subjectId }),
  redirectUri,
});

/** Refresh when fewer than this many seconds are left, so a token never expires between the check and the bank's use. */
export const TOKEN_REFRESH_MARGIN_SECONDS = 60;

export interface TokenDeps {
  readonly tokens: BankTokenStore;
  readonly sealer: TokenSealer;
  readonly gateway: Pick<AccountInformationGateway, 'refreshTokens'>;
  readonly clock: Clock;
}

const sealTokens = (tokens: BankTokens, context: SealingContext, sealer: TokenSealer) => sealer.seal(JSON.stringify(tokens), context);

const openTokens = async (sealed: string, context: SealingContext, sealer: TokenSealer): Promise<BankTokens> => {
  const parsed: unknown = JSON.parse(await sealer.open(sealed, context));
  if (
    typeof parsed !== 'object' ||
    parsed === null ||
    !('accessToken' in parsed) ||
    typeof parsed.accessToken !== 'string' ||
    !('refreshToken' in parsed) ||
    (parsed.refreshToken !== null && typeof parsed.refreshToken !== 'string') ||
    !('expiresAt' in parsed) ||
    typeof parsed.expiresAt !== 'string'
  ) {
    throw new Error('Stored bank tokens are not in the expected shape');
  }
  return { accessToken: parsed.accessToken, refreshToken: parsed.refreshToken, expiresAt: parsed.expiresAt };
};

/** Stores a consent's tokens sealed: the first ones (`expectedVersion` null) or a replacement of the version read. */
export const storeTokens = async (
  context: SealingContext,
  tokens: BankTokens,
  expectedVersion: number | null,
  deps: Pick<TokenDeps, 'tokens' | 'sealer'>,
): Promise<boolean> => deps.tokens.put(context.tenantId, context.consentId, await sealTokens(tokens, context, deps.sealer), expectedVersion);

/**
 * A consent's tokens, refreshed at the bank first when they expire within {@link TOKEN_REFRESH_MARGIN_SECONDS}.
 * The refreshed tokens replace the stored ones only if nobody else replaced them since they were read; when a
 * concurrent refresh won, its tokens (read again) are the ones used, so neither refresh is lost or left stored stale.
 */
export const freshTokens = async (context: SealingContext & { readonly aspspId: string }, deps: TokenDeps): Promise<BankTokens> => {
  const stored = await deps.tokens.get(context.tenantId, context.consentId);
  if (stored === undefined) throw new Error(`No bank tokens are stored for consent ${context.consentId}`);
  const tokens = await openTokens(stored.sealed, context, deps.sealer);
  const secondsLeft = (Date.parse(tokens.expiresAt) - deps.clock.now().getTime()) / 1000;
  if (secondsLeft >= TOKEN_REFRESH_MARGIN_SECONDS || tokens.refreshToken === null) return tokens;
  const refreshed = await deps.gateway.refreshTokens(context.aspspId, tokens);
  // A bank that does not rotate refresh tokens may leave it out of the answer: the old one stays valid.
  const next: BankTokens = { ...refreshed, refreshToken: refreshed.refreshToken ?? tokens.refreshToken };
  if (await storeTokens(context, next, stored.version, deps)) return next;
  const winner = await deps.tokens.get(context.tenantId, context.consentId);
  if (winner === undefined) throw new Error(`Bank tokens of consent ${context.consentId} disappeared during a refresh`);
  return openTokens(winner.sealed, context, deps.sealer);
};

/** A payment's authorisation session, opened by the payments flow (its `PaymentSessions` port) in this same store. */
export interface PaymentSessionOpening {
  readonly tenantId: string;
  readonly paymentId: string;
  readonly aspspId: string;
  readonly bankConsentId: string;
  readonly authorisation: AuthorisationRequest;
  readonly redirectUrl: string | null;
}

/** The payments flow's session port over the one session store: payments and account access share the callback. */
export const paymentSessionsOver = (deps: { readonly sessions: AuthorisationSessionStore; readonly sealer: TokenSealer; readonly clock: Clock }) => ({
  openForPayment: async (opening: PaymentSessionOpening): Promise<void> =>
    deps.sessions.create(
      await sessionFor(
        opening.authorisation,
        { purpose: 'payment', tenantId: opening.tenantId, subjectId: opening.paymentId, aspspId: opening.aspspId, bankConsentId: opening.bankConsentId, redirectUrl: opening.redirectUrl },
        deps,
      ),
    ),
});

/** A claimed payment session as the payments flow completes it: its verifier opened, the redirect URI rebuilt. */
export const claimedPaymentSession = async (session: AuthorisationSession, apiBaseUrl: string, deps: { readonly sealer: TokenSealer }) => ({
  tenantId: session.tenantId,
  paymentId: session.subjectId,
  aspspId: session.aspspId,
  bankConsentId: session.bankConsentId,
  authorisation: await requestOf(session, callbackUriOf(apiBaseUrl), deps),
});
