import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import type { EventBridgeEvent } from 'aws-lambda';
import * as v from 'valibot';
import type { DomainEvent } from '../domain/events/domain-event';
import { EventEnvelopeSchema } from '../schemas/domain-event';
import { logger } from './powertools';

/**
 * The middy chain of an EventBridge target: validate the envelope, hand the domain event to the use case. A
 * thrown error fails the invocation, so EventBridge retries it and, past the rule's retries, dead-letters it.
 */
export const createEventHandler = (handle: (event: DomainEvent) => Promise<void>) =>
  middy<EventBridgeEvent<string, unknown>, void>()
    .use(injectLambdaContext(logger, { resetKeys: true }))
    .handler(async (event) => {
      const envelope = v.parse(EventEnvelopeSchema, event);
      const domainEvent: DomainEvent = { type: envelope['detail-type'], metadata: envelope.detail.metadata, data: envelope.detail.data };
      logger.appendKeys({ eventId: domainEvent.metadata.id, eventType: domainEvent.type, tenantId: domainEvent.metadata.tenantId });
      await handle(domainEvent);
    });
