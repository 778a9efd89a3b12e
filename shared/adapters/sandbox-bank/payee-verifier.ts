import { compareNames, type Payee, type PayeeVerification, type PayeeVerifier } from '../../domain/payments/payee-verification';

/** The one named account holder of the sandbox bank (API.md, Confirmation of Payee). */
export const SANDBOX_NAMED_HOLDER = 'Jordan Example';

/**
 * The sandbox bank's Confirmation of Payee rules: an account number ending 9999 belongs to "Jordan Example"; one
 * ending 0000 is at a bank outside the scheme (`unavailable`); any other account's holder is whoever the request names.
 */
export const sandboxPayeeVerification = (payee: Payee): PayeeVerification => {
  if (payee.accountNumber.endsWith('9999')) return compareNames(payee.name, SANDBOX_NAMED_HOLDER);
  if (payee.accountNumber.endsWith('0000')) return { result: 'unavailable' };
  return { result: 'match' };
};

export const sandboxPayeeVerifier: PayeeVerifier = { verify: async (payee) => sandboxPayeeVerification(payee) };
