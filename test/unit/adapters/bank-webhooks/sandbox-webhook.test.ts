import { Webhook } from 'standardwebhooks';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { MAX_WEBHOOK_BYTES, normaliseSandboxWebhook, parseSandboxWebhook, verifyStandardWebhook } from '../../../../shared/adapters/bank-webhooks/sandbox-webhook';
import { UnauthorizedError, ValidationError } from '../../../../shared/domain/errors';
import type { SandboxWebhook } from '../../../../shared/schemas/sandbox-webhook';

const SECRET = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
const OTHER_SECRET = 'whsec_' + Buffer.from('another secret of thirty-two byte').toString('base64');
const NOW = new Date('2026-11-24T10:00:00.000Z');
const BODY = JSON.stringify({ type: 'payment_status', bankPaymentId: 'bp_0001', status: 'executed', at: '2026-11-24T09:59:58.000Z' });

const signedHeaders = (options: { body?: string; secret?: string; at?: Date; id?: string } = {}) => {
  const at = options.at ?? NOW;
  const id = options.id ?? 'msg_bp_0001_executed';
  return {
    'webhook-id': id,
    'webhook-timestamp': String(Math.floor(at.getTime() / 1000)),
    'webhook-signature': new Webhook(options.secret ?? SECRET).sign(id, at, options.body ?? BODY),
  };
};

/** The error `act` throws (failing the test if it throws nothing). */
const thrownBy = (act: () => unknown): unknown => {
  try {
    act();
  } catch (error) {
    return error;
  }
  throw new Error('expected an error');
};

