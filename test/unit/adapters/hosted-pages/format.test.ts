import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { displayAccount, displayAccountNumber, displayAmount, displaySortCode } from '../../../../shared/adapters/hosted-pages/format';
import { currencyExponent } from '../../../../shared/domain/money';

/** The minor units' digits as a payer must read them: at least one digit before the decimals, never a float. */
const expectedDigits = (minor: number, currency: string): string => String(Math.abs(minor)).padStart((currencyExponent(currency) ?? 2) + 1, '0');

describe('displayAmount: every digit of the minor units, grouped in threes, never through a float', () => {
  it('keeps exactly the digits of the minor units, in order, for any amount and currency', () => {
    fc.assert(
      fc.property(fc.integer({ min: -Number.MAX_SAFE_INTEGER, max: Number.MAX_SAFE_INTEGER }), fc.constantFrom('GBP', 'EUR', 'USD', 'JPY', 'KWD', 'CHF'), (minor, currency) => {
        expect(displayAmount(minor, currency).replace(/[^0-9]/g, '')).toBe(expectedDigits(minor, currency));
      }),
    );
  });

  it('groups the whole part in threes from the right, with one leading group of 1 to 3 digits and no leading zero', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER }), (minor) => {
        const whole = displayAmount(minor, 'GBP').replace(/^£/, '').split('.')[0] ?? '';
        const groups = whole.split(',');
        expect(groups[0]).toMatch(/^(0|[1-9][0-9]{0,2})$/);
        for (const group of groups.slice(1)) expect(group).toMatch(/^[0-9]{3}$/);
        // The value read back with BigInt (exact at any size) is the amount: the grouping moved no digit.
        expect(BigInt(whole.replace(/,/g, '')) * 100n + BigInt(displayAmount(minor, 'GBP').split('.')[1] ?? 'x')).toBe(BigInt(minor));
      }),
    );
  });

  it('prints amounts a float would round exactly, and signs negatives before the symbol', () => {
    expect(displayAmount(9_007_199_254_740_991, 'GBP')).toBe('£90,071,992,547,409.91');
    expect(displayAmount(10, 'GBP')).toBe('£0.10');
    expect(displayAmount(-1_250, 'GBP')).toBe('-£12.50');
    expect(displayAmount(-1_250, 'CHF')).toBe('-12.50 CHF');
  });
});

describe('displaySortCode and displayAccountNumber', () => {
  it.each([
    ['040004', '04-00-04'],
    ['04-00-04', '04-00-04'],
    ['04 00 04', '04-00-04'],
    ['12345', '12345'],
    ['ABCDEF', 'ABCDEF'],
  ])('shows sort code %s as %s', (stored, shown) => {
    expect(displaySortCode(stored)).toBe(shown);
  });

  it('shows an account number as its digits, and an account with both as name, sort code and number', () => {
    expect(displayAccountNumber('1234 5678')).toBe('12345678');
    expect(displayAccount({ name: 'Acme Ltd', sortCode: '040004', accountNumber: '12345678' })).toBe('Acme Ltd, sort code 04-00-04, account 12345678');
    expect(displayAccount({ name: 'Bob' })).toBe('Bob');
  });
});
