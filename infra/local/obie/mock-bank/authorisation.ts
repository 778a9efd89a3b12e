import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { jwtVerify } from 'jose';
import * as v from 'valibot';
import { displayAccountNumber, displayAmount, displaySortCode } from '../../../../shared/adapters/hosted-pages/format';
import { parseBankAmount } from '../../../../shared/domain/money';
import type { ObieVersion } from '../spec-validator';
import { authorisationPage, messagePage } from './authorise-page';
import type { ClientRegistration } from './bank';
import { OPENING_BALANCE_MINOR } from './controls';
import { describeFileConsent } from './file-payments';
import { headerValue, readBody, sendText } from './http';
import type { BankState, StoredAccount, StoredConsent } from './state';
import { consentPermissions, consentStatus, initiationReference, sortCodeAccount } from './wire';

/**
 * The PSU's side of a mock bank (plain HTTP): `GET /authorize` checks the authorisation request and its signed
 * request object and shows what is asked; `POST` with the PSU's decision authorises (or rejects) the consent and
 * sends the PSU back to the TPP's redirect URI with a single-use code bound to the PKCE challenge.
 */
export interface AuthorisingBank {
  readonly name: string;
  readonly apiVersion: ObieVersion;
  readonly issuer: string;
  readonly client: ClientRegistration;
  readonly state: BankState;
  save(): void;
  violation(message: string): void;
  findAccount(sortCode: string, accountNumber: string): StoredAccount | undefined;
  openAccount(name: string, balanceMinor: number, accountNumber?: string): StoredAccount;
  newCustomerName(): string;
}

const CODE_TTL_MS = 10 * 60 * 1000;

const isRecord = (value: unknown): value is Record<string, unknown> => value !== null && typeof value === 'object' && !Array.isArray(value);
const recordOf = (value: unknown): Record<string, unknown> => (isRecord(value) ? value : {});
const stringOf = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);
const opaque = (): string => randomBytes(32).toString('base64url');

const RequestObjectClaimsSchema = v.looseObject({
  claims: v.looseObject({ id_token: v.looseObject({ openbanking_intent_id: v.looseObject({ value: v.string() }) }) }),
  exp: v.number(),
});

const DecisionSchema = v.object({
  outcome: v.picklist(['approve', 'reject']),
  sortCode: v.optional(v.pipe(v.string(), v.transform((s) => s.replace(/[-\s]/g, '')), v.regex(/^(\d{6})?$/, 'sortCode must be six digits'))),
  accountNumber: v.optional(v.pipe(v.string(), v.trim(), v.regex(/^(\d{8})?$/, 'accountNumber must be eight digits'))),
});

interface AuthorisationContext {
  readonly consent: StoredConsent;
  readonly redirectUri: string;
  readonly state: string | undefined;
  readonly codeChallenge: string;
  readonly scope: 'accounts' | 'payments';
}

