import { describe, expect, it } from 'vitest';
import { sandboxPayeeVerifier } from '../../../../shared/adapters/sandbox-bank/payee-verifier';
import type { BankGateway } from '../../../../shared/domain/payments/bank-gateway';
import { initiatePayment, type InitiatePaymentCommand } from '../../../../shared/domain/payments/initiate-payment';
import type { PayeeVerifier } from '../../../../shared/domain/payments/payee-verification';
import { paymentView } from '../../../../shared/domain/payments/payment-view';
import { resolveException } from '../../../../shared/domain/reconciliation/resolve-exception';
import { reconcileTransaction } from '../../../../shared/domain/settlement/reconcile-transaction';
import {
  AT,
  anAccount,
  aReportedTransaction,
  InMemoryAccountRepository,
  InMemoryExceptionStore,
  InMemoryPaymentRepository,
  InMemoryTransactionStore,
  RecordingEventPublisher,
  TENANT_ID,
} from '../../../support/domain-fakes';

/** A bank that records every initiation it is asked for. */
const recordingGateway = () => {
  const initiated: string[] = [];
  const gateway: BankGateway = {
    initiatePayment: async (payment) => {
      initiated.push(payment.id);
      return { bankPaymentId: `sbp_${payment.id}`, authorisationUrl: `https://bank.example/${payment.id}` };
    },
  };
  return { gateway, initiated };
};

/** A verifier that records who it was asked about. */
const recordingVerifier = () => {
  const asked: string[] = [];
  const payees: PayeeVerifier = {
    verify: async (payee) => {
      asked.push(payee.accountNumber);
      return sandboxPayeeVerifier.verify(payee);
    },
  };
  return { payees, asked };
};

const setup = () => {
  const account = anAccount();
  const payments = new InMemoryPaymentRepository();
  const events = new RecordingEventPublisher();
  const { gateway, initiated } = recordingGateway();
  const { payees, asked } = recordingVerifier();
  let sequence = 0;
  let draw = 0;
  const deps = {
    accounts: new InMemoryAccountRepository([account]),
    payments,
    gateway,
    ids: { next: (prefix: string) => `${prefix}_${String((sequence += 1)).padStart(26, '0')}` },
    clock: { now: () => new Date(AT) },
    randomIndex: (max: number) => (draw += 7) % max,
    payees,
    events,
  };
  return { account, payments, events, deps, initiated, asked };
};

const outbound = (accountId: string, name: string, accountNumber: string, extra: Partial<InitiatePaymentCommand> = {}): InitiatePaymentCommand => ({
  tenantId: TENANT_ID,
  accountId,
  direction: 'outbound',
  amount: 4_000,
  currency: 'GBP',
  counterparty: { name, sortCode: '200000', accountNumber },
  ...extra,
});