describe('verifyStandardWebhook', () => {
  beforeEach(() => {
    vi.useFakeTimers({ now: NOW });
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('accepts a body signed with the provider secret', () => {
    // Prepare
    const headers = signedHeaders();
    // Act + Assess
    expect(() => verifyStandardWebhook(BODY, headers, SECRET)).not.toThrow();
  });

  it('refuses a body changed by one byte', () => {
    // Prepare
    const headers = signedHeaders();
    const tampered = BODY.replace('executed', 'executeD');
    // Act + Assess
    expect(() => verifyStandardWebhook(tampered, headers, SECRET)).toThrow(UnauthorizedError);
  });

  it('refuses a body signed with another secret', () => {
    // Prepare
    const headers = signedHeaders({ secret: OTHER_SECRET });
    // Act + Assess
    expect(() => verifyStandardWebhook(BODY, headers, SECRET)).toThrow(UnauthorizedError);
  });

  it('refuses a signature replayed under another webhook id', () => {
    // Prepare
    const headers = { ...signedHeaders(), 'webhook-id': 'msg_other' };
    // Act + Assess
    expect(() => verifyStandardWebhook(BODY, headers, SECRET)).toThrow(UnauthorizedError);
  });

  it.each([
    ['6 minutes in the past', -6 * 60],
    ['6 minutes in the future', 6 * 60],
  ])('refuses a timestamp %s', (_, offsetSeconds) => {
    // Prepare
    const headers = signedHeaders({ at: new Date(NOW.getTime() + offsetSeconds * 1000) });
    // Act + Assess
    expect(() => verifyStandardWebhook(BODY, headers, SECRET)).toThrow(UnauthorizedError);
  });

  it.each([
    ['4 minutes in the past', -4 * 60],
    ['4 minutes in the future', 4 * 60],
  ])('accepts a timestamp %s', (_, offsetSeconds) => {
    // Prepare
    const headers = signedHeaders({ at: new Date(NOW.getTime() + offsetSeconds * 1000) });
    // Act + Assess
    expect(() => verifyStandardWebhook(BODY, headers, SECRET)).not.toThrow();
  });

  it('refuses a timestamp that is not a number', () => {
    // Prepare
    const headers = { ...signedHeaders(), 'webhook-timestamp': 'yesterday' };
    // Act + Assess
    expect(() => verifyStandardWebhook(BODY, headers, SECRET)).toThrow(UnauthorizedError);
  });

  it.each(['webhook-id', 'webhook-timestamp', 'webhook-signature'] as const)('refuses a request without %s', (missing) => {
    // Prepare
    const headers: Record<string, string | undefined> = { ...signedHeaders(), [missing]: undefined };
    // Act
    const error = thrownBy(() => verifyStandardWebhook(BODY, headers, SECRET));
    // Assess
    expect(error).toBeInstanceOf(UnauthorizedError);
    expect(error).toMatchObject({ code: 'unauthorized' });
  });

  it('accepts several space-separated signatures when one is valid (key rotation)', () => {
    // Prepare
    const valid = signedHeaders()['webhook-signature'];
    const old = signedHeaders({ secret: OTHER_SECRET })['webhook-signature'];
    const headers = { ...signedHeaders(), 'webhook-signature': `${old} v1,bm9wZQ== ${valid}` };
    // Act + Assess
    expect(() => verifyStandardWebhook(BODY, headers, SECRET)).not.toThrow();
  });

  it('refuses several signatures when none is valid, and a valid one under another version', () => {
    // Prepare
    const valid = signedHeaders()['webhook-signature'];
    const old = signedHeaders({ secret: OTHER_SECRET })['webhook-signature'];
    const noneValid = { ...signedHeaders(), 'webhook-signature': `${old} v1,bm9wZQ==` };
    const wrongVersion = { ...signedHeaders(), 'webhook-signature': valid.replace(/^v1,/, 'v2,') };
    // Act + Assess
    expect(() => verifyStandardWebhook(BODY, noneValid, SECRET)).toThrow(UnauthorizedError);
    expect(() => verifyStandardWebhook(BODY, wrongVersion, SECRET)).toThrow(UnauthorizedError);
  });

  // The known-answer vector of the Standard Webhooks / Svix reference libraries (their "sign function works" tests).
  it('verifies the Standard Webhooks known-answer vector', () => {
    // Prepare
    const timestamp = 1614265330;
    vi.setSystemTime(new Date(timestamp * 1000));
    const id = 'msg_p5jXN8AQM9LWM0D4loKWxJek';
    const payload = '{"test": 2432232314}';
    const expected = 'v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=';
    // Act
    const signature = new Webhook(SECRET).sign(id, new Date(timestamp * 1000), payload);
    // Assess
    expect(signature).toBe(expected);
    expect(() =>
      verifyStandardWebhook(payload, { 'webhook-id': id, 'webhook-timestamp': String(timestamp), 'webhook-signature': expected }, SECRET),
    ).not.toThrow();
    expect(() =>
      verifyStandardWebhook('{"test": 2432232315}', { 'webhook-id': id, 'webhook-timestamp': String(timestamp), 'webhook-signature': expected }, SECRET),
    ).toThrow(UnauthorizedError);
  });
});

const transactionsWebhook = (transactions: readonly Record<string, unknown>[]) => ({
  type: 'transactions',
  account: { sortCode: '040004', accountNumber: '12345678' },
  transactions,
});

const aWebhookTransaction = (overrides: Record<string, unknown> = {}) => ({
  transactionId: 'bp_0001-B',
  status: 'booked',
  creditDebitIndicator: 'credit',
  amount: '10.00000',
  currency: 'GBP',
  bookingDateTime: '2026-11-24T10:00:02.000Z',
  ...overrides,
});

describe('parseSandboxWebhook', () => {
  it('parses a transactions webhook and ignores fields banks add later', () => {
    // Act
    const webhook = parseSandboxWebhook(JSON.stringify({ ...transactionsWebhook([aWebhookTransaction({ newField: 1 })]), version: 2 }));
    // Assess
    expect(webhook).toEqual(transactionsWebhook([aWebhookTransaction()]));
  });

  it('refuses an amount sent as a JSON number, naming where it is', () => {
    // Act
    const error = thrownBy(() => parseSandboxWebhook(JSON.stringify(transactionsWebhook([aWebhookTransaction(), aWebhookTransaction({ amount: 10 })]))));
    // Assess
    expect(error).toBeInstanceOf(ValidationError);
    expect(error).toMatchObject({ code: 'validation_failed' });
    expect(error instanceof ValidationError ? error.details.map((detail) => detail.path) : []).toContain('transactions.1.amount');
  });

  it('refuses malformed JSON with invalid_json', () => {
    // Act
    const error = thrownBy(() => parseSandboxWebhook('{"type": "transactions",'));
    // Assess
    expect(error).toBeInstanceOf(ValidationError);
    expect(error).toMatchObject({ code: 'invalid_json' });
  });

  it('refuses an unknown webhook type', () => {
    // Act + Assess
    expect(() => parseSandboxWebhook(JSON.stringify({ type: 'refund', id: 'x' }))).toThrow(ValidationError);
  });
});

describe('normaliseSandboxWebhook', () => {
  it('turns each transaction into a settlement message with the amount in minor units', () => {
    // Prepare
    const webhook = parseSandboxWebhook(
      JSON.stringify(
        transactionsWebhook([
          aWebhookTransaction({ amount: '10.00000', reference: 'FP2611240012345678', description: 'J SMITH INV-0042', endToEndId: 'FP2611240012345678' }),
          aWebhookTransaction({ transactionId: 'jp-1', amount: '1250', currency: 'JPY', creditDebitIndicator: 'debit', status: 'pending' }),
        ]),
      ),
    );
    // Act
    const messages = normaliseSandboxWebhook(webhook);
    // Assess
    expect(messages).toEqual([
      {
        kind: 'transaction',
        transaction: {
          provider: 'sandbox',
          sortCode: '040004',
          accountNumber: '12345678',
          bankTransactionId: 'bp_0001-B',
          status: 'booked',
          creditDebitIndicator: 'credit',
          amount: 1000,
          currency: 'GBP',
          bookingDateTime: '2026-11-24T10:00:02.000Z',
          valueDateTime: null,
          reference: 'FP2611240012345678',
          description: 'J SMITH INV-0042',
          endToEndId: 'FP2611240012345678',
          counterparty: null,
          merchant: null,
          category: null,
        },
      },
      expect.objectContaining({ kind: 'transaction', transaction: expect.objectContaining({ bankTransactionId: 'jp-1', amount: 1250, status: 'pending' }) }),
    ]);
  });

  it.each([
    ['0.5', 50],
    ['125', 12_500],
    ['0000000000001.10000', 110],
  ])('reads the bank amount %s as %i minor units', (amount, minor) => {
    // Act
    const [message] = normaliseSandboxWebhook(parseSandboxWebhook(JSON.stringify(transactionsWebhook([aWebhookTransaction({ amount })]))));
    // Assess
    expect(message?.kind === 'transaction' ? message.transaction.amount : undefined).toBe(minor);
  });

  it.each([
    ['10.001', 'GBP'],
    ['10.5', 'JPY'],
    ['10.00', 'XXX'],
  ])('refuses the amount %s %s with the path of the transaction it is in', (amount, currency) => {
    // Prepare
    const webhook: SandboxWebhook = parseSandboxWebhook(
      JSON.stringify(transactionsWebhook([aWebhookTransaction(), aWebhookTransaction({ transactionId: 't2' }), aWebhookTransaction({ transactionId: 't3', amount, currency })])),
    );
    // Act
    const error = thrownBy(() => normaliseSandboxWebhook(webhook));
    // Assess
    expect(error).toBeInstanceOf(ValidationError);
    expect(error instanceof ValidationError ? error.details.map((detail) => detail.path) : []).toEqual(['transactions.2.amount']);
  });

  it('turns a payment status into one report, with no reason as null', () => {
    // Act
    const messages = normaliseSandboxWebhook(parseSandboxWebhook(BODY));
    // Assess
    expect(messages).toEqual([
      { kind: 'payment_status', report: { provider: 'sandbox', bankPaymentId: 'bp_0001', status: 'executed', at: '2026-11-24T09:59:58.000Z', reason: null } },
    ]);
  });
});

describe('bank timestamps and sizes', () => {
  it('stores booking times in UTC whatever offset the bank used', () => {
    const [message] = normaliseSandboxWebhook({
      type: 'transactions',
      account: { sortCode: '040004', accountNumber: '12345678' },
      transactions: [
        { transactionId: 't1', status: 'booked', creditDebitIndicator: 'credit', amount: '1.00', currency: 'GBP', bookingDateTime: '2026-06-01T09:30:00+01:00' },
      ],
    });
    expect(message?.kind === 'transaction' ? message.transaction.bookingDateTime : undefined).toBe('2026-06-01T08:30:00.000Z');
  });

  it('refuses a body over the size limit before parsing it', () => {
    expect(() => parseSandboxWebhook(' '.repeat(MAX_WEBHOOK_BYTES + 1))).toThrow(expect.objectContaining({ code: 'body_too_large' }));
  });
});
