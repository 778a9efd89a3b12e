import * as v from 'valibot';
import { describe, expect, it } from 'vitest';
import type { BankSyncMessage } from '../../../shared/domain/open-banking/bank-sync';
import { BankSyncMessageSchema } from '../../../shared/schemas/bank-sync-message';

const accepted: readonly BankSyncMessage[] = [
  { kind: 'bank-account', aspspId: 'mock-v4', bankAccountId: 'acct-1' },
  { kind: 'account', tenantId: 'ten_1', accountId: 'acc_1' },
  { kind: 'payment-status', aspspId: 'mock-v4', domesticPaymentId: 'dp-1' },
  { kind: 'payment-status', aspspId: 'mock-v4', domesticPaymentId: 'dp-1', attempt: 0 },
  { kind: 'payment-status', aspspId: 'mock-v4', domesticPaymentId: 'dp-1', attempt: 7 },
  { kind: 'consent-revoked', aspspId: 'mock-v4', bankConsentId: 'aac-1', reason: 'PSU revoked at the bank' },
  { kind: 'consent-revoked', aspspId: 'mock-v4', bankConsentId: 'aac-1', reason: null },
  { kind: 'poll-events', aspspId: 'mock-v31' },
  { kind: 'sweep' },
];

describe('BankSyncMessageSchema', () => {
  it.each(accepted.map((message) => [message.kind, message] as const))('accepts a %s message as it was sent', (_kind, message) => {
    // Through JSON, as the queue carries it.
    expect(v.parse(BankSyncMessageSchema, JSON.parse(JSON.stringify(message)))).toEqual(message);
  });

  it.each([
    ['an unknown kind', { kind: 'refund-status', aspspId: 'mock-v4', refundId: 'r-1' }],
    ['no kind', { aspspId: 'mock-v4' }],
    ['an extra field', { kind: 'poll-events', aspspId: 'mock-v4', since: '2026-11-24' }],
    ['an extra field on sweep', { kind: 'sweep', aspspId: 'mock-v4' }],
    ['a negative attempt', { kind: 'payment-status', aspspId: 'mock-v4', domesticPaymentId: 'dp-1', attempt: -1 }],
    ['a fractional attempt', { kind: 'payment-status', aspspId: 'mock-v4', domesticPaymentId: 'dp-1', attempt: 1.5 }],
    ['an attempt as a string', { kind: 'payment-status', aspspId: 'mock-v4', domesticPaymentId: 'dp-1', attempt: '1' }],
    ['an empty id', { kind: 'bank-account', aspspId: 'mock-v4', bankAccountId: '' }],
    ['an over-long id', { kind: 'account', tenantId: 'ten_1', accountId: 'a'.repeat(257) }],
    ['a missing id', { kind: 'account', tenantId: 'ten_1' }],
    ['a missing reason (null is how "none" is said)', { kind: 'consent-revoked', aspspId: 'mock-v4', bankConsentId: 'aac-1' }],
    ['not an object', 'sweep'],
    ['null', null],
  ])('refuses %s', (_case, input) => {
    expect(v.safeParse(BankSyncMessageSchema, input).success).toBe(false);
  });
});
