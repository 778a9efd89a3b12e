import { ValidationError } from '../../domain/errors';

/** 1,000 transactions of generous size; API Gateway's own limit (10 MB) is far above what a bank sends at once. */
export const MAX_WEBHOOK_BYTES = 2 * 1024 * 1024;

/** A (verified) webhook body as JSON: too large or not JSON is a 400 naming which, before any schema is applied. */
export const parseWebhookJson = (rawBody: string): unknown => {
  if (Buffer.byteLength(rawBody, 'utf8') > MAX_WEBHOOK_BYTES) {
    throw new ValidationError(`The webhook body is larger than ${MAX_WEBHOOK_BYTES} bytes.`, { code: 'body_too_large' });
  }
  try {
    return JSON.parse(rawBody);
  } catch (cause) {
    throw new ValidationError('The webhook body is not valid JSON.', { code: 'invalid_json', cause });
  }
};
