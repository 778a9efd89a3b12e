import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { DeleteCommand, type DynamoDBDocumentClient, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { IdempotencyCompletion, IdempotencyStore, Reservation, StoredResponse } from '../../domain/idempotency/idempotency';
import type { Clock } from '../../domain/ports';
import { idempotencyKey } from './keys';

/**
 * The update that completes a reservation with its response, only while it is this request's (same fingerprint)
 * and unfinished: as a request of its own ({@link DynamoDbIdempotencyStore.complete}) or inside the transaction that
 * writes the request's effect, which then fails whole if the reservation is not ours.
 */
export const idempotencyCompletion = (tableName: string, completion: IdempotencyCompletion) => ({
  Update: {
    TableName: tableName,
    Key: idempotencyKey(completion.tenantId, completion.key),
    UpdateExpression: 'SET #status = :completed, #response = :response',
    ConditionExpression: 'fingerprint = :fingerprint AND #status = :inProgress',
    ExpressionAttributeNames: { '#status': 'status', '#response': 'response' },
    ExpressionAttributeValues: {
      ':completed': 'completed',
      ':inProgress': 'in_progress',
      ':response': JSON.stringify(completion.response),
      ':fingerprint': completion.fingerprint,
    },
  },
});

/** Idempotency records; DynamoDB's TTL removes them after `expiresAt`. */
export class DynamoDbIdempotencyStore implements IdempotencyStore {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
    /** Decides whether a stored record has expired; the same clock the use case reads `now` from. */
    private readonly clock: Clock,
  ) {}

  async reserve(tenantId: string, key: string, fingerprint: string, expiresAt: Date): Promise<Reservation> {
    const nowSeconds = Math.floor(this.clock.now().getTime() / 1000);
    try {
      await this.client.send(
        new PutCommand({
          TableName: this.tableName,
          Item: { ...idempotencyKey(tenantId, key), entity: 'idempotency', status: 'in_progress', fingerprint, expiresAt: Math.floor(expiresAt.getTime() / 1000) },
          // TTL deletion lags, so an expired record counts as absent.
          ConditionExpression: 'attribute_not_exists(pk) OR expiresAt < :now',
          ExpressionAttributeValues: { ':now': nowSeconds },
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
        }),
      );
      return { state: 'acquired' };
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException) || error.Item === undefined) throw error;
      const existing = error.Item;
      const storedFingerprint = existing.fingerprint?.S ?? '';
      if (existing.status?.S === 'completed') {
        const response: StoredResponse = JSON.parse(existing.response?.S ?? '{}');
        return { state: 'completed', fingerprint: storedFingerprint, response };
      }
      return { state: 'in_progress', fingerprint: storedFingerprint };
    }
  }

  async complete(tenantId: string, key: string, fingerprint: string, response: StoredResponse): Promise<void> {
    await this.client.send(new UpdateCommand(idempotencyCompletion(this.tableName, { tenantId, key, fingerprint, response }).Update));
  }

  async release(tenantId: string, key: string, fingerprint: string): Promise<void> {
    try {
      await this.client.send(
        new DeleteCommand({
          TableName: this.tableName,
          Key: idempotencyKey(tenantId, key),
          // Only our own, unfinished reservation (the lesson of Powertools issue #5675).
          ConditionExpression: '#status = :inProgress AND fingerprint = :fingerprint',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: { ':inProgress': 'in_progress', ':fingerprint': fingerprint },
        }),
      );
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
    }
  }
}
