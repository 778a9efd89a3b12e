import { formatAmount } from '../money';
import type { BankTransaction } from './bank-transaction';

/** A bank transaction as the API returns it (and as `transaction.received` carries it). */
export const transactionView = (transaction: BankTransaction) => ({
  id: transaction.id,
  accountId: transaction.accountId,
  bankTransactionId: transaction.bankTransactionId,
  status: transaction.status,
  creditDebitIndicator: transaction.creditDebitIndicator,
  amount: formatAmount(transaction.amount, transaction.currency),
  currency: transaction.currency,
  bookingDateTime: transaction.bookingDateTime,
  valueDateTime: transaction.valueDateTime,
  reference: transaction.reference,
  description: transaction.description,
  endToEndId: transaction.endToEndId,
  counterparty: transaction.counterparty,
  merchant: transaction.merchant,
  category: transaction.category,
  bankTransactionCode: transaction.bankTransactionCode ?? null,
  receivedAt: transaction.receivedAt,
  supersedes: transaction.supersedes,
  supersededBy: transaction.supersededBy,
  reconciliation: {
    status: transaction.reconciliation.status,
    paymentIds: transaction.reconciliation.paymentIds,
    exceptionId: transaction.reconciliation.exceptionId,
    matchedBy: transaction.reconciliation.matchedBy,
    /** Why: the keys looked up (from the reference and the narrative) and the payments they reached. */
    keys: transaction.reconciliation.keys,
    candidatePaymentIds: transaction.reconciliation.candidatePaymentIds,
  },
});

export type TransactionView = ReturnType<typeof transactionView>;
