import { randomBytes } from 'node:crypto';
import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, GetCommand, PutCommand, TransactWriteCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { type Account, isConnected, type SandboxProfile } from '../../domain/accounts/account';
import { ConflictError, GoneError, NotFoundError } from '../../domain/errors';
import type { Mandate, MandateLimits } from '../../domain/mandates/mandate';
import type { MandateGateway } from '../../domain/mandates/ports';
import type { Payment } from '../../domain/payments/payment';
import type { Clock } from '../../domain/ports';
import { fromItem } from '../dynamodb/items';
import { sandboxPaymentKey } from '../dynamodb/keys';
import { AUTHORISATION_LINK_TTL_MS, type WebhookScheduler } from './authorise';
import { type BehaviourSettings, planWebhooks } from './behaviour';
import { displayAccount, displayAmount } from '../hosted-pages/format';
import { SANDBOX_BANK_NAME } from './pages';
import type { SandboxPayment } from './sandbox-payment';

/** The sandbox bank's own record of a mandate (its VRP consent): the payer's decision and what was taken under it. */
export interface SandboxMandate {
  readonly bankMandateId: string;
  readonly status: 'awaiting_authorisation' | 'approved' | 'rejected' | 'revoked';
  readonly type: Mandate['type'];
  readonly currency: string;
  readonly reference: string | null;
  readonly limits: MandateLimits;
  readonly validFrom: string | null;
  readonly validTo: string | null;
  readonly profile: SandboxProfile;
  /** The tenant's account, credited by every payment taken under the mandate. */
  readonly account: { readonly sortCode: string; readonly accountNumber: string; readonly name: string };
  readonly counterparty: Mandate['counterparty'];
  readonly createdAt: string;
  readonly decidedAt: string | null;
  /** How many payments the bank has taken under it, and their total (minor units): what reached the bank. */
  readonly paymentsTaken: number;
  readonly amountTaken: number;
}

export const isSandboxMandateId = (id: string): boolean => id.startsWith('sbm_');
const sandboxMandateKey = (bankMandateId: string) => ({ pk: `SANDBOX#MAN#${bankMandateId}`, sk: 'SANDBOX' });

export class SandboxMandateStore {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async create(mandate: SandboxMandate): Promise<void> {
    await this.client.send(
      new PutCommand({ TableName: this.tableName, Item: { ...sandboxMandateKey(mandate.bankMandateId), entity: 'sandboxMandate', ...mandate }, ConditionExpression: 'attribute_not_exists(pk)' }),
    );
  }

  async get(bankMandateId: string): Promise<SandboxMandate | undefined> {
    const { Item } = await this.client.send(new GetCommand({ TableName: this.tableName, Key: sandboxMandateKey(bankMandateId), ConsistentRead: true }));
    return Item === undefined ? undefined : fromItem<SandboxMandate>(Item, 'sandboxMandate');
  }

  /** Moves the mandate from `from` to `to` once; false if it was not in `from`. */
  async move(bankMandateId: string, from: SandboxMandate['status'], to: SandboxMandate['status'], at: string): Promise<boolean> {
    try {
      await this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: sandboxMandateKey(bankMandateId),
          UpdateExpression: from === 'awaiting_authorisation' ? 'SET #status = :to, decidedAt = :at' : 'SET #status = :to',
          ConditionExpression: '#status = :from',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: { ':to': to, ':from': from, ...(from === 'awaiting_authorisation' ? { ':at': at } : {}) },
        }),
      );
      return true;
    } catch (error) {
      if (error instanceof Error && error.name === 'ConditionalCheckFailedException') return false;
      throw error;
    }
  }

  /**
   * The bank takes a payment under an approved mandate: the payment and the mandate's count in one write, only if
   * the mandate is approved and the payment new. False when the payment was already taken (a retried call).
   */
  async take(bankMandateId: string, payment: SandboxPayment): Promise<boolean> {
    try {
      await this.client.send(
        new TransactWriteCommand({
          TransactItems: [
            { Put: { TableName: this.tableName, Item: { ...sandboxPaymentKey(payment.bankPaymentId), entity: 'sandboxPayment', ...payment }, ConditionExpression: 'attribute_not_exists(pk)' } },
            {
              Update: {
                TableName: this.tableName,
                Key: sandboxMandateKey(bankMandateId),
                UpdateExpression: 'ADD paymentsTaken :one, amountTaken :amount',
                ConditionExpression: '#status = :approved',
                ExpressionAttributeNames: { '#status': 'status' },
                ExpressionAttributeValues: { ':one': 1, ':amount': payment.amount, ':approved': 'approved' },
              },
            },
          ],
        }),
      );
      return true;
    } catch (error) {
      if (error instanceof TransactionCanceledException && error.CancellationReasons?.[0]?.Code === 'ConditionalCheckFailed') return false;
      if (error instanceof TransactionCanceledException && error.CancellationReasons?.[1]?.Code === 'ConditionalCheckFailed') {
        throw new ConflictError(`The sandbox bank's mandate ${bankMandateId} is not approved.`, { code: 'mandate_not_active' });
      }
      throw error;
    }
  }
}

