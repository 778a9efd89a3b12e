import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import { captureLambdaHandler } from '@aws-lambda-powertools/tracer/middleware';
import middy from '@middy/core';
import type { SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import * as v from 'valibot';
import { logger, metrics, tracer } from './powertools';

/**
 * What a failure may say in the logs: its kind and, for a message that failed validation, which fields — never the
 * values (a valibot error carries the whole parsed message: account numbers, names).
 */
export const safeErrorSummary = (error: unknown): Record<string, unknown> => {
  if (error instanceof v.ValiError) return { name: 'ValiError', paths: error.issues.map((issue) => v.getDotPath(issue) ?? '') };
  if (error instanceof SyntaxError) return { name: 'SyntaxError', message: 'the message body is not valid JSON' };
  if (error instanceof Error) return { name: error.name, message: error.message };
  return { name: typeof error };
};

/**
 * The middy chain of an SQS consumer: Powertools batch processing with partial batch responses, so one bad
 * message is retried (and eventually dead-lettered) alone while the rest of its batch is deleted. Traced, and the
 * business metrics its records recorded are flushed once per batch.
 */
export const createSqsHandler = (handleRecord: (record: SQSRecord) => Promise<void>) => {
  const processor = new BatchProcessor(EventType.SQS);
  return middy<SQSEvent, SQSBatchResponse>()
    .use(captureLambdaHandler(tracer, { captureResponse: false }))
    .use(injectLambdaContext(logger, { resetKeys: true }))
    .use(logMetrics(metrics))
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
              error: safeErrorSummary(error),
            });
            throw error;
          }
        },
        processor,
        { context },
      ),
    );
};
