import { MetricUnit } from '@aws-lambda-powertools/metrics';
import * as v from 'valibot';
import type { AttemptOutcome } from '../domain/callbacks/deliver-event';
import type { DomainEvent, EventPublisher } from '../domain/events/domain-event';
import { metrics } from './powertools';

/** The metric names an operator's dashboards and alarms use (namespace: POWERTOOLS_METRICS_NAMESPACE). */
export const BUSINESS_METRICS = {
  /** One per payment.settled / payment.partially_settled, by `matchedBy` (reference | manual). */
  settlements: 'Settlements',
  /** Executed → settled, in milliseconds, for a payment whose execution was reported before it settled. */
  settlementLatency: 'SettlementLatency',
  /** One per reconciliation.exception_opened, by exception `type`. */
  exceptionsOpened: 'ExceptionsOpened',
  /** One per callback attempt that failed and was rescheduled, or gave up after 72 hours. */
  callbackDeliveryFailures: 'CallbackDeliveryFailures',
} as const;

const SettledPaymentSchema = v.object({
  executedAt: v.nullable(v.pipe(v.string(), v.isoTimestamp())),
  settlement: v.object({ settledAt: v.pipe(v.string(), v.isoTimestamp()), matchedBy: v.string() }),
});
const OpenedExceptionSchema = v.object({ type: v.string() });

/**
 * Records the business metrics of events that were just published, the moment the facts they announce became
 * visible. A metric names no tenant, account or payment: dimensions stay few (CloudWatch prices each combination).
 */
export const recordPublishedEvents = (events: readonly DomainEvent[]): void => {
  for (const event of events) {
    if (event.type === 'payment.settled' || event.type === 'payment.partially_settled') {
      const payment = v.safeParse(SettledPaymentSchema, event.data);
      if (!payment.success) continue;
      const { executedAt, settlement } = payment.output;
      metrics.singleMetric().addDimension('matchedBy', settlement.matchedBy).addMetric(BUSINESS_METRICS.settlements, MetricUnit.Count, 1);
      if (event.type === 'payment.settled' && executedAt !== null) {
        const latencyMs = Date.parse(settlement.settledAt) - Date.parse(executedAt);
        if (latencyMs >= 0) metrics.addMetric(BUSINESS_METRICS.settlementLatency, MetricUnit.Milliseconds, latencyMs);
      }
    } else if (event.type === 'reconciliation.exception_opened') {
      const exception = v.safeParse(OpenedExceptionSchema, event.data);
      if (!exception.success) continue;
      metrics.singleMetric().addDimension('type', exception.output.type).addMetric(BUSINESS_METRICS.exceptionsOpened, MetricUnit.Count, 1);
    }
  }
};

/**
 * The publisher a function composes when what it publishes is what an operator counts (reconcile, manual
 * resolution): metrics are recorded only once the events are out, so a failed publish counts nothing.
 */
export const meteredPublisher = (publisher: EventPublisher): EventPublisher => ({
  publish: async (events) => {
    await publisher.publish(events);
    recordPublishedEvents(events);
  },
});

/** A callback attempt that did not reach the tenant: rescheduled, or abandoned after the delivery window. */
export const recordCallbackDelivery = (outcome: AttemptOutcome | 'abandoned'): void => {
  if (outcome === 'retry_scheduled' || outcome === 'abandoned') {
    metrics.addMetric(BUSINESS_METRICS.callbackDeliveryFailures, MetricUnit.Count, 1);
  }
};
