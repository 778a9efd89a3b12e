import { createHash } from 'node:crypto';
import { formatAmount } from '../../domain/money';
import type { SandboxWebhook } from '../../schemas/sandbox-webhook';
import type { SandboxPayment } from './sandbox-payment';

/** A webhook the sandbox bank will send, `delaySeconds` after the payer's decision. */
export interface PlannedWebhook {
  /** Standard Webhooks `webhook-id`: stable, so a resent plan resends the same messages. */
  readonly webhookId: string;
  readonly delaySeconds: number;
  readonly payload: SandboxWebhook;
}

export interface BehaviourSettings {
  /** Seconds from approval to the booked transaction, per profile. */
  readonly settlementDelaySeconds: { readonly exact: number; readonly 'uk-realistic': number; readonly chaotic: number };
}

export const DEFAULT_BEHAVIOUR: BehaviourSettings = { settlementDelaySeconds: { exact: 1, 'uk-realistic': 2, chaotic: 2 } };

/** Share of chaotic payments rejected at execution (README: about one in ten). */
export const CHAOTIC_REJECTION_RATE = 0.1;
/** Share of chaotic payments returned after settling (README: about one in twelve). */
export const CHAOTIC_RETURN_RATE = 1 / 12;

/** Deterministic "randomness" per payment: the same payment always behaves the same, so plans can be resent. */
const chance = (bankPaymentId: string, aspect: string): number =>
  createHash('sha256').update(`${bankPaymentId}|${aspect}`).digest().readUInt32BE(0) / 0x1_0000_0000;

/** The sort code of the sandbox's payers: the accounts inbound payments that name none are paid from. */
export const SANDBOX_PAYER_SORT_CODE = '040075';

/**
 * The account an inbound payment that names no payer account is paid from, derived from the payment so a resent
 * plan names the same one. A real bank's booked credit carries the sender's account; refunds send money back to it.
 * It ends in 7: never one of the Confirmation of Payee rule accounts (…9999, …0000).
 */
export const sandboxPayerAccountNumber = (bankPaymentId: string): string =>
  `${String(createHash('sha256').update(`${bankPaymentId}|payer`).digest().readUInt32BE(0) % 10_000_000).padStart(7, '0')}7`;

/** Faster Payments id: what UK banks put in TransactionReference. */
const fasterPaymentsId = (payment: SandboxPayment, at: Date): string => {
  const digits = createHash('sha256').update(payment.bankPaymentId).digest().readUInt32BE(0).toString().padStart(10, '0');
  return `FP${at.toISOString().slice(2, 10).replace(/-/g, '')}${digits}`;
};

/** What UK banks do to a payer's reference: upper-case, unsupported punctuation replaced, 18 characters at most. */
export const mangleReference = (reference: string): string =>
  reference.toUpperCase().replace(/[^A-Z0-9 -]/g, '-').replace(/ /g, '-').slice(0, 18);

/** TransactionInformation-style narrative: "J SMITH INV-2024-0042 FP 24/11/26 1432". */
const narrative = (name: string, reference: string, at: Date): string => {
  const dd = String(at.getUTCDate()).padStart(2, '0');
  const mm = String(at.getUTCMonth() + 1).padStart(2, '0');
  const yy = String(at.getUTCFullYear()).slice(2);
  const hhmm = `${String(at.getUTCHours()).padStart(2, '0')}${String(at.getUTCMinutes()).padStart(2, '0')}`;
  return `${name.toUpperCase().slice(0, 12)} ${mangleReference(reference)} FP ${dd}/${mm}/${yy} ${hhmm}`;
};

/**
 * The webhooks a decision produces, per profile (docs/architecture.md §4.3):
 * - exact: authorised, executed, then the booked transaction with the reference unchanged;
 * - uk-realistic: the FPID as the reference field, the payer's reference mangled inside the narrative, a pending
 *   transaction first, then the booked one under a new transaction id;
 * - chaotic: uk-realistic plus a duplicated booked webhook, the executed status after the booked transaction or
 *   never, now and then a rejection at execution, and now and then a return of the settled money.
 */
