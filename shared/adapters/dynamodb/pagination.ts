import { type DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { Page, PageRequest } from '../../domain/accounts/account';
import { ValidationError } from '../../domain/errors';
import { fromItem } from './items';

/** Opaque list cursors: DynamoDB's LastEvaluatedKey as base64url JSON. */
export const encodeCursor = (lastEvaluatedKey: Record<string, unknown> | undefined): string | null =>
  lastEvaluatedKey === undefined ? null : Buffer.from(JSON.stringify(lastEvaluatedKey), 'utf8').toString('base64url');

export const decodeCursor = (cursor: string | undefined, expectedPartition: { name: string; value: string }): Record<string, unknown> | undefined => {
  if (cursor === undefined) return undefined;
  let decoded: unknown;
  try {
    decoded = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch (cause) {
    throw new ValidationError('The cursor is invalid.', { details: [{ path: 'cursor', message: 'use nextCursor from a previous page' }], cause });
  }
  // A cursor only continues the list it came from: never another tenant's partition.
  if (decoded === null || typeof decoded !== 'object' || (decoded as Record<string, unknown>)[expectedPartition.name] !== expectedPartition.value) {
    throw new ValidationError('The cursor is invalid.', { details: [{ path: 'cursor', message: 'use nextCursor from a previous page' }] });
  }
  return decoded as Record<string, unknown>;
};

/** DynamoDB queries one list request may make to fill a filtered page before it answers a short page. */
export const MAX_QUERIES_PER_PAGE = 10;
/** Items read per query when a filter may drop some (DynamoDB's Limit counts items read, not items kept). */
const FILTERED_READ_SIZE = 200;

/** A query on gsi1's list partition: the key condition beyond the partition, and filters on what it reads. */
export interface ListQuery {
  readonly partition: string;
  readonly page: PageRequest;
  readonly newestFirst?: boolean | undefined;
  /** Inclusive bounds on gsi1sk (the key range read, never a filter). */
  readonly range?: { readonly from?: string | undefined; readonly to?: string | undefined } | undefined;
  readonly filterExpression?: string | undefined;
  readonly names?: Readonly<Record<string, string>> | undefined;
  readonly values?: Readonly<Record<string, unknown>> | undefined;
  /** A condition DynamoDB cannot evaluate (case-insensitive text), applied to each item read. */
  readonly keep?: ((item: Record<string, unknown>) => boolean) | undefined;
}

const keyOf = (item: Record<string, unknown>) => ({ pk: item.pk, sk: item.sk, gsi1pk: item.gsi1pk, gsi1sk: item.gsi1sk });

/**
 * One page of a gsi1 list partition as raw items, full whatever the filters drop: it queries on from where the last
 * query stopped until `limit` items are kept or the partition ends. It makes at most MAX_QUERIES_PER_PAGE queries;
 * past that it answers the items kept so far (possibly none) WITH a nextCursor, so a very selective filter over a
 * long history costs a bounded amount per request and the client simply follows the cursor.
 */
export const queryFullPage = async (client: DynamoDBDocumentClient, tableName: string, query: ListQuery): Promise<Page<Record<string, unknown>>> => {
  const filtered = query.filterExpression !== undefined || query.keep !== undefined;
  const limit = query.page.limit;
  const newestFirst = query.newestFirst === true;
  const kept: Record<string, unknown>[] = [];
  const cursor = decodeCursor(query.page.cursor, { name: 'gsi1pk', value: query.partition });
  // Where reading resumes, as a key bound rather than ExclusiveStartKey: the read starts from the index position at
  // any depth of the partition (DynamoDB Local walks to an ExclusiveStartKey, so a deep page would cost time there).
  let position = typeof cursor?.gsi1sk === 'string' ? cursor.gsi1sk : undefined;
  let lastKey: Record<string, unknown> | undefined;
  for (let queries = 0; queries < MAX_QUERIES_PER_PAGE; queries += 1) {
    const bounds = boundsAfter(query.range, position, newestFirst);
    const result = await client.send(
      new QueryCommand({
        TableName: tableName,
        IndexName: 'gsi1',
        KeyConditionExpression: `gsi1pk = :pk${bounds.expression}`,
        ...(query.filterExpression === undefined ? {} : { FilterExpression: query.filterExpression }),
        ...(query.names === undefined || Object.keys(query.names).length === 0 ? {} : { ExpressionAttributeNames: query.names }),
        ExpressionAttributeValues: { ':pk': query.partition, ...query.values, ...bounds.values },
        ScanIndexForward: !newestFirst,
        // One more than needed: the bound is inclusive, so the item at `position` itself may be read again.
        Limit: (filtered ? Math.max(limit - kept.length, FILTERED_READ_SIZE) : limit - kept.length) + (position === undefined ? 0 : 1),
      }),
    );
    const items = (result.Items ?? []).filter((item) => item.gsi1sk !== position);
    for (const [index, item] of items.entries()) {
      if (query.keep !== undefined && !query.keep(item)) continue;
      kept.push(item);
      if (kept.length === limit) {
        const exhausted = result.LastEvaluatedKey === undefined && index === items.length - 1;
        return { data: kept, nextCursor: exhausted ? null : encodeCursor(keyOf(item)) };
      }
    }
    if (result.LastEvaluatedKey === undefined) return { data: kept, nextCursor: null };
    lastKey = result.LastEvaluatedKey;
    position = typeof lastKey.gsi1sk === 'string' ? lastKey.gsi1sk : position;
  }
  return { data: kept, nextCursor: encodeCursor(lastKey) };
};

/** The key condition on gsi1sk: the range, narrowed to what lies past `position` in reading order (inclusive). */
const boundsAfter = (
  range: ListQuery['range'],
  position: string | undefined,
  newestFirst: boolean,
): { readonly expression: string; readonly values: Record<string, string> } => {
  let from = range?.from;
  let to = range?.to;
  if (position !== undefined) {
    if (newestFirst) to = to === undefined || position < to ? position : to;
    else from = from === undefined || position > from ? position : from;
  }
  if (from !== undefined && to !== undefined) return { expression: ' AND gsi1sk BETWEEN :rangeFrom AND :rangeTo', values: { ':rangeFrom': from, ':rangeTo': to } };
  if (from !== undefined) return { expression: ' AND gsi1sk >= :rangeFrom', values: { ':rangeFrom': from } };
  if (to !== undefined) return { expression: ' AND gsi1sk <= :rangeTo', values: { ':rangeTo': to } };
  return { expression: '', values: {} };
};

/**
 * One page of a gsi1 list partition, oldest first unless `newestFirst`, as domain objects of `entity`. `equals`
 * keeps items whose top-level attributes have those values; the page is still full (queryFullPage).
 * `createdBetween` narrows the key condition itself (list sort keys start with the item's ISO `createdAt`, both ends
 * inclusive), so a bounded read costs what it returns, not the whole partition.
 */
export const queryListPage = async <T>(
  client: DynamoDBDocumentClient,
  tableName: string,
  request: {
    partition: string;
    entity: string;
    page: PageRequest;
    newestFirst?: boolean;
    equals?: Readonly<Record<string, string | undefined>>;
    createdBetween?: { readonly from?: string | undefined; readonly to?: string | undefined };
  },
): Promise<Page<T>> => {
  const conditions: string[] = [];
  const names: Record<string, string> = {};
  const values: Record<string, unknown> = {};
  const { from, to } = request.createdBetween ?? {};
  // `to` + U+FFFF: the sort key is `${createdAt}#${id}`, so every item created at `to` itself is included.
  const range = { from, to: to === undefined ? undefined : `${to}\uffff` };
  for (const [field, value] of Object.entries(request.equals ?? {})) {
    if (value === undefined) continue;
    conditions.push(`#${field} = :${field}`);
    names[`#${field}`] = field;
    values[`:${field}`] = value;
  }
  const page = await queryFullPage(client, tableName, {
    partition: request.partition,
    page: request.page,
    newestFirst: request.newestFirst,
    range,
    filterExpression: conditions.length === 0 ? undefined : conditions.join(' AND '),
    names,
    values,
  });
  return { data: page.data.map((item) => fromItem<T>(item, request.entity)), nextCursor: page.nextCursor };
};
