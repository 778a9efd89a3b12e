import { type AccessOutcome, completeAccountAccess, rejectAccountAccess } from '../accounts/obie-account-access';
import { NotFoundError, ValidationError } from '../errors';
import type { PayoutStatus } from '../payouts/payout';
import type { AuthorisationSession, AuthorisationSessionStore } from './authorisation';

/** The bank's redirect of the customer's browser: `code` and `state`, or `error` (and `state`) when refused. */
export interface CallbackQuery {
  readonly state: string;
  readonly code: string | null;
  readonly error: string | null;
}

/** A payment's authorisation came back: submitted to the bank (`authorised`) or refused there (`failed`). */
export interface PaymentOutcome {
  readonly kind: 'payment';
  readonly paymentId: string;
  readonly status: 'authorised' | 'failed';
}

/** What the browser is sent to: the session's `redirectUrl` (with the outcome in its query), else Settled's page. */
/** A mandate's authorisation came back: what the mandate is now (active once approved). */
export interface MandateOutcome {
  readonly kind: 'mandate';
  readonly mandateId: string;
  readonly status: 'active' | 'rejected' | 'revoked' | 'authorisation_required';
}

/**
 * A payout file's authorisation came back: what the payout is now, and where the payer goes next while other files
 * of it still await their authorisation (Settled's payout authorisation page), else null.
 */
export interface PayoutOutcome {
  readonly kind: 'payout';
  readonly payoutId: string;
  readonly status: PayoutStatus;
  readonly next: string | null;
}

export interface CallbackResult {
  readonly outcome: AccessOutcome | PaymentOutcome | MandateOutcome | PayoutOutcome;
  readonly redirectUrl: string | null;
}

export interface CallbackDeps {
  readonly sessions: AuthorisationSessionStore;
  readonly completeAccountAccess: (session: AuthorisationSession, code: string) => ReturnType<typeof completeAccountAccess>;
  readonly rejectAccountAccess: (session: AuthorisationSession, error: string) => ReturnType<typeof rejectAccountAccess>;
  /**
   * Payment authorisations come back to the same redirect URI; the payments flow completes them. Without it a
   * payment session is answered as not found, after being claimed (a state is single-use whatever follows).
   */
  readonly completePayment?: (session: AuthorisationSession, query: CallbackQuery) => Promise<CallbackResult>;
  /** Mandate (VRP consent) authorisations, likewise: without it a mandate session is answered as not found. */
  readonly completeMandate?: (session: AuthorisationSession, query: CallbackQuery) => Promise<CallbackResult>;
  /** A payout file's authorisation (a file-payment consent), likewise. */
  readonly completePayout?: (session: AuthorisationSession, query: CallbackQuery) => Promise<CallbackResult>;
  readonly now: () => Date;
}

/**
 * The tenant's page with the outcome in its query (`accountId`, and `error` when not connected; for a payment
 * `paymentId` and `status`), keeping its own query.
 */
export const withOutcome = (redirectUrl: string, outcome: AccessOutcome | PaymentOutcome | MandateOutcome | PayoutOutcome): string => {
  const url = new URL(redirectUrl);
  if (outcome.kind === 'payout') {
    url.searchParams.set('payoutId', outcome.payoutId);
    url.searchParams.set('status', outcome.status);
    return url.toString();
  }
  if (outcome.kind === 'mandate') {
    url.searchParams.set('mandateId', outcome.mandateId);
    url.searchParams.set('status', outcome.status);
    return url.toString();
  }
  if (outcome.kind === 'payment') {
    url.searchParams.set('paymentId', outcome.paymentId);
    url.searchParams.set('status', outcome.status);
    return url.toString();
  }
  url.searchParams.set('accountId', outcome.kind === 'failed' ? outcome.accountId : outcome.account.id);
  if (outcome.kind === 'failed') url.searchParams.set('error', outcome.reason);
  else url.searchParams.delete('error');
  return url.toString();
};

/**
 * `GET /v1/consents/callback`. Primary course: claim the session by its `state` — one conditional write, so a
 * replayed, unknown or expired state is refused (400 `invalid_state`) and changes nothing — then complete or reject
 * what it was for.
 */
export const handleConsentCallback = async (query: CallbackQuery, deps: CallbackDeps): Promise<CallbackResult> => {
  if (query.code === null && query.error === null) {
    throw new ValidationError('The bank sent neither a code nor an error.', { details: [{ path: 'code', message: 'code is required' }] });
  }
  const session = await deps.sessions.claim(query.state, deps.now());
  if (session === undefined) {
    throw new ValidationError('This authorisation link is unknown, expired or already used.', { code: 'invalid_state' });
  }
  switch (session.purpose) {
    case 'account-access': {
      const outcome = query.error !== null ? await deps.rejectAccountAccess(session, query.error) : await deps.completeAccountAccess(session, query.code ?? '');
      return { outcome, redirectUrl: session.redirectUrl };
    }
    case 'payment': {
      if (deps.completePayment !== undefined) return deps.completePayment(session, query);
      throw new NotFoundError('Payment authorisations are not completed by this deployment.');
    }
    case 'mandate': {
      if (deps.completeMandate !== undefined) return deps.completeMandate(session, query);
      throw new NotFoundError('Mandate authorisations are not completed by this deployment.');
    }
    case 'payout': {
      if (deps.completePayout !== undefined) return deps.completePayout(session, query);
      throw new NotFoundError('Payout authorisations are not completed by this deployment.');
    }
  }
};
