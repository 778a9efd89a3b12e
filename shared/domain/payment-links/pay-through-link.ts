import { NotFoundError } from '../errors';
import { type PreparePaymentDeps, preparePayment } from '../payments/initiate-payment';
import type { PayeeVerifier } from '../payments/payee-verification';
import type { Payment } from '../payments/payment';
import { assertUsable, type PaymentLink, paymentReferenceFor } from './payment-link';
import type { PaymentLinkStore } from './payment-link-store';

export interface PayThroughLinkDeps extends Omit<PreparePaymentDeps, 'payees'> {
  readonly links: PaymentLinkStore;
}

/** A payment through a link is inbound: the payer pays the tenant, so there is no payee to confirm. */
const NO_PAYEE: PayeeVerifier = { verify: () => Promise.reject(new Error('A payment through a link is inbound: there is no payee to confirm.')) };

/** Reading the link again after a concurrent change, or drawing a new suffix, is bounded. */
const ATTEMPTS = 5;

/** The link behind a public page: 404 for an id never issued. */
export const linkBehindPage = async (linkId: string, links: Pick<PaymentLinkStore, 'findPublic'>): Promise<PaymentLink> => {
  const link = await links.findPublic(linkId);
  if (link === undefined) throw new NotFoundError('This payment link does not exist.', { code: 'payment_link_not_found' });
  return link;
};

/**
 * A payer chose a bank on a link's page (`read`: the link as the page read it): an inbound payment into the link's account, carrying the link's reference
 * (multi-use: with its own suffix), invoiceId, redirectUrl and `linkId`.
 * Primary course: check the link can take a payment now, prepare the payment at the account's bank, then store it
 * and add it to the link in one conditional write (PaymentLinkStore.recordPayment), so a single-use link gets at
 * most one payment however many payers submit at once.
 * Alternate courses: the link changed meanwhile (another payer's payment, expiry): read it again and refuse if it
 * can no longer take one (409 in use, 410 completed or expired), else try again; a multi-use suffix already taken:
 * try again with another. An abandoned preparation is a bank initiation nobody is ever shown, so never authorised.
 */
export const payThroughLink = async (read: PaymentLink, deps: PayThroughLinkDeps): Promise<Payment> => {
  let link = read;
  for (let attempt = 0; attempt < ATTEMPTS; attempt += 1) {
    assertUsable(link, deps.clock.now());
    const prepared = await preparePayment(
      {
        tenantId: link.tenantId,
        accountId: link.accountId,
        direction: 'inbound',
        amount: link.amount,
        currency: link.currency,
        reference: paymentReferenceFor(link, deps.randomIndex),
        ...(link.invoiceId === null ? {} : { invoiceId: link.invoiceId }),
        ...(link.redirectUrl === null ? {} : { redirectUrl: link.redirectUrl }),
      },
      { ...deps, payees: NO_PAYEE },
      'with-payment',
    );
    const payment: Payment = { ...prepared, linkId: link.id };
    const outcome = await deps.links.recordPayment(link, payment, { claimReference: !link.singleUse, now: deps.clock.now().toISOString() });
    if (outcome === 'recorded') return payment;
    if (outcome === 'link_changed') {
      const current = await deps.links.get(link.tenantId, link.id);
      if (current === undefined) throw new NotFoundError('This payment link does not exist.', { code: 'payment_link_not_found' });
      link = current;
    }
  }
  throw new Error(`Payment link ${link.id} kept changing while a payment was made through it`);
};
