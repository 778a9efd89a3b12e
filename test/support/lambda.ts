import type { Context } from 'aws-lambda';
import { vi } from 'vitest';

/** The Lambda context a handler is invoked with, for handler-level unit tests. */
export const aLambdaContext = (functionName: string, awsRequestId = `req-${functionName}-1`): Context => ({
  callbackWaitsForEmptyEventLoop: false,
  functionName,
  functionVersion: '$LATEST',
  invokedFunctionArn: `arn:aws:lambda:eu-west-2:000000000000:function:${functionName}`,
  memoryLimitInMB: '256',
  awsRequestId,
  logGroupName: `/aws/lambda/${functionName}`,
  logStreamName: 'local',
  getRemainingTimeInMillis: () => 30_000,
  done: () => undefined,
  fail: () => undefined,
  succeed: () => undefined,
});

/** An active sandbox account as the table stores it (the item the reconcile handler's account query returns). */
export const aStoredAccount = (overrides: Partial<{ id: string; tenantId: string; sortCode: string; accountNumber: string; consentId: string }> = {}) => ({
  id: overrides.id ?? 'acc_1',
  tenantId: overrides.tenantId ?? 'ten_1',
  status: 'active',
  provider: 'sandbox',
  name: 'Operating',
  sortCode: overrides.sortCode ?? '040004',
  accountNumber: overrides.accountNumber ?? '12345678',
  currency: 'GBP',
  sandboxProfile: null,
  openingBalance: 0,
  consent: { id: overrides.consentId ?? 'con_1' },
  createdAt: '2026-11-01T00:00:00.000Z',
});

/**
 * Captures what the process writes to stdout and stderr (Powertools' logs and EMF metrics) into `written` until
 * the spies are restored; call in beforeEach.
 */
export const captureProcessOutput = (written: string[]): void => {
  const capture = (chunk: string | Uint8Array) => {
    written.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8'));
    return true;
  };
  vi.spyOn(process.stdout, 'write').mockImplementation(capture);
  vi.spyOn(process.stderr, 'write').mockImplementation(capture);
};

/**
 * Queries as a table holding one connected account and no webhook endpoint answer them: the account for its routing
 * lookups, nothing for the tenant's endpoints (the reconcile handler delivers its own writes' events to them).
 */
export const queryAnswersWithAccount = (account: Record<string, unknown>) => (input: { readonly ExpressionAttributeValues?: Record<string, unknown> | undefined }) => {
  const values = Object.values(input.ExpressionAttributeValues ?? {});
  const endpoints = values.some((value) => typeof value === 'string' && value.endsWith('#ENDPOINTS'));
  return { Items: endpoints ? [] : [{ account }] };
};
