import { describe, expect, it } from 'vitest';
import type { Account } from '../../../../shared/domain/accounts/account';
import { BankRefusedFile, type FilePaymentGateway, type FilePaymentState, type PaymentFile } from '../../../../shared/domain/open-banking/file-payments';
import { completePayoutCallback, nextPayoutStep, ObieBulkGateway, type PayoutFileRecord, type PayoutFileStore, type PayoutJourneyDeps } from '../../../../shared/domain/open-banking/payout-files';
import type { Payment } from '../../../../shared/domain/payments/payment';
import { payoutPayment } from '../../../../shared/domain/payouts/create-payout';
import type { Payout } from '../../../../shared/domain/payouts/payout';
import type { PayoutChunkMessage, PayoutStore } from '../../../../shared/domain/payouts/payout-store';
import { applyPayoutDecision } from '../../../../shared/domain/payouts/process-payout';
import type { SettlementMessage } from '../../../../shared/domain/settlement/settlement-message';
import { fakeSealer, InMemoryAuthorisationSessionStore, InMemoryBankTokenStore } from '../../../support/open-banking-fakes';

const clock = { now: () => new Date('2026-11-30T10:00:00.000Z') };
const account = {
  id: 'acc_1',
  tenantId: 'ten_1',
  provider: 'obie',
  aspspId: 'mock-south',
  name: 'Acme Payroll Ltd',
  sortCode: '040200',
  accountNumber: '12345678',
  currency: 'GBP',
  status: 'active',
} as unknown as Account;

class InMemoryPayoutFiles implements PayoutFileStore {
  readonly records = new Map<number, PayoutFileRecord>();
  async list() {
    return [...this.records.values()];
  }
  async get(_tenantId: string, _payoutId: string, chunk: number) {
    return this.records.get(chunk);
  }
  async save(next: PayoutFileRecord, previous: PayoutFileRecord | undefined) {
    if (this.records.get(next.chunk)?.version !== previous?.version) return false;
    this.records.set(next.chunk, next);
    return true;
  }
}

/** A bank with a file limit of 2 that can refuse a file before authorisation, and records what it is sent. */
class FakeFileBank implements FilePaymentGateway {
  consents: { fileId: string; paymentIds: string[]; consentId: string; state: string }[] = [];
  submissions: { fileId: string; consentId: string; accessToken: string }[] = [];
  refuse = new Set<string>();
  report: FilePaymentState | undefined;
  async fileLimit() {
    return 2;
  }
  async createFileConsent(_aspspId: string, file: PaymentFile, authorisation: { state: string }) {
    if (this.refuse.has(file.fileId)) throw new BankRefusedFile('over the limit', 'file_over_bank_limit');
    const consentId = `fc-${this.consents.length}`;
    this.consents.push({ fileId: file.fileId, paymentIds: file.items.map((item) => item.paymentId), consentId, state: authorisation.state });
    return { bankConsentId: consentId, authorisationUrl: `https://bank.example/authorize?consent=${consentId}` };
  }
  async exchangeCode(_aspspId: string, code: string) {
    return { accessToken: `access-${code}`, refreshToken: null, expiresAt: '2026-11-30T11:00:00.000Z' };
  }
  async submitFilePayment(_aspspId: string, tokens: { accessToken: string }, consentId: string, file: PaymentFile) {
    this.submissions.push({ fileId: file.fileId, consentId, accessToken: tokens.accessToken });
    return { filePaymentId: `fp-${file.fileId}`, status: { code: 'ACSP', settledStatus: 'authorised' as const, reason: null, at: clock.now().toISOString() } };
  }
  async getFilePayment(): Promise<FilePaymentState> {
    if (this.report === undefined) throw new Error('no report');
    return this.report;
  }
}