/** The mandate behind an authorisation link (404 unknown, 410 undecided past the link's lifetime). */
export const mandateBehindLink = async (bankMandateId: string, deps: { readonly store: Pick<SandboxMandateStore, 'get'>; readonly clock: Clock }): Promise<SandboxMandate> => {
  const mandate = await deps.store.get(bankMandateId);
  if (mandate === undefined) throw new NotFoundError(`The sandbox bank has no mandate ${bankMandateId}.`, { code: 'authorisation_not_found' });
  if (mandate.status === 'awaiting_authorisation' && deps.clock.now().getTime() - Date.parse(mandate.createdAt) > AUTHORISATION_LINK_TTL_MS) {
    throw new GoneError('This authorisation link has expired. Ask the merchant for a new one.', { code: 'authorisation_expired' });
  }
  return mandate;
};

/** The payer approves or rejects the mandate once on the sandbox bank's page; the same decision again is a no-op. */
export const decideMandate = async (
  bankMandateId: string,
  outcome: 'approve' | 'reject',
  deps: { readonly store: SandboxMandateStore; readonly clock: Clock },
): Promise<SandboxMandate> => {
  const current = await mandateBehindLink(bankMandateId, deps);
  const wanted = outcome === 'approve' ? 'approved' : 'rejected';
  if (current.status === 'awaiting_authorisation') await deps.store.move(bankMandateId, 'awaiting_authorisation', wanted, deps.clock.now().toISOString());
  const decided = await deps.store.get(bankMandateId);
  if (decided === undefined) throw new Error(`Sandbox mandate ${bankMandateId} disappeared`);
  if (decided.status !== wanted) throw new ConflictError(`This mandate was already ${decided.status}.`, { code: 'already_decided' });
  return decided;
};

/** The sandbox bank as a VRP provider: consent page, decision read back, payments taken with no page. */
export class SandboxMandateGateway implements MandateGateway {
  constructor(
    private readonly store: SandboxMandateStore,
    private readonly apiBaseUrl: string,
    private readonly schedule: WebhookScheduler,
    private readonly settings: BehaviourSettings,
    private readonly clock: Clock,
  ) {}

  async createMandate(mandate: Omit<Mandate, 'bankMandateId' | 'authorisationUrl'>, account: Account) {
    if (!isConnected(account)) throw new Error(`Account ${account.id} has no bank account yet`);
    const bankMandateId = `sbm_${randomBytes(12).toString('hex')}`;
    await this.store.create({
      bankMandateId,
      status: 'awaiting_authorisation',
      type: mandate.type,
      currency: mandate.currency,
      reference: mandate.reference,
      limits: mandate.limits,
      validFrom: mandate.validFrom,
      validTo: mandate.validTo,
      profile: account.sandboxProfile ?? 'exact',
      account: { sortCode: account.sortCode, accountNumber: account.accountNumber, name: account.name },
      counterparty: mandate.counterparty,
      createdAt: mandate.createdAt,
      decidedAt: null,
      paymentsTaken: 0,
      amountTaken: 0,
    });
    return { bankMandateId, authorisationUrl: `${this.apiBaseUrl.replace(/\/$/, '')}/sandbox/authorisations/${bankMandateId}` };
  }

