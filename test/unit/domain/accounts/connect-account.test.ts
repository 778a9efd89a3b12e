import { describe, expect, it } from 'vitest';
import { connectAccount, type ConnectAccountCommand } from '../../../../shared/domain/accounts/connect-account';
import { ValidationError } from '../../../../shared/domain/errors';
import { identifyBankAccount } from '../../../../shared/domain/accounts/iban';
import { InMemoryAccountRepository, TENANT_ID } from '../../../support/domain-fakes';
import { fixedClock, sequentialIds } from '../../../support/fakes';

const base: ConnectAccountCommand = { tenantId: TENANT_ID, provider: 'sandbox', name: 'Acme', currency: 'GBP', sandboxProfile: 'exact', openingBalance: 0 };

const connect = async (command: Partial<ConnectAccountCommand>) => {
  const accounts = new InMemoryAccountRepository();
  const account = await connectAccount({ ...base, ...command }, { accounts, ids: sequentialIds(), clock: fixedClock('2026-11-30T10:00:00.000Z') });
  return { account, accounts };
};

const detailsOf = async (command: Partial<ConnectAccountCommand>) => {
  const error = await connect(command).then(
    () => undefined,
    (thrown: unknown) => thrown,
  );
  expect(error).toBeInstanceOf(ValidationError);
  return error instanceof ValidationError ? error.details : [];
};

describe('connectAccount: naming the bank account', () => {
  it('keeps a sort code and account number as before, with no IBAN', async () => {
    const { account, accounts } = await connect({ sortCode: '040004', accountNumber: '12345678' });
    expect(account).toMatchObject({ sortCode: '040004', accountNumber: '12345678', iban: null, status: 'active' });
    expect(accounts.accounts).toEqual([account]);
  });

  it('reads the sort code and account number out of a GB IBAN, and keeps the IBAN', async () => {
    const { account } = await connect({ iban: 'gb29 nwbk 6016 1331 9268 19' });
    expect(account).toMatchObject({ sortCode: '601613', accountNumber: '31926819', iban: 'GB29NWBK60161331926819' });
  });

  it('accepts a GB IBAN with the very sort code and account number inside it', async () => {
    const { account } = await connect({ iban: 'GB29NWBK60161331926819', sortCode: '601613', accountNumber: '31926819' });
    expect(account).toMatchObject({ sortCode: '601613', accountNumber: '31926819', iban: 'GB29NWBK60161331926819' });
  });

  it('connects an EUR account by its IBAN alone, with no sort code or account number', async () => {
    const { account } = await connect({ iban: 'DE89370400440532013000', currency: 'EUR' });
    expect(account).toMatchObject({ sortCode: null, accountNumber: null, iban: 'DE89370400440532013000', currency: 'EUR' });
  });

  it('refuses a GB IBAN that disagrees with the sort code and account number given', async () => {
    expect(await detailsOf({ iban: 'GB29NWBK60161331926819', sortCode: '040004', accountNumber: '12345678' })).toEqual([
      { path: 'iban', message: 'iban names sort code 601613 and account number 31926819, not the sortCode and accountNumber given' },
    ]);
  });

  it('refuses a sort code beside another country’s IBAN, half a UK account, and no account at all', async () => {
    expect(await detailsOf({ iban: 'NL91ABNA0417164300', sortCode: '040004', accountNumber: '12345678' })).toEqual([
      { path: 'iban', message: 'iban of NL has no sort code or account number: give the iban alone' },
    ]);
    expect(await detailsOf({ sortCode: '040004' })).toEqual([
      { path: 'accountNumber', message: 'name the bank account with both sortCode and accountNumber, or with an iban' },
    ]);
    expect(await detailsOf({})).toEqual([{ path: 'iban', message: 'name the bank account with an iban, or with sortCode and accountNumber' }]);
  });

  it('refuses a broken IBAN with the rule it breaks, storing nothing', async () => {
    expect(await detailsOf({ iban: 'CH9300762011623852958' })).toEqual([
      { path: 'iban', message: expect.stringMatching(/^iban fails its mod-97 check digits/) },
    ]);
    expect(identifyBankAccount({ iban: 'FR1420041010050500013M0260' })).toEqual({ ok: false, path: 'iban', message: 'iban of FR must have 27 characters, not 26' });
  });
});
