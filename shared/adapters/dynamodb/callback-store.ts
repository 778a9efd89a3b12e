import { ConditionalCheckFailedException, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { DeleteCommand, type DynamoDBDocumentClient, GetCommand, PutCommand, TransactWriteCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { Page, PageRequest } from '../../domain/accounts/account';
import type { AttemptClaim, DeliveryRef, EventListFilter, EventLog, WebhookEndpoint, WebhookEndpointRepository } from '../../domain/callbacks/webhook-endpoint';
import type { DomainEvent } from '../../domain/events/domain-event';
import { ValidationError } from '../../domain/errors';
import { deliveryKey, eventKey, eventListKey, webhookEndpointKey, webhookEndpointListKey } from './keys';
import { fromItem } from './items';
import { eventListShardSchedule, listPartitionOf, UNBUCKETED } from './list-partitions';
import { queryFullPage, queryListPage } from './pagination';
import { batchPutAll } from './batch-write';

/** DynamoDB's limit of items in one TransactWriteItems. */
const MAX_TRANSACT_ITEMS = 100;

/**
 * Whether a transaction was cancelled by a condition of its own or by another transaction on the same items (a copy
 * of the same write or group at that moment): either way the caller goes on item by item, whose single writes say
 * which copy holds what. Throttling and validation errors are thrown.
 */
const refusedOrContended = (error: unknown): boolean =>
  error instanceof TransactionCanceledException &&
  (error.CancellationReasons ?? []).some((reason) => reason.Code === 'ConditionalCheckFailed' || reason.Code === 'TransactionConflict');

/** The log item of an event: by id, and listed under its month-and-shard bucket in occurrence order. */
const eventLogItem = (event: DomainEvent): Record<string, unknown> => ({
  ...eventKey(event.metadata.tenantId, event.metadata.id),
  gsi1pk: listPartitionOf(
    eventListKey(event.metadata.tenantId),
    eventListShardSchedule(),
    `${event.metadata.occurredAt}#${event.metadata.id}`,
    event.metadata.id,
    Date.now(),
  ),
  gsi1sk: `${event.metadata.occurredAt}#${event.metadata.id}`,
  entity: 'event',
  ...event,
});

/** A claim's update, its condition as claimAttempt documents it. */
const claimUpdate = (attempt: number, now: string, staleBefore: string) => ({
  UpdateExpression: 'SET entity = :entity, attempt = :attempt, claimedAt = :now REMOVE finished',
  // Not delivered (`#at`: receipts written before claims existed), and this attempt new or abandoned.
  ConditionExpression:
    'attribute_not_exists(deliveredAt) AND attribute_not_exists(#at) AND (attribute_not_exists(attempt) OR attempt < :attempt OR ' +
    '(attempt = :attempt AND attribute_not_exists(finished) AND claimedAt < :staleBefore))',
  ExpressionAttributeNames: { '#at': 'at' },
  ExpressionAttributeValues: { ':entity': 'delivery', ':attempt': attempt, ':now': now, ':staleBefore': staleBefore },
});

/** Tenant webhook endpoints. */
export class DynamoDbWebhookEndpointRepository implements WebhookEndpointRepository {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async create(endpoint: WebhookEndpoint): Promise<void> {
    await this.client.send(
      new PutCommand({
        TableName: this.tableName,
        Item: {
          ...webhookEndpointKey(endpoint.tenantId, endpoint.id),
          gsi1pk: webhookEndpointListKey(endpoint.tenantId),
          gsi1sk: `${endpoint.createdAt}#${endpoint.id}`,
          entity: 'webhookEndpoint',
          ...endpoint,
        },
        ConditionExpression: 'attribute_not_exists(pk)',
      }),
    );
  }

  async get(tenantId: string, endpointId: string): Promise<WebhookEndpoint | undefined> {
    const { Item } = await this.client.send(new GetCommand({ TableName: this.tableName, Key: webhookEndpointKey(tenantId, endpointId) }));
    return Item === undefined ? undefined : fromItem<WebhookEndpoint>(Item, 'webhookEndpoint');
  }

  async list(tenantId: string, page: PageRequest): Promise<Page<WebhookEndpoint>> {
    return queryListPage<WebhookEndpoint>(this.client, this.tableName, { partition: webhookEndpointListKey(tenantId), entity: 'webhookEndpoint', page, schedule: UNBUCKETED });
  }

  async listEnabled(tenantId: string): Promise<WebhookEndpoint[]> {
    const endpoints: WebhookEndpoint[] = [];
    let cursor: string | undefined;
    do {
      const page = await this.list(tenantId, { limit: 100, cursor });
      endpoints.push(...page.data.filter((endpoint) => endpoint.status === 'enabled'));
      cursor = page.nextCursor ?? undefined;
    } while (cursor !== undefined);
    return endpoints;
  }

  async delete(tenantId: string, endpointId: string): Promise<boolean> {
    try {
      await this.client.send(
        new DeleteCommand({ TableName: this.tableName, Key: webhookEndpointKey(tenantId, endpointId), ConditionExpression: 'attribute_exists(pk)' }),
      );
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
  }

  async disable(tenantId: string, endpointId: string, reason: string): Promise<void> {
    try {
      await this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: webhookEndpointKey(tenantId, endpointId),
          UpdateExpression: 'SET #status = :disabled, disabledReason = :reason',
          ConditionExpression: 'attribute_exists(pk)',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: { ':disabled': 'disabled', ':reason': reason },
        }),
      );
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
    }
  }
}

/** The tenant event log and per-endpoint delivery receipts. */
export class DynamoDbEventLog implements EventLog {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async append(event: DomainEvent): Promise<boolean> {
    try {
      await this.client.send(new PutCommand({ TableName: this.tableName, Item: eventLogItem(event), ConditionExpression: 'attribute_not_exists(pk)' }));
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
  }

