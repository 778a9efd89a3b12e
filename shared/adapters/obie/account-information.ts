import * as v from 'valibot';
import { parseBankAmount } from '../../domain/money';
import {
  BankAccessDenied,
  type AccountInformationGateway,
  type AuthorisationRequest,
  type BankAccountDetails,
  type BankTokens,
  type ConsentCreated,
  type TransactionBatch,
} from '../../domain/open-banking/ports';
import type { ReportedTransaction } from '../../domain/settlement/bank-transaction';
import { ObieResponseError, type ObieClient } from './client';
import { buildAuthorisationUrl } from './signing';
import { normaliseObieTransaction, splitSortCodeAccountNumber, toUtcIso } from './transactions';

/** What Settled asks of an account: its details, balances, and every transaction in detail, both directions. */
export const ACCOUNT_ACCESS_PERMISSIONS = ['ReadAccountsDetail', 'ReadBalances', 'ReadTransactionsCredits', 'ReadTransactionsDebits', 'ReadTransactionsDetail'] as const;

/** At most this many pages of one fetch; a bank whose Links.Next never ends is cut off with an error. */
export const MAX_TRANSACTION_PAGES = 500;

const ConsentResponseSchema = v.object({ Data: v.object({ ConsentId: v.pipe(v.string(), v.minLength(1)) }) });

const Links = v.optional(v.object({ Next: v.optional(v.string()) }));

const AccountsResponseSchema = v.object({
  Data: v.object({
    Account: v.optional(
      v.array(
        v.object({
          AccountId: v.pipe(v.string(), v.minLength(1)),
          Currency: v.optional(v.string()),
          Nickname: v.optional(v.string()),
          Account: v.optional(v.array(v.object({ SchemeName: v.string(), Identification: v.string(), Name: v.optional(v.string()) }))),
        }),
      ),
    ),
  }),
});

const BalancesResponseSchema = v.object({
  Data: v.object({
    Balance: v.array(
      v.object({
        CreditDebitIndicator: v.picklist(['Credit', 'Debit']),
        Type: v.string(),
        DateTime: v.string(),
        Amount: v.object({ Amount: v.string(), Currency: v.string() }),
      }),
    ),
  }),
});

const TransactionsResponseSchema = v.object({
  Data: v.object({ Transaction: v.optional(v.array(v.unknown())) }),
  Links,
});

/** Booked balance types, most current first: v3.1.11 names and their v4.0 ISO codes. */
const BOOKED_BALANCE_TYPES: readonly (readonly string[])[] = [
  ['InterimBooked', 'ITBD'],
  ['ClosingBooked', 'CLBD'],
];

const IBAN_SCHEMES = new Set(['UK.OBIE.IBAN', 'IBAN']);

/** AIS over Open Banking UK (v3.1.11 and v4.0): account-access consents, accounts, balances, transactions. */
export class ObieAccountInformationGateway implements AccountInformationGateway {
  constructor(private readonly client: ObieClient) {}

  async createAccessConsent(aspspId: string, authorisation: AuthorisationRequest, options: { readonly expiresAt: string | null }): Promise<ConsentCreated> {
    const context = await this.client.context(aspspId);
    const body = {
      Data: {
        Permissions: [...ACCOUNT_ACCESS_PERMISSIONS],
        ...(options.expiresAt === null ? {} : { ExpirationDateTime: toUtcIso(options.expiresAt, 'expiresAt') }),
      },
      Risk: {},
    };
    const response = await this.client.withClientToken(context, 'accounts', (accessToken) =>
      this.client.resource(context, { operation: 'CreateAccountAccessConsents', method: 'POST', path: '/aisp/account-access-consents', body, accessToken }),
    );
    const consent = this.client.parse(context, 'CreateAccountAccessConsents', ConsentResponseSchema, response);
    const authorisationUrl = await buildAuthorisationUrl(context.bank, context.credentials, 'accounts', consent.Data.ConsentId, authorisation, this.client.now());
    return { bankConsentId: consent.Data.ConsentId, authorisationUrl };
  }

  exchangeCode(aspspId: string, code: string, authorisation: AuthorisationRequest): Promise<BankTokens> {
    return this.client.exchangeCode(aspspId, code, authorisation);
  }

  async refreshTokens(aspspId: string, tokens: BankTokens): Promise<BankTokens> {
    const context = await this.client.context(aspspId);
    if (tokens.refreshToken === null) throw new BankAccessDenied(`Bank ${aspspId} gave no refresh token: the consent must be authorised again`);
    const token = await this.client.tokenRequest(context, 'token (refresh_token)', { grant_type: 'refresh_token', refresh_token: tokens.refreshToken });
    return this.client.bankTokensOf(token, tokens.refreshToken);
  }

