import { Webhook, WebhookVerificationError } from 'standardwebhooks';
import * as v from 'valibot';
import { UnauthorizedError, ValidationError } from '../../domain/errors';
import { parseBankAmount } from '../../domain/money';
import type { SettlementMessage } from '../../domain/settlement/settlement-message';
import { type SandboxWebhook, SandboxWebhookSchema } from '../../schemas/sandbox-webhook';
import { issuesToDetails } from '../../runtime/http/request';
import { parseWebhookJson } from './webhook-body';

/**
 * Verifies a Standard Webhooks signature over the raw body: HMAC-SHA256 of `id.timestamp.body` with the provider
 * secret, compared in constant time by the `standardwebhooks` library, timestamp within 5 minutes either way,
 * any of several space-separated signatures accepted (key rotation). Anything else is 401.
 */
export const verifyStandardWebhook = (rawBody: string, headers: Record<string, string | undefined>, secret: string): void => {
  const id = headers['webhook-id'];
  const timestamp = headers['webhook-timestamp'];
  const signature = headers['webhook-signature'];
  if (id === undefined || timestamp === undefined || signature === undefined) {
    throw new UnauthorizedError('Missing webhook-id, webhook-timestamp or webhook-signature header.');
  }
  try {
    new Webhook(secret).verify(rawBody, { 'webhook-id': id, 'webhook-timestamp': timestamp, 'webhook-signature': signature });
  } catch (error) {
    if (error instanceof WebhookVerificationError) throw new UnauthorizedError(`Webhook signature rejected: ${error.message}.`, { cause: error });
    throw error;
  }
};

export { MAX_WEBHOOK_BYTES } from './webhook-body';

/** Parses and validates the canonical (sandbox) format; malformed → 400 with the offending paths. */
export const parseSandboxWebhook = (rawBody: string): SandboxWebhook => {
  const parsed = parseWebhookJson(rawBody);
  const result = v.safeParse(SandboxWebhookSchema, parsed);
  if (!result.success) throw new ValidationError('The webhook body is not in the canonical format.', { details: issuesToDetails(result.issues) });
  return result.output;
};

/** One settlement message per fact: each transaction, or the payment status. Amounts become minor units here. */
export const normaliseSandboxWebhook = (webhook: SandboxWebhook): SettlementMessage[] => {
  if (webhook.type === 'payment_status') {
    return [
      {
        kind: 'payment_status',
        report: { provider: 'sandbox', bankPaymentId: webhook.bankPaymentId, status: webhook.status, at: webhook.at, reason: webhook.reason ?? null },
      },
    ];
  }
  return webhook.transactions.map((transaction, index) => {
    let amount: number;
    try {
      amount = parseBankAmount(transaction.amount, transaction.currency);
    } catch (cause) {
      throw new ValidationError('A transaction amount is invalid.', {
        details: [{ path: `transactions.${index}.amount`, message: cause instanceof Error ? cause.message : 'invalid amount' }],
        cause,
      });
    }
    return {
      kind: 'transaction',
      transaction: {
        provider: 'sandbox',
        sortCode: webhook.account.sortCode,
        accountNumber: webhook.account.accountNumber,
        bankTransactionId: transaction.transactionId,
        status: transaction.status,
        creditDebitIndicator: transaction.creditDebitIndicator,
        amount,
        currency: transaction.currency,
        // Banks send offsets (+01:00); stored as UTC so the booking-time index sorts and filters as time.
        bookingDateTime: new Date(transaction.bookingDateTime).toISOString(),
        valueDateTime: transaction.valueDateTime === undefined ? null : new Date(transaction.valueDateTime).toISOString(),
        reference: transaction.reference ?? null,
        description: transaction.description ?? null,
        endToEndId: transaction.endToEndId ?? null,
        counterparty: transaction.counterparty ?? null,
        merchant: transaction.merchant ?? null,
        category: transaction.category ?? null,
      },
    };
  });
};