  async appendAll(events: readonly DomainEvent[]): Promise<boolean> {
    if (events.length === 0) return true;
    if (events.length > MAX_TRANSACT_ITEMS) return false;
    try {
      await this.client.send(
        new TransactWriteCommand({
          TransactItems: events.map((event) => ({ Put: { TableName: this.tableName, Item: eventLogItem(event), ConditionExpression: 'attribute_not_exists(pk)' } })),
        }),
      );
      return true;
    } catch (error) {
      if (refusedOrContended(error)) return false;
      throw error;
    }
  }

  async get(tenantId: string, eventId: string): Promise<DomainEvent | undefined> {
    const { Item } = await this.client.send(new GetCommand({ TableName: this.tableName, Key: eventKey(tenantId, eventId) }));
    return Item === undefined ? undefined : fromItem<DomainEvent>(Item, 'event');
  }

  async list(tenantId: string, filter: EventListFilter, page: PageRequest): Promise<Page<DomainEvent>> {
    const partition = eventListKey(tenantId);
    let after: string | undefined;
    if (filter.after !== undefined) {
      const { Item } = await this.client.send(new GetCommand({ TableName: this.tableName, Key: eventKey(tenantId, filter.after) }));
      // Restarting from the oldest event would replay everything to a poller that lost its place: refuse instead.
      if (Item === undefined) {
        throw new ValidationError('The event given in after does not exist.', { details: [{ path: 'after', message: 'must be the id of one of your events' }] });
      }
      after = String(Item.gsi1sk);
    }
    // Oldest first, merged over the log's month buckets and shards (list-partitions.ts); `after` and a cursor are
    // both exclusive positions, the cursor further on.
    const listed = await queryFullPage(this.client, this.tableName, {
      partition,
      page,
      after,
      schedule: eventListShardSchedule(),
      // Sort keys start with the event's occurredAt: `since` is a key bound, so months before it are never read.
      ...(filter.since === undefined ? {} : { range: { from: filter.since } }),
      ...(filter.type === undefined ? {} : { filterExpression: '#type = :type', names: { '#type': 'type' }, values: { ':type': filter.type } }),
    });
    return { data: listed.data.map((item) => fromItem<DomainEvent>(item, 'event')), nextCursor: listed.nextCursor };
  }

  async claimAttempt(ref: DeliveryRef, attempt: number, now: string, staleBefore: string): Promise<AttemptClaim> {
    const key = deliveryKey(ref.tenantId, ref.eventId, ref.endpointId, ref.redeliveryId);
    try {
      await this.client.send(new UpdateCommand({ TableName: this.tableName, Key: key, ...claimUpdate(attempt, now, staleBefore) }));
      return { kind: 'claimed' };
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
      const { Item } = await this.client.send(new GetCommand({ TableName: this.tableName, Key: key, ConsistentRead: true }));
      if (Item === undefined) throw new Error(`Delivery ${ref.eventId} to ${ref.endpointId} changed while claimed`, { cause: error });
      if (Item.deliveredAt !== undefined || Item.at !== undefined) return { kind: 'delivered' };
      // Given up by this attempt (a copy of the last one); an earlier attempt's copy is only a duplicate.
      if (Item.finished === 'given_up' && Item.attempt === attempt) return { kind: 'given_up' };
      if (Item.attempt === attempt && Item.finished === undefined) return { kind: 'in_flight', claimedAt: String(Item.claimedAt) };
      return { kind: 'taken' };
    }
  }

  async claimAttempts(refs: readonly DeliveryRef[], attempt: number, now: string, staleBefore: string): Promise<boolean> {
    if (refs.length === 0) return true;
    if (refs.length > MAX_TRANSACT_ITEMS) return false;
    try {
      await this.client.send(
        new TransactWriteCommand({
          TransactItems: refs.map((ref) => ({
            Update: { TableName: this.tableName, Key: deliveryKey(ref.tenantId, ref.eventId, ref.endpointId, ref.redeliveryId), ...claimUpdate(attempt, now, staleBefore) },
          })),
        }),
      );
      return true;
    } catch (error) {
      if (refusedOrContended(error)) return false;
      throw error;
    }
  }

  async markAllDelivered(refs: readonly DeliveryRef[], at: string): Promise<void> {
    // Puts (no condition, so one BatchWriteItem): each delivery was claimed by the caller, and a delivered receipt is
    // final whatever the claim held.
    await batchPutAll(
      this.client,
      this.tableName,
      refs.map((ref) => ({ ...deliveryKey(ref.tenantId, ref.eventId, ref.endpointId, ref.redeliveryId), entity: 'delivery', deliveredAt: at })),
    );
  }

  async finishAttempt(ref: DeliveryRef, attempt: number, outcome: 'retry_scheduled' | 'given_up'): Promise<void> {
    try {
      await this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: deliveryKey(ref.tenantId, ref.eventId, ref.endpointId, ref.redeliveryId),
          UpdateExpression: 'SET finished = :outcome',
          ConditionExpression: 'attempt = :attempt',
          ExpressionAttributeValues: { ':outcome': outcome, ':attempt': attempt },
        }),
      );
    } catch (error) {
      // A later attempt was claimed meanwhile: its record stands.
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
    }
  }

  async markDelivered(tenantId: string, eventId: string, endpointId: string, at: string, redeliveryId?: string): Promise<void> {
    await this.client.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: deliveryKey(tenantId, eventId, endpointId, redeliveryId),
        UpdateExpression: 'SET entity = :entity, deliveredAt = :at',
        ExpressionAttributeValues: { ':entity': 'delivery', ':at': at },
      }),
    );
  }
}
