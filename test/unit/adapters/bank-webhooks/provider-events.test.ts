import { createHmac } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { normaliseGoCardlessEvent, normaliseGoCardlessWebhook, verifyGoCardlessWebhook } from '../../../../shared/adapters/bank-webhooks/gocardless-webhook';
import { normaliseTrueLayerWebhook } from '../../../../shared/adapters/bank-webhooks/truelayer-events';
import { UnauthorizedError, ValidationError } from '../../../../shared/domain/errors';

const TRUELAYER = new URL('../../../fixtures/truelayer/webhooks/', import.meta.url);
const GOCARDLESS = new URL('../../../fixtures/gocardless/', import.meta.url);
const truelayerSample = (file: string) => readFileSync(new URL(file, TRUELAYER), 'utf8');

const status = (provider: string, bankPaymentId: string, statusValue: string, at: string, reason: string | null = null) => ({
  kind: 'payment_status',
  report: { provider, bankPaymentId, status: statusValue, at, reason },
});

const PAYMENT = '60c0a60ed8d7-4e5b-ac79-401b1d8a8633';
const PAYOUT = '0cd1b0f7-71bc-4d24-b209-95259dadcc20';
const AT = '2021-12-25T15:00:00.000Z';

/** Every TrueLayer sample file and what it must become: messages, or ignored. */
const TRUELAYER_EXPECTED: Record<string, { messages: unknown[] } | { ignored: string; known: boolean }> = {
  'payment_authorized.json': { messages: [status('truelayer', PAYMENT, 'authorised', AT)] },
  'payment_executed.json': { messages: [status('truelayer', PAYMENT, 'executed', AT)] },
  'payment_executed_mandate.json': { messages: [status('truelayer', PAYMENT, 'executed', AT)] },
  'payment_no_metadata.json': { messages: [status('truelayer', PAYMENT, 'executed', AT)] },
  // An unknown payment method does not matter: Settled reads the payment id and the time only.
  'unknown_sub_type.json': { messages: [status('truelayer', PAYMENT, 'executed', AT)] },
  'payment_settled.json': { messages: [status('truelayer', PAYMENT, 'executed', AT)] },
  'payment_failed.json': { messages: [status('truelayer', PAYMENT, 'rejected', AT, 'provider_rejected')] },
  'payment_creditable.json': { ignored: 'payment_creditable', known: true },
  'payment_settlement_stalled.json': { ignored: 'payment_settlement_stalled', known: true },
  'payout_executed.json': { messages: [status('truelayer', PAYOUT, 'executed', AT)] },
  'payout_executed_business_account.json': { messages: [status('truelayer', PAYOUT, 'executed', AT)] },
  'payout_executed_closed_loop.json': { messages: [status('truelayer', PAYOUT, 'executed', AT)] },
  'payout_executed_external_account.json': { messages: [status('truelayer', PAYOUT, 'executed', AT)] },
  'payout_executed_with_metadata.json': { messages: [status('truelayer', PAYOUT, 'executed', AT)] },
  'payout_failed.json': { messages: [status('truelayer', PAYOUT, 'rejected', AT, 'scheme_error')] },
  'payout_failed_business_account.json': { messages: [status('truelayer', PAYOUT, 'rejected', AT, 'scheme_error')] },
  'payout_failed_closed_loop.json': { messages: [status('truelayer', PAYOUT, 'rejected', AT, 'scheme_error')] },
  'payout_failed_external_account.json': { messages: [status('truelayer', PAYOUT, 'rejected', AT, 'scheme_error')] },
  'payout_failed_with_metadata.json': { messages: [status('truelayer', PAYOUT, 'rejected', AT, 'scheme_error')] },
  'payout_unknown_beneficiary.json': { messages: [status('truelayer', PAYOUT, 'rejected', AT, 'scheme_error')] },
  'refund_executed.json': { ignored: 'refund_executed', known: true },
  'refund_executed_with_metadata.json': { ignored: 'refund_executed', known: true },
  'refund_failed.json': { ignored: 'refund_failed', known: true },
  'refund_failed_with_metadata.json': { ignored: 'refund_failed', known: true },
  'unknown_type.json': { ignored: 'foo', known: false },
};

