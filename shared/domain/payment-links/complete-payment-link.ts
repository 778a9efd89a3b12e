import * as v from 'valibot';
import { type DomainEvent, domainEvent, type EventPublisher } from '../events/domain-event';
import type { Clock } from '../ports';
import { paymentLinkView } from './payment-link';
import type { PaymentLinkStore } from './payment-link-store';

/** What this needs of a `payment.settled` event's data (the payment view): its id and, for a link payment, the link. */
const SettledLinkPaymentSchema = v.object({ id: v.string(), linkId: v.optional(v.string()) });

/**
 * A settled payment completes the single-use link it was made through.
 * Primary course: on `payment.settled` of a payment with a `linkId`, mark the link completed by that payment with a
 * write conditional on the link being active and holding that payment (keyed by the link id: once, however often the
 * event arrives), then publish `payment_link.completed` whose id derives from the link id alone.
 * Alternate courses: any other event, a payment with no link, a multi-use link: nothing (no read, no write). The link
 * already completed by this payment (a redelivery, or a crash before publishing): publish the same event again,
 * with the same id, which every consumer drops as a copy. So the event is published at least once and recorded once.
 */
export const completeLinkOnSettlement = async (
  event: DomainEvent,
  deps: { readonly links: Pick<PaymentLinkStore, 'get' | 'complete'>; readonly events: EventPublisher; readonly clock: Clock },
): Promise<'completed' | 'ignored'> => {
  if (event.type !== 'payment.settled') return 'ignored';
  const parsed = v.safeParse(SettledLinkPaymentSchema, event.data);
  if (!parsed.success || parsed.output.linkId === undefined) return 'ignored';
  const { id: paymentId, linkId } = parsed.output;
  const { tenantId } = event.metadata;
  let link = await deps.links.get(tenantId, linkId);
  if (link === undefined || !link.singleUse) return 'ignored';
  if (link.status === 'active') {
    const at = deps.clock.now().toISOString();
    if (await deps.links.complete(link, paymentId, at)) link = { ...link, status: 'completed', completedBy: paymentId, completedAt: at };
    else link = await deps.links.get(tenantId, linkId);
  }
  if (link?.status !== 'completed' || link.completedBy !== paymentId || link.completedAt === null) return 'ignored';
  await deps.events.publish([domainEvent('payment_link.completed', tenantId, link.completedAt, paymentLinkView(link, deps.clock.now()), [link.id])]);
  return 'completed';
};
