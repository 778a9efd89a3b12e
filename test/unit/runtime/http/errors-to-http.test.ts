import { describe, expect, it } from 'vitest';
import { TooManyRequestsError, UnauthorizedError } from '../../../../shared/domain/errors';
import { toHttpError } from '../../../../shared/runtime/http/errors-to-http';

describe('toHttpError', () => {
  it('answers a tenant over its rate limit with 429, rate_limited and Retry-After', () => {
    // Act
    const httpError = toHttpError(new TooManyRequestsError('Too many requests.', { retryAfterSeconds: 2 }));
    // Assess
    expect(httpError.statusCode).toBe(429);
    expect(httpError.headers).toEqual({ 'retry-after': '2' });
    expect(httpError.body.error).toMatchObject({ code: 'rate_limited', details: [] });
  });

  it('still tells a 401 how to authenticate', () => {
    const httpError = toHttpError(new UnauthorizedError('No key.'));
    expect(httpError.statusCode).toBe(401);
    expect(httpError.headers).toEqual({ 'www-authenticate': 'Bearer' });
  });
});