describe('normaliseTrueLayerWebhook over every TrueLayer sample', () => {
  it('has an expectation for every sample file, and a file for every expectation', () => {
    const files = readdirSync(TRUELAYER).filter((file) => file.endsWith('.json'));
    expect(files.toSorted()).toEqual(Object.keys(TRUELAYER_EXPECTED).toSorted());
  });

  it.each(Object.entries(TRUELAYER_EXPECTED))('%s', (file, expected) => {
    const result = normaliseTrueLayerWebhook(truelayerSample(file));
    if ('messages' in expected) {
      expect(result).toEqual({ outcome: 'accepted', eventId: expect.any(String), type: expect.any(String), messages: expected.messages });
    } else {
      expect(result).toEqual({ outcome: 'ignored', eventId: expect.any(String), type: expected.ignored, known: expected.known });
    }
  });
});

describe('normaliseTrueLayerWebhook refuses malformed bodies', () => {
  const executed = JSON.parse(truelayerSample('payment_executed.json')) as Record<string, unknown>;
  it.each([
    ['not JSON', '{"type":'],
    ['no type', JSON.stringify({ event_id: 'e' })],
    ['no event_id', JSON.stringify({ type: 'foo' })],
    ['a JSON array', '[]'],
    ['a mapped type without its payment id', JSON.stringify({ ...executed, payment_id: undefined })],
    ['a mapped type with an unreadable time', JSON.stringify({ ...executed, executed_at: 'Christmas' })],
  ])('%s → ValidationError', (_, body) => {
    expect(() => normaliseTrueLayerWebhook(body)).toThrow(ValidationError);
  });
});

// GoCardless's test vector (gocardless-pro-python tests/webhooks_test.py): the file's final newline is not signed.
const GC_SECRET = 'ED7D658C-D8EB-4941-948B-3973214F2D49';
const GC_SIGNATURE = '2693754819d3e32d7e8fcb13c729631f316c6de8dc1cf634d6527f1c07276e7e';
const GC_BODY = readFileSync(new URL('webhook_body.json', GOCARDLESS), 'utf8').replace(/\n$/, '');

describe('verifyGoCardlessWebhook', () => {
  it('accepts the GoCardless test vector (header name in any casing, hex in any case)', () => {
    expect(() => verifyGoCardlessWebhook(GC_BODY, { 'webhook-signature': GC_SIGNATURE }, GC_SECRET)).not.toThrow();
    expect(() => verifyGoCardlessWebhook(GC_BODY, { 'Webhook-Signature': GC_SIGNATURE.toUpperCase() }, GC_SECRET)).not.toThrow();
  });

  it.each([
    ['the body changed by one byte', GC_BODY.replace('EV00BD05S5VM2T', 'EV00BD05S5VM2U'), GC_SIGNATURE, GC_SECRET],
    ['the body with the final newline', `${GC_BODY}\n`, GC_SIGNATURE, GC_SECRET],
    ['another secret', GC_BODY, GC_SIGNATURE, 'another-secret'],
    ['a truncated signature', GC_BODY, GC_SIGNATURE.slice(0, 62), GC_SECRET],
    ['a non-hex signature', GC_BODY, 'z'.repeat(64), GC_SECRET],
    ['an empty signature', GC_BODY, '', GC_SECRET],
  ])('refuses %s', (_, body, signature, secret) => {
    expect(() => verifyGoCardlessWebhook(body, { 'webhook-signature': signature }, secret)).toThrow(UnauthorizedError);
  });

  it('refuses a request without the header', () => {
    expect(() => verifyGoCardlessWebhook(GC_BODY, {}, GC_SECRET)).toThrow('Missing Webhook-Signature header.');
  });

  it('accepts a signature computed over the exact body (control for the refusals)', () => {
    const body = '{"events":[]}';
    const signature = createHmac('sha256', 'k').update(body).digest('hex');
    expect(() => verifyGoCardlessWebhook(body, { 'webhook-signature': signature }, 'k')).not.toThrow();
  });
});

