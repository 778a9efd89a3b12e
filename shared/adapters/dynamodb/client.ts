import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { awsClientConfig } from '../aws-client-config';
import { ENDPOINT_VARIABLES } from '../../runtime/environment';

/** One client per execution environment, reused across invocations (connection reuse, no cold-start repeat). */
export const dynamoDbDocumentClient = DynamoDBDocumentClient.from(
  new DynamoDBClient(awsClientConfig(ENDPOINT_VARIABLES.dynamoDb)),
  { marshallOptions: { removeUndefinedValues: true, convertClassInstanceToMap: false } },
);
