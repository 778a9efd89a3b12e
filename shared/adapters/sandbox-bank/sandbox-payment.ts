import type { SandboxProfile } from '../../domain/accounts/account';
import type { Direction } from '../../domain/payments/payment';

/** The sandbox bank's own record of a payment it was asked to make (its state, not Settled's). */
export interface SandboxPayment {
  readonly bankPaymentId: string;
  readonly status: 'awaiting_authorisation' | 'approved' | 'rejected';
  readonly direction: Direction;
  /** Minor units. */
  readonly amount: number;
  readonly currency: string;
  readonly reference: string;
  readonly profile: SandboxProfile;
  /** The tenant's account at the sandbox bank: credited for inbound payments, debited for outbound ones. */
  readonly account: { readonly sortCode: string; readonly accountNumber: string; readonly name: string };
  readonly counterparty: { readonly name: string; readonly sortCode?: string | undefined; readonly accountNumber?: string | undefined } | null;
  /**
   * Where the bank's page sends the payer's browser after the decision, as a real bank redirects back: the payment's
   * `redirectUrl` (stored when it was created, never read from the request) and Settled's id for it. Absent: the
   * bank's own page. Optional: payments recorded before this was kept.
   */
  readonly returnTo?: { readonly redirectUrl: string; readonly paymentId: string } | null;
  readonly createdAt: string;
  readonly decidedAt: string | null;
  /** A bulk payout's one authorisation (its amount the batch's total): deciding it executes nothing by itself. */
  readonly bulk?: { readonly itemCount: number } | undefined;
}
