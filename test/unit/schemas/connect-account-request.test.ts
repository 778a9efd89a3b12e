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
  it('takes a sandbox account as before, with its defaults', () => {
    expect(v.parse(ConnectAccountRequestSchema, sandbox)).toEqual({ ...sandbox, sandboxProfile: 'exact', openingBalance: '0.00' });
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
