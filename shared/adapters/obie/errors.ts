/**
 * The Open Banking gateway's own failures, one family (BankAccessDenied, the bank refusing access, is the domain's).
 * Messages name the bank and operation (and a bank's OB error codes), never tokens or bodies.
 */
export abstract class ObieError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** A bank answered with a status the adapter cannot use; names the bank, the operation and the OB error codes only. */
export class ObieBankError extends ObieError {
  constructor(
    readonly aspspId: string,
    readonly operation: string,
    readonly status: number,
    readonly errorCodes: readonly string[],
    options?: { cause?: unknown },
  ) {
    super(`Bank ${aspspId} answered ${operation} with HTTP ${status}${errorCodes.length === 0 ? '' : ` (${errorCodes.join(', ')})`}`, options);
  }
}

/** A bank answered 2xx with a body that is not what its API documents. */
export class ObieResponseError extends ObieError {
  constructor(
    readonly aspspId: string,
    readonly operation: string,
    detail: string,
    options?: { cause?: unknown },
  ) {
    super(`Bank ${aspspId} answered ${operation} with an unexpected body: ${detail}`, options);
  }
}

/** The bank could not be reached (connection, TLS, timeout). */
export class ObieTransportError extends ObieError {
  constructor(
    readonly aspspId: string,
    readonly operation: string,
    cause: unknown,
  ) {
    super(`Bank ${aspspId} ${operation} failed: ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
  }
}

/** An `aspspId` the registry does not hold. */
export class UnknownAspspError extends ObieError {
  constructor(readonly aspspId: string) {
    super(`No bank ${JSON.stringify(aspspId)} in the ASPSP registry`);
  }
}

/** A payment status code no mapping knows: a bank on a newer release, or a defect. Never guessed into a Settled status. */
export class UnknownPaymentStatusError extends ObieError {
  constructor(readonly statusCode: string) {
    super(`Unknown Open Banking payment status ${JSON.stringify(statusCode)}`);
  }
}

/** The configuration is invalid: names the secret and the field, never a value (they hold keys). */
export class ObieConfigurationError extends ObieError {}
