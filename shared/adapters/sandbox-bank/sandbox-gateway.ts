import { randomBytes } from 'node:crypto';
import { type Account, isConnected } from '../../domain/accounts/account';
import type { BankGateway, PaymentInitiation } from '../../domain/payments/bank-gateway';
import type { Payment } from '../../domain/payments/payment';
import type { SandboxPaymentStore } from './sandbox-store';

/** The sandbox bank as a payment gateway: it records the payment and hands back its hosted authorisation page. */
export class SandboxBankGateway implements BankGateway {
  constructor(
    private readonly store: SandboxPaymentStore,
    private readonly apiBaseUrl: string,
  ) {}

  async initiatePayment(payment: Omit<Payment, 'bankPaymentId' | 'authorisationUrl'>, account: Account): Promise<PaymentInitiation> {
    // Sandbox accounts are created with their bank account; this guards the type, not a reachable state.
    if (!isConnected(account)) throw new Error(`Account ${account.id} has no bank account yet`);
    const bankPaymentId = `sbp_${randomBytes(12).toString('hex')}`;
    await this.store.create({
      bankPaymentId,
      status: 'awaiting_authorisation',
      direction: payment.direction,
      amount: payment.amount,
      currency: payment.currency,
      reference: payment.reference,
      profile: account.sandboxProfile ?? 'exact',
      account: { sortCode: account.sortCode, accountNumber: account.accountNumber, name: account.name },
      counterparty: payment.counterparty,
      returnTo: payment.redirectUrl === null ? null : { redirectUrl: payment.redirectUrl, paymentId: payment.id },
      createdAt: payment.createdAt,
      decidedAt: null,
    });
    return { bankPaymentId, authorisationUrl: `${this.apiBaseUrl.replace(/\/$/, '')}/sandbox/authorisations/${bankPaymentId}` };
  }
}
