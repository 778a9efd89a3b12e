import type { Account, Provider } from '../accounts/account';
import type { Payment } from './payment';

export interface PaymentInitiation {
  readonly bankPaymentId: string;
  /** The bank's page where the payer (inbound) or the tenant (outbound) authorises the payment. */
  readonly authorisationUrl: string;
}

/** A bank (ASPSP) or aggregator that initiates payments: the sandbox bank, Open Banking UK, … */
export interface BankGateway {
  initiatePayment(payment: Omit<Payment, 'bankPaymentId' | 'authorisationUrl'>, account: Account): Promise<PaymentInitiation>;
}

/** One gateway per provider, chosen by the account the payment goes through. */
export const gatewayByProvider = (gateways: { readonly [P in Provider]: () => BankGateway }): BankGateway => ({
  initiatePayment: (payment, account) => gateways[account.provider]().initiatePayment(payment, account),
});
