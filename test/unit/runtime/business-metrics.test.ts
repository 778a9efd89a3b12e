import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { domainEvent, type DomainEvent, type EventPublisher } from '../../../shared/domain/events/domain-event';
import { paymentView } from '../../../shared/domain/payments/payment-view';
import { exceptionView } from '../../../shared/domain/reconciliation/reconciliation-exception';
import { POWERTOOLS_VARIABLES } from '../../../shared/runtime/environment';
import { aPayment, AT, TENANT_ID } from '../../support/domain-fakes';
import { anException, emfLines, metricValues } from '../../support/metrics';

// Metrics are read from the environment when the module is first imported: turn them on before.
type BusinessMetrics = typeof import('../../../shared/runtime/business-metrics');
type Powertools = typeof import('../../../shared/runtime/powertools');
let businessMetrics: BusinessMetrics;
let powertools: Powertools;
let written: string[] = [];

beforeAll(async () => {
  vi.stubEnv(POWERTOOLS_VARIABLES.metricsDisabled, 'false');
  vi.stubEnv(POWERTOOLS_VARIABLES.metricsNamespace, 'SettledTest');
  businessMetrics = await import('../../../shared/runtime/business-metrics');
  powertools = await import('../../../shared/runtime/powertools');
});
afterAll(() => {
  vi.unstubAllEnvs();
});
beforeEach(() => {
  written = [];
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    written.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8'));
    return true;
  });
  return () => vi.restoreAllMocks();
});

const settledPayment = (matchedBy: 'reference' | 'manual', executedAt: string | null) =>
  aPayment({
    status: 'settled',
    executedAt,
    settlement: { amountSettled: 12_500, overpaidBy: 0, settledAt: '2026-11-24T10:00:02.500Z', transactionIds: ['txn_1'], matchedBy },
  });
const settled = (matchedBy: 'reference' | 'manual', executedAt: string | null = '2026-11-24T10:00:00.000Z'): DomainEvent =>
  domainEvent('payment.settled', TENANT_ID, AT, paymentView(settledPayment(matchedBy, executedAt)), [matchedBy, String(executedAt)]);

describe('business metrics of published events', () => {
  it('counts a settlement by matchedBy and records executed → settled latency in ms, in the namespace from the environment', () => {
    // Act
    businessMetrics.recordPublishedEvents([settled('reference')]);
    powertools.metrics.publishStoredMetrics();
    // Assess
    const lines = emfLines(written);
    expect(metricValues(lines, 'Settlements', { matchedBy: 'reference' })).toEqual([1]);
    expect(metricValues(lines, 'SettlementLatency')).toEqual([2500]);
    expect(lines.every((line) => line._aws.CloudWatchMetrics.every((directive) => directive.Namespace === 'SettledTest'))).toBe(true);
    expect(lines.every((line) => line.service === 'settled')).toBe(true);
  });

  it('counts a manual match under matchedBy manual, and no latency for a payment never reported executed', () => {
    // Act
    businessMetrics.recordPublishedEvents([settled('manual', null)]);
    powertools.metrics.publishStoredMetrics();
    // Assess
    const lines = emfLines(written);
    expect(metricValues(lines, 'Settlements', { matchedBy: 'manual' })).toEqual([1]);
    expect(metricValues(lines, 'SettlementLatency')).toEqual([]);
  });

  it('counts an opened exception by its type, and nothing for events an operator does not count', () => {
    // Prepare
    const exception = anException({ type: 'ambiguous' });
    // Act
    businessMetrics.recordPublishedEvents([
      domainEvent('reconciliation.exception_opened', TENANT_ID, AT, exceptionView(exception), [exception.id]),
      domainEvent('transaction.received', TENANT_ID, AT, { id: 'txn_1' }, ['txn_1']),
    ]);
    powertools.metrics.publishStoredMetrics();
    // Assess
    const lines = emfLines(written);
    expect(metricValues(lines, 'ExceptionsOpened', { type: 'ambiguous' })).toEqual([1]);
    expect(lines.flatMap((line) => line._aws.CloudWatchMetrics.flatMap((directive) => directive.Metrics.map((metric) => metric.Name)))).toEqual(['ExceptionsOpened']);
  });

  it('records nothing when the publish fails: the events are not out, the caller retries', async () => {
    // Prepare
    const failing: EventPublisher = { publish: async () => Promise.reject(new Error('EventBridge down')) };
    // Act
    const publish = businessMetrics.meteredPublisher(failing).publish([settled('reference')]);
    // Assess
    await expect(publish).rejects.toThrow('EventBridge down');
    powertools.metrics.publishStoredMetrics();
    expect(emfLines(written)).toEqual([]);
  });

  it.each([
    ['retry_scheduled', [1]],
    ['abandoned', [1]],
    ['delivered', []],
    ['dropped', []],
  ] as const)('counts a callback attempt that %s as a delivery failure: %j', (outcome, expected) => {
    // Act
    businessMetrics.recordCallbackDelivery(outcome);
    powertools.metrics.publishStoredMetrics();
    // Assess
    expect(metricValues(emfLines(written), 'CallbackDeliveryFailures')).toEqual(expected);
  });
});
