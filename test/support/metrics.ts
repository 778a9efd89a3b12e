import * as v from 'valibot';
import type { ReconciliationException } from '../../shared/domain/reconciliation/reconciliation-exception';
import { AT, TENANT_ID } from './domain-fakes';

/** One CloudWatch embedded-metric-format line, as Powertools Metrics writes it to stdout. */
const EmfLineSchema = v.looseObject({
  _aws: v.object({
    Timestamp: v.number(),
    CloudWatchMetrics: v.array(
      v.object({ Namespace: v.string(), Dimensions: v.array(v.array(v.string())), Metrics: v.array(v.object({ Name: v.string(), Unit: v.string() })) }),
    ),
  }),
});
export type EmfLine = v.InferOutput<typeof EmfLineSchema>;

/** The EMF lines among what a test captured from stdout (log lines are skipped). */
export const emfLines = (written: readonly string[]): EmfLine[] =>
  written
    .join('')
    .split('\n')
    .flatMap((line) => {
      if (!line.includes('"_aws"')) return [];
      const parsed = v.safeParse(EmfLineSchema, JSON.parse(line));
      return parsed.success ? [parsed.output] : [];
    });

/**
 * Every value of metric `name` across the lines whose dimensions include `dimensions` (an EMF line holds one value or
 * an array of values per metric).
 */
export const metricValues = (lines: readonly EmfLine[], name: string, dimensions: Record<string, string> = {}): unknown[] =>
  lines
    .filter((line) => line._aws.CloudWatchMetrics.some((directive) => directive.Metrics.some((metric) => metric.Name === name)))
    .filter((line) => Object.entries(dimensions).every(([key, value]) => line[key] === value))
    .flatMap((line) => {
      const value = line[name];
      return Array.isArray(value) ? value : [value];
    });

export const anException = (overrides: Partial<ReconciliationException> = {}): ReconciliationException => ({
  id: 'exc_01JD0000000000000000000001',
  tenantId: TENANT_ID,
  accountId: 'acc_01JD0000000000000000000001',
  type: 'unmatched',
  reason: 'No open payment carries this reference.',
  transactionId: 'txn_01JD0000000000000000000001',
  bankTransactionId: 'bank-1',
  creditDebitIndicator: 'credit',
  amount: 12_500,
  currency: 'GBP',
  candidatePaymentIds: [],
  status: 'open',
  resolution: null,
  createdAt: AT,
  ...overrides,
});
