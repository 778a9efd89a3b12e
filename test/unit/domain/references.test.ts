import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../../shared/domain/errors';
import {
  GENERATED_REFERENCE_ALPHABET,
  MAX_CANDIDATE_KEYS,
  REFERENCE_CHARACTERS,
  REFERENCE_MAX_LENGTH,
  REFERENCE_PUNCTUATION,
  candidateKeys,
  generateReference,
  isGeneratedReference,
  matchingKey,
  validateTenantReference,
} from '../../../shared/domain/references';

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

/** A randomIndex that plays back `indexes` in order. */
const playBack = (indexes: readonly number[]) => {
  let next = 0;
  return (exclusiveMax: number): number => {
    expect(exclusiveMax).toBe(GENERATED_REFERENCE_ALPHABET.length);
    const index = indexes[next];
    next += 1;
    if (index === undefined) throw new Error('randomIndex called more often than expected');
    return index;
  };
};

const generatedReferences = fc
  .array(fc.nat({ max: GENERATED_REFERENCE_ALPHABET.length - 1 }), { minLength: 8, maxLength: 8 })
  .map((indexes) => generateReference(playBack(indexes)));

/** References a tenant may send: scheme characters, 1–18 long, no leading or trailing space. */
const tenantReferences = fc.oneof(
  fc
    .string({ unit: fc.constantFrom(...REFERENCE_CHARACTERS), minLength: 1, maxLength: REFERENCE_MAX_LENGTH })
    .filter((reference) => reference.trim() === reference && reference !== ''),
  fc
    .tuple(fc.constantFrom('INV', 'inv', 'Order', 'ACME', 'Rent'), fc.constantFrom('-', '/', ' ', ''), fc.nat({ max: 99_999_999 }))
    .map(([label, separator, number]) => `${label}${separator}${number}`),
);

/** What UK banks do to a reference: upper-case it, replace punctuation with spaces or hyphens, keep 18 characters. */
const mangle = (text: string, hyphens: readonly boolean[], keep = REFERENCE_MAX_LENGTH): string =>
  [...text.toUpperCase()]
    .map((character, index) => (character !== ' ' && REFERENCE_PUNCTUATION.includes(character) ? (hyphens[index % hyphens.length] === true ? '-' : ' ') : character))
    .join('')
    .slice(0, keep);

const hyphenChoices = fc.array(fc.boolean(), { minLength: 1, maxLength: 40 });

describe('validateTenantReference', () => {
  it.each(['INV-2024/0042', 'A', 'J Smith & Co.', "(a) b+c?d:e,f'g", 'ABCDEFGHIJKLMNOPQR', 'Rent 2026/11'])('accepts %j unchanged', (reference) => {
    expect(validateTenantReference(reference)).toBe(reference);
  });

  it.each([
    ['', 'must not be empty'],
    ['   ', 'must not be blank'],
    ['ABCDEFGHIJKLMNOPQRS', 'is 19 characters long; the maximum is 18'],
    ['INV 2024 0042 ACME LTD', 'is 22 characters long; the maximum is 18'],
    ['INV_42', `contains "_" (U+005F) at position 4; only A–Z, a–z, 0–9, space and / - ? : ( ) . , ' + & are allowed`],
    ['Café', 'contains "é" (U+00E9) at position 4'],
    ['A😀B', 'contains "😀" (U+1F600) at position 2'],
    ['INV\t42', 'contains "\\t" (U+0009) at position 4'],
    ['50% off', 'contains "%" (U+0025) at position 3'],
    ['"quoted"', 'contains "\\"" (U+0022) at position 1'],
    [' INV42', 'must not start or end with a space'],
    ['INV42 ', 'must not start or end with a space'],
  ])('rejects %j: %s', (reference, message) => {
    const error = validationErrorOf(() => validateTenantReference(reference));
    expect(error.code).toBe('validation_failed');
    expect(error.details).toHaveLength(1);
    expect(error.details[0]?.path).toBe('reference');
    expect(error.details[0]?.message.startsWith(message)).toBe(true);
  });

  it('counts characters, not UTF-16 units', () => {
    expect(validationErrorOf(() => validateTenantReference('😀'.repeat(10))).details[0]?.message).toContain('at position 1');
  });

  it('reports on the path it is given', () => {
    expect(validationErrorOf(() => validateTenantReference('', 'items[3].reference')).details).toEqual([
      { path: 'items[3].reference', message: 'must not be empty' },
    ]);
  });
});