describe('normaliseGoCardlessWebhook over the GoCardless samples', () => {
  it('webhook_body.json: a subscription and a mandate created, both ignored', () => {
    expect(normaliseGoCardlessWebhook(GC_BODY)).toEqual({
      messages: [],
      ignored: [
        { id: 'EV00BD05S5VM2T', resourceType: 'subscriptions', action: 'created' },
        { id: 'EV00BD05TB8K63', resourceType: 'mandates', action: 'created' },
      ],
    });
  });

  const eventsFixture = JSON.parse(readFileSync(new URL('events.json', GOCARDLESS), 'utf8')) as {
    list: { body: { events: unknown[] } };
    get: { body: { events: unknown } };
  };
  const sampleEvents = [...eventsFixture.list.body.events, eventsFixture.get.body.events];

  it('events.json: every event (mandates cancelled) read and ignored', () => {
    const result = normaliseGoCardlessWebhook(JSON.stringify({ events: sampleEvents }));
    expect(result.messages).toEqual([]);
    expect(result.ignored).toEqual(sampleEvents.map(() => ({ id: 'EV123', resourceType: 'mandates', action: 'cancelled' })));
  });

  // The events.json event (links to PM123 and PO123, cause bank_account_disabled) as a payment or payout event.
  const asEvent = (resourceType: string, action: string): string => JSON.stringify({ events: [{ ...(sampleEvents[0] as object), resource_type: resourceType, action }] });
  const GC_AT = '2014-01-01T12:00:00.000Z';

  it.each([
    ['payments', 'submitted', status('gocardless', 'PM123', 'authorised', GC_AT)],
    ['payments', 'confirmed', status('gocardless', 'PM123', 'executed', GC_AT)],
    ['payments', 'paid_out', status('gocardless', 'PM123', 'executed', GC_AT)],
    ['payments', 'failed', status('gocardless', 'PM123', 'rejected', GC_AT, 'bank_account_disabled')],
    ['payments', 'cancelled', status('gocardless', 'PM123', 'rejected', GC_AT, 'bank_account_disabled')],
    ['payouts', 'paid', status('gocardless', 'PO123', 'executed', GC_AT)],
  ])('%s %s → %j', (resourceType, action, expected) => {
    expect(normaliseGoCardlessWebhook(asEvent(resourceType, action))).toEqual({ messages: [expected], ignored: [] });
  });

  it.each([
    ['payments', 'created'],
    ['payments', 'customer_approval_granted'],
    ['payments', 'charged_back'],
    ['payments', 'late_failure_settled'],
    ['payouts', 'created'],
    ['refunds', 'paid'],
  ])('%s %s → ignored', (resourceType, action) => {
    expect(normaliseGoCardlessWebhook(asEvent(resourceType, action)).messages).toEqual([]);
  });

  it('ignores a payment event without a payment link', () => {
    const message = normaliseGoCardlessEvent({ id: 'EV1', created_at: GC_AT, resource_type: 'payments', action: 'confirmed', links: {}, details: {} });
    expect(message).toBeUndefined();
  });

  it.each([
    ['not JSON', '{"events":'],
    ['no events', '{}'],
    ['events not a list', '{"events":{}}'],
    ['an event without action', JSON.stringify({ events: [{ id: 'EV1', created_at: GC_AT, resource_type: 'payments' }] })],
    ['an unreadable created_at', JSON.stringify({ events: [{ id: 'EV1', created_at: 'now', resource_type: 'payments', action: 'paid_out' }] })],
  ])('refuses %s', (_, body) => {
    expect(() => normaliseGoCardlessWebhook(body)).toThrow(ValidationError);
  });
});
