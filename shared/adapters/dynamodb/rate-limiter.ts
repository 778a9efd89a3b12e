import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { RETRY_AFTER_SECONDS, type RateLimitDecision, type RateLimiter, rateWindowOf } from '../../domain/tenants/rate-limit';
import { rateWindowKey } from './keys';

/** Counters outlive their second only long enough for TTL to sweep them; nothing ever reads an old window. */
const COUNTER_TTL_SECONDS = 120;

/**
 * A fixed one-second window per tenant as one DynamoDB counter: one conditional UpdateItem per request, which adds 1
 * only while the window is under the limit, so concurrent requests on any number of Lambdas never overshoot it.
 */
export class DynamoDbRateLimiter implements RateLimiter {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
    private readonly limitPerSecond: number,
  ) {}

  async take(tenantId: string, now: Date): Promise<RateLimitDecision> {
    const window = rateWindowOf(now);
    try {
      await this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: rateWindowKey(tenantId, window),
          UpdateExpression: 'ADD requests :one SET expiresAt = :expiresAt',
          ConditionExpression: 'attribute_not_exists(requests) OR requests < :limit',
          ExpressionAttributeValues: { ':one': 1, ':limit': this.limitPerSecond, ':expiresAt': window + COUNTER_TTL_SECONDS },
        }),
      );
      return { allowed: true, retryAfterSeconds: 0 };
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return { allowed: false, retryAfterSeconds: RETRY_AFTER_SECONDS };
      throw error;
    }
  }
}