describe('Confirmation of Payee on outbound payments', () => {
  it('stores a no_match payment failed with payee_name_mismatch, never asks the bank, and publishes payment.failed from its creating write', async () => {
    // Prepare
    const { account, payments, events, deps, initiated } = setup();
    // Act
    const payment = await initiatePayment(outbound(account.id, 'Sam Smith', '12349999'), deps);
    // Assess
    expect(initiated).toEqual([]);
    expect(payment).toMatchObject({ status: 'failed', failureReason: 'payee_name_mismatch', counterparty: { verification: { result: 'no_match' } } });
    expect(paymentView(payment).authorisationUrl).toBeNull();
    expect(await payments.get(TENANT_ID, payment.id)).toEqual(payment);
    expect(events.published).toHaveLength(1);
    expect(events.published[0]).toMatchObject({ type: 'payment.failed', data: { id: payment.id, status: 'failed', failureReason: 'payee_name_mismatch' } });
    // Published, then cleared from the outbox it was written in.
    expect(payments.outboxOf(TENANT_ID, payment.id)).toEqual([]);
  });

  it('stops a close match too, suggesting the holder name', async () => {
    const { account, deps, initiated } = setup();
    const payment = await initiatePayment(outbound(account.id, 'J Example', '12349999'), deps);
    expect(initiated).toEqual([]);
    expect(payment.status).toBe('failed');
    expect(payment.counterparty?.verification).toEqual({ result: 'close_match', suggestedName: 'Jordan Example' });
  });

  it('sends a mismatch the request accepted with proceed_on_mismatch, keeping the answer on the payment', async () => {
    const { account, events, deps, initiated } = setup();
    const payment = await initiatePayment(outbound(account.id, 'Sam Smith', '12349999', { confirmationOfPayee: 'proceed_on_mismatch' }), deps);
    expect(initiated).toEqual([payment.id]);
    expect(payment).toMatchObject({ status: 'authorisation_required', failureReason: null, counterparty: { verification: { result: 'no_match' } } });
    expect(events.published).toEqual([]);
  });

  it('sends a match and an unavailable answer (nothing to compare) without a failure', async () => {
    const { account, deps, initiated } = setup();
    const matched = await initiatePayment(outbound(account.id, 'jordan EXAMPLE.', '12349999'), deps);
    const unavailable = await initiatePayment(outbound(account.id, 'Anyone', '12340000'), deps);
    expect(initiated).toEqual([matched.id, unavailable.id]);
    expect(matched.counterparty?.verification).toEqual({ result: 'match' });
    expect(unavailable).toMatchObject({ status: 'authorisation_required', counterparty: { verification: { result: 'unavailable' } } });
  });

  it('never asks about an inbound payment', async () => {
    const { account, deps, asked } = setup();
    const payment = await initiatePayment({ tenantId: TENANT_ID, accountId: account.id, direction: 'inbound', amount: 100, currency: 'GBP', counterparty: { name: 'Sam Smith', sortCode: '200000', accountNumber: '12349999' } }, deps);
    expect(asked).toEqual([]);
    expect(payment.counterparty).toEqual({ name: 'Sam Smith', sortCode: '200000', accountNumber: '12349999' });
  });
});

describe('Confirmation of Payee on an exception refund', () => {
  const unappliedCredit = async (payerName: string) => {
    const { account, payments, events, deps, initiated } = setup();
    const transactions = new InMemoryTransactionStore(payments);
    const exceptions = new InMemoryExceptionStore(transactions, payments);
    await reconcileTransaction(
      aReportedTransaction({ reference: 'NOBODY-KNOWS', description: null, counterparty: { name: payerName, sortCode: '200000', accountNumber: '12349999' } }),
      { accounts: deps.accounts, payments, referenceIndex: payments, transactions, events, ids: deps.ids, clock: deps.clock },
    );
    const [exception] = transactions.exceptions;
    if (exception === undefined) throw new Error('the credit should open an exception');
    const resolveDeps = { exceptions, transactions, payments, events, clock: deps.clock, refunds: { accounts: deps.accounts, gateway: deps.gateway, ids: deps.ids, randomIndex: deps.randomIndex, payees: deps.payees } };
    return { account, exception, resolveDeps, initiated, exceptions };
  };

  it('refuses a refund the payer bank does not confirm (422, nothing sent, the exception stays open), and sends it when told to proceed', async () => {
    // Prepare
    const { exception, resolveDeps, initiated, exceptions } = await unappliedCredit('Sam Smith');
    // Act
    const refused = resolveException({ tenantId: TENANT_ID, exceptionId: exception.id, resolvedBy: 'key_a', action: 'refund' }, resolveDeps);
    // Assess
    await expect(refused).rejects.toMatchObject({ code: 'payee_name_mismatch' });
    expect(initiated).toEqual([]);
    expect((await exceptions.get(TENANT_ID, exception.id))?.exception.status).toBe('open');
    const resolved = await resolveException({ tenantId: TENANT_ID, exceptionId: exception.id, resolvedBy: 'key_a', action: 'refund', confirmationOfPayee: 'proceed_on_mismatch' }, resolveDeps);
    expect(resolved.resolution?.refundPaymentId).toEqual(initiated[0]);
  });
});
