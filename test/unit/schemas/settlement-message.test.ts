import * as v from 'valibot';
import { describe, expect, it } from 'vitest';
import { SettlementMessageSchema } from '../../../shared/schemas/settlement-message';
import { aReportedTransaction } from '../../support/domain-fakes';

describe('SettlementMessageSchema: the optional iban of a reported transaction', () => {
  it('carries an IBAN through the queue when the source names one, and is unchanged without one', () => {
    const withIban = { kind: 'transaction', transaction: aReportedTransaction({ sortCode: '', accountNumber: '', iban: 'DE89370400440532013000', currency: 'EUR' }) };
    expect(v.parse(SettlementMessageSchema, withIban)).toEqual(withIban);
    const without = { kind: 'transaction', transaction: aReportedTransaction() };
    const parsed = v.parse(SettlementMessageSchema, without);
    expect(parsed).toEqual(without);
    expect(parsed.kind === 'transaction' && 'iban' in parsed.transaction).toBe(false);
  });

  it('refuses an iban that is not a non-empty string of at most 64 characters', () => {
    for (const iban of ['', 42, 'X'.repeat(65)]) {
      const message = { kind: 'transaction', transaction: { ...aReportedTransaction(), iban } };
      expect(v.safeParse(SettlementMessageSchema, message).success, String(iban)).toBe(false);
    }
  });
});

describe('SettlementMessageSchema: the optional bank transaction code of a reported transaction', () => {
  it('carries the code through the queue (it was stripped before), and is unchanged without one', () => {
    const codes = [
      { domain: { code: 'PMNT', family: 'RCDT', subFamily: 'DMCT' }, proprietary: { code: 'FPS', issuer: null } },
      { domain: { code: '', family: 'RCDT', subFamily: 'DMCT' }, proprietary: null },
      { domain: null, proprietary: { code: 'POS', issuer: 'BankV4' } },
      null,
    ];
    codes.push({ domain: null, proprietary: { code: 'X'.repeat(36), issuer: 'An issuer longer than thirty-five characters' } });
    for (const bankTransactionCode of codes) {
      const message = { kind: 'transaction', transaction: aReportedTransaction({ bankTransactionCode }) };
      expect(v.parse(SettlementMessageSchema, message)).toEqual(message);
    }
    const parsed = v.parse(SettlementMessageSchema, { kind: 'transaction', transaction: aReportedTransaction() });
    expect(parsed.kind === 'transaction' && 'bankTransactionCode' in parsed.transaction).toBe(false);
  });

  it('refuses a malformed code', () => {
    for (const bankTransactionCode of [{ domain: { code: 'PMNT', family: 'RCDT' }, proprietary: null }, { domain: null }, { domain: null, proprietary: { code: 'X'.repeat(141), issuer: null } }, 'PMNT/RCDT']) {
      const message = { kind: 'transaction', transaction: { ...aReportedTransaction(), bankTransactionCode } };
      expect(v.safeParse(SettlementMessageSchema, message).success, JSON.stringify(bankTransactionCode)).toBe(false);
    }
  });
});
