/** One offending field of a refused request, as the contract's error shape has it. */
export interface SettledErrorDetail {
  readonly path: string;
  readonly message: string;
}

/**
 * A non-2xx answer from Settled. `code` is the stable machine-readable code of the contract's error shape
 * (`validation_failed`, `not_found`, `idempotency_key_reused`, …); an answer that is not in that shape (a proxy's
 * HTML page, an empty body) has code `unexpected_response` and its text as message.
 */
export class SettledApiError extends Error {
  override readonly name = 'SettledApiError';

  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details: readonly SettledErrorDetail[],
    /** The `x-request-id` to quote to support. */
    readonly requestId: string | undefined,
  ) {
    super(message);
  }
}

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

const detailsOf = (value: unknown): SettledErrorDetail[] | undefined => {
  if (!Array.isArray(value)) return undefined;
  const details: SettledErrorDetail[] = [];
  for (const item of value) {
    if (!isRecord(item) || typeof item.path !== 'string' || typeof item.message !== 'string') return undefined;
    details.push({ path: item.path, message: item.message });
  }
  return details;
};

/** The error an answer stands for: the body is checked against the error shape, never trusted. */
export const settledApiError = (response: Response, body: unknown): SettledApiError => {
  const requestId = response.headers.get('x-request-id') ?? undefined;
  const error = isRecord(body) ? body.error : undefined;
  if (isRecord(error) && typeof error.code === 'string' && typeof error.message === 'string') {
    const details = detailsOf(error.details);
    if (details !== undefined) return new SettledApiError(response.status, error.code, error.message, details, requestId);
  }
  const text = typeof body === 'string' && body !== '' ? body.slice(0, 500) : `HTTP ${response.status}`;
  return new SettledApiError(response.status, 'unexpected_response', text, [], requestId);
};
