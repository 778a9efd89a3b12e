import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import { captureLambdaHandler } from '@aws-lambda-powertools/tracer/middleware';
import middy from '@middy/core';
import type { EventBridgeEvent } from 'aws-lambda';
import * as v from 'valibot';
import type { DomainEvent } from '../domain/events/domain-event';
import { EventEnvelopeSchema } from '../schemas/domain-event';
import { logger, metrics, tracer } from './powertools';

/**
 * The middy chain of an EventBridge target: validate the envelope, hand the domain event to the use case. A
 * thrown error fails the invocation, so EventBridge retries it and, past the rule's retries, dead-letters it.
 * Traced, with business metrics flushed at the end, like every chain.
 */
export const createEventHandler = (handle: (event: DomainEvent) => Promise<void>) =>
  middy<EventBridgeEvent<string, unknown>, void>()
    .use(captureLambdaHandler(tracer, { captureResponse: false }))
    .use(injectLambdaContext(logger, { resetKeys: true }))
    .use(logMetrics(metrics))
    .handler(async (event) => {
      const envelope = v.parse(EventEnvelopeSchema, event);
      const domainEvent: DomainEvent = { type: envelope['detail-type'], metadata: envelope.detail.metadata, data: envelope.detail.data };
      logger.appendKeys({ eventId: domainEvent.metadata.id, eventType: domainEvent.type, tenantId: domainEvent.metadata.tenantId });
      await handle(domainEvent);
    });
