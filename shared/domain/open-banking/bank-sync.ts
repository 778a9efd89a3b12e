import type { Clock } from '../ports';
import type { AspspDirectory, EventNotification, EventPollingGateway } from './ports';

/**
 * Work the bank-sync function does against a bank, one fact per message: pulled on an event notification, on the
 * schedule, and from aggregated polling alike, so all three meet in one place and one deduplication downstream.
 */
export type BankSyncMessage =
  /** The bank said an account's transactions changed (rid = its AccountId). */
  | { readonly kind: 'bank-account'; readonly aspspId: string; readonly bankAccountId: string }
  /** The schedule: one connected account to catch up. */
  | { readonly kind: 'account'; readonly tenantId: string; readonly accountId: string }
  /** A domestic payment's status changed, or is due a poll. */
  | { readonly kind: 'payment-status'; readonly aspspId: string; readonly domesticPaymentId: string; readonly attempt?: number }
  /** The PSU revoked an account-access consent at the bank. */
  | { readonly kind: 'consent-revoked'; readonly aspspId: string; readonly bankConsentId: string; readonly reason: string | null }
  /** Drain a bank's aggregated-polling queue (`POST /events`). */
  | { readonly kind: 'poll-events'; readonly aspspId: string }
  /** The schedule: queue an `account` sync for every connected account and a poll for every polling bank. */
  | { readonly kind: 'sweep' };

export interface BankSyncQueue {
  /** Resolves only once every message is durably queued; `delaySeconds` (≤ 900) holds them back first. */
  enqueue(messages: readonly BankSyncMessage[], options?: { readonly delaySeconds?: number }): Promise<void>;
}

/** Event notifications already taken, by (bank, jti): a replay, or the same event pushed and polled, counts once. */
export interface NotificationLedger {
  /** Records the jti; false when it was recorded before. One conditional write. */
  recordFirst(aspspId: string, jti: string, receivedAt: string): Promise<boolean>;
  /** Forgets a jti whose work could not be queued, so the bank's retry is taken. */
  forget(aspspId: string, jti: string): Promise<void>;
}

/** Resource types banks name in `http://openbanking.org.uk/rty` (singular and plural spellings are both seen). */
const ACCOUNT_RESOURCES = new Set(['transactions', 'transaction', 'accounts', 'account']);
const PAYMENT_RESOURCES = new Set(['domestic-payment', 'domestic-payments']);
const ACCESS_CONSENT_RESOURCES = new Set(['account-access-consent', 'account-access-consents']);

/** What a verified notification asks Settled to do; events it has no use for (funds confirmation…) ask nothing. */
export const syncWorkOf = (notification: EventNotification): BankSyncMessage[] =>
  notification.events.flatMap((event): BankSyncMessage[] => {
    const { aspspId } = notification;
    if (event.kind === 'consent-authorization-revoked') {
      return ACCESS_CONSENT_RESOURCES.has(event.resourceType)
        ? [{ kind: 'consent-revoked', aspspId, bankConsentId: event.resourceId, reason: event.reason }]
        : [];
    }
    if (ACCOUNT_RESOURCES.has(event.resourceType)) return [{ kind: 'bank-account', aspspId, bankAccountId: event.resourceId }];
    if (PAYMENT_RESOURCES.has(event.resourceType)) return [{ kind: 'payment-status', aspspId, domesticPaymentId: event.resourceId }];
    return [];
  });

export type NotificationOutcome = { readonly outcome: 'accepted'; readonly queued: number } | { readonly outcome: 'duplicate' };

/**
 * Takes one verified event notification.
 * Primary course: record its jti (once per bank), then queue the syncs it asks for. A jti seen before changes
 * nothing. If the work cannot be queued the jti is forgotten and the error propagates, so the bank's retry (or the
 * next poll) is taken rather than lost.
 */
export const acceptEventNotification = async (
  notification: EventNotification,
  deps: { readonly ledger: NotificationLedger; readonly queue: BankSyncQueue; readonly now: string },
): Promise<NotificationOutcome> => {
  if (!(await deps.ledger.recordFirst(notification.aspspId, notification.jti, deps.now))) return { outcome: 'duplicate' };
  const work = syncWorkOf(notification);
  try {
    await deps.queue.enqueue(work);
  } catch (error) {
    await deps.ledger.forget(notification.aspspId, notification.jti);
    throw error;
  }
  return { outcome: 'accepted', queued: work.length };
};

/** Aggregated polling rounds per sync: each acknowledges the previous round's events and fetches the next. */
export const MAX_POLLING_ROUNDS = 20;

/**
 * Drains a bank's aggregated-polling queue (`POST /events`): every returned notification is taken like a pushed one
 * (once per jti), and acknowledged in the next call only once its work is queued, so a crash between the two makes
 * the bank offer it again rather than lose it. Ends when a round returns nothing (that round carried the last acks).
 */
export const drainPolledEvents = async (
  aspspId: string,
  deps: { readonly polling: EventPollingGateway; readonly ledger: NotificationLedger; readonly queue: BankSyncQueue; readonly clock: Clock },
): Promise<{ readonly taken: number; readonly duplicates: number }> => {
  let acknowledge: string[] = [];
  let taken = 0;
  let duplicates = 0;
  for (let round = 0; round < MAX_POLLING_ROUNDS; round += 1) {
    const { notifications } = await deps.polling.poll(aspspId, acknowledge);
    if (notifications.length === 0) break;
    acknowledge = [];
    for (const notification of notifications) {
      const result = await acceptEventNotification(notification, { ledger: deps.ledger, queue: deps.queue, now: deps.clock.now().toISOString() });
      if (result.outcome === 'accepted') taken += 1;
      else duplicates += 1;
      acknowledge.push(notification.jti);
    }
  }
  return { taken, duplicates };
};

/**
 * The scheduled catch-up, for banks that send no events (or lost one): every account connected at every bank is
 * synced, and every bank that offers aggregated polling is polled.
 */
export const sweepWork = async (deps: {
  readonly directory: AspspDirectory;
  readonly connectedAt: (aspspId: string) => Promise<readonly { readonly tenantId: string; readonly accountId: string }[]>;
}): Promise<BankSyncMessage[]> => {
  const work: BankSyncMessage[] = [];
  for (const aspsp of await deps.directory.list()) {
    if (aspsp.aggregatedPolling) work.push({ kind: 'poll-events', aspspId: aspsp.id });
    for (const account of await deps.connectedAt(aspsp.id)) work.push({ kind: 'account', tenantId: account.tenantId, accountId: account.accountId });
  }
  return work;
};
