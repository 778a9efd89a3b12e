import { describe, expect, it } from 'vitest';
import { ConflictError, NotFoundError, ValidationError } from '../../../../shared/domain/errors';
import { completeLinkOnSettlement } from '../../../../shared/domain/payment-links/complete-payment-link';
import { createPaymentLink, type CreatePaymentLinkCommand } from '../../../../shared/domain/payment-links/create-payment-link';
import { deactivatePaymentLink } from '../../../../shared/domain/payment-links/deactivate-payment-link';
import { linkBehindPage, payThroughLink } from '../../../../shared/domain/payment-links/pay-through-link';
import { domainEvent, eventIdFor } from '../../../../shared/domain/events/domain-event';
import type { BankGateway } from '../../../../shared/domain/payments/bank-gateway';
import { paymentView } from '../../../../shared/domain/payments/payment-view';
import { aPayment, anAccount, InMemoryAccountRepository, InMemoryPaymentRepository, RecordingEventPublisher, TENANT_ID } from '../../../support/domain-fakes';
import { fixedClock, sequentialIds } from '../../../support/fakes';
import { aPaymentLink, InMemoryPaymentLinkStore } from '../../../support/payment-link-fakes';

const ACCOUNT_ID = 'acc_01JD0000000000000000000001';

const world = (scripted?: readonly number[]) => {
  const accounts = new InMemoryAccountRepository([anAccount()]);
  const links = new InMemoryPaymentLinkStore();
  const payments = new InMemoryPaymentRepository();
  const clock = fixedClock('2026-11-24T10:00:00.000Z');
  const ids = sequentialIds();
  const initiated: string[] = [];
  const gateway: BankGateway = {
    initiatePayment: async (draft) => (initiated.push(draft.reference), { bankPaymentId: `sbp_${initiated.length}`, authorisationUrl: `http://bank/authorise/sbp_${initiated.length}` }),
  };
  let draws = 0;
  const randomIndex = (max: number) => (scripted === undefined ? (draws += 1) % max : (scripted[draws++] ?? 0));
  const create = (request: Partial<CreatePaymentLinkCommand> = {}) =>
    createPaymentLink(
      { tenantId: TENANT_ID, accountId: ACCOUNT_ID, amount: 2_500, currency: 'GBP', singleUse: true, ...request },
      { accounts, links, ids, clock, randomIndex, urlOf: (id) => `http://settled/links/${id}` },
    );
  const pay = async (linkId: string) => payThroughLink(await linkBehindPage(linkId, links), { links, accounts, payments, gateway, ids, clock, randomIndex });
  return { accounts, links, payments, clock, initiated, create, pay };
};

const detailPath = async (promise: Promise<unknown>): Promise<string | undefined> => {
  try {
    await promise;
    return undefined;
  } catch (error) {
    if (error instanceof ValidationError) return error.details[0]?.path;
    throw error;
  }
};

describe('createPaymentLink', () => {
  it('creates an active link with its url, generating and claiming a reference when none is given', async () => {
    const { create, links } = world();
    const link = await create({ invoiceId: 'INV-1', redirectUrl: 'https://shop.example/thanks' });
    expect(link).toMatchObject({ status: 'active', singleUse: true, invoiceId: 'INV-1', redirectUrl: 'https://shop.example/thanks', payments: [], url: `http://settled/links/${link.id}` });
    expect(link.reference).toMatch(/^ST[23456789A-HJKMNP-Z]{9}$/);
    expect([...links.claims.values()]).toEqual([link.id]);
  });

  it('refuses what cannot be paid, naming the field', async () => {
    const { create, clock } = world();
    expect(await detailPath(create({ reference: 'A'.repeat(19) }))).toBe('reference');
    expect(await detailPath(create({ reference: 'ABCDEFGHIJKLMN', singleUse: false }))).toBe('reference');
    expect(await detailPath(create({ reference: 'ABCDEFGHIJKLM', singleUse: false }))).toBeUndefined();
    expect(await detailPath(create({ reference: '--' }))).toBe('reference');
    expect(await detailPath(create({ expiresAt: clock.now().toISOString() }))).toBe('expiresAt');
    expect(await detailPath(create({ currency: 'EUR' }))).toBe('currency');
    expect(await detailPath(create({ redirectUrl: 'http://shop.example/thanks' }))).toBe('redirectUrl');
    expect(await detailPath(create({ redirectUrl: 'ftp://127.0.0.1/x' }))).toBe('redirectUrl');
    expect(await detailPath(create({ redirectUrl: 'http://127.0.0.1:8080/thanks' }))).toBeUndefined();
    expect(await detailPath(create({ redirectUrl: 'http://localhost/thanks' }))).toBeUndefined();
    await expect(create({ accountId: 'acc_unknown' })).rejects.toBeInstanceOf(NotFoundError);
  });
});

