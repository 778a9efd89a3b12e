import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import * as v from 'valibot';
import type { PageRequest } from '../../domain/accounts/account';
import { validate } from './request';

export const DEFAULT_PAGE_SIZE = 50;
export const MAX_PAGE_SIZE = 500;

const PageQuerySchema = v.object({
  limit: v.optional(
    v.pipe(v.string(), v.regex(/^[0-9]{1,3}$/, `limit must be a whole number from 1 to ${MAX_PAGE_SIZE}`), v.transform(Number), v.minValue(1), v.maxValue(MAX_PAGE_SIZE, `limit must be at most ${MAX_PAGE_SIZE}`)),
  ),
  cursor: v.optional(v.pipe(v.string(), v.maxLength(2048))),
});

/** Validates the query string against `schema` (which lists every accepted parameter; others are refused). */
export const parseQuery = <TSchema extends v.GenericSchema>(event: APIGatewayProxyEventV2, schema: TSchema): v.InferOutput<TSchema> =>
  validate(schema, event.queryStringParameters ?? {}, 'The query string', 'query');

/** `?limit=&cursor=` as a page request. */
export const pageOf = (query: { limit?: number | undefined; cursor?: string | undefined }): PageRequest => ({
  limit: query.limit ?? DEFAULT_PAGE_SIZE,
  cursor: query.cursor,
});

/** The shared list parameters, to spread into a route's strict query schema. */
export const pageQueryEntries = PageQuerySchema.entries;

/** A path parameter API Gateway guarantees by the route; absent only if the route table and handler disagree. */
export const pathParameter = (event: APIGatewayProxyEventV2, name: string): string => {
  const value = event.pathParameters?.[name];
  if (value === undefined) throw new Error(`Route ${event.routeKey} has no path parameter ${name}`);
  return value;
};
