import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { dateTime, duration, money } from '../../../console/src/shell/format';

/** A decimal string as the API writes amounts: optional minus, digits, optional fraction. */
const decimalString = fc
  .tuple(fc.boolean(), fc.stringMatching(/^(0|[1-9][0-9]{0,30})$/), fc.option(fc.stringMatching(/^[0-9]{1,4}$/), { nil: undefined }))
  .map(([negative, whole, fraction]) => `${negative ? '-' : ''}${whole}${fraction === undefined ? '' : `.${fraction}`}`);

describe('money', () => {
  it('writes pounds with the £ sign and thousands separators', () => {
    expect(money('1234.56', 'GBP')).toBe('£1,234.56');
    expect(money('0.05', 'GBP')).toBe('£0.05');
    expect(money('999.00', 'GBP')).toBe('£999.00');
    expect(money('1000000.00', 'GBP')).toBe('£1,000,000.00');
    expect(money('-12.00', 'GBP')).toBe('-£12.00');
  });

  it('writes other currencies with their code after the number', () => {
    expect(money('1234.56', 'CHF')).toBe('1,234.56 CHF');
    expect(money('-0.50', 'EUR')).toBe('-0.50 EUR');
  });

  it('never rounds: an amount beyond a float\'s precision keeps every digit', () => {
    expect(money('12345678901234567890.99', 'GBP')).toBe('£12,345,678,901,234,567,890.99');
    expect(money('0.1', 'GBP')).toBe('£0.1');
  });

  it('shows a negative zero without its sign, and a string that is not a number as it came', () => {
    expect(money('-0.00', 'GBP')).toBe('£0.00');
    expect(money('12,00', 'GBP')).toBe('12,00 GBP');
    expect(money('NaN', 'USD')).toBe('NaN USD');
  });

  it('round-trips the digits of any decimal string: removing sign, symbol and separators gives the input back', () => {
    fc.assert(
      fc.property(decimalString, fc.constantFrom('GBP', 'EUR', 'CHF', 'USD'), (amount, currency) => {
        const shown = money(amount, currency);
        const back = shown.replace(/[£,]/g, '').replace(` ${currency}`, '');
        const isZero = !/[1-9]/.test(amount);
        expect(back).toBe(isZero ? amount.replace(/^-/, '') : amount);
      }),
    );
  });

  it('groups the whole part in threes from the right, and never the fraction', () => {
    fc.assert(
      fc.property(decimalString, (amount) => {
        const shown = money(amount, 'CHF').replace(' CHF', '').replace(/^-/, '');
        const [whole = '', fraction] = shown.split('.');
        expect(whole).toMatch(/^\d{1,3}(,\d{3})*$/);
        if (fraction !== undefined) expect(fraction).toMatch(/^\d+$/);
      }),
    );
  });
});

describe('dateTime', () => {
  it('writes an instant in UTC, to the second', () => {
    expect(dateTime('2026-12-01T03:04:05.678Z')).toBe('2026-12-01 03:04:05 UTC');
    expect(dateTime('2026-12-01T05:04:05+02:00')).toBe('2026-12-01 03:04:05 UTC');
  });

  it('shows a string that is not a date as it came', () => {
    expect(dateTime('not a date')).toBe('not a date');
  });
});

describe('duration', () => {
  it('picks the unit people read', () => {
    expect(duration(850)).toBe('850 ms');
    expect(duration(12_345)).toBe('12.3 s');
    expect(duration(245_000)).toBe('4 min 5 s');
    expect(duration(7_380_000)).toBe('2 h 3 min');
    expect(duration(273_600_000)).toBe('3 d 4 h');
    expect(duration(300_000)).toBe('5 min');
    expect(duration(3_600_000)).toBe('1 h');
    expect(duration(86_400_000)).toBe('1 d');
    expect(duration(Number.NaN)).toBe('—');
  });
});