/** A payout of `size` items awaiting authorisation (item 0 stopped by Confirmation of Payee), in memory. */
const world = (size: number) => {
  let record: Payout = {
    id: 'bat_5KQ2M9XR4T7W1B3C8D6E0F2G4H',
    tenantId: 'ten_1',
    accountId: 'acc_1',
    currency: 'GBP',
    status: 'authorisation_required',
    itemCount: size,
    totalAmount: 0,
    referenceToken: 'ABCDEFG',
    fingerprint: 'f',
    provider: 'obie',
    bankBatchId: 'obb_5KQ2M9XR4T7W1B3C8D6E0F2G4H',
    authorisationUrl: 'http://settled.test/payout-authorisations/obb_5KQ2M9XR4T7W1B3C8D6E0F2G4H',
    chunkSize: 2,
    createdAt: clock.now().toISOString(),
    updatedAt: clock.now().toISOString(),
    authorisedAt: null,
    completedAt: null,
  };
  const items: Payment[] = Array.from({ length: size }, (_, index) =>
    payoutPayment(record, { index, amount: 100 + index, reference: undefined, externalId: undefined, counterparty: { name: 'A B', sortCode: '200000', accountNumber: String(50_000_000 + index) } }, { result: index === 0 ? 'no_match' : 'match' }, 'stop'),
  );
  const payouts = {
    get: async () => record,
    findByBankBatchId: async (provider: string, id: string) => (provider === 'obie' && id === record.bankBatchId ? record : undefined),
    items: async (_p: unknown, from: number, to: number) => items.slice(from, to),
    decide: async (_p: Payout, status: 'processing' | 'rejected') => {
      if (record.status !== 'authorisation_required') return false;
      record = { ...record, status };
      return true;
    },
  } as unknown as PayoutStore;
  const queued: PayoutChunkMessage[] = [];
  const decisions: SettlementMessage[] = [];
  let token = 0;
  const bank = new FakeFileBank();
  const records = new InMemoryPayoutFiles();
  const sessions = new InMemoryAuthorisationSessionStore();
  const deps: PayoutJourneyDeps = {
    files: bank,
    records,
    payouts,
    accounts: { get: async () => account },
    sessions,
    tokens: new InMemoryBankTokenStore(),
    sealer: fakeSealer,
    secrets: { randomToken: (bytes) => `t${(token += 1)}-${'x'.repeat(bytes)}` },
    clock,
    apiBaseUrl: 'http://settled.test',
    decisions: { enqueue: async (messages) => void decisions.push(...messages) },
  };
  /** What the reconcile function does with a queued decision: the same applyPayoutDecision as the sandbox's. */
  const takeDecisions = async () => {
    for (const message of decisions.splice(0)) {
      if (message.kind === 'payment_status') await applyPayoutDecision(message.report, { payouts, queue: { enqueue: async (messages) => void queued.push(...messages) }, clock, bulkLimit: 500 });
    }
  };
  /** The payer comes back from the bank for the consent with this state, approving (a code) or refusing. */
  const callback = async (state: string, decision: 'approve' | 'reject') => {
    const session = await sessions.claim(state, clock.now());
    if (session === undefined) throw new Error('no session');
    return completePayoutCallback(session, decision === 'approve' ? { state, code: `code-${state}`, error: null } : { state, code: null, error: 'access_denied' }, deps);
  };
  return { deps, bank, records, items, queued, decisions, takeDecisions, callback, payout: () => record };
};

