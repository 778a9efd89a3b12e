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

/** How an account's bank account is known: by sort code and account number, by an IBAN, or (GB IBAN) by both. */
export interface BankAccountIdentity {
  readonly sortCode: string | null;
  readonly accountNumber: string | null;
  readonly iban: string | null;
}

export type IdentityResult =
  | { readonly ok: true; readonly value: BankAccountIdentity }
  | { readonly ok: false; readonly path: 'iban' | 'sortCode' | 'accountNumber'; readonly message: string };

/**
 * The bank account a request names: an `iban`, or a `sortCode` with an `accountNumber`. Both are accepted only
 * for a GB IBAN that contains that very sort code and account number; a GB IBAN alone gives them; any other
 * country's IBAN is the account's only identity.
 */
export const identifyBankAccount = (named: { readonly iban?: string; readonly sortCode?: string; readonly accountNumber?: string }): IdentityResult => {
  const { sortCode, accountNumber } = named;
  if ((sortCode === undefined) !== (accountNumber === undefined)) {
    return {
      ok: false,
      path: sortCode === undefined ? 'sortCode' : 'accountNumber',
      message: 'name the bank account with both sortCode and accountNumber, or with an iban',
    };
  }
  if (named.iban === undefined) {
    if (sortCode === undefined || accountNumber === undefined) {
      return { ok: false, path: 'iban', message: 'name the bank account with an iban, or with sortCode and accountNumber' };
    }
    return { ok: true, value: { sortCode, accountNumber, iban: null } };
  }
  const parsed = parseIban(named.iban);
  if (!parsed.ok) return { ok: false, path: 'iban', message: parsed.message };
  const { iban, countryCode } = parsed.value;
  if (sortCode !== undefined) {
    if (parsed.value.sortCode === null) {
      return { ok: false, path: 'iban', message: `iban of ${countryCode} has no sort code or account number: give the iban alone` };
    }
    if (parsed.value.sortCode !== sortCode || parsed.value.accountNumber !== accountNumber) {
      return {
        ok: false,
        path: 'iban',
        message: `iban names sort code ${parsed.value.sortCode} and account number ${parsed.value.accountNumber}, not the sortCode and accountNumber given`,
      };
    }
  }
  return { ok: true, value: { sortCode: parsed.value.sortCode, accountNumber: parsed.value.accountNumber, iban } };
};
