import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { displayAmount } from '../../../../shared/adapters/hosted-pages/pages';
import { currencyExponent, parseAmount } from '../../../../shared/domain/money';

/** What a payer reads, back to minor units: the symbol or code and the thousands separators dropped. */
const readBack = (shown: string, currency: string): number => parseAmount(shown.replace(/^£|^€|^\$| [A-Z]{3}$/g, '').replace(/,/g, ''), currency, { allowZero: true });

describe('displayAmount (the hosted pages)', () => {
  it('round-trips any GBP amount: £ then groups of three digits, two decimals, exactly the minor units', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER }), (minor) => {
        const shown = displayAmount(minor, 'GBP');
        expect(shown).toMatch(/^£(0|[1-9][0-9]{0,2}(,[0-9]{3})*)\.[0-9]{2}$/);
        expect(readBack(shown, 'GBP')).toBe(minor);
      }),
    );
  });

  it('round-trips amounts in currencies with 0 and 3 decimals', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER }), fc.constantFrom('JPY', 'KWD', 'EUR', 'CHF'), (minor, currency) => {
        const shown = displayAmount(minor, currency);
        const decimals = currencyExponent(currency) ?? 2;
        expect(shown.split('.')[1]?.replace(/ [A-Z]{3}$/, '').length ?? 0).toBe(decimals);
        expect(readBack(shown, currency)).toBe(minor);
      }),
    );
  });

  it('shows £1,234.56 for 123456 pence', () => {
    expect(displayAmount(123_456, 'GBP')).toBe('£1,234.56');
  });
});