describe('generateReference', () => {
  it('builds ST + 8 body characters + a check character', () => {
    expect(generateReference(playBack([0, 0, 0, 0, 0, 0, 0, 0]))).toBe('ST222222222');
    // 1·1 + 2·2 + … + 8·8 = 204 ≡ 18; 9·c ≡ −18 (mod 31) gives c = 29, "Y".
    expect(generateReference(playBack([1, 2, 3, 4, 5, 6, 7, 8]))).toBe('ST3456789AY');
  });

  it('uses 31 unambiguous characters', () => {
    expect(GENERATED_REFERENCE_ALPHABET).toBe('23456789ABCDEFGHJKMNPQRSTUVWXYZ');
    expect(GENERATED_REFERENCE_ALPHABET).not.toMatch(/[01OIL]/);
  });

  it.each([31, -1, 1.5, Number.NaN])('refuses a randomIndex that returns %d', (index) => {
    expect(() => generateReference(() => index)).toThrow(RangeError);
  });

  it('makes references the schemes carry and that check out', () => {
    fc.assert(
      fc.property(generatedReferences, (reference) => {
        expect(reference).toMatch(/^ST[23456789ABCDEFGHJKMNPQRSTUVWXYZ]{9}$/);
        expect(validateTenantReference(reference)).toBe(reference);
        expect(isGeneratedReference(reference)).toBe(true);
        expect(matchingKey(reference)).toBe(reference);
      }),
    );
  });

  it('detects every single-character substitution after the prefix', () => {
    fc.assert(
      fc.property(generatedReferences, (reference) => {
        for (let position = 2; position < reference.length; position += 1) {
          for (const replacement of 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789') {
            if (replacement === reference[position]) continue;
            const altered = reference.slice(0, position) + replacement + reference.slice(position + 1);
            expect(isGeneratedReference(altered)).toBe(false);
          }
        }
      }),
      { numRuns: 200 },
    );
  });

  it('detects every adjacent transposition after the prefix', () => {
    fc.assert(
      fc.property(generatedReferences, (reference) => {
        for (let position = 2; position + 1 < reference.length; position += 1) {
          const [left, right] = [reference.charAt(position), reference.charAt(position + 1)];
          if (left === right) continue;
          const swapped = reference.slice(0, position) + right + left + reference.slice(position + 2);
          expect(isGeneratedReference(swapped)).toBe(false);
        }
      }),
    );
  });
});

describe('isGeneratedReference', () => {
  it.each([
    ['lower case', 'st3456789ay'],
    ['another prefix', 'SX3456789AY'],
    ['too short', 'ST3456789A'],
    ['too long', 'ST3456789AYY'],
    ['ambiguous character', 'ST3456789OY'],
    ['wrong check character', 'ST3456789AZ'],
    ['surrounding space', ' ST3456789AY'],
  ])('rejects a reference with %s', (_, reference) => {
    expect(isGeneratedReference(reference)).toBe(false);
  });

  it('accepts a correct one', () => {
    expect(isGeneratedReference('ST3456789AY')).toBe(true);
  });
});

describe('matchingKey', () => {
  it.each([
    ['inv-2024/0042 ', 'INV20240042'],
    ['J Smith & Co.', 'JSMITHCO'],
    ['straße', 'STRAE'],
    ['ınv', 'NV'],
    ['-/ ', ''],
  ])('normalises %j to %j', (reference, key) => {
    expect(matchingKey(reference)).toBe(key);
  });

  it('is idempotent and keeps only A–Z and 0–9', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string({ unit: 'binary' }), fc.string()), (text) => {
        const key = matchingKey(text);
        expect(key).toMatch(/^[A-Z0-9]*$/);
        expect(matchingKey(key)).toBe(key);
      }),
    );
  });
});

