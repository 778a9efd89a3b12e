import { ConflictError, GoneError, NotFoundError } from '../../domain/errors';
import type { Clock } from '../../domain/ports';
import { type BehaviourSettings, type PlannedWebhook, planWebhooks } from './behaviour';
import { bulkDecisionWebhooks } from './bulk';
import type { SandboxPayment } from './sandbox-payment';
import type { SandboxPaymentStore } from './sandbox-store';

/** Queues the sandbox bank's webhooks for sending after their delays. */
export type WebhookScheduler = (planned: readonly PlannedWebhook[]) => Promise<void>;

/** How long a sandbox authorisation link stays usable while nobody has decided, as a real bank's consent would. */
export const AUTHORISATION_LINK_TTL_MS = 24 * 60 * 60 * 1000;

/**
 * The payment behind an authorisation link: NotFoundError (404) for a link the sandbox bank never issued,
 * GoneError (410) for one left undecided past AUTHORISATION_LINK_TTL_MS. A decided payment's link keeps showing
 * the decision.
 */
export const paymentBehindLink = async (bankPaymentId: string, deps: { readonly store: Pick<SandboxPaymentStore, 'get'>; readonly clock: Clock }): Promise<SandboxPayment> => {
  const payment = await deps.store.get(bankPaymentId);
  if (payment === undefined) throw new NotFoundError(`The sandbox bank has no payment ${bankPaymentId}.`, { code: 'authorisation_not_found' });
  if (payment.status === 'awaiting_authorisation' && deps.clock.now().getTime() - Date.parse(payment.createdAt) > AUTHORISATION_LINK_TTL_MS) {
    throw new GoneError('This authorisation link has expired. Ask the merchant for a new one.', { code: 'authorisation_expired' });
  }
  return payment;
};

/**
 * The payer (or the tenant, for outbound) approves or rejects on the sandbox bank's page.
 * Primary course: record the decision once, then schedule the webhooks the account's profile produces. Repeating
 * the same decision schedules the same webhooks again (same ids and content), which the receiving side dedupes;
 * the opposite decision after the first is refused.
 */
export const decideAuthorisation = async (
  bankPaymentId: string,
  outcome: 'approve' | 'reject',
  deps: { readonly store: SandboxPaymentStore; readonly schedule: WebhookScheduler; readonly clock: Clock; readonly settings: BehaviourSettings },
): Promise<SandboxPayment> => {
  const current = await paymentBehindLink(bankPaymentId, deps);
  const wanted = outcome === 'approve' ? 'approved' : 'rejected';
  if (current.status === 'awaiting_authorisation') await deps.store.decide(bankPaymentId, wanted, deps.clock.now().toISOString());
  const decided = await deps.store.get(bankPaymentId);
  if (decided === undefined || decided.decidedAt === null) throw new Error(`Sandbox payment ${bankPaymentId} lost its decision`);
  if (decided.status !== wanted) {
    throw new ConflictError(`This payment was already ${decided.status}.`, { code: 'already_decided' });
  }
  const decidedAt = new Date(decided.decidedAt);
  // A bulk payout's authorisation only tells Settled the decision; its items go to the bank in chunks afterwards.
  await deps.schedule(decided.bulk === undefined ? planWebhooks(decided, outcome, decidedAt, deps.settings) : bulkDecisionWebhooks(decided, outcome, decidedAt));
  return decided;
};
