import { describe, expect, it } from 'vitest';
import { retentionExpiry } from '../../../../shared/domain/settlement/retention';

describe('retention of bank transactions', () => {
  it('keeps a transaction seven calendar years from its booking instant, whatever offset the bank used', () => {
    expect(retentionExpiry('2026-11-24T10:00:00.000Z')).toBe(Date.parse('2033-11-24T10:00:00.000Z') / 1000);
    expect(retentionExpiry('2026-11-24T11:00:00+01:00')).toBe(Date.parse('2033-11-24T10:00:00.000Z') / 1000);
  });

  it('moves a 29 February booking to 1 March seven years on (no such day then)', () => {
    expect(retentionExpiry('2024-02-29T12:00:00.000Z')).toBe(Date.parse('2031-03-01T12:00:00.000Z') / 1000);
  });

  it('refuses a time that is not one', () => {
    expect(() => retentionExpiry('yesterday')).toThrow('Not a booking time');
  });
});
