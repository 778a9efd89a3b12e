import { describe, expect, it } from 'vitest';
import { ConflictError, UnprocessableError, ValidationError } from '../../../../shared/domain/errors';
import { assertPayable, currentWindows, type Mandate, mandateStatusAt, mandateView, validateTerms } from '../../../../shared/domain/mandates/mandate';

const aMandate = (overrides: Partial<Mandate> = {}): Mandate => ({
  id: 'man_01JD0000000000000000000001',
  tenantId: 'ten_01JD0000000000000000000001',
  accountId: 'acc_01JD0000000000000000000001',
  type: 'sweeping',
  currency: 'GBP',
  reference: null,
  counterparty: null,
  limits: { maxPerPayment: 10_000, periods: [{ period: 'month', maxAmount: 25_000, alignment: 'calendar' }] },
  validFrom: null,
  validTo: null,
  status: 'active',
  provider: 'sandbox',
  bankMandateId: 'sbm_1',
  authorisationUrl: 'https://bank.example/sbm_1',
  createdAt: '2026-11-01T10:00:00.000Z',
  updatedAt: '2026-11-01T10:00:00.000Z',
  activatedAt: '2026-11-02T10:00:00.000Z',
  revokedAt: null,
  version: 2,
  ...overrides,
});
const NOW = new Date('2026-11-26T12:00:00.000Z');

describe('a mandate', () => {
  it('reads expired once validTo has passed, whether active or still awaiting authorisation', () => {
    expect(mandateStatusAt(aMandate({ validTo: '2026-11-26T11:59:59.999Z' }), NOW)).toBe('expired');
    expect(mandateStatusAt(aMandate({ status: 'authorisation_required', validTo: '2026-11-26T12:00:00.000Z' }), NOW)).toBe('expired');
    expect(mandateStatusAt(aMandate({ validTo: '2026-11-26T12:00:00.001Z' }), NOW)).toBe('active');
    expect(mandateStatusAt(aMandate({ status: 'revoked', validTo: '2026-11-01T00:00:00.000Z' }), NOW)).toBe('revoked');
  });

  it('refuses a payment unless active and inside its validity window (409 mandate_not_active)', () => {
    for (const mandate of [aMandate({ status: 'authorisation_required' }), aMandate({ status: 'revoked' }), aMandate({ validTo: '2026-11-20T00:00:00.000Z' }), aMandate({ validFrom: '2026-12-01T00:00:00.000Z' })]) {
      expect(() => assertPayable(mandate, 100, NOW)).toThrow(ConflictError);
      try {
        assertPayable(mandate, 100, NOW);
      } catch (error) {
        expect(error).toMatchObject({ code: 'mandate_not_active' });
      }
    }
    expect(() => assertPayable(aMandate(), 10_000, NOW)).not.toThrow();
  });

  it('names maxPerPayment, or a period whose whole maximum the amount exceeds, before any write', () => {
    expect(() => assertPayable(aMandate(), 10_001, NOW)).toThrow(UnprocessableError);
    const overPeriod = aMandate({ limits: { maxPerPayment: 50_000, periods: [{ period: 'day', maxAmount: 20_000, alignment: 'calendar' }] } });
    let refusal: unknown;
    try {
      assertPayable(overPeriod, 30_000, NOW);
    } catch (error) {
      refusal = error;
    }
    expect(refusal).toMatchObject({ code: 'mandate_limit_exceeded', details: [{ path: 'limits.periods[0]', message: 'day limit 200.00; this payment 300.00' }] });
  });

  it('refuses terms a bank could not hold: a calendar fortnight, a period twice, a period below maxPerPayment, validTo before validFrom', () => {
    const refused = (terms: Parameters<typeof validateTerms>[0]) => {
      try {
        validateTerms(terms);
      } catch (error) {
        expect(error).toBeInstanceOf(ValidationError);
        return (error as ValidationError).details.map((detail) => detail.path);
      }
      return [];
    };
    expect(refused({ limits: { maxPerPayment: 100, periods: [{ period: 'fortnight', maxAmount: 100, alignment: 'calendar' }] }, validFrom: null, validTo: null })).toEqual(['limits.periods[0].alignment']);
    expect(
      refused({
        limits: { maxPerPayment: 100, periods: [{ period: 'day', maxAmount: 100, alignment: 'calendar' }, { period: 'day', maxAmount: 50, alignment: 'consent' }] },
        validFrom: '2026-12-01T00:00:00.000Z',
        validTo: '2026-11-01T00:00:00.000Z',
      }),
    ).toEqual(['limits.periods[1].period', 'limits.periods[1].maxAmount', 'validTo']);
    expect(refused({ limits: { maxPerPayment: 100, periods: [{ period: 'fortnight', maxAmount: 100, alignment: 'consent' }] }, validFrom: null, validTo: null })).toEqual([]);
  });

  it('shows each period with its current window, used and remaining as decimal strings', () => {
    const mandate = aMandate({ limits: { maxPerPayment: 10_000, periods: [{ period: 'month', maxAmount: 25_000, alignment: 'calendar' }, { period: 'week', maxAmount: 15_000, alignment: 'consent' }] } });
    const windows = currentWindows(mandate, NOW);
    const view = mandateView(mandate, windows.map((window) => ({ ...window, used: 20_000 })), NOW);
    expect(view.usage).toEqual([
      { period: 'month', alignment: 'calendar', maxAmount: '250.00', windowStart: '2026-11-01T00:00:00.000Z', windowEnd: '2026-12-01T00:00:00.000Z', used: '200.00', remaining: '50.00' },
      // Consent weeks count from the activation (no validFrom), 2 November 10:00, in 7-day steps.
      { period: 'week', alignment: 'consent', maxAmount: '150.00', windowStart: '2026-11-23T10:00:00.000Z', windowEnd: '2026-11-30T10:00:00.000Z', used: '200.00', remaining: '0.00' },
    ]);
    expect(view.limits).toEqual({ maxPerPayment: '100.00', periods: [{ period: 'month', maxAmount: '250.00', alignment: 'calendar' }, { period: 'week', maxAmount: '150.00', alignment: 'consent' }] });
  });
});