export const planWebhooks = (
  payment: SandboxPayment,
  decision: 'approve' | 'reject',
  decidedAt: Date,
  settings: BehaviourSettings = DEFAULT_BEHAVIOUR,
): PlannedWebhook[] => {
  const id = payment.bankPaymentId;
  const status = (status: 'authorised' | 'executed' | 'rejected', delaySeconds: number, reason?: string): PlannedWebhook => ({
    webhookId: `msg_${id}_${status}`,
    delaySeconds,
    payload: {
      type: 'payment_status',
      bankPaymentId: id,
      status,
      at: new Date(decidedAt.getTime() + delaySeconds * 1000).toISOString(),
      ...(reason === undefined ? {} : { reason }),
    },
  });
  if (decision === 'reject') return [status('rejected', 0, 'rejected_by_payer')];

  const profile = payment.profile;
  // One draw decides a chaotic payment's fate, so the README's rates hold exactly: rejected at execution about one
  // in ten, returned after settling about one in twelve (of all payments, not of those not rejected).
  const fate = chance(id, 'fate');
  if (profile === 'chaotic' && fate < CHAOTIC_REJECTION_RATE) {
    return [status('authorised', 0), status('rejected', 1, 'insufficient_funds')];
  }

  const delay = settings.settlementDelaySeconds[profile];
  const bookedAt = new Date(decidedAt.getTime() + delay * 1000);
  const fpid = fasterPaymentsId(payment, decidedAt);
  const otherParty = payment.counterparty?.name ?? (payment.direction === 'inbound' ? 'SANDBOX PAYER' : 'SANDBOX PAYEE');
  const base = {
    creditDebitIndicator: payment.direction === 'inbound' ? ('credit' as const) : ('debit' as const),
    amount: formatAmount(payment.amount, payment.currency),
    currency: payment.currency,
    counterparty: {
      name: otherParty,
      ...(payment.counterparty?.sortCode !== undefined && payment.counterparty.accountNumber !== undefined
        ? { sortCode: payment.counterparty.sortCode, accountNumber: payment.counterparty.accountNumber }
        : payment.direction === 'inbound'
          ? { sortCode: SANDBOX_PAYER_SORT_CODE, accountNumber: sandboxPayerAccountNumber(payment.bankPaymentId) }
          : {}),
    },
  };
  const transaction = (suffix: 'pending' | 'booked', at: Date, delaySeconds: number): PlannedWebhook => ({
    webhookId: `msg_${id}_${suffix}`,
    delaySeconds,
    payload: {
      type: 'transactions',
      account: { sortCode: payment.account.sortCode, accountNumber: payment.account.accountNumber },
      transactions: [
        {
          ...base,
          // A new bank transaction id when the pending one books, as real banks do.
          transactionId: `${id}-${suffix === 'pending' ? 'P' : 'B'}`,
          status: suffix,
          bookingDateTime: at.toISOString(),
          valueDateTime: at.toISOString(),
          ...(profile === 'exact'
            ? { reference: payment.reference, description: `${otherParty} ${payment.reference}`, endToEndId: payment.reference }
            : { reference: fpid, description: narrative(otherParty, payment.reference, at), endToEndId: fpid }),
        },
      ],
    },
  });

  if (profile === 'exact') return [status('authorised', 0), status('executed', 0), transaction('booked', bookedAt, delay)];

  const plan = [status('authorised', 0), transaction('pending', decidedAt, 0), transaction('booked', bookedAt, delay)];
  if (profile === 'uk-realistic') return [...plan.slice(0, 1), status('executed', 0), ...plan.slice(1)];

  // chaotic
  const extra: PlannedWebhook[] = [{ ...transaction('booked', bookedAt, delay + 1), webhookId: `msg_${id}_booked` }];
  if (fate < CHAOTIC_REJECTION_RATE + CHAOTIC_RETURN_RATE) {
    // Now and then the money goes back after settling (a recall, a reversal), naming the reference in its narrative.
    const returnedAt = new Date(bookedAt.getTime() + 3000);
    extra.push({
      webhookId: `msg_${id}_return`,
      delaySeconds: delay + 3,
      payload: {
        type: 'transactions',
        account: { sortCode: payment.account.sortCode, accountNumber: payment.account.accountNumber },
        transactions: [
          {
            ...base,
            creditDebitIndicator: payment.direction === 'inbound' ? 'debit' : 'credit',
            transactionId: `${id}-R`,
            status: 'booked',
            bookingDateTime: returnedAt.toISOString(),
            valueDateTime: returnedAt.toISOString(),
            reference: `${fpid}R`,
            description: `RETURNED ${mangleReference(payment.reference)}`,
            endToEndId: `${fpid}R`,
          },
        ],
      },
    });
  }
  const executedFate = chance(id, 'executed');
  if (executedFate < 0.3) {
    // the executed status webhook is lost
  } else if (executedFate < 0.65) {
    extra.push(status('executed', delay + 2)); // the ledger speaks before the payment API does
  } else {
    extra.push(status('executed', 0));
  }
  return [...plan, ...extra];
};
