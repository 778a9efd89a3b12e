/** One entry of an error's `details`: which input was wrong and why. */
export interface ErrorDetail {
  readonly path: string;
  readonly message: string;
}

/**
 * Base of every error the domain raises on purpose. `code` is the stable machine-readable value that clients
 * branch on; the HTTP mapping (shared/runtime/http) turns each subclass into a status.
 */
export abstract class DomainError extends Error {
  abstract readonly code: string;
  readonly details: readonly ErrorDetail[];

  constructor(message: string, options: { details?: readonly ErrorDetail[]; cause?: unknown } = {}) {
    super(message, { cause: options.cause });
    this.name = new.target.name;
    this.details = options.details ?? [];
  }
}

/** The request is malformed or breaks a rule of the contract. */
export class ValidationError extends DomainError {
  readonly code: string;
  constructor(message: string, options: { code?: string; details?: readonly ErrorDetail[]; cause?: unknown } = {}) {
    super(message, options);
    this.code = options.code ?? 'validation_failed';
  }
}

/** No credentials, or credentials that do not identify a caller. */
export class UnauthorizedError extends DomainError {
  readonly code = 'unauthorized';
}

/** The caller is known but may not do this; `code` says why when a client can act on it (`consent_revoked`). */
export class ForbiddenError extends DomainError {
  readonly code: string;
  constructor(message: string, options: { code?: string; cause?: unknown } = {}) {
    super(message, options);
    this.code = options.code ?? 'forbidden';
  }
}

/** The resource does not exist for this caller (another tenant's resource answers the same). */
export class NotFoundError extends DomainError {
  readonly code: string;
  constructor(message: string, options: { code?: string; cause?: unknown } = {}) {
    super(message, options);
    this.code = options.code ?? 'not_found';
  }
}

/** The request conflicts with the resource's current state. */
export class ConflictError extends DomainError {
  readonly code: string;
  constructor(message: string, options: { code?: string; details?: readonly ErrorDetail[]; cause?: unknown } = {}) {
    super(message, options);
    this.code = options.code ?? 'conflict';
  }
}

/** Well-formed, but the business rules refuse it (limits, reused idempotency keys). */
export class UnprocessableError extends DomainError {
  readonly code: string;
  constructor(code: string, message: string, options: { details?: readonly ErrorDetail[]; cause?: unknown } = {}) {
    super(message, options);
    this.code = code;
  }
}

/** The thing existed but is no longer usable (an expired authorisation link): 410, unlike a never-known 404. */
export class GoneError extends DomainError {
  readonly code: string;
  constructor(message: string, options: { code?: string; cause?: unknown } = {}) {
    super(message, options);
    this.code = options.code ?? 'gone';
  }
}

/** The tenant has spent its request allowance for now; `retryAfterSeconds` says when the next window opens. */
export class TooManyRequestsError extends DomainError {
  readonly code = 'rate_limited';
  readonly retryAfterSeconds: number;
  constructor(message: string, options: { retryAfterSeconds: number; cause?: unknown }) {
    super(message, { cause: options.cause });
    this.retryAfterSeconds = options.retryAfterSeconds;
  }
}
