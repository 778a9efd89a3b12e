import { formatAmount } from '../money';
import { type Payment, wasSentToBank } from './payment';

/** A payment as the API returns it (and as `payment.*` events carry it): money as decimal strings. */
export const paymentView = (payment: Payment) => ({
  id: payment.id,
  status: payment.status,
  direction: payment.direction,
  amount: formatAmount(payment.amount, payment.currency),
  currency: payment.currency,
  reference: payment.reference,
  invoiceId: payment.invoiceId,
  accountId: payment.accountId,
  counterparty: payment.counterparty,
  metadata: payment.metadata,
  // A payment stopped before it was sent (Confirmation of Payee) has nothing to authorise.
  authorisationUrl: wasSentToBank(payment) ? payment.authorisationUrl : null,
  redirectUrl: payment.redirectUrl,
  ...(payment.linkId === undefined ? {} : { linkId: payment.linkId }),
  failureReason: payment.failureReason,
  createdAt: payment.createdAt,
  updatedAt: payment.updatedAt,
  ...(payment.authorisedAt === undefined ? {} : { authorisedAt: payment.authorisedAt }),
  executedAt: payment.executedAt,
  settlement:
    payment.settlement === null
      ? null
      : {
          amountSettled: formatAmount(payment.settlement.amountSettled, payment.currency),
          overpaidBy: formatAmount(payment.settlement.overpaidBy, payment.currency),
          settledAt: payment.settlement.settledAt,
          transactionIds: payment.settlement.transactionIds,
          matchedBy: payment.settlement.matchedBy,
        },
  ...(payment.refundOf === undefined ? {} : { refundOf: payment.refundOf }),
  ...(payment.mandateId === undefined ? {} : { mandateId: payment.mandateId }),
  ...(payment.payoutId === undefined ? {} : { payoutId: payment.payoutId }),
});

export type PaymentView = ReturnType<typeof paymentView>;
