import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { SQSClient } from '@aws-sdk/client-sqs';
import { ENDPOINT_VARIABLES } from '../../runtime/environment';
import { tracer } from '../../runtime/powertools';
import { awsClientConfig } from '../aws-client-config';

/** Module-level singletons, created on first use by the functions that need them, traced where tracing is on. */
let sqs: SQSClient | undefined;
let eventBridge: EventBridgeClient | undefined;

export const sqsClient = (): SQSClient => (sqs ??= tracer.captureAWSv3Client(new SQSClient(awsClientConfig(ENDPOINT_VARIABLES.sqs))));

export const eventBridgeClient = (): EventBridgeClient =>
  (eventBridge ??= tracer.captureAWSv3Client(new EventBridgeClient(awsClientConfig(ENDPOINT_VARIABLES.eventBridge))));
