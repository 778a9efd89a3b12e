import { type DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { Page, PageRequest } from '../../domain/accounts/account';
import { ValidationError } from '../../domain/errors';
import { fromItem } from './items';
import { readListPage } from './list-merge';
import { listShardSchedule, type ShardSchedule } from './list-partitions';

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

/**
 * DynamoDB queries one list request may start before it answers a short page (with a cursor). A page merges the shards
 * of a month (list-partitions.ts), so this bounds rounds of about one query per shard: a page stops starting new
 * queries past it, so it makes at most this many plus one round.
 */
export const MAX_QUERIES_PER_PAGE = 24;
/** Items read per query when a filter may drop some (DynamoDB's Limit counts items read, not items kept). */
const FILTERED_READ_SIZE = 200;

/** A query on a gsi1 list: the key condition beyond the partition, and filters on what it reads. */
export interface ListQuery {
  /** The list's base key (keys.ts): its bucket partitions and the base itself are merged (list-partitions.ts). */
  readonly partition: string;
  readonly page: PageRequest;
  readonly newestFirst?: boolean | undefined;
  /** Inclusive bounds on gsi1sk (the key range read, never a filter). */
  readonly range?: { readonly from?: string | undefined; readonly to?: string | undefined } | undefined;
  /** Exclusive: only items past this sort key in reading order (the event log's `after`); a cursor goes further. */
  readonly after?: string | undefined;
  readonly filterExpression?: string | undefined;
  readonly names?: Readonly<Record<string, string>> | undefined;
  readonly values?: Readonly<Record<string, unknown>> | undefined;
  /** A condition DynamoDB cannot evaluate (case-insensitive text), applied to each item read. */
  readonly keep?: ((item: Record<string, unknown>) => boolean) | undefined;
  /** The list's shard schedule; listShardSchedule() unless given. */
  readonly schedule?: ShardSchedule | undefined;
  /** The reader's clock (epoch ms), which bounds the months walked; Date.now() unless given. */
  readonly now?: number | undefined;
}

/**
 * One page of a gsi1 list as raw items, full whatever the filters drop: it merges the list's month buckets, their
 * shards and its base partition in gsi1sk order (list-merge.ts), querying each from where it stopped until `limit`
 * items are kept or the list ends. Past MAX_QUERIES_PER_PAGE queries it answers the items kept so far (possibly
 * none) WITH a nextCursor, so a very selective filter over a long history, or a walk over many empty months, costs a
 * bounded amount per request and the client simply follows the cursor.
 *
 * The cursor is `{ gsi1pk: <the list's base>, gsi1sk: <position> }`: the base names the tenant (a cursor never reads
 * another tenant's list), and the position alone says where to resume in every partition of the list. Cursors of
 * pages read before buckets existed have the same two fields and resume the same way.
 */
export const queryFullPage = async (client: DynamoDBDocumentClient, tableName: string, query: ListQuery): Promise<Page<Record<string, unknown>>> => {
  const newestFirst = query.newestFirst === true;
  const cursor = decodeCursor(query.page.cursor, { name: 'gsi1pk', value: query.partition });
  // Where reading resumes, as a key bound rather than ExclusiveStartKey: the read starts from the index position at
  // any depth of the partition (DynamoDB Local walks to an ExclusiveStartKey, so a deep page would cost time there).
  const position = typeof cursor?.gsi1sk === 'string' ? cursor.gsi1sk : query.after;
  const page = await readListPage({
    base: query.partition,
    schedule: query.schedule ?? listShardSchedule(),
    range: query.range,
    position,
    newestFirst,
    now: query.now ?? Date.now(),
    limit: query.page.limit,
    filtered: query.filterExpression !== undefined || query.keep !== undefined,
    keep: query.keep,
    maxQueries: MAX_QUERIES_PER_PAGE,
    filteredReadSize: FILTERED_READ_SIZE,
    query: async (source) => {
      const bounds = keyBounds(source.from, source.to);
      const result = await client.send(
        new QueryCommand({
          TableName: tableName,
          IndexName: 'gsi1',
          KeyConditionExpression: `gsi1pk = :pk${bounds.expression}`,
          ...(query.filterExpression === undefined ? {} : { FilterExpression: query.filterExpression }),
          ...(query.names === undefined || Object.keys(query.names).length === 0 ? {} : { ExpressionAttributeNames: query.names }),
          ExpressionAttributeValues: { ':pk': source.partition, ...query.values, ...bounds.values },
          ScanIndexForward: !source.newestFirst,
          Limit: source.limit,
        }),
      );
      const lastRead = result.LastEvaluatedKey?.gsi1sk;
      return { items: result.Items ?? [], lastRead: result.LastEvaluatedKey === undefined ? undefined : typeof lastRead === 'string' ? lastRead : undefined };
    },
  });
  return { data: page.data, nextCursor: page.next === undefined ? null : encodeCursor({ gsi1pk: query.partition, gsi1sk: page.next }) };
};

/** The key condition on gsi1sk for inclusive bounds. */
const keyBounds = (from: string | undefined, to: string | undefined): { readonly expression: string; readonly values: Record<string, string> } => {
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
    /** The list's shard schedule; default the busy lists' (list-partitions.ts). */
    schedule?: ShardSchedule;
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
    ...(request.schedule === undefined ? {} : { schedule: request.schedule }),
  });
  return { data: page.data.map((item) => fromItem<T>(item, request.entity)), nextCursor: page.nextCursor };
};