describe('payouts through Open Banking file payments', () => {
  it('walks the payer through one bank authorisation per file, then approves the payout once and queues its chunks', async () => {
    // Prepare: 5 items in files of 2 (item 0 stopped by CoP, so file 0 carries item 1 only)
    const { deps, bank, queued, decisions, takeDecisions, callback, payout } = world(5);
    const outcomes = [];
    // Act
    for (let file = 0; file < 3; file += 1) {
      const step = await nextPayoutStep(payout().bankBatchId, deps);
      expect(step).toEqual({ kind: 'bank', url: `https://bank.example/authorize?consent=fc-${file}` });
      outcomes.push((await callback(bank.consents[file]?.state ?? '', 'approve')).outcome);
    }
    // Assess
    expect(bank.consents.map((consent) => [consent.fileId, consent.paymentIds.length])).toEqual([
      ['5KQ2M9XR4T7W1B3C8D6E0F2G4H-0', 1],
      ['5KQ2M9XR4T7W1B3C8D6E0F2G4H-1', 2],
      ['5KQ2M9XR4T7W1B3C8D6E0F2G4H-2', 1],
    ]);
    expect(outcomes.map((outcome) => (outcome.kind === 'payout' ? [outcome.status, outcome.next] : undefined))).toEqual([
      ['authorisation_required', payout().authorisationUrl],
      ['authorisation_required', payout().authorisationUrl],
      ['processing', null],
    ]);
    expect(decisions).toEqual([{ kind: 'payment_status', report: { provider: 'obie', bankPaymentId: payout().bankBatchId, status: 'authorised', at: clock.now().toISOString(), reason: null } }]);
    await takeDecisions();
    expect(payout().status).toBe('processing');
    expect(queued.map((message) => [message.chunk, message.from, message.to, message.action])).toEqual([
      [0, 0, 2, 'submit'],
      [1, 2, 4, 'submit'],
      [2, 4, 5, 'submit'],
    ]);
    expect(await nextPayoutStep(payout().bankBatchId, deps)).toEqual({ kind: 'decided', payoutId: payout().id, status: 'processing' });
  });

  it('records a file the bank refuses before authorisation and goes on; that chunk is then not accepted, with the reason', async () => {
    // Prepare
    const { deps, bank, callback, payout, items, takeDecisions } = world(4);
    bank.refuse.add('5KQ2M9XR4T7W1B3C8D6E0F2G4H-0');
    // Act
    const step = await nextPayoutStep(payout().bankBatchId, deps);
    await callback(bank.consents[0]?.state ?? '', 'approve');
    await takeDecisions();
    const gateway = new ObieBulkGateway(deps);
    const refused = await gateway.submitChunk(payout(), 0, items.slice(0, 2), account);
    const accepted = await gateway.submitChunk(payout(), 1, items.slice(2, 4), account);
    // Assess
    expect(step).toEqual({ kind: 'bank', url: 'https://bank.example/authorize?consent=fc-0' });
    expect(bank.consents.map((consent) => consent.fileId)).toEqual(['5KQ2M9XR4T7W1B3C8D6E0F2G4H-1']);
    expect(payout().status).toBe('processing');
    expect(refused).toEqual({ accepted: false, reason: 'file_over_bank_limit' });
    expect(accepted).toEqual({ accepted: true, follow: true });
  });

  it('queues the decision again when the page is reloaded before it was taken (a crash after the last file), and it is taken once', async () => {
    // Prepare: the only file authorised, its decision lost with the process that made it
    const { deps, bank, queued, decisions, takeDecisions, callback, payout } = world(2);
    await nextPayoutStep(payout().bankBatchId, deps);
    await callback(bank.consents[0]?.state ?? '', 'approve');
    decisions.splice(0);
    // Act
    const reloaded = await nextPayoutStep(payout().bankBatchId, deps);
    await takeDecisions();
    const again = await nextPayoutStep(payout().bankBatchId, deps);
    await takeDecisions();
    // Assess
    expect(reloaded).toEqual({ kind: 'decided', payoutId: payout().id, status: 'processing' });
    expect(again).toEqual({ kind: 'decided', payoutId: payout().id, status: 'processing' });
    expect(bank.consents).toHaveLength(1);
    expect(payout().status).toBe('processing');
    expect(queued.map((message) => message.chunk)).toEqual([0]);
  });

  it('rejects the whole payout when the payer refuses a file, and queues its chunks to fail', async () => {
    // Prepare
    const { deps, bank, queued, callback, payout, takeDecisions } = world(4);
    // Act
    await nextPayoutStep(payout().bankBatchId, deps);
    const result = await callback(bank.consents[0]?.state ?? '', 'reject');
    await takeDecisions();
    // Assess
    expect(result.outcome).toEqual({ kind: 'payout', payoutId: payout().id, status: 'rejected', next: null });
    expect(queued.map((message) => message.action)).toEqual(['reject', 'reject']);
  });

  it('honours only the latest consent of a file the payer started again', async () => {
    // Prepare: the payer opened the page twice before approving the first consent
    const { deps, bank, callback, payout, records } = world(2);
    await nextPayoutStep(payout().bankBatchId, deps);
    await nextPayoutStep(payout().bankBatchId, deps);
    // Act
    const stale = await callback(bank.consents[0]?.state ?? '', 'approve');
    // Assess
    expect(stale.outcome).toEqual({ kind: 'payout', payoutId: payout().id, status: 'authorisation_required', next: payout().authorisationUrl });
    expect(records.records.get(0)).toMatchObject({ status: 'awaiting_authorisation', bankConsentId: 'fc-1' });
    expect(payout().status).toBe('authorisation_required');
  });

  it('submits an authorised file once with the payer’s token, and reports the items the bank rejected', async () => {
    // Prepare
    const { deps, bank, callback, payout, items } = world(2);
    await nextPayoutStep(payout().bankBatchId, deps);
    await callback(bank.consents[0]?.state ?? '', 'approve');
    const gateway = new ObieBulkGateway(deps);
    // Act
    await gateway.submitChunk(payout(), 0, items.slice(1, 2), account);
    const again = await gateway.submitChunk(payout(), 0, items.slice(1, 2), account);
    bank.report = {
      status: { code: 'ACSC', settledStatus: 'executed', reason: null, at: clock.now().toISOString() },
      items: [{ paymentId: items[1]?.id ?? '', status: 'rejected', reason: 'AC01' }],
    };
    const report = await gateway.followChunk(payout(), 0);
    // Assess
    expect(bank.submissions).toEqual([{ fileId: '5KQ2M9XR4T7W1B3C8D6E0F2G4H-0', consentId: 'fc-0', accessToken: `access-code-${bank.consents[0]?.state ?? ''}` }]);
    expect(again).toEqual({ accepted: true, follow: true });
    expect(report).toEqual({ failed: [{ paymentId: items[1]?.id, reason: 'AC01' }], done: true });
  });

  it('answers no bulk limit for an account whose bank is not Open Banking', async () => {
    const { deps } = world(1);
    expect(await new ObieBulkGateway(deps).bulkLimit({ ...account, provider: 'sandbox' } as Account)).toBeNull();
    expect(await new ObieBulkGateway(deps).bulkLimit(account)).toBe(2);
  });
});
