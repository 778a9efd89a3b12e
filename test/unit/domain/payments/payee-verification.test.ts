import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compareNames, stopsPayment, withinOneTypo } from '../../../../shared/domain/payments/payee-verification';

const HOLDER = 'Jordan Example';

describe('compareNames', () => {
  it.each(['Jordan Example', 'JORDAN EXAMPLE', 'jordan example', 'Jordan-Example', 'Mr. Jordan Example', '  Jordan   Example. '])(
    '%s is a match',
    (given) => expect(compareNames(given, HOLDER)).toEqual({ result: 'match' }),
  );

  it.each(['J Example', 'J. Example', 'Jordan Exampel', 'Jordon Example', 'Jordan Exmple', 'Jordan Examples'])('%s is a close match naming the holder', (given) => {
    expect(compareNames(given, HOLDER)).toEqual({ result: 'close_match', suggestedName: HOLDER });
  });

  it.each(['Sam Smith', 'Jordan', 'Example', 'J Smith', 'Jo Example', 'Jordan Exempel', '', '123'])('%s is no match', (given) => {
    expect(compareNames(given, HOLDER).result).toBe('no_match');
  });

  it('any case or punctuation of the holder name is a match', () => {
    const variant = fc
      .array(fc.constantFrom(' ', '.', '-', ',', "'"), { minLength: 1, maxLength: 3 })
      .chain((separator) => fc.tuple(fc.constant(separator.join('')), fc.array(fc.boolean(), { minLength: HOLDER.length, maxLength: HOLDER.length })))
      .map(([separator, upper]) => {
        const cased = [...HOLDER].map((letter, index) => (upper[index] ? letter.toUpperCase() : letter.toLowerCase())).join('');
        return cased.replace(' ', separator);
      });
    fc.assert(fc.property(variant, (given) => compareNames(given, HOLDER).result === 'match'));
  });

  it('one letter replaced in the holder name is a close match, never a match', () => {
    const letters = HOLDER.replace(' ', '');
    const typo = fc.tuple(fc.integer({ min: 0, max: letters.length - 1 }), fc.constantFrom(...'abcdefghijklmnopqrstuvwxyz')).filter(([index, letter]) => letters[index]?.toLowerCase() !== letter);
    fc.assert(
      fc.property(typo, ([index, letter]) => {
        const changed = `${letters.slice(0, index)}${letter}${letters.slice(index + 1)}`;
        const given = `${changed.slice(0, 6)} ${changed.slice(6)}`;
        return compareNames(given, HOLDER).result === 'close_match';
      }),
    );
  });
});

describe('withinOneTypo', () => {
  it('agrees with the optimal string alignment distance on short strings', () => {
    const distance = (a: string, b: string): number => {
      const rows = Array.from({ length: a.length + 1 }, (_, i) => Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
      for (let i = 1; i <= a.length; i += 1) {
        for (let j = 1; j <= b.length; j += 1) {
          const row = rows[i] ?? [];
          row[j] = Math.min((rows[i - 1]?.[j] ?? 0) + 1, (row[j - 1] ?? 0) + 1, (rows[i - 1]?.[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1));
          if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) row[j] = Math.min(row[j] ?? 0, (rows[i - 2]?.[j - 2] ?? 0) + 1);
        }
      }
      return rows[a.length]?.[b.length] ?? 0;
    };
    const word = fc.string({ unit: fc.constantFrom('a', 'b', 'c'), maxLength: 6 });
    fc.assert(fc.property(word, word, (a, b) => withinOneTypo(a, b) === distance(a, b) <= 1));
  });
});

describe('stopsPayment', () => {
  it('stops on no_match and close_match unless told to proceed; never on match or unavailable', () => {
    expect(stopsPayment({ result: 'no_match' }, 'stop')).toBe(true);
    expect(stopsPayment({ result: 'close_match', suggestedName: HOLDER }, 'stop')).toBe(true);
    expect(stopsPayment({ result: 'no_match' }, 'proceed_on_mismatch')).toBe(false);
    expect(stopsPayment({ result: 'match' }, 'stop')).toBe(false);
    expect(stopsPayment({ result: 'unavailable' }, 'stop')).toBe(false);
  });
});
