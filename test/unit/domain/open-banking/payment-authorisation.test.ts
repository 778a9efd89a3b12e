import { beforeEach, describe, expect, it } from 'vitest';
import type { PaymentSessionOpening } from '../../../../shared/domain/open-banking/authorisation';
import type { BankSyncMessage, BankSyncQueue } from '../../../../shared/domain/open-banking/bank-sync';
import {
  chooseBank,
  completePaymentAuthorisation,
  ObiePaymentGateway,
  type ObiePaymentRecord,
  type ObiePaymentStore,
  paymentInstruction,
  refreshPaymentStatus,
  statusPollDelay,
} from '../../../../shared/domain/open-banking/payment-authorisation';
import type { Aspsp, AuthorisationRequest, BankPaymentStatus, DomesticPaymentInstruction, PaymentInitiationGateway } from '../../../../shared/domain/open-banking/ports';
import type { SettlementMessage } from '../../../../shared/domain/settlement/settlement-message';
import { anAccount, aPayment, InMemoryAccountRepository, InMemoryPaymentRepository } from '../../../support/domain-fakes';
import { fixedClock } from '../../../support/fakes';

class InMemoryObiePayments implements ObiePaymentStore {
  readonly records = new Map<string, ObiePaymentRecord>();
  async create(record: ObiePaymentRecord) {
    if (this.records.has(record.bankPaymentId)) throw new Error('exists');
    this.records.set(record.bankPaymentId, record);
  }
  async get(id: string) {
    return this.records.get(id);
  }
  async update(previous: ObiePaymentRecord, next: ObiePaymentRecord) {
    if (this.records.get(previous.bankPaymentId)?.version !== previous.version) return false;
    this.records.set(next.bankPaymentId, next);
    return true;
  }
  async findByDomesticPayment(aspspId: string, domesticPaymentId: string) {
    return [...this.records.values()].find((record) => record.aspspId === aspspId && record.domesticPaymentId === domesticPaymentId);
  }
}

/** A bank that records what it was asked and answers with scripted statuses. */
class ScriptedBank implements PaymentInitiationGateway {
  readonly consents: { aspspId: string; instruction: DomesticPaymentInstruction; authorisation: AuthorisationRequest }[] = [];
  readonly submitted: { aspspId: string; bankConsentId: string; instruction: DomesticPaymentInstruction }[] = [];
  status: BankPaymentStatus = { code: 'ACSP', settledStatus: 'executed', reason: null, at: '2026-11-24T10:01:00.000Z' };
  async createPaymentConsent(aspspId: string, instruction: DomesticPaymentInstruction, authorisation: AuthorisationRequest) {
    this.consents.push({ aspspId, instruction, authorisation });
    return { bankConsentId: `PDC_${this.consents.length}`, authorisationUrl: `https://${aspspId}.example/authorize?n=${this.consents.length}` };
  }
  async exchangeCode(_aspspId: string, code: string) {
    if (code !== 'good-code') throw new Error('invalid_grant');
    return { accessToken: 'at', refreshToken: null, expiresAt: '2026-11-24T11:00:00.000Z' };
  }
  async submitPayment(aspspId: string, _tokens: unknown, bankConsentId: string, instruction: DomesticPaymentInstruction) {
    this.submitted.push({ aspspId, bankConsentId, instruction });
    return { bankPaymentId: 'DP_1', status: this.status };
  }
  async getPaymentStatus() {
    return this.status;
  }
}

const ASPSPS: Aspsp[] = ['north', 'south'].map((id) => ({
  id,
  name: `${id} bank`,
  apiVersion: 'v4.0',
  issuer: `https://${id}.example`,
  authorizationEndpoint: `https://${id}.example/authorize`,
  tokenEndpoint: `https://${id}.example/token`,
  jwksUri: `https://${id}.example/jwks`,
  resourceBaseUrl: `https://${id}.example/open-banking/v4.0`,
  aggregatedPolling: false,
}));

