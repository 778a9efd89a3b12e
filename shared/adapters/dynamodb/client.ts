import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { ENDPOINT_VARIABLES } from '../../runtime/environment';
import { tracer } from '../../runtime/powertools';
import { awsClientConfig } from '../aws-client-config';

/**
 * One client per execution environment, reused across invocations (connection reuse, no cold-start repeat); every
 * request is an X-Ray subsegment where tracing is on.
 */
export const dynamoDbDocumentClient = DynamoDBDocumentClient.from(
  tracer.captureAWSv3Client(new DynamoDBClient(awsClientConfig(ENDPOINT_VARIABLES.dynamoDb))),
  { marshallOptions: { removeUndefinedValues: true, convertClassInstanceToMap: false } },
);
