import type { Account } from '../domain/accounts/account';
import type { Payment } from '../domain/payments/payment';
import type { Payout } from '../domain/payouts/payout';
import type { BulkBankGateway, BulkSubmission, ChunkReport } from '../domain/payouts/payout-store';

/** One BulkBankGateway over each provider's: a payout goes through its account's bank (sandbox or Open Banking). */
export class ProviderBulkGateway implements BulkBankGateway {
  constructor(private readonly byProvider: Readonly<Partial<Record<Account['provider'], BulkBankGateway>>>) {}

  private of(account: Account): BulkBankGateway {
    const gateway = this.byProvider[account.provider];
    if (gateway === undefined) throw new Error(`No bulk payments for ${account.provider} accounts in this function`);
    return gateway;
  }

  async bulkLimit(account: Account): Promise<number | null> {
    return this.byProvider[account.provider]?.bulkLimit(account) ?? null;
  }

  identify(payoutId: string, account: Account) {
    return this.of(account).identify(payoutId, account);
  }

  initiateBatch(payout: Payout, account: Account): Promise<void> {
    return this.of(account).initiateBatch(payout, account);
  }

  submitChunk(payout: Payout, chunk: number, items: readonly Payment[], account: Account): Promise<BulkSubmission> {
    return this.of(account).submitChunk(payout, chunk, items, account);
  }

  async followChunk(payout: Payout, chunk: number, account: Account): Promise<ChunkReport> {
    const gateway = this.of(account);
    return gateway.followChunk === undefined ? { failed: [], done: true } : gateway.followChunk(payout, chunk, account);
  }
}