describe('candidateKeys', () => {
  it('offers the whole reference first, then its tokens and joins, then the narrative', () => {
    // Short all-digit pieces (2024, 0042) are too common to name a payment on their own; joined they count.
    expect(candidateKeys({ reference: 'INV 2024 0042', description: 'ACME LTD' })).toEqual(['INV20240042', 'INV2024', '20240042', 'ACME', 'ACMELTD']);
  });

  it('finds a reference the bank split with spaces inside the narrative', () => {
    expect(candidateKeys({ description: 'J SMITH INV 2024 0042 FP' })).toContain('INV20240042');
  });

  it('finds a reference glued to a label by punctuation', () => {
    expect(candidateKeys({ description: 'PAYMENT REF-ST3456789AY' })).toContain('ST3456789AY');
    expect(candidateKeys({ reference: 'REF:INV-0042' })).toContain('INV0042');
  });

  it('drops dates and times from the narrative', () => {
    const keys = candidateKeys({ description: 'J SMITH ST3456789AY FP 24/11/26 1432 14:32:05' });
    expect(keys).toContain('ST3456789AY');
    expect(keys).toContain('SMITH');
    for (const dateOrTime of ['241126', '1432', '2411261432', '143205', '1432143205']) {
      expect(keys).not.toContain(dateOrTime);
    }
  });

  it('drops short all-digit pieces of text, but keeps them joined and keeps a whole numeric reference field', () => {
    expect(candidateKeys({ description: 'ROOM 1432' })).toEqual(['ROOM', 'ROOM1432']);
    expect(candidateKeys({ description: 'INV 2599 24/11/26' })).toContain('INV2599');
    expect(candidateKeys({ description: 'PAYMENT 123456' })).toContain('123456');
    expect(candidateKeys({ reference: '1126' })).toEqual(['1126']);
  });

  it.each(['24-11-26', '24.11.26', '2026-11-24', '24/11/2026', '14:32:05'])('never offers the date or time %s from a narrative', (date) => {
    const keys = candidateKeys({ description: `HMRC VAT REFUND ${date}` });
    expect(keys.filter((key) => /^[0-9]+$/.test(key))).toEqual([]);
  });

  it('keeps the whole reference field even when it looks like a date', () => {
    expect(candidateKeys({ reference: '24/11/26' })).toEqual(['241126']);
  });

  it('drops keys shorter than 4 or longer than 18 characters, and duplicates', () => {
    expect(candidateKeys({ reference: 'A-1', description: 'to x' })).toEqual([]);
    expect(candidateKeys({ reference: 'ABCDEFGHIJKLMNOPQRSTUVWXYZ' })).toEqual([]);
    expect(candidateKeys({ reference: 'INV42 INV42', description: 'inv42' })).toEqual(['INV42INV42', 'INV42']);
  });

  it('offers nothing for no fields', () => {
    expect(candidateKeys({})).toEqual([]);
  });

  it(`offers at most ${MAX_CANDIDATE_KEYS} distinct, well-formed keys whatever the input`, () => {
    expect(candidateKeys({ description: Array.from({ length: 10_000 }, (_, i) => `WORD${i}`).join(' ') })).toHaveLength(MAX_CANDIDATE_KEYS);
    fc.assert(
      fc.property(fc.string({ maxLength: 3000 }), fc.string({ maxLength: 3000 }), (reference, description) => {
        const keys = candidateKeys({ reference, description });
        expect(keys.length).toBeLessThanOrEqual(MAX_CANDIDATE_KEYS);
        expect(new Set(keys).size).toBe(keys.length);
        for (const key of keys) expect(key).toMatch(/^[A-Z0-9]{4,18}$/);
      }),
    );
  });

  it('includes the matching key of any valid reference of 4 or more key characters', () => {
    fc.assert(
      fc.property(tenantReferences, (reference) => {
        fc.pre(matchingKey(reference).length >= 4);
        expect(candidateKeys({ reference })).toContain(matchingKey(reference));
      }),
    );
  });

  it('finds a tenant reference the bank mangled, in the reference field or the narrative', () => {
    fc.assert(
      fc.property(tenantReferences, hyphenChoices, (reference, hyphens) => {
        const key = matchingKey(reference);
        fc.pre(key.length >= 4);
        const mangled = mangle(reference, hyphens);
        expect(candidateKeys({ reference: mangled })).toContain(key);
        // In the narrative only windows of up to three tokens or runs are joined, and a date alone is dropped.
        const tokens = mangled.trim().split(/\s+/).length;
        const runs = mangled.match(/[A-Z0-9]+/g)?.length ?? 0;
        if ((tokens <= 3 || runs <= 3) && /[A-Z]/.test(mangled)) {
          expect(candidateKeys({ description: `J SMITH ${mangled} FP 24/11/26 1432` })).toContain(key);
        }
      }),
    );
  });

  it('finds a generated reference after the payer and the bank have had their way with it', () => {
    const payerTyping = fc.record({
      prefix: fc.constantFrom('', 'Ref', 'INV', 'Inv 42', 'Pay', 'J Smith rent'),
      joiner: fc.constantFrom(' ', ':', '-', '/', ' - ', '.', ': '),
      lowerCase: fc.boolean(),
      grouping: fc.constantFrom('none', 'prefix apart', 'three groups'),
    });
    fc.assert(
      fc.property(generatedReferences, payerTyping, hyphenChoices, (reference, typing, hyphens) => {
        const cased = typing.lowerCase ? reference.toLowerCase() : reference;
        const grouped =
          typing.grouping === 'none' ? cased : typing.grouping === 'prefix apart' ? `${cased.slice(0, 2)} ${cased.slice(2)}` : `${cased.slice(0, 2)}-${cased.slice(2, 6)}-${cased.slice(6)}`;
        const typed = typing.prefix === '' ? grouped : `${typing.prefix}${typing.joiner}${grouped}`;
        const referenceField = mangle(typed, hyphens);
        // The narrative keeps what the reference field lost to truncation.
        const narrative = `J SMITH ${mangle(typed, hyphens, Number.POSITIVE_INFINITY)} FP 24/11/26 1432`;

        expect(candidateKeys({ reference: referenceField, description: narrative })).toContain(reference);
        if (typed.length <= REFERENCE_MAX_LENGTH) {
          expect(candidateKeys({ reference: referenceField })).toContain(reference);
        }
      }),
    );
  });
});
