import { describe, expect, it } from 'vitest';
import { normaliseIban, parseIban } from '../../../../shared/domain/accounts/iban';

/** Published sample IBANs (the SWIFT IBAN registry's examples), valid by construction. */
const SAMPLES = {
  GB: 'GB29NWBK60161331926819',
  DE: 'DE89370400440532013000',
  FR: 'FR1420041010050500013M02606',
  NL: 'NL91ABNA0417164300',
  CH: 'CH9300762011623852957',
} as const;

const messageOf = (input: string): string => {
  const result = parseIban(input);
  if (result.ok) throw new Error(`expected ${input} to be refused`);
  return result.message;
};

describe('parseIban', () => {
  it('takes a GB IBAN apart into its sort code (after the bank code) and account number (the last 8)', () => {
    expect(parseIban(SAMPLES.GB)).toEqual({
      ok: true,
      value: { iban: SAMPLES.GB, countryCode: 'GB', sortCode: '601613', accountNumber: '31926819' },
    });
  });

  it.each(['DE', 'FR', 'NL', 'CH'] as const)('keeps a %s IBAN whole, with no sort code or account number', (country) => {
    expect(parseIban(SAMPLES[country])).toEqual({
      ok: true,
      value: { iban: SAMPLES[country], countryCode: country, sortCode: null, accountNumber: null },
    });
  });

  it('accepts the printed form: groups of four, lower case', () => {
    expect(parseIban('de89 3704 0044 0532 0130 00')).toEqual({
      ok: true,
      value: { iban: SAMPLES.DE, countryCode: 'DE', sortCode: null, accountNumber: null },
    });
    expect(normaliseIban(' gb29 nwbk\t6016 1331 9268 19 ')).toBe(SAMPLES.GB);
  });

  it('refuses a mistyped character by the mod-97 check digits', () => {
    expect(messageOf('GB29NWBK60161331926818')).toMatch(/^iban fails its mod-97 check digits/);
    expect(messageOf('DE88370400440532013000')).toMatch(/mod-97/);
  });

  it('refuses the wrong length for the country, naming both lengths', () => {
    expect(messageOf('GB29NWBK6016133192681')).toBe('iban of GB must have 22 characters, not 21');
    expect(messageOf('NL91ABNA04171643001')).toBe('iban of NL must have 18 characters, not 19');
  });

  it('refuses countries without IBANs, stray characters and emptiness', () => {
    expect(messageOf('US12345678901234567890')).toMatch(/^iban must start with a country that uses IBANs; "US"/);
    expect(messageOf('12NWBK60161331926819')).toMatch(/country/);
    expect(messageOf('GB29-NWBK-6016-1331-9268-19')).toBe('iban may contain only letters, digits and spaces');
    expect(messageOf('   ')).toBe('iban must not be empty');
  });

  it('refuses a BBAN that breaks the country format even when the check digits add up', () => {
    // GB with digits where the 4-letter bank code goes; check digits 58 make its mod-97 remainder 1.
    expect(messageOf('GB58123460161331926819')).toBe('iban does not have the account format of GB');
    expect(messageOf('GBXX NWBK 6016 1331 9268 19')).toBe('iban check digits (characters 3 and 4) must be digits');
  });
});
