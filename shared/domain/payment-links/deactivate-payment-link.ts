import { GoneError, NotFoundError } from '../errors';
import type { Clock } from '../ports';
import { linkStatusAt, type PaymentLink } from './payment-link';
import type { PaymentLinkStore } from './payment-link-store';

/**
 * `POST /v1/payment-links/{id}/deactivate`: the tenant ends a link now (a multi-use link's only end besides its
 * expiry). Primary course: set its expiry to now with a write conditional on it being active and unexpired, the
 * same condition a payment through it needs, so a payment and the deactivation never both win; it then reads
 * `expired`. Payments already made through it go on and settle as usual.
 * Alternate courses: already expired (deactivated before, or past its expiresAt): answered as it is. Completed (a
 * single-use link whose payment settled): 410 `payment_link_completed`. Unknown: 404.
 */
export const deactivatePaymentLink = async (
  tenantId: string,
  linkId: string,
  deps: { readonly links: Pick<PaymentLinkStore, 'get' | 'deactivate'>; readonly clock: Clock },
): Promise<PaymentLink> => {
  for (let attempt = 0; attempt < 3; attempt += 1) {
    const link = await deps.links.get(tenantId, linkId);
    if (link === undefined) throw new NotFoundError(`Payment link ${linkId} does not exist.`);
    const now = deps.clock.now();
    const status = linkStatusAt(link, now);
    if (status === 'completed') throw new GoneError('This payment link has been paid.', { code: 'payment_link_completed' });
    if (status === 'expired') return link;
    const at = now.toISOString();
    if (await deps.links.deactivate(link, at)) return { ...link, expiresAt: at };
  }
  throw new Error(`Payment link ${linkId} kept changing while it was deactivated`);
};
