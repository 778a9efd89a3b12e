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

/**
 * Adds "append these events to the item's outbox" to an update expression being built (`setExpression`'s parts),
 * so the events are written in the same conditional write as the state change they describe.
 */
export const appendToOutbox = (
  expression: { readonly assignments: string[]; readonly names: Record<string, string>; readonly values: Record<string, unknown> },
  outbox: readonly DomainEvent[],
): void => {
  if (outbox.length === 0) return;
  expression.assignments.push('#outbox = list_append(if_not_exists(#outbox, :emptyList), :outbox)');
  expression.names['#outbox'] = 'outbox';
  expression.values[':outbox'] = outbox;
  expression.values[':emptyList'] = [];
};
