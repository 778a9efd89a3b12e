/**
 * The single table's shape, shared by the CDK stack (infra/stateful-stack.ts) and the local runtime, which creates
 * the same table in DynamoDB Local. Plain data so neither side needs the other's libraries.
 *
 * Every partition key leads with the tenant id and is never the tenant alone (docs/architecture.md §6): see ./keys.ts.
 */
export interface KeyAttribute {
  readonly name: string;
  readonly type: 'S' | 'N';
}

export interface IndexDefinition {
  readonly indexName: string;
  readonly partitionKey: KeyAttribute;
  readonly sortKey: KeyAttribute;
}

export const tableDefinition = {
  partitionKey: { name: 'pk', type: 'S' },
  sortKey: { name: 'sk', type: 'S' },
  /** Epoch seconds; DynamoDB deletes the item some time after (idempotency records, expired tokens). */
  timeToLiveAttribute: 'expiresAt',
  globalSecondaryIndexes: [
    { indexName: 'gsi1', partitionKey: { name: 'gsi1pk', type: 'S' }, sortKey: { name: 'gsi1sk', type: 'S' } },
  ],
} as const satisfies {
  partitionKey: KeyAttribute;
  sortKey: KeyAttribute;
  timeToLiveAttribute: string;
  globalSecondaryIndexes: readonly IndexDefinition[];
};
