import { describe, expect, it } from 'vitest';
import { AUTHORISATION_LINK_TTL_MS, paymentBehindLink } from '../../../../shared/adapters/sandbox-bank/authorise';
import { problemPage } from '../../../../shared/adapters/sandbox-bank/pages';
import type { SandboxPayment } from '../../../../shared/adapters/sandbox-bank/sandbox-payment';
import { GoneError, NotFoundError } from '../../../../shared/domain/errors';
import { fixedClock } from '../../../support/fakes';

const CREATED_AT = '2026-11-24T10:00:00.000Z';

const aSandboxPayment = (status: SandboxPayment['status']): SandboxPayment => ({
  bankPaymentId: 'sbp_1',
  status,
  direction: 'inbound',
  amount: 12_500,
  currency: 'GBP',
  reference: 'INV-1',
  profile: 'exact',
  account: { sortCode: '040004', accountNumber: '12345678', name: 'Acme' },
  counterparty: null,
  createdAt: CREATED_AT,
  decidedAt: status === 'awaiting_authorisation' ? null : CREATED_AT,
});

const storeWith = (payment: SandboxPayment | undefined) => ({ get: async () => payment });
const after = (ms: number) => fixedClock(new Date(Date.parse(CREATED_AT) + ms).toISOString());

describe('paymentBehindLink', () => {
  it('finds an undecided payment within its link lifetime', async () => {
    const payment = aSandboxPayment('awaiting_authorisation');
    await expect(paymentBehindLink('sbp_1', { store: storeWith(payment), clock: after(AUTHORISATION_LINK_TTL_MS) })).resolves.toEqual(payment);
  });

  it('answers 404 (NotFoundError) for a link the bank never issued', async () => {
    await expect(paymentBehindLink('sbp_nope', { store: storeWith(undefined), clock: after(0) })).rejects.toBeInstanceOf(NotFoundError);
  });

  it('answers 410 (GoneError) for an undecided link past its lifetime', async () => {
    await expect(
      paymentBehindLink('sbp_1', { store: storeWith(aSandboxPayment('awaiting_authorisation')), clock: after(AUTHORISATION_LINK_TTL_MS + 1) }),
    ).rejects.toBeInstanceOf(GoneError);
  });

  it('keeps showing a decided payment, however old', async () => {
    await expect(paymentBehindLink('sbp_1', { store: storeWith(aSandboxPayment('approved')), clock: after(30 * AUTHORISATION_LINK_TTL_MS) })).resolves.toMatchObject({
      status: 'approved',
    });
  });
});

describe('problemPage', () => {
  it.each([
    [404, 'Payment not found'],
    [410, 'This link has expired'],
    [400, 'This cannot be done'],
    [500, 'Something went wrong'],
  ])('renders %i as an HTML page headed "%s", the message escaped', (status, heading) => {
    const page = problemPage(status, 'No payment <sbp_1>.');
    expect(page).toMatch(/^<!doctype html>/);
    expect(page).toContain(`<h1>${heading}</h1>`);
    expect(page).toContain('No payment &lt;sbp_1&gt;.');
  });

  it('lists what was wrong with the form', () => {
    expect(problemPage(400, 'The request body is invalid.', [{ message: 'outcome must be approve or reject' }])).toContain('<li>outcome must be approve or reject</li>');
  });
});
