import type { ReportedTransaction } from './bank-transaction';
import type { PaymentStatusReport } from './settlement-store';

/** What the bank-webhooks function queues for reconciliation: one fact per message. */
export type SettlementMessage =
  | { readonly kind: 'transaction'; readonly transaction: ReportedTransaction }
  | { readonly kind: 'payment_status'; readonly report: PaymentStatusReport }
  /** A transaction read from a statement file imported into one account (the account is known: no routing). */
  | {
      readonly kind: 'statement_entry';
      readonly tenantId: string;
      readonly accountId: string;
      readonly importId: string;
      readonly transaction: ReportedTransaction;
    };

/** The durable queue between webhook ingress and reconciliation. */
export interface SettlementQueue {
  /** Resolves only once every message is durably queued. */
  enqueue(messages: readonly SettlementMessage[]): Promise<void>;
}