/** Checks the authorisation request: registered client and redirect URI, PKCE S256, and the signed request object. */
const authorisationContext = async (bank: AuthorisingBank, url: URL): Promise<AuthorisationContext | { problem: string; violation: boolean }> => {
  const client = bank.client;
  const query = (name: string): string | undefined => url.searchParams.get(name) ?? undefined;
  const fail = (problem: string, violation = true): { problem: string; violation: boolean } => ({ problem, violation });
  if (query('client_id') !== client.clientId) return fail('client_id is not a registered client');
  if (query('response_type') !== 'code') return fail('response_type must be code');
  const redirectUri = query('redirect_uri');
  if (redirectUri === undefined || !client.redirectUris.includes(redirectUri)) return fail('redirect_uri is not registered for this client');
  const codeChallenge = query('code_challenge');
  if (codeChallenge === undefined || query('code_challenge_method') !== 'S256') return fail('PKCE with code_challenge_method S256 is required');
  const requestObject = query('request');
  if (requestObject === undefined) return fail('the signed request object (request) is missing');
  let claims: Record<string, unknown>;
  try {
    ({ payload: claims } = await jwtVerify(requestObject, client.signingKey, { algorithms: ['PS256'], issuer: client.clientId, audience: bank.issuer, requiredClaims: ['exp'], clockTolerance: 30 }));
  } catch (error) {
    return fail(`the request object does not verify: ${error instanceof Error ? error.message : 'invalid'}`);
  }
  const parsed = v.safeParse(RequestObjectClaimsSchema, claims);
  if (!parsed.success) return fail('the request object has no claims.id_token.openbanking_intent_id.value or exp');
  if (parsed.output.exp - Date.now() / 1000 > 3600 + 60) return fail('the request object exp is more than an hour ahead');
  for (const name of ['client_id', 'response_type', 'redirect_uri', 'scope', 'state', 'nonce', 'code_challenge', 'code_challenge_method']) {
    if (claims[name] !== query(name)) return fail(`the request object's ${name} differs from the query's`);
  }
  const scopes = (query('scope') ?? '').split(' ');
  const scope = scopes.includes('payments') ? 'payments' : scopes.includes('accounts') ? 'accounts' : undefined;
  if (!scopes.includes('openid') || scope === undefined) return fail('scope must be openid accounts or openid payments');
  const consent = bank.state.consents[parsed.output.claims.id_token.openbanking_intent_id.value];
  if (consent === undefined || consent.clientId !== client.clientId) return fail('openbanking_intent_id is not a consent of this client');
  if ((consent.kind === 'account-access') !== (scope === 'accounts')) return fail(`scope ${scope} does not fit a ${consent.kind} consent`);
  if (consent.status !== 'awaiting') return fail(`this consent is already ${consentStatus(bank.apiVersion, consent)}`, false);
  if (consent.kind === 'file-payment' && bank.state.files[consent.consentId] === undefined) return fail('the payment file of this consent has not been uploaded yet', false);
  return { consent, redirectUri, state: query('state'), codeChallenge, scope };
};

export const serveAuthorise = async (bank: AuthorisingBank, request: IncomingMessage, url: URL, response: ServerResponse): Promise<void> => {
  const context = await authorisationContext(bank, url);
  if ('problem' in context) {
    if (context.violation) bank.violation(`authorize: ${context.problem}`);
    if (request.method === 'POST') await readBody(request);
    sendText(response, 400, 'text/html; charset=utf-8', messagePage(bank.name, 'This request cannot be authorised', context.problem));
    return;
  }
  if (request.method === 'GET') {
    sendText(response, 200, 'text/html; charset=utf-8', authorisationPage({ bankName: bank.name, action: `${url.pathname}${url.search}`, ...describeConsent(bank, context.consent) }));
    return;
  }
  const rawBody = await readBody(request);
  const contentType = headerValue(request, 'content-type') ?? '';
  let input: unknown;
  try {
    input = contentType.includes('application/json') ? JSON.parse(rawBody) : Object.fromEntries(new URLSearchParams(rawBody).entries());
  } catch {
    input = undefined;
  }
  const decision = v.safeParse(DecisionSchema, input);
  if (!decision.success) {
    sendText(response, 400, 'text/html; charset=utf-8', messagePage(bank.name, 'Unreadable decision', decision.issues.map((i) => i.message).join('; ')));
    return;
  }
  const { consent } = context;
  const back = new URL(context.redirectUri);
  if (decision.output.outcome === 'reject') {
    consent.status = 'rejected';
    consent.statusUpdateDateTime = new Date().toISOString();
    bank.save();
    back.searchParams.set('error', 'access_denied');
  } else {
    const account = psuAccount(bank, consent, decision.output.sortCode, decision.output.accountNumber);
    if (typeof account === 'string') {
      sendText(response, 400, 'text/html; charset=utf-8', messagePage(bank.name, 'No such account', account));
      return;
    }
    consent.status = 'authorised';
    consent.statusUpdateDateTime = new Date().toISOString();
    consent.accountIds = [account.accountId];
    const code = opaque();
    bank.state.codes[code] = {
      clientId: consent.clientId,
      consentId: consent.consentId,
      redirectUri: context.redirectUri,
      codeChallenge: context.codeChallenge,
      scope: context.scope,
      expiresAt: Date.now() + CODE_TTL_MS,
      used: false,
    };
    for (const [value, stored] of Object.entries(bank.state.codes)) if (stored.expiresAt < Date.now() - CODE_TTL_MS) delete bank.state.codes[value];
    bank.save();
    back.searchParams.set('code', code);
  }
  if (context.state !== undefined) back.searchParams.set('state', context.state);
  response.writeHead(303, { location: back.toString(), 'content-length': 0 }).end();
};