describe('Open Banking payment authorisation', () => {
  let bank: ScriptedBank;
  let records: InMemoryObiePayments;
  let payments: InMemoryPaymentRepository;
  let accounts: InMemoryAccountRepository;
  let sessions: PaymentSessionOpening[];
  let settlements: SettlementMessage[];
  let syncs: { messages: readonly BankSyncMessage[]; delaySeconds: number | undefined }[];
  let gateway: ObiePaymentGateway;
  let token = 0;
  const clock = fixedClock();
  const account = anAccount({ provider: 'obie', aspspId: 'south', sandboxProfile: null, name: 'Acme Ltd', sortCode: '601111', accountNumber: '00000001' });
  const queue: BankSyncQueue = { enqueue: async (messages, options) => void syncs.push({ messages, delaySeconds: options?.delaySeconds }) };
  const directory = { list: async () => ASPSPS, get: async (id: string) => ASPSPS.find((aspsp) => aspsp.id === id) };

  beforeEach(async () => {
    bank = new ScriptedBank();
    records = new InMemoryObiePayments();
    payments = new InMemoryPaymentRepository();
    accounts = new InMemoryAccountRepository();
    await accounts.create(account);
    sessions = [];
    settlements = [];
    syncs = [];
    gateway = new ObiePaymentGateway({
      pis: bank,
      records,
      sessions: { openForPayment: async (session) => void sessions.push(session) },
      secrets: { randomToken: () => `token${(token += 1)}` },
      clock,
      apiBaseUrl: 'https://settled.example/',
    });
  });

  const deps = () => ({ pis: bank, records, payments, accounts, settlements: { enqueue: async (messages: readonly SettlementMessage[]) => void settlements.push(...messages) }, syncs: queue, clock });

  const initiated = async (overrides: Parameters<typeof aPayment>[0] = {}) => {
    const draft = aPayment({ provider: 'obie', accountId: account.id, status: 'authorisation_required', ...overrides });
    const initiation = await gateway.initiatePayment(draft, account);
    const payment = { ...draft, ...initiation };
    await payments.create(payment);
    return payment;
  };

  it('sends an inbound payer to the bank-choice page, and the chosen bank gets a consent paying the tenant', async () => {
    const payment = await initiated();
    expect(payment.authorisationUrl).toBe(`https://settled.example/checkout/${payment.bankPaymentId}`);
    expect(bank.consents).toHaveLength(0);

    const url = await chooseBank(payment.bankPaymentId, 'north', { gateway, records, payments, accounts, directory });

    expect(url).toBe('https://north.example/authorize?n=1');
    expect(bank.consents[0]?.instruction).toEqual({
      paymentId: payment.id,
      amount: payment.amount,
      currency: 'GBP',
      reference: payment.reference,
      creditor: { name: 'Acme Ltd', sortCode: '601111', accountNumber: '00000001' },
      debtor: null,
    });
    expect(bank.consents[0]?.authorisation.redirectUri).toBe('https://settled.example/v1/consents/callback');
    expect(sessions[0]).toMatchObject({ paymentId: payment.id, aspspId: 'north', bankConsentId: 'PDC_1' });
    expect(records.records.get(payment.bankPaymentId)).toMatchObject({ aspspId: 'north', bankConsentId: 'PDC_1' });
  });

  it('refuses a bank that is not configured, and a payment no longer awaiting authorisation', async () => {
    const payment = await initiated();
    await expect(chooseBank(payment.bankPaymentId, 'nowhere', { gateway, records, payments, accounts, directory })).rejects.toMatchObject({ code: 'unknown_aspsp' });
    const settled = await initiated({ id: 'pay_01JD0000000000000000000009', status: 'settled' });
    await expect(chooseBank(settled.bankPaymentId, 'north', { gateway, records, payments, accounts, directory })).rejects.toMatchObject({
      code: 'payment_not_awaiting_authorisation',
    });
    expect(bank.consents).toHaveLength(0);
  });

  it('sends an outbound payment straight to the tenant bank, paying the counterparty from the tenant account', async () => {
    const payment = await initiated({ direction: 'outbound', counterparty: { name: 'Jordan Example', sortCode: '309999', accountNumber: '12349999' } });
    expect(payment.authorisationUrl).toBe('https://south.example/authorize?n=1');
    expect(bank.consents[0]?.instruction.debtor).toEqual({ name: 'Acme Ltd', sortCode: '601111', accountNumber: '00000001' });
    expect(bank.consents[0]?.instruction.creditor).toEqual({ name: 'Jordan Example', sortCode: '309999', accountNumber: '12349999' });
  });

  it('submits the authorised payment with the consent instruction, reports its status and schedules a poll', async () => {
    const payment = await initiated();
    await chooseBank(payment.bankPaymentId, 'north', { gateway, records, payments, accounts, directory });
    const session = sessions[0];
    if (session === undefined) throw new Error('no session');

    await completePaymentAuthorisation({ ...session, paymentId: session.paymentId }, { code: 'good-code' }, deps());

    expect(bank.submitted).toEqual([{ aspspId: 'north', bankConsentId: 'PDC_1', instruction: paymentInstruction(payment, account) }]);
    expect(settlements).toEqual([
      { kind: 'payment_status', report: { provider: 'obie', bankPaymentId: payment.bankPaymentId, status: 'executed', at: '2026-11-24T10:01:00.000Z', reason: null } },
    ]);
    expect(records.records.get(payment.bankPaymentId)?.domesticPaymentId).toBe('DP_1');
    expect(syncs).toEqual([{ messages: [{ kind: 'payment-status', aspspId: 'north', domesticPaymentId: 'DP_1', attempt: 0 }], delaySeconds: 10 }]);
  });

  it('fails the payment when the payer refuses at the bank, and submits nothing', async () => {
    const payment = await initiated();
    await chooseBank(payment.bankPaymentId, 'north', { gateway, records, payments, accounts, directory });
    const session = sessions[0];
    if (session === undefined) throw new Error('no session');
    await completePaymentAuthorisation(session, { error: 'access_denied' }, deps());
    expect(bank.submitted).toHaveLength(0);
    expect(settlements).toMatchObject([{ kind: 'payment_status', report: { status: 'rejected', reason: 'authorisation_rejected' } }]);
  });

  it('honours only the latest bank choice', async () => {
    const payment = await initiated();
    await chooseBank(payment.bankPaymentId, 'north', { gateway, records, payments, accounts, directory });
    await chooseBank(payment.bankPaymentId, 'south', { gateway, records, payments, accounts, directory });
    const first = sessions[0];
    if (first === undefined) throw new Error('no session');
    await expect(completePaymentAuthorisation(first, { code: 'good-code' }, deps())).rejects.toMatchObject({ code: 'authorisation_superseded' });
    expect(bank.submitted).toHaveLength(0);
  });

  it('polls a pending payment with growing delays and reports it once the bank moves', async () => {
    const payment = await initiated();
    await chooseBank(payment.bankPaymentId, 'north', { gateway, records, payments, accounts, directory });
    const session = sessions[0];
    if (session === undefined) throw new Error('no session');
    bank.status = { code: 'PDNG', settledStatus: 'pending', reason: null, at: '2026-11-24T10:01:00.000Z' };
    await completePaymentAuthorisation(session, { code: 'good-code' }, deps());
    syncs = [];
    settlements = [];

    expect(await refreshPaymentStatus('north', 'DP_1', 0, deps())).toBe('pending');
    expect(settlements).toHaveLength(0);
    expect(syncs).toEqual([{ messages: [{ kind: 'payment-status', aspspId: 'north', domesticPaymentId: 'DP_1', attempt: 1 }], delaySeconds: 60 }]);

    bank.status = { code: 'RJCT', settledStatus: 'rejected', reason: 'AM04 InsufficientFunds', at: '2026-11-24T10:02:00.000Z' };
    syncs = [];
    expect(await refreshPaymentStatus('north', 'DP_1', 1, deps())).toBe('reported');
    expect(syncs).toHaveLength(0);
    expect(settlements).toMatchObject([{ report: { status: 'rejected', reason: 'AM04 InsufficientFunds', bankPaymentId: payment.bankPaymentId } }]);
    expect(await refreshPaymentStatus('north', 'DP_unknown', undefined, deps())).toBe('unknown_payment');
  });

  it('keeps the bank payment id when the record changed between reading it and recording the submission', async () => {
    const payment = await initiated();
    await chooseBank(payment.bankPaymentId, 'north', { gateway, records, payments, accounts, directory });
    const session = sessions[0];
    if (session === undefined) throw new Error('no session');
    // Another tab touches the record right after the callback read it: the first conditional write loses.
    const update = records.update.bind(records);
    let raced = false;
    records.update = async (previous, next) => {
      if (!raced) {
        raced = true;
        const stored = records.records.get(previous.bankPaymentId);
        if (stored !== undefined) records.records.set(stored.bankPaymentId, { ...stored, version: stored.version + 1 });
      }
      return update(previous, next);
    };
    await completePaymentAuthorisation(session, { code: 'good-code' }, deps());
    expect(records.records.get(payment.bankPaymentId)).toMatchObject({ aspspId: 'north', bankConsentId: 'PDC_1', domesticPaymentId: 'DP_1' });
    expect(await records.findByDomesticPayment('north', 'DP_1')).toBeDefined();
  });

  it('polls a payment the bank keeps pending every 15 minutes, for about a day', () => {
    expect([0, 1, 2, 3, 4, 50, 99].map(statusPollDelay)).toEqual([10, 60, 300, 900, 900, 900, 900]);
    expect(statusPollDelay(100)).toBeUndefined();
  });
});
