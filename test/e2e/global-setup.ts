import type { TestProject } from 'vitest/node';
import { startDynamoDbLocal } from '../../infra/local/dynamodb-local';

/**
 * One in-memory DynamoDB Local for every e2e runtime that keeps nothing on disk: each runtime makes its own table in
 * it (infra/local/spawn-runtime.ts), and the JVM boots once and stays warm instead of once per runtime. A runtime
 * with a data dir (restarts, crashes) still starts its own DynamoDB Local, which is part of what it tests.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const dynamoDb = await startDynamoDbLocal({ dataDir: undefined });
  project.provide('dynamoDbEndpoint', dynamoDb.endpoint);
  return () => dynamoDb.stop();
}
