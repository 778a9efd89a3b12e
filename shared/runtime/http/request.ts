import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import * as v from 'valibot';
import { ValidationError, type ErrorDetail } from '../../domain/errors';
import { type InputKind, plainMessage } from './validation-messages';

/** Largest request body accepted, in bytes (API Gateway's own limit is 10 MB). */
export const MAX_BODY_BYTES = 1024 * 1024;

export const rawBodyOf = (event: APIGatewayProxyEventV2): string => {
  if (event.body === undefined || event.body === null) return '';
  return event.isBase64Encoded ? Buffer.from(event.body, 'base64').toString('utf8') : event.body;
};

/** valibot issues as the contract's `details`, each message naming the field and the rule in plain words. */
export const issuesToDetails = (issues: readonly v.BaseIssue<unknown>[], kind: InputKind = 'body'): ErrorDetail[] =>
  issues.map((issue) => ({ path: v.getDotPath(issue) ?? '', message: plainMessage(issue, kind) }));

/** Validates any value against a schema, throwing the contract's 400 on failure. */
export const validate = <TSchema extends v.GenericSchema>(
  schema: TSchema,
  input: unknown,
  what = 'The request body',
  kind: InputKind = 'body',
): v.InferOutput<TSchema> => {
  const result = v.safeParse(schema, input);
  if (!result.success) {
    throw new ValidationError(`${what} is invalid.`, { details: issuesToDetails(result.issues, kind) });
  }
  return result.output;
};

/**
 * Parses and validates a JSON request body. Rejects other media types (415), bodies over MAX_BODY_BYTES,
 * malformed JSON (400 invalid_json) and anything the schema refuses, including unknown fields (400).
 */
export const parseJsonBody = <TSchema extends v.GenericSchema>(
  event: APIGatewayProxyEventV2,
  schema: TSchema,
  /** A route that takes larger bodies (a 10,000-item payout) says so; Lambda's own limit is 6 MB. */
  maxBytes: number = MAX_BODY_BYTES,
): v.InferOutput<TSchema> => {
  const contentType = event.headers['content-type'];
  if (contentType !== undefined && !/^application\/([\w.+-]+\+)?json\b/i.test(contentType)) {
    throw new ValidationError(`Content-Type must be application/json, got "${contentType}".`, {
      code: 'unsupported_media_type',
    });
  }
  const raw = rawBodyOf(event);
  if (Buffer.byteLength(raw, 'utf8') > maxBytes) {
    throw new ValidationError(`The request body is larger than ${maxBytes} bytes.`, { code: 'body_too_large' });
  }
  if (raw.trim() === '') {
    throw new ValidationError('The request body is empty; a JSON object is required.', { code: 'invalid_json' });
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch (cause) {
    throw new ValidationError('The request body is not valid JSON.', { code: 'invalid_json', cause });
  }
  return validate(schema, parsed);
};

/** The bearer token of the Authorization header, if there is one. */
export const bearerTokenOf = (event: APIGatewayProxyEventV2): string | undefined => {
  const header = event.headers.authorization;
  const match = header === undefined ? null : /^Bearer\s+(\S+)\s*$/i.exec(header);
  return match?.[1];
};
