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

/**
 * One page of a gsi1 list partition, oldest first unless `newestFirst`, as domain objects of `entity`. `equals`
 * keeps items whose top-level attributes have those values (applied after the page is read, so a page may be short).
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
  const values: Record<string, unknown> = { ':pk': request.partition };
  const { from, to } = request.createdBetween ?? {};
  // `to` + U+FFFF: the sort key is `${createdAt}#${id}`, so every item created at `to` itself is included.
  if (from !== undefined) values[':createdFrom'] = from;
  if (to !== undefined) values[':createdTo'] = `${to}\uffff`;
  const range =
    from !== undefined && to !== undefined
      ? ' AND gsi1sk BETWEEN :createdFrom AND :createdTo'
      : from !== undefined
        ? ' AND gsi1sk >= :createdFrom'
        : to !== undefined
          ? ' AND gsi1sk <= :createdTo'
          : '';
  for (const [field, value] of Object.entries(request.equals ?? {})) {
    if (value === undefined) continue;
    conditions.push(`#${field} = :${field}`);
    names[`#${field}`] = field;
    values[`:${field}`] = value;
  }
  const result = await client.send(
    new QueryCommand({
      TableName: tableName,
      IndexName: 'gsi1',
      KeyConditionExpression: `gsi1pk = :pk${range}`,
      ...(conditions.length === 0 ? {} : { FilterExpression: conditions.join(' AND '), ExpressionAttributeNames: names }),
      ExpressionAttributeValues: values,
      ScanIndexForward: request.newestFirst !== true,
      Limit: request.page.limit,
      ExclusiveStartKey: decodeCursor(request.page.cursor, { name: 'gsi1pk', value: request.partition }),
    }),
  );
  return { data: (result.Items ?? []).map((item) => fromItem<T>(item, request.entity)), nextCursor: encodeCursor(result.LastEvaluatedKey) };
};