/** The PSU's account: the consent's DebtorAccount, else the one named in the decision, else a new one. */
const psuAccount = (bank: AuthorisingBank, consent: StoredConsent, sortCode: string | undefined, accountNumber: string | undefined): StoredAccount | string => {
  const debtor = consent.kind === 'account-access' ? undefined : sortCodeAccount(recordOf(consent.data.Initiation).DebtorAccount);
  const named = debtor ?? (sortCode !== undefined && sortCode !== '' && accountNumber !== undefined && accountNumber !== '' ? { sortCode, accountNumber } : undefined);
  if (named !== undefined) {
    return bank.findAccount(named.sortCode, named.accountNumber) ?? `${bank.name} holds no account ${named.sortCode} ${named.accountNumber}`;
  }
  return bank.openAccount(bank.newCustomerName(), OPENING_BALANCE_MINOR);
};

/** An OBIE amount (`{ Amount: '1234.56', Currency: 'GBP' }`) as every hosted page writes money: `£1,234.56`. */
const bankMoney = (amount: Record<string, unknown>): string => {
  const currency = String(amount.Currency);
  return displayAmount(parseBankAmount(String(amount.Amount), currency), currency);
};

const describeConsent = (bank: AuthorisingBank, consent: StoredConsent): { title: string; lines: readonly [string, string][] } => {
  if (consent.kind === 'account-access') {
    const expiration = stringOf(consent.data.ExpirationDateTime);
    return {
      title: 'Share your account information',
      lines: [
        ['Permissions', consentPermissions(consent).join(', ')],
        ...(expiration === undefined ? [] : ([['Until', expiration]] as [string, string][])),
      ],
    };
  }
  if (consent.kind === 'domestic-vrp') return describeVrpConsent(consent);
  if (consent.kind === 'file-payment') return describeFileConsent(bank.state, consent);
  const initiation = recordOf(consent.data.Initiation);
  const amount = recordOf(initiation.InstructedAmount);
  const creditor = sortCodeAccount(initiation.CreditorAccount);
  const pretty = bankMoney(amount);
  return {
    title: `Pay ${pretty}`,
    lines: [
      ['Amount', pretty],
      ['Payee', creditor?.name ?? 'Unknown'],
      ['Payee account', creditor === undefined ? '' : `${displaySortCode(creditor.sortCode)} ${displayAccountNumber(creditor.accountNumber)}`],
      ['Reference', initiationReference(bank.apiVersion, initiation) ?? ''],
    ],
  };
};

/** A VRP consent (vrp.ts): the payee and the limits the PSU agrees to, once for every payment within them. */
const describeVrpConsent = (consent: StoredConsent): { title: string; lines: readonly [string, string][] } => {
  const controls = recordOf(consent.data.ControlParameters);
  const creditor = sortCodeAccount(recordOf(consent.data.Initiation).CreditorAccount);
  const money = (value: unknown) => bankMoney(recordOf(value));
  const limits = (Array.isArray(controls.PeriodicLimits) ? controls.PeriodicLimits : []).map(recordOf);
  return {
    title: 'Allow recurring payments',
    lines: [
      ['Payee', creditor?.name ?? 'Unknown'],
      ['Payee account', creditor === undefined ? '' : `${displaySortCode(creditor.sortCode)} ${displayAccountNumber(creditor.accountNumber)}`],
      ['Most per payment', money(controls.MaximumIndividualAmount)],
      ...limits.map((limit): [string, string] => [`Per ${String(limit.PeriodType).toLowerCase()} (${String(limit.PeriodAlignment).toLowerCase()})`, money(limit)]),
    ],
  };
};
