import { createHash } from 'node:crypto';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import type { ApiResponse } from '../runtime/http/api-handler';

// ETag revalidation of the pages and documents Settled serves to browsers (the API reference, the console), in a
// module of its own so a function that serves one page does not bundle another's assets.

/** Page and document change with a deployment: revalidated every time (a 304 when unchanged). */
const REVALIDATE = 'no-cache';

const etagOf = (content: string): string => `"${createHash('sha256').update(content, 'utf8').digest('base64url').slice(0, 27)}"`;

/** Whether the client's `If-None-Match` names `etag` (a list, weak or strong, or `*`). */
const notModified = (event: Pick<APIGatewayProxyEventV2, 'headers'>, etag: string): boolean => {
  const ifNoneMatch = event.headers['if-none-match'];
  if (ifNoneMatch === undefined) return false;
  return ifNoneMatch.split(',').some((tag) => {
    const trimmed = tag.trim();
    return trimmed === '*' || trimmed.replace(/^W\//, '') === etag;
  });
};

/** A page or document answer: revalidated by ETag, 304 with no body when the client has it already. */
export const revalidated = (event: Pick<APIGatewayProxyEventV2, 'headers'>, contentType: string, content: string, headers: Readonly<Record<string, string>> = {}): ApiResponse => {
  const etag = etagOf(content);
  const common = { ...headers, 'cache-control': REVALIDATE, etag };
  if (notModified(event, etag)) return { statusCode: 304, headers: common, rawBody: { contentType, content: '' } };
  return { statusCode: 200, headers: common, rawBody: { contentType, content } };
};
