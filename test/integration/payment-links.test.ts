import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { beforeAll, describe, expect, it } from 'vitest';
import { referenceClaimKey } from '../../shared/adapters/dynamodb/keys';
import { DynamoDbPaymentLinkStore } from '../../shared/adapters/dynamodb/payment-link-store';
import { tableAdapters } from '../../shared/adapters/dynamodb/repositories';
import { systemClock, ulidIds } from '../../shared/adapters/system';
import { connectAccount } from '../../shared/domain/accounts/connect-account';
import { ConflictError } from '../../shared/domain/errors';
import type { DomainEvent } from '../../shared/domain/events/domain-event';
import { completeLinkOnSettlement } from '../../shared/domain/payment-links/complete-payment-link';
import { createPaymentLink } from '../../shared/domain/payment-links/create-payment-link';
import { linkBehindPage, payThroughLink } from '../../shared/domain/payment-links/pay-through-link';
import type { BankGateway } from '../../shared/domain/payments/bank-gateway';
import { paymentView } from '../../shared/domain/payments/payment-view';
import { matchingKey } from '../../shared/domain/references';
import { createTestTable } from './table';

/**
 * Payment links on DynamoDB Local: the payment and the link's update are one conditional TransactWriteItems, so
 * however many payers submit a single-use link at once exactly one payment exists; multi-use payments each get a
 * claimed reference of their own; completion is one conditional write.
 */
describe('payment links on DynamoDB Local', () => {
  let adapters: ReturnType<typeof tableAdapters>;
  let links: DynamoDbPaymentLinkStore;
  let table: Awaited<ReturnType<typeof createTestTable>>;
  let sequence = 0;
  const gateway: BankGateway = { initiatePayment: async () => ({ bankPaymentId: `sbp_${ulidIds.next('pay')}`, authorisationUrl: 'http://bank/authorise' }) };
  const random = (max: number) => Math.floor(Math.random() * max);

  beforeAll(async () => {
    table = await createTestTable();
    adapters = tableAdapters(table.documentClient, table.tableName);
    links = new DynamoDbPaymentLinkStore(table.documentClient, table.tableName);
  });

  const aLink = async (request: { singleUse: boolean; reference?: string; expiresAt?: string }) => {
    sequence += 1;
    const tenantId = ulidIds.next('ten');
    const account = await connectAccount(
      { tenantId, provider: 'sandbox', name: 'Acme', sortCode: '040004', accountNumber: String(40_000_000 + sequence), currency: 'GBP', sandboxProfile: 'exact', openingBalance: 0 },
      { accounts: adapters.accounts, ids: ulidIds, clock: systemClock },
    );
    const link = await createPaymentLink(
      { tenantId, accountId: account.id, amount: 2_000, currency: 'GBP', ...request },
      { accounts: adapters.accounts, links, ids: ulidIds, clock: systemClock, randomIndex: random, urlOf: (id) => `http://127.0.0.1/links/${id}` },
    );
    return { tenantId, link };
  };
  const pay = async (linkId: string) => payThroughLink(await linkBehindPage(linkId, links), { links, accounts: adapters.accounts, payments: adapters.payments, gateway, ids: ulidIds, clock: systemClock, randomIndex: random });

  it('stores a link readable by its tenant and by its public id, with its generated reference claimed', async () => {
    const { tenantId, link } = await aLink({ singleUse: true });
    expect(await links.get(tenantId, link.id)).toEqual(link);
    expect(await links.findPublic(link.id)).toEqual(link);
    expect(await links.get(ulidIds.next('ten'), link.id)).toBeUndefined();
    const { Item } = await table.documentClient.send(new GetCommand({ TableName: table.tableName, Key: referenceClaimKey(tenantId, matchingKey(link.reference)) }));
    expect(Item?.paymentId).toBe(link.id);
    expect((await links.list(tenantId, { limit: 10, cursor: undefined })).data.map((listed) => listed.id)).toEqual([link.id]);
  });

  it('creates exactly one payment when twelve payers submit a single-use link at once', async () => {
    const { tenantId, link } = await aLink({ singleUse: true, reference: 'INV-ONCE-1' });
    const outcomes = await Promise.allSettled(Array.from({ length: 12 }, () => pay(link.id)));
    const paid = outcomes.flatMap((outcome) => (outcome.status === 'fulfilled' ? [outcome.value] : []));
    const refused = outcomes.flatMap((outcome) => (outcome.status === 'rejected' ? [outcome.reason] : []));
    expect(paid).toHaveLength(1);
    expect(refused).toHaveLength(11);
    for (const reason of refused) expect(reason).toBeInstanceOf(ConflictError);
    const stored = await links.get(tenantId, link.id);
    expect(stored?.payments).toEqual([paid[0]?.id]);
    const payment = await adapters.payments.get(tenantId, paid[0]?.id ?? '');
    expect(payment).toMatchObject({ linkId: link.id, reference: 'INV-ONCE-1', amount: 2_000, status: 'authorisation_required' });
    expect((await adapters.payments.list(tenantId, {}, { limit: 50, cursor: undefined })).data).toHaveLength(1);
  });

  it('gives every payment of a multi-use link its own claimed reference, concurrently', async () => {
    const { tenantId, link } = await aLink({ singleUse: false, reference: 'CLUB-FEES' });
    const paid = await Promise.all(Array.from({ length: 8 }, () => pay(link.id)));
    expect(new Set(paid.map((payment) => payment.matchingKey)).size).toBe(8);
    expect((await links.get(tenantId, link.id))?.payments).toHaveLength(8);
    for (const payment of paid) {
      const { Item } = await table.documentClient.send(new GetCommand({ TableName: table.tableName, Key: referenceClaimKey(tenantId, payment.matchingKey) }));
      expect(Item?.paymentId).toBe(payment.id);
    }
  });

  it('takes no payment once the link expired, and completes a single-use link once however often its settlement arrives', async () => {
    const soon = await aLink({ singleUse: true, expiresAt: new Date(Date.now() + 300).toISOString() });
    await new Promise((resolveWait) => setTimeout(resolveWait, 400));
    await expect(pay(soon.link.id)).rejects.toMatchObject({ code: 'payment_link_expired' });
    expect((await links.get(soon.tenantId, soon.link.id))?.payments).toEqual([]);

    const { tenantId, link } = await aLink({ singleUse: true });
    const payment = await pay(link.id);
    const published: DomainEvent[] = [];
    const events = { publish: async (batch: readonly DomainEvent[]) => void published.push(...batch) };
    const settled: DomainEvent = {
      type: 'payment.settled',
      metadata: { id: 'evt_SETTLED', tenantId, occurredAt: new Date().toISOString(), version: 1 },
      data: paymentView({ ...payment, status: 'settled' }),
    };
    const outcomes = await Promise.all([1, 2, 3].map(() => completeLinkOnSettlement(settled, { links, events, clock: systemClock })));
    expect(outcomes).toEqual(['completed', 'completed', 'completed']);
    expect(new Set(published.map((event) => event.metadata.id)).size).toBe(1);
    expect(published[0]).toMatchObject({ type: 'payment_link.completed', data: { id: link.id, status: 'completed', payments: [payment.id] } });
    const completed = await links.get(tenantId, link.id);
    expect(completed).toMatchObject({ status: 'completed', completedBy: payment.id });
    // A payment the link never had completes nothing.
    expect(await links.complete(link, 'pay_OTHER', new Date().toISOString())).toBe(false);
  });
});