  async mandateStatus(mandate: Mandate) {
    const atBank = await this.store.get(mandate.bankMandateId);
    if (atBank === undefined) throw new Error(`The sandbox bank lost mandate ${mandate.bankMandateId}`);
    return { status: atBank.status, decidedAt: atBank.decidedAt };
  }

  nextPaymentId(): string {
    return `sbp_${randomBytes(12).toString('hex')}`;
  }

  async executePayment(mandate: Mandate, payment: Payment, account: Account): Promise<void> {
    if (!isConnected(account)) throw new Error(`Account ${account.id} has no bank account yet`);
    const decidedAt = this.clock.now().toISOString();
    const sandboxPayment: SandboxPayment = {
      bankPaymentId: payment.bankPaymentId,
      status: 'approved',
      direction: 'inbound',
      amount: payment.amount,
      currency: payment.currency,
      reference: payment.reference,
      profile: account.sandboxProfile ?? 'exact',
      account: { sortCode: account.sortCode, accountNumber: account.accountNumber, name: account.name },
      counterparty: payment.counterparty,
      createdAt: payment.createdAt,
      decidedAt,
    };
    await this.store.take(mandate.bankMandateId, sandboxPayment);
    // As for a payment the payer approved on the page: the profile's webhooks (authorised, executed, booked credit).
    await this.schedule(planWebhooks(sandboxPayment, 'approve', new Date(decidedAt), this.settings));
  }

  async revokeMandate(mandate: Mandate): Promise<void> {
    const at = this.clock.now().toISOString();
    if (!(await this.store.move(mandate.bankMandateId, 'approved', 'revoked', at))) await this.store.move(mandate.bankMandateId, 'awaiting_authorisation', 'revoked', at);
  }
}

const escape = (text: string): string =>
  text.replace(/[&<>"']/g, (character) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[character] ?? character);

/** The mandate's part of the sandbox bank's page: its terms, what was taken, and Approve / Reject while undecided. */
export const mandatePageBody = (mandate: SandboxMandate): { title: string; body: string } => {
  const money = (minor: number) => displayAmount(minor, mandate.currency);
  const periods = mandate.limits.periods.map((limit) => `<dd>${escape(money(limit.maxAmount))} per ${escape(limit.period)} (${escape(limit.alignment)})</dd>`).join('');
  const details = `<dl><dt>Pay to</dt><dd>${escape(displayAccount(mandate.account))}</dd>
<dt>Type</dt><dd>${escape(mandate.type)}</dd><dt>Reference</dt><dd>${escape(mandate.reference ?? '—')}</dd>
<dt>Most per payment</dt><dd>${escape(money(mandate.limits.maxPerPayment))}</dd><dt>Limits</dt>${periods}
<dt>Valid</dt><dd>${escape(mandate.validFrom ?? 'now')} – ${escape(mandate.validTo ?? 'until revoked')}</dd>
<dt>Payments taken</dt><dd data-payments-taken="${mandate.paymentsTaken}">${mandate.paymentsTaken} (${escape(money(mandate.amountTaken))})</dd><dt>Bank</dt><dd>${SANDBOX_BANK_NAME}</dd></dl>`;
  if (mandate.status !== 'awaiting_authorisation') return { title: 'Mandate', body: `<h1>Mandate ${escape(mandate.status)}</h1>${details}` };
  return {
    title: 'Authorise mandate',
    body: `<h1>Authorise these recurring payments</h1>${details}
<h2>What happens next</h2><p class="next">${escape(`After you approve, ${mandate.account.name} can take payments from your account within these limits until the mandate ends or you revoke it.`)}</p>
<form method="post" class="decide"><button class="approve" name="outcome" value="approve">Approve</button><button class="reject" name="outcome" value="reject">Reject</button></form>
<p class="note">To cancel, reject the mandate or close this window.</p>`,
  };
};
