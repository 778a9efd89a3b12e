import { getCountrySpecifications, validateIBAN, ValidationErrorsIBAN } from 'ibantools';

/**
 * IBANs (ISO 13616): country code, two check digits, then the country's BBAN. Validation (country, length, BBAN
 * format, mod-97 check digits) is ibantools', which follows the SWIFT IBAN registry; this module only normalises,
 * explains a failure in words a client can act on, and takes a UK IBAN apart into its sort code and account number.
 */

/** A valid IBAN in electronic form (no spaces, upper case), and what it tells about a UK account. */
export interface ParsedIban {
  readonly iban: string;
  readonly countryCode: string;
  /** GB only: the 6 digits after the 4-letter bank code, and the last 8. Null for every other country. */
  readonly sortCode: string | null;
  readonly accountNumber: string | null;
}

export type IbanResult = { readonly ok: true; readonly value: ParsedIban } | { readonly ok: false; readonly message: string };

/** GBkk BBBB SSSSSS AAAAAAAA: a 4-letter bank code, the sort code, the account number. */
const GB_BBAN = /^GB[0-9]{2}[A-Z]{4}([0-9]{6})([0-9]{8})$/;

/** Spaces (as IBANs are printed, in groups of four) and case are ignored: "gb82 west 1234 5698 7654 32" is an IBAN. */
export const normaliseIban = (input: string): string => input.replace(/\s+/g, '').toUpperCase();

/** Parses an IBAN, or says which rule it breaks ("iban …" messages, for a 400 detail on `iban`). */
export const parseIban = (input: string): IbanResult => {
  const iban = normaliseIban(input);
  if (iban === '') return { ok: false, message: 'iban must not be empty' };
  if (!/^[A-Z0-9]+$/.test(iban)) return { ok: false, message: 'iban may contain only letters, digits and spaces' };
  const countryCode = iban.slice(0, 2);
  const spec = getCountrySpecifications()[countryCode];
  if (!/^[A-Z]{2}$/.test(countryCode) || spec?.chars === undefined || spec.chars === null) {
    return { ok: false, message: `iban must start with a country that uses IBANs; ${JSON.stringify(countryCode)} does not` };
  }
  if (iban.length !== spec.chars) {
    return { ok: false, message: `iban of ${countryCode} must have ${spec.chars} characters, not ${iban.length}` };
  }
  const { valid, errorCodes } = validateIBAN(iban);
  if (!valid) {
    if (errorCodes.includes(ValidationErrorsIBAN.WrongBBANFormat) || errorCodes.includes(ValidationErrorsIBAN.WrongBBANLength)) {
      return { ok: false, message: `iban does not have the account format of ${countryCode}` };
    }
    if (errorCodes.includes(ValidationErrorsIBAN.ChecksumNotNumber)) {
      return { ok: false, message: 'iban check digits (characters 3 and 4) must be digits' };
    }
    if (errorCodes.includes(ValidationErrorsIBAN.WrongAccountBankBranchChecksum)) {
      return { ok: false, message: `iban fails the national account check digits of ${countryCode}` };
    }
    // WrongIBANChecksum, or anything ibantools adds later: the mod-97 check is the last rule left.
    return { ok: false, message: 'iban fails its mod-97 check digits: a character is probably mistyped' };
  }
  const gb = GB_BBAN.exec(iban);
  if (countryCode === 'GB' && gb === null) {
    return { ok: false, message: 'iban does not have the account format of GB' };
  }
  return { ok: true, value: { iban, countryCode, sortCode: gb?.[1] ?? null, accountNumber: gb?.[2] ?? null } };
};
