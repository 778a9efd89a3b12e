import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { awsClientConfig } from '../aws-client-config';

/** One client per execution environment, reused across invocations (connection reuse, no cold-start repeat). */
export const dynamoDbDocumentClient = DynamoDBDocumentClient.from(
  new DynamoDBClient(awsClientConfig('DYNAMODB_ENDPOINT')),
  { marshallOptions: { removeUndefinedValues: true, convertClassInstanceToMap: false } },
);
