import type { PayeeVerifier } from '../domain/payments/payee-verification';
import { sandboxPayeeVerifier } from './sandbox-bank/payee-verifier';

/**
 * The Confirmation of Payee responder every function that sends money asks (docs/confirmation-of-payee.md).
 * For now the sandbox bank's rules answer for every provider, Open Banking accounts included: a payee is a UK
 * account whatever bank the tenant pays from, and the check is the payee's bank's answer, not the payer's. A real
 * CoP responder (Pay.UK's service through a CoP provider) is another PayeeVerifier adapter plugged in here.
 */
export const payeeVerifier = (): PayeeVerifier => sandboxPayeeVerifier;
