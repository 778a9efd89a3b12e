import {
  ConflictError,
  DomainError,
  ForbiddenError,
  GoneError,
  NotFoundError,
  TooManyRequestsError,
  UnauthorizedError,
  UnprocessableError,
  ValidationError,
} from '../../domain/errors';
import type { ErrorDetail } from '../../domain/errors';

export interface ErrorBody {
  readonly error: { readonly code: string; readonly message: string; readonly details: readonly ErrorDetail[] };
}

export interface HttpError {
  readonly statusCode: number;
  readonly body: ErrorBody;
  readonly headers?: Record<string, string>;
}

/** Status for each kind of domain error; the only place that knows both vocabularies. */
const statusOf = (error: DomainError): number => {
  if (error instanceof ValidationError) return error.code === 'unsupported_media_type' ? 415 : 400;
  if (error instanceof UnauthorizedError) return 401;
  if (error instanceof ForbiddenError) return 403;
  if (error instanceof NotFoundError) return 404;
  if (error instanceof GoneError) return 410;
  if (error instanceof ConflictError) return 409;
  if (error instanceof UnprocessableError) return 422;
  if (error instanceof TooManyRequestsError) return 429;
  return 400;
};

/** Headers a status obliges: how to authenticate after a 401, when to come back after a 429. */
const headersOf = (error: DomainError, statusCode: number): Record<string, string> | undefined => {
  if (statusCode === 401) return { 'www-authenticate': 'Bearer' };
  if (error instanceof TooManyRequestsError) return { 'retry-after': String(error.retryAfterSeconds) };
  return undefined;
};

/**
 * Maps any thrown value to the contract's error shape. Only DomainErrors expose their message; anything else is
 * a 500 with a generic message, so stack traces and internals never reach a client.
 */
export const toHttpError = (error: unknown): HttpError => {
  if (error instanceof DomainError) {
    const statusCode = statusOf(error);
    const headers = headersOf(error, statusCode);
    return {
      statusCode,
      body: { error: { code: error.code, message: error.message, details: error.details } },
      ...(headers === undefined ? {} : { headers }),
    };
  }
  return {
    statusCode: 500,
    body: { error: { code: 'internal_error', message: 'An internal error occurred. It has been logged.', details: [] } },
  };
};
