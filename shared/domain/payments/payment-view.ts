import { formatAmount } from '../money';
import type { Payment } from './payment';

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
  authorisationUrl: payment.authorisationUrl,
  redirectUrl: payment.redirectUrl,
  failureReason: payment.failureReason,
  createdAt: payment.createdAt,
  updatedAt: payment.updatedAt,
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
  ...(payment.payoutId === undefined ? {} : { payoutId: payment.payoutId }),
});

export type PaymentView = ReturnType<typeof paymentView>;
