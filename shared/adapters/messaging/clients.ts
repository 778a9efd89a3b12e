import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { SQSClient } from '@aws-sdk/client-sqs';
import { awsClientConfig } from '../aws-client-config';
import { ENDPOINT_VARIABLES } from '../../runtime/environment';

/** Module-level singletons, created on first use by the functions that need them. */
let sqs: SQSClient | undefined;
let eventBridge: EventBridgeClient | undefined;

export const sqsClient = (): SQSClient => (sqs ??= new SQSClient(awsClientConfig(ENDPOINT_VARIABLES.sqs)));

export const eventBridgeClient = (): EventBridgeClient => (eventBridge ??= new EventBridgeClient(awsClientConfig(ENDPOINT_VARIABLES.eventBridge)));
