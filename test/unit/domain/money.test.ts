import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../../shared/domain/errors';
import { currencyExponent, formatAmount, parseAmount, parseBankAmount } from '../../../shared/domain/money';

const CURRENCIES = ['GBP', 'EUR', 'USD', 'CHF', 'SEK', 'NOK', 'DKK', 'PLN', 'CZK', 'HUF', 'JPY', 'ISK', 'KWD', 'BHD'];

/** The ValidationError `act` throws (failing the test if it throws nothing or something else). */
const validationErrorOf = (act: () => unknown): ValidationError => {
  let thrown: unknown;
  try {
    act();
  } catch (error) {
    thrown = error;
  }
  if (!(thrown instanceof ValidationError)) throw new Error(`expected a ValidationError, got ${String(thrown)}`);
  return thrown;
};

/** A valid API amount string for `currency`: no leading zeros, 0…exponent fraction digits. */
const apiAmountFor = (currency: string): fc.Arbitrary<string> => {
  const exponent = currencyExponent(currency) ?? 0;
  return fc
    .tuple(fc.nat({ max: 10_000_000_000 }), fc.string({ unit: fc.constantFrom(...'0123456789'), maxLength: exponent }))
    .map(([whole, fraction]) => (fraction === '' ? String(whole) : `${whole}.${fraction}`));
};

describe('currencyExponent', () => {
  it.each([
    ['GBP', 2], ['EUR', 2], ['USD', 2], ['CHF', 2], ['SEK', 2], ['NOK', 2], ['DKK', 2], ['PLN', 2], ['CZK', 2],
    ['HUF', 2], ['JPY', 0], ['ISK', 0], ['KWD', 3], ['BHD', 3],
  ])('knows %s has %i decimals', (currency, exponent) => {
    expect(currencyExponent(currency)).toBe(exponent);
  });

  it.each(['XYZ', 'gbp', '', 'constructor', 'GBPX'])('does not know %j', (currency) => {
    expect(currencyExponent(currency)).toBeUndefined();
  });
});

describe('parseAmount', () => {
  it.each([
    ['125.00', 'GBP', 12_500],
    ['125', 'GBP', 12_500],
    ['100.5', 'GBP', 10_050],
    ['0.05', 'GBP', 5],
    ['1250', 'JPY', 1250],
    ['1.250', 'KWD', 1250],
    ['0.001', 'BHD', 1],
    ['90071992547409.91', 'GBP', Number.MAX_SAFE_INTEGER],
  ])('reads %s %s as %i minor units', (input, currency, minor) => {
    expect(parseAmount(input, currency)).toBe(minor);
  });

  it('rejects a JSON number, saying a string is needed', () => {
    const error = validationErrorOf(() => parseAmount(125, 'GBP'));
    expect(error.code).toBe('validation_failed');
    expect(error.details).toEqual([{ path: 'amount', message: 'amount must be a decimal string such as "125.00", not a number' }]);
  });

  it.each([null, undefined, true, {}, ['1.00']])('rejects the non-string %j', (input) => {
    expect(validationErrorOf(() => parseAmount(input, 'GBP')).details).toEqual([
      { path: 'amount', message: 'amount must be a decimal string such as "125.00"' },
    ]);
  });

  it.each([
    ['', 'not empty'],
    ['-1.00', 'without a sign'],
    ['+1.00', 'without a sign'],
    [' 1.00', 'without spaces'],
    ['1.00 ', 'without spaces'],
    ['1e2', 'without an exponent'],
    ['01.00', 'without leading zeros'],
    ['00', 'without leading zeros'],
    ['.50', 'digits, optionally a point'],
    ['5.', 'digits, optionally a point'],
    ['1,000.00', 'digits, optionally a point'],
    ['0x10', 'digits, optionally a point'],
    ['١٢٣', 'digits, optionally a point'],
  ])('rejects the malformed %j (%s)', (input, explanation) => {
    const [detail] = validationErrorOf(() => parseAmount(input, 'GBP')).details;
    expect(detail?.path).toBe('amount');
    expect(detail?.message).toContain(explanation);
  });

  it.each([
    ['12.345', 'GBP', 'amount has 3 decimal places but GBP allows at most 2 decimal places'],
    ['1.0001', 'KWD', 'amount has 4 decimal places but KWD allows at most 3 decimal places'],
    ['1250.0', 'JPY', 'amount has 1 decimal place but JPY has no decimal places'],
  ])('rejects %s %s for its decimals', (input, currency, message) => {
    expect(validationErrorOf(() => parseAmount(input, currency)).details).toEqual([{ path: 'amount', message }]);
  });

  it.each(['0', '0.00', '0.0'])('rejects zero %j unless allowed', (input) => {
    expect(validationErrorOf(() => parseAmount(input, 'GBP')).details).toEqual([
      { path: 'amount', message: 'amount must be greater than zero' },
    ]);
    expect(parseAmount(input, 'GBP', { allowZero: true })).toBe(0);
  });

  it('rejects an amount beyond a safe integer of minor units', () => {
    const [detail] = validationErrorOf(() => parseAmount('90071992547409.92', 'GBP')).details;
    expect(detail?.message).toBe('amount is too large (at most 90071992547409.91 GBP)');
    expect(validationErrorOf(() => parseAmount('9'.repeat(400), 'JPY')).details[0]?.message).toContain('too large');
  });

  it('reports on the path it is given', () => {
    expect(validationErrorOf(() => parseAmount('1.234', 'GBP', { path: 'limits.maxPerPayment' })).details[0]?.path).toBe(
      'limits.maxPerPayment',
    );
  });

  it('rejects an unknown currency on the currency path', () => {
    expect(validationErrorOf(() => parseAmount('1.00', 'XYZ', { path: 'items[0].amount' })).details).toEqual([
      { path: 'currency', message: 'currency "XYZ" is not a supported ISO 4217 code' },
    ]);
  });

  it('never accepts a JSON number', () => {
    fc.assert(
      fc.property(fc.oneof(fc.integer(), fc.double(), fc.constantFrom(0, -0, 125, 1.5, Number.NaN)), fc.constantFrom(...CURRENCIES), (input, currency) => {
        expect(validationErrorOf(() => parseAmount(input, currency)).details[0]?.message).toContain('not a number');
      }),
    );
  });
});