  async listAccounts(aspspId: string, tokens: BankTokens): Promise<readonly BankAccountDetails[]> {
    const context = await this.client.context(aspspId);
    const response = await this.client.resource(context, { operation: 'GetAccounts', method: 'GET', path: '/aisp/accounts', accessToken: tokens.accessToken });
    const accounts = this.client.parse(context, 'GetAccounts', AccountsResponseSchema, response).Data.Account ?? [];
    return accounts.map((account) => {
      const identifications = account.Account ?? [];
      const sortCodeAccount = identifications.map((identification) => splitSortCodeAccountNumber(identification)).find((split) => split !== null) ?? null;
      const iban = identifications.find((identification) => IBAN_SCHEMES.has(identification.SchemeName))?.Identification ?? null;
      const name = identifications.find((identification) => identification.Name !== undefined)?.Name ?? account.Nickname ?? null;
      return {
        bankAccountId: account.AccountId,
        // Sort code and account number accounts are sterling; a bank that leaves Currency out means GBP.
        currency: account.Currency ?? 'GBP',
        name,
        sortCode: sortCodeAccount?.sortCode ?? null,
        accountNumber: sortCodeAccount?.accountNumber ?? null,
        iban,
      };
    });
  }

  async getBookedBalance(aspspId: string, tokens: BankTokens, bankAccountId: string): Promise<{ readonly amount: number; readonly currency: string; readonly at: string }> {
    const context = await this.client.context(aspspId);
    const operation = 'GetAccountsAccountIdBalances';
    const response = await this.client.resource(context, {
      operation,
      method: 'GET',
      path: `/aisp/accounts/${encodeURIComponent(bankAccountId)}/balances`,
      accessToken: tokens.accessToken,
    });
    const balances = this.client.parse(context, operation, BalancesResponseSchema, response).Data.Balance;
    for (const types of BOOKED_BALANCE_TYPES) {
      const balance = balances.find((candidate) => types.includes(candidate.Type));
      if (balance === undefined) continue;
      const magnitude = parseBankAmount(balance.Amount.Amount, balance.Amount.Currency);
      return {
        amount: balance.CreditDebitIndicator === 'Debit' && magnitude !== 0 ? -magnitude : magnitude,
        currency: balance.Amount.Currency,
        at: toUtcIso(balance.DateTime, 'Balance.DateTime'),
      };
    }
    throw new ObieResponseError(aspspId, operation, 'no InterimBooked or ClosingBooked balance');
  }

  /**
   * Every page from `fromBookingDateTime = since` (UTC), following `Links.Next` to the end; a link back to a page
   * already read ends the walk (each page is read once), more than {@link MAX_TRANSACTION_PAGES} pages is an error,
   * and a link off the bank's resource server is refused (its token never leaves the bank). `latestBookingDateTime` is the
   * latest booking time among the BOOKED transactions: a pending entry's BookingDateTime is only "the expected
   * booking date" and may lie ahead, so starting the next fetch there could skip entries booked in between.
   */
  async fetchTransactions(
    aspspId: string,
    tokens: BankTokens,
    account: { readonly bankAccountId: string; readonly sortCode: string; readonly accountNumber: string },
    since: string | null,
  ): Promise<TransactionBatch> {
    const context = await this.client.context(aspspId);
    const operation = 'GetAccountsAccountIdTransactions';
    const transactions: ReportedTransaction[] = [];
    const seen = new Set<string>();
    const first = new URL(`${context.bank.resourceBaseUrl.replace(/\/$/, '')}/aisp/accounts/${encodeURIComponent(account.bankAccountId)}/transactions`);
    if (since !== null) first.searchParams.set('fromBookingDateTime', toUtcIso(since, 'since'));
    let next: string | undefined = first.toString();
    seen.add(next);
    while (next !== undefined) {
      if (seen.size > MAX_TRANSACTION_PAGES) throw new ObieResponseError(aspspId, operation, `more than ${MAX_TRANSACTION_PAGES} pages`);
      const response = await this.client.resource(context, { operation, method: 'GET', path: next, accessToken: tokens.accessToken });
      const page = this.client.parse(context, operation, TransactionsResponseSchema, response);
      for (const entry of page.Data.Transaction ?? []) {
        const normalised = normaliseObieTransaction(entry, account);
        if (normalised !== null) transactions.push(normalised);
      }
      const link = page.Links?.Next;
      if (link === undefined || link === '') next = undefined;
      else {
        const absolute = new URL(link, context.bank.resourceBaseUrl).toString();
        // A link back to a page already read closes a loop: every page it reaches has been read, so stop there.
        if (seen.has(absolute)) next = undefined;
        else {
          seen.add(absolute);
          next = absolute;
        }
      }
    }
    const booked = transactions.filter((transaction) => transaction.status === 'booked').map((transaction) => transaction.bookingDateTime);
    const latestBookingDateTime = booked.length === 0 ? null : booked.reduce((latest, time) => (time > latest ? time : latest));
    return { transactions, latestBookingDateTime };
  }

  async deleteAccessConsent(aspspId: string, bankConsentId: string): Promise<void> {
    const context = await this.client.context(aspspId);
    await this.client.withClientToken(context, 'accounts', (accessToken) =>
      this.client.resource(context, {
        operation: 'DeleteAccountAccessConsentsConsentId',
        method: 'DELETE',
        path: `/aisp/account-access-consents/${encodeURIComponent(bankConsentId)}`,
        accessToken,
      }),
    );
  }
}
