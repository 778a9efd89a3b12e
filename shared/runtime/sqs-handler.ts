import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import type { SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { logger } from './powertools';

/**
 * The middy chain of an SQS consumer: Powertools batch processing with partial batch responses, so one bad
 * message is retried (and eventually dead-lettered) alone while the rest of its batch is deleted.
 */
export const createSqsHandler = (handleRecord: (record: SQSRecord) => Promise<void>) => {
  const processor = new BatchProcessor(EventType.SQS);
  return middy<SQSEvent, SQSBatchResponse>()
    .use(injectLambdaContext(logger, { resetKeys: true }))
    .handler(async (event, context) =>
      processPartialResponse(
        event,
        async (record: SQSRecord) => {
          try {
            await handleRecord(record);
          } catch (error) {
            logger.warn('Message failed; it will be retried', {
              messageId: record.messageId,
              receiveCount: record.attributes.ApproximateReceiveCount,
              error,
            });
            throw error;
          }
        },
        processor,
        { context },
      ),
    );
};