describe('payThroughLink', () => {
  it("makes an inbound payment carrying the link's reference, invoice, redirect and id; a second payer is refused", async () => {
    const { create, pay, links } = world();
    const link = await create({ reference: 'INV 42', invoiceId: 'INV-42', redirectUrl: 'https://shop.example/thanks' });
    const payment = await pay(link.id);
    expect(payment).toMatchObject({ direction: 'inbound', amount: 2_500, reference: 'INV 42', matchingKey: 'INV42', invoiceId: 'INV-42', redirectUrl: 'https://shop.example/thanks', linkId: link.id });
    expect(links.links.get(link.id)?.payments).toEqual([payment.id]);
    await expect(pay(link.id)).rejects.toMatchObject({ code: 'payment_link_in_use' });
  });

  it('refuses when another payer took the single-use link between the read and the write', async () => {
    const { create, pay, links, payments } = world();
    const link = await create();
    links.beforeNextRecord = () => links.links.set(link.id, { ...link, payments: ['pay_SOMEONE_ELSE'] });
    await expect(pay(link.id)).rejects.toBeInstanceOf(ConflictError);
    expect(links.payments).toEqual([]);
    expect((await payments.list(TENANT_ID, {}, { limit: 10, cursor: undefined })).data).toEqual([]);
  });

  it('draws another suffix when a multi-use reference is taken, and refuses an expired link or an unknown one', async () => {
    const { create, pay, links, clock } = world();
    const link = await create({ reference: 'CLUB', singleUse: false, expiresAt: '2026-11-24T11:00:00.000Z' });
    const first = await pay(link.id);
    const second = await pay(link.id);
    expect(first.reference).toMatch(/^CLUB-[23456789A-HJKMNP-Z]{4}$/);
    expect(second.matchingKey).not.toBe(first.matchingKey);
    clock.set('2026-11-24T11:00:00.000Z');
    await expect(pay(link.id)).rejects.toMatchObject({ code: 'payment_link_expired' });
    await expect(pay('lnk_nothing')).rejects.toMatchObject({ code: 'payment_link_not_found' });
  });

  it('retries a multi-use payment whose drawn reference is already claimed, with a new suffix', async () => {
    // Each payment draws 4: 2222, then 2222 again (taken: a new preparation), then 3333.
    const { create, pay, links, initiated } = world([0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1]);
    const link = await create({ reference: 'CLUB', singleUse: false });
    const first = await pay(link.id);
    const second = await pay(link.id);
    expect([first.reference, second.reference]).toEqual(['CLUB-2222', 'CLUB-3333']);
    expect(initiated).toEqual(['CLUB-2222', 'CLUB-2222', 'CLUB-3333']);
    expect(links.links.get(link.id)?.payments).toEqual([first.id, second.id]);
  });
});

describe('completeLinkOnSettlement', () => {
  const settledEvent = (payment: ReturnType<typeof aPayment>) =>
    domainEvent('payment.settled', TENANT_ID, '2026-11-24T10:05:00.000Z', paymentView({ ...payment, status: 'settled' }), [payment.id, 'txn_1']);

  it('completes a single-use link once and publishes payment_link.completed with an id from the link alone', async () => {
    const links = new InMemoryPaymentLinkStore();
    const events = new RecordingEventPublisher();
    const clock = fixedClock('2026-11-24T10:05:00.000Z');
    const link = aPaymentLink({ payments: ['pay_01JD0000000000000000000001'] });
    links.links.set(link.id, link);
    const payment = aPayment({ linkId: link.id });
    expect(await completeLinkOnSettlement(settledEvent(payment), { links, events, clock })).toBe('completed');
    expect(await completeLinkOnSettlement(settledEvent(payment), { links, events, clock })).toBe('completed');
    expect(events.types()).toEqual(['payment_link.completed', 'payment_link.completed']);
    expect(new Set(events.ids())).toEqual(new Set([eventIdFor('payment_link.completed', TENANT_ID, link.id)]));
    expect(events.published[0]?.data).toMatchObject({ id: link.id, status: 'completed', payments: [payment.id], completedAt: '2026-11-24T10:05:00.000Z' });
    expect(links.links.get(link.id)).toMatchObject({ status: 'completed', completedBy: payment.id });
  });

  it('does nothing for a payment without a link, for other events, and for a multi-use link', async () => {
    const links = new InMemoryPaymentLinkStore();
    const events = new RecordingEventPublisher();
    const clock = fixedClock();
    const reads: string[] = [];
    const spying = { get: async (tenantId: string, linkId: string) => (reads.push(linkId), links.get(tenantId, linkId)), complete: links.complete.bind(links) };
    expect(await completeLinkOnSettlement(settledEvent(aPayment()), { links: spying, events, clock })).toBe('ignored');
    expect(reads).toEqual([]);
    const multi = aPaymentLink({ singleUse: false, payments: ['pay_01JD0000000000000000000001'] });
    links.links.set(multi.id, multi);
    expect(await completeLinkOnSettlement(settledEvent(aPayment({ linkId: multi.id })), { links: spying, events, clock })).toBe('ignored');
    const authorised = domainEvent('payment.authorised', TENANT_ID, '2026-11-24T10:05:00.000Z', paymentView(aPayment({ linkId: multi.id })), ['x']);
    expect(await completeLinkOnSettlement(authorised, { links: spying, events, clock })).toBe('ignored');
    expect(events.published).toEqual([]);
    expect(links.links.get(multi.id)?.status).toBe('active');
  });
});

describe('deactivatePaymentLink', () => {
  it('ends an active link now so it takes no payment, answers an expired one as it is, and refuses a completed one', async () => {
    const { create, pay, links, clock } = world();
    const link = await create({ singleUse: false, reference: 'CLUB' });
    await pay(link.id);
    const ended = await deactivatePaymentLink(TENANT_ID, link.id, { links, clock });
    expect(ended.expiresAt).toBe(clock.now().toISOString());
    await expect(pay(link.id)).rejects.toMatchObject({ code: 'payment_link_expired' });
    expect(await deactivatePaymentLink(TENANT_ID, link.id, { links, clock })).toEqual(links.links.get(link.id));
    links.links.set('lnk_done', aPaymentLink({ id: 'lnk_done', status: 'completed' }));
    await expect(deactivatePaymentLink(TENANT_ID, 'lnk_done', { links, clock })).rejects.toMatchObject({ code: 'payment_link_completed' });
    await expect(deactivatePaymentLink(TENANT_ID, 'lnk_none', { links, clock })).rejects.toBeInstanceOf(NotFoundError);
  });
});