describe('formatAmount', () => {
  it.each([
    [12_550, 'GBP', '125.50'],
    [5, 'GBP', '0.05'],
    [0, 'GBP', '0.00'],
    [-0, 'GBP', '0.00'],
    [-5, 'GBP', '-0.05'],
    [-12_550, 'EUR', '-125.50'],
    [1250, 'JPY', '1250'],
    [-1250, 'JPY', '-1250'],
    [1, 'KWD', '0.001'],
    [Number.MAX_SAFE_INTEGER, 'GBP', '90071992547409.91'],
    [Number.MIN_SAFE_INTEGER, 'GBP', '-90071992547409.91'],
  ])('writes %i minor units of %s as %s', (minor, currency, expected) => {
    expect(formatAmount(minor, currency)).toBe(expected);
  });

  it.each([1.5, Number.MAX_SAFE_INTEGER + 1, Number.NaN, Number.POSITIVE_INFINITY])('refuses %d, which is not a safe integer', (minor) => {
    expect(() => formatAmount(minor, 'GBP')).toThrow(RangeError);
  });

  it('refuses an unknown currency', () => {
    expect(() => formatAmount(100, 'XYZ')).toThrow(RangeError);
  });

  it('round-trips through parseAmount for every valid minor amount and currency', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: Number.MAX_SAFE_INTEGER }), fc.constantFrom(...CURRENCIES), (minor, currency) => {
        const text = formatAmount(minor, currency);
        expect(parseAmount(text, currency)).toBe(minor);
        expect(formatAmount(parseAmount(text, currency), currency)).toBe(text);
      }),
    );
  });

  it('gives back the canonical form of any amount parseAmount accepts', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...CURRENCIES).chain((currency) => fc.tuple(fc.constant(currency), apiAmountFor(currency))),
        ([currency, text]) => {
          const canonical = formatAmount(parseAmount(text, currency, { allowZero: true }), currency);
          expect(canonical.split('.')[1]?.length ?? 0).toBe(currencyExponent(currency));
          expect(parseAmount(canonical, currency, { allowZero: true })).toBe(parseAmount(text, currency, { allowZero: true }));
        },
      ),
    );
  });
});

describe('parseBankAmount', () => {
  it.each([
    ['10.00000', 'GBP', 1000],
    ['10.5', 'GBP', 1050],
    ['10', 'GBP', 1000],
    ['0.00', 'GBP', 0],
    ['0010.00', 'GBP', 1000],
    ['1250.00000', 'JPY', 1250],
    ['1.25000', 'KWD', 1250],
  ])('reads %s %s as %i minor units', (input, currency, minor) => {
    expect(parseBankAmount(input, currency)).toBe(minor);
  });

  it.each([
    ['10.00001', 'GBP', 'non-zero digits beyond the 2 decimal places of GBP'],
    ['10.005', 'GBP', 'non-zero digits beyond the 2 decimal places of GBP'],
    ['1250.5', 'JPY', 'non-zero digits beyond the 0 decimal places of JPY'],
    ['10.000000', 'GBP', 'at most 13 digits before the point and 5 after'],
    ['-10.00', 'GBP', 'unsigned decimal'],
    ['10.', 'GBP', 'unsigned decimal'],
    ['', 'GBP', 'unsigned decimal'],
    ['1e3', 'GBP', 'unsigned decimal'],
    ['12345678901234.00', 'GBP', 'at most 13 digits'],
  ])('rejects %j %s', (input, currency, explanation) => {
    const [detail] = validationErrorOf(() => parseBankAmount(input, currency)).details;
    expect(detail?.path).toBe('amount');
    expect(detail?.message).toContain(explanation);
  });

  it('rejects an amount beyond a safe integer of minor units', () => {
    expect(validationErrorOf(() => parseBankAmount('9999999999999.999', 'KWD')).details[0]?.message).toContain('too large');
  });

  it('rejects an unknown currency on the currency path', () => {
    expect(validationErrorOf(() => parseBankAmount('1.00', 'XYZ')).details[0]?.path).toBe('currency');
  });

  it('reads trailing zeros beyond the currency exponent as the API amount', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...CURRENCIES).chain((currency) => fc.tuple(fc.constant(currency), apiAmountFor(currency), fc.nat({ max: 5 }))),
        ([currency, text, padding]) => {
          const fraction = text.split('.')[1] ?? '';
          const zeros = '0'.repeat(Math.min(padding, 5 - fraction.length));
          const bankText = zeros === '' ? text : `${text}${fraction === '' ? '.' : ''}${zeros}`;
          expect(parseBankAmount(bankText, currency)).toBe(parseAmount(text, currency, { allowZero: true }));
        },
      ),
    );
  });
});
