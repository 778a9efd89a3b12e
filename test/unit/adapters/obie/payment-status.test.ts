import { readFileSync } from 'node:fs';
import * as v from 'valibot';
import { describe, expect, it } from 'vitest';
import { describeStatusReasons, fileItemOutcome, isoPaymentStatusCode, mapFilePaymentStatus, mapPaymentStatus, UnknownPaymentStatusError } from '../../../../shared/adapters/obie/payment-status';

/** The Status enumerations of the domestic payment and domestic payment consent responses, read from the official files. */
const statusEnums = (version: 'v3.1.11' | 'v4.0'): { payment: string[]; consent: string[]; file: string[] } => {
  const spec: unknown = JSON.parse(readFileSync(new URL(`../../../../infra/local/obie/specs/${version}/payment-initiation-openapi.json`, import.meta.url), 'utf8'));
  const enumAt = (schemaName: string): string[] => {
    const StatusEnum = v.object({
      components: v.object({
        schemas: v.object({
          [schemaName]: v.object({ properties: v.object({ Data: v.object({ properties: v.object({ Status: v.object({ enum: v.pipe(v.array(v.string()), v.minLength(1)) }) }) }) }) }),
        }),
      }),
    });
    const parsed = v.parse(StatusEnum, spec);
    const schema = parsed.components.schemas[schemaName];
    if (schema === undefined) throw new Error(`${version} has no ${schemaName}`);
    return schema.properties.Data.properties.Status.enum;
  };
  return { payment: enumAt('OBWriteDomesticResponse5'), consent: enumAt('OBWriteDomesticConsentResponse5'), file: enumAt('OBWriteFileResponse3') };
};

const AT = '2026-11-30T10:00:00.000Z';

describe('Open Banking payment status mapping', () => {
  describe.each(['v3.1.11', 'v4.0'] as const)('%s', (version) => {
    const { payment, consent } = statusEnums(version);

    it(`maps every domestic-payment status code the spec enumerates (${payment.length})`, () => {
      expect(payment.length).toBeGreaterThanOrEqual(6);
      for (const code of payment) {
        const status = mapPaymentStatus(code, AT);
        expect(status.code).toMatch(/^[A-Z]{4}$/);
        expect(['pending', 'authorised', 'executed', 'rejected']).toContain(status.settledStatus);
        expect(status.at).toBe(AT);
      }
    });

    it(`maps every domestic-payment-consent status code the spec enumerates (${consent.length})`, () => {
      for (const code of consent) expect(['pending', 'authorised', 'rejected']).toContain(mapPaymentStatus(code, AT).settledStatus);
    });
  });

  it('maps the v4.0 ISO codes as the profile reads them', () => {
    const expected: Record<string, string> = {
      RCVD: 'pending',
      PDNG: 'pending',
      PATC: 'pending',
      ACTC: 'authorised',
      ACCP: 'authorised',
      ACFC: 'authorised',
      ACWC: 'authorised',
      ACSP: 'executed',
      ACSC: 'executed',
      ACWP: 'executed',
      ACCC: 'executed',
      RJCT: 'rejected',
      CANC: 'rejected',
      BLCK: 'rejected',
    };
    for (const [code, settled] of Object.entries(expected)) expect({ code, settled: mapPaymentStatus(code, AT).settledStatus }).toEqual({ code, settled });
  });

  it('gives v3.1.11 names their ISO code and the same Settled status', () => {
    const pairs: [string, string][] = [
      ['Pending', 'PDNG'],
      ['Rejected', 'RJCT'],
      ['AcceptedSettlementInProcess', 'ACSP'],
      ['AcceptedSettlementCompleted', 'ACSC'],
      ['AcceptedWithoutPosting', 'ACWP'],
      ['AcceptedCreditSettlementCompleted', 'ACCC'],
      ['AwaitingAuthorisation', 'AWAU'],
      ['Authorised', 'AUTH'],
      ['Consumed', 'COND'],
    ];
    for (const [name, iso] of pairs) {
      expect(isoPaymentStatusCode(name)).toBe(iso);
      expect(mapPaymentStatus(name, AT).settledStatus).toBe(mapPaymentStatus(iso, AT).settledStatus);
    }
  });

  it('keeps the bank StatusReason, code and description', () => {
    const status = mapPaymentStatus('RJCT', AT, [{ StatusReasonCode: 'AM04', StatusReasonDescription: 'Insufficient funds' }, { StatusReasonCode: 'FF01' }]);
    expect(status).toEqual({ code: 'RJCT', settledStatus: 'rejected', reason: 'AM04: Insufficient funds; FF01', at: AT });
    expect(describeStatusReasons(undefined)).toBeNull();
    expect(describeStatusReasons([{}])).toBeNull();
  });

  it('refuses a code it does not know rather than guessing', () => {
    expect(() => mapPaymentStatus('WXYZ', AT)).toThrow(UnknownPaymentStatusError);
    expect(() => mapPaymentStatus('accepted', AT)).toThrow(/Unknown Open Banking payment status/);
  });
});

describe('Open Banking file payment status mapping', () => {
  it.each(['v3.1.11', 'v4.0'] as const)('maps every %s file payment status: pending is accepted in process, failed is the whole file rejected', (version) => {
    const { file } = statusEnums(version);

    const mapped = Object.fromEntries(file.map((status) => [status, mapFilePaymentStatus(status, AT).settledStatus]));

    expect(mapped).toEqual(
      version === 'v4.0'
        ? { INFA: 'rejected', INCO: 'executed', PDNG: 'authorised' }
        : { InitiationFailed: 'rejected', InitiationCompleted: 'executed', InitiationPending: 'authorised' },
    );
    expect(mapFilePaymentStatus(version === 'v4.0' ? 'INFA' : 'InitiationFailed', AT, [{ StatusReasonCode: 'AM04' }])).toEqual({ code: 'INFA', settledStatus: 'rejected', reason: 'AM04', at: AT });
  });

  it('refuses a status that is not a file status, and maps report items: only settled or rejected is final', () => {
    expect(() => mapFilePaymentStatus('ACSC', AT)).toThrow(UnknownPaymentStatusError);
    expect(['ACSC', 'AcceptedSettlementCompleted', 'RJCT', 'Rejected', 'ACSP', 'AcceptedSettlementInProcess', 'PDNG'].map(fileItemOutcome)).toEqual([
      'executed',
      'executed',
      'rejected',
      'rejected',
      'pending',
      'pending',
      'pending',
    ]);
  });
});
