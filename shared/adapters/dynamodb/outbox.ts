import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { DomainEvent } from '../../domain/events/domain-event';

/**
 * Empties the outbox once its events are published: one write, conditional on the outbox still being exactly
 * what was published. If more events were appended meanwhile it stays as it is, and its events are published
 * again later (same ids, so consumers drop the copies) rather than lost.
 */
export const clearOutbox = async (
  client: DynamoDBDocumentClient,
  tableName: string,
  key: { pk: string; sk: string },
  published: readonly DomainEvent[],
): Promise<void> => {
  if (published.length === 0) return;
  try {
    await client.send(
      new UpdateCommand({
        TableName: tableName,
        Key: key,
        UpdateExpression: 'REMOVE outbox',
        ConditionExpression: 'outbox = :published',
        ExpressionAttributeValues: { ':published': published },
      }),
    );
  } catch (error) {
    if (!(error instanceof ConditionalCheckFailedException)) throw error;
  }
};
