import * as v from 'valibot';
import { describe, expect, it } from 'vitest';
import { ConnectAccountRequestSchema, ReconfirmConsentRequestSchema } from '../../../shared/schemas/tenant-api';
import { withOutcome } from '../../../shared/domain/open-banking/consent-callback';
import { anAccount } from '../../support/domain-fakes';

const sandbox = { provider: 'sandbox', name: 'Acme', sortCode: '040004', accountNumber: '12345678', currency: 'GBP' };
const obie = { provider: 'obie', aspspId: 'mock-v4', name: 'Acme', currency: 'GBP' };
const messagesOf = (input: unknown): string[] => {
  const result = v.safeParse(ConnectAccountRequestSchema, input);
  return result.success ? [] : result.issues.map((issue) => issue.message);
};

describe('ConnectAccountRequestSchema', () => {
  it('takes a sandbox account as before, with its defaults (an opening balance of "0", valid in every exponent)', () => {
    expect(v.parse(ConnectAccountRequestSchema, sandbox)).toEqual({ ...sandbox, sandboxProfile: 'exact', openingBalance: '0' });
  });

  it('takes a sandbox account named by an IBAN, printed or electronic, and gives its electronic form', () => {
    const { sortCode: _s, accountNumber: _a, ...unnamed } = sandbox;
    expect(v.parse(ConnectAccountRequestSchema, { ...unnamed, currency: 'EUR', iban: 'de89 3704 0044 0532 0130 00' })).toMatchObject({
      iban: 'DE89370400440532013000',
      currency: 'EUR',
    });
    expect(messagesOf({ ...sandbox, iban: 'GB29NWBK60161331926819' })).toEqual([]);
  });

  it('refuses a broken IBAN on the iban field, naming the rule', () => {
    const issuesOf = (iban: unknown) => {
      const result = v.safeParse(ConnectAccountRequestSchema, { provider: 'sandbox', name: 'Acme', currency: 'EUR', iban });
      return result.success ? [] : result.issues.map((issue) => ({ path: v.getDotPath(issue), message: issue.message }));
    };
    expect(issuesOf('DE88370400440532013000')).toEqual([{ path: 'iban', message: expect.stringMatching(/^iban fails its mod-97 check digits/) }]);
    expect(issuesOf('DE8937040044053201300')).toEqual([{ path: 'iban', message: 'iban of DE must have 22 characters, not 21' }]);
    expect(issuesOf(12)).toEqual([{ path: 'iban', message: 'iban must be a string' }]);
  });

  it('keeps obie as it was: no iban', () => {
    expect(messagesOf({ ...obie, iban: 'GB29NWBK60161331926819' })).not.toEqual([]);
  });

  it('takes an obie account with or without the bank account named, and a redirect URL', () => {
    expect(messagesOf(obie)).toEqual([]);
    expect(messagesOf({ ...obie, sortCode: '601613', accountNumber: '31926819', redirectUrl: 'https://acme.example/back?x=1' })).toEqual([]);
  });

  it('refuses sandbox-only fields for obie and obie-only fields for the sandbox', () => {
    expect(messagesOf({ ...obie, sandboxProfile: 'exact' })).not.toEqual([]);
    expect(messagesOf({ ...obie, openingBalance: '1.00' })).not.toEqual([]);
    expect(messagesOf({ ...sandbox, aspspId: 'mock-v4' })).not.toEqual([]);
    expect(messagesOf({ ...sandbox, redirectUrl: 'https://acme.example' })).not.toEqual([]);
  });

  it('refuses an unknown provider, an obie account without its bank, half a bank account, and a non-http redirect', () => {
    expect(messagesOf({ ...obie, provider: 'truelayer' })).toEqual(['provider must be "sandbox" or "obie"']);
    const { aspspId: _dropped, ...withoutBank } = obie;
    expect(messagesOf(withoutBank)).not.toEqual([]);
    expect(messagesOf({ ...obie, sortCode: '601613' })).toEqual(['name the bank account with both sortCode and accountNumber, or with neither']);
    expect(messagesOf({ ...obie, redirectUrl: 'javascript:alert(1)' })).not.toEqual([]);
  });

  it('reconfirm takes nothing or a redirect URL, and nothing else', () => {
    expect(v.safeParse(ReconfirmConsentRequestSchema, {}).success).toBe(true);
    expect(v.safeParse(ReconfirmConsentRequestSchema, { redirectUrl: 'https://acme.example' }).success).toBe(true);
    expect(v.safeParse(ReconfirmConsentRequestSchema, { reconfirmBy: '2030-01-01T00:00:00Z' }).success).toBe(false);
  });
});

describe('withOutcome', () => {
  it('adds the account id, and the reason when not connected, keeping the page’s own query', () => {
    const account = anAccount();
    expect(withOutcome('https://acme.example/back?ref=7', { kind: 'connected', account })).toBe(`https://acme.example/back?ref=7&accountId=${account.id}`);
    expect(withOutcome('https://acme.example/back', { kind: 'failed', accountId: 'acc_1', reason: 'consent_rejected', message: 'm' })).toBe(
      'https://acme.example/back?accountId=acc_1&error=consent_rejected',
    );
  });
});
