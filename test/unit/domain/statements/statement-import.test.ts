import { describe, expect, it } from 'vitest';
import type { Account } from '../../../../shared/domain/accounts/account';
import { statementNamesAccount } from '../../../../shared/domain/statements/statement-import';
import type { StatementAccount } from '../../../../shared/domain/statements/statement-entry';

type Named = Pick<Account, 'iban' | 'sortCode' | 'accountNumber' | 'currency'>;

/** A UK account named by sort code and account number (those inside GB29NWBK60161331926819). */
const UK_ACCOUNT: Named = { iban: null, sortCode: '601613', accountNumber: '31926819', currency: 'GBP' };
/** The same UK account, named by its GB IBAN when it was connected. */
const UK_IBAN_ACCOUNT: Named = { ...UK_ACCOUNT, iban: 'GB29NWBK60161331926819' };
/** A German account: only an IBAN. */
const DE_ACCOUNT: Named = { iban: 'DE89370400440532013000', sortCode: null, accountNumber: null, currency: 'EUR' };

const byIban = (iban: string, currency: string | null = null): StatementAccount => ({ iban, other: null, currency });
const byOther = (id: string, currency: string | null = null): StatementAccount => ({ iban: null, other: { id, scheme: null }, currency });

describe('statementNamesAccount', () => {
  it.each([
    { case: 'the same IBAN', named: byIban('DE89370400440532013000'), account: DE_ACCOUNT, expected: true },
    { case: 'the same IBAN with the account currency stated', named: byIban('DE89370400440532013000', 'EUR'), account: DE_ACCOUNT, expected: true },
    { case: 'another IBAN', named: byIban('NL26VAYB8060476890'), account: DE_ACCOUNT, expected: false },
    { case: 'the same IBAN in another currency', named: byIban('DE89370400440532013000', 'USD'), account: DE_ACCOUNT, expected: false },
    { case: 'a GB IBAN naming the sort code and account number', named: byIban('GB29NWBK60161331926819'), account: UK_ACCOUNT, expected: true },
    { case: 'a GB IBAN naming the account its IBAN is', named: byIban('GB29NWBK60161331926819', 'GBP'), account: UK_IBAN_ACCOUNT, expected: true },
    { case: 'a GB IBAN of another account number', named: byIban('GB94BARC10201530093459'), account: UK_ACCOUNT, expected: false },
    { case: 'a GB IBAN in a currency the account is not in', named: byIban('GB29NWBK60161331926819', 'EUR'), account: UK_ACCOUNT, expected: false },
    { case: 'a GB IBAN for an account known only by a foreign IBAN', named: byIban('GB29NWBK60161331926819'), account: DE_ACCOUNT, expected: false },
    { case: 'the IBAN in its printed form', named: byIban('DE89 3704 0044 0532 0130 00'), account: DE_ACCOUNT, expected: true },
    { case: 'a GB IBAN in lower case in Othr/Id', named: byOther('gb29nwbk60161331926819'), account: UK_ACCOUNT, expected: true },
    { case: 'an IBAN that does not parse', named: byIban('DE00370400440532013000'), account: DE_ACCOUNT, expected: false },
    { case: 'Othr/Id of 14 digits', named: byOther('60161331926819'), account: UK_ACCOUNT, expected: true },
    { case: 'Othr/Id with spaces and dashes', named: byOther('60-16-13 3192 6819'), account: UK_ACCOUNT, expected: true },
    { case: 'Othr/Id with a dash between sort code and account number', named: byOther('601613-31926819', 'GBP'), account: UK_IBAN_ACCOUNT, expected: true },
    { case: 'Othr/Id of another account number', named: byOther('60161331926818'), account: UK_ACCOUNT, expected: false },
    { case: 'Othr/Id of the digits in another order', named: byOther('31926819601613'), account: UK_ACCOUNT, expected: false },
    { case: 'Othr/Id with letters among the digits', named: byOther('601613X31926819'), account: UK_ACCOUNT, expected: false },
    { case: 'Othr/Id of 14 digits for an account without a sort code', named: byOther('60161331926819'), account: DE_ACCOUNT, expected: false },
    { case: 'Othr/Id holding the IBAN', named: byOther('DE89370400440532013000'), account: DE_ACCOUNT, expected: true },
    { case: 'Othr/Id holding a GB IBAN of the sort code and account number', named: byOther('GB29NWBK60161331926819'), account: UK_ACCOUNT, expected: true },
    { case: 'Othr/Id holding another IBAN', named: byOther('NL26VAYB8060476890'), account: DE_ACCOUNT, expected: false },
    { case: 'Othr/Id of 14 digits in another currency', named: byOther('60161331926819', 'EUR'), account: UK_ACCOUNT, expected: false },
    { case: 'no account id at all', named: { iban: null, other: null, currency: 'GBP' }, account: UK_ACCOUNT, expected: false },
    { case: 'no account id at all (IBAN account)', named: { iban: null, other: null, currency: null }, account: DE_ACCOUNT, expected: false },
  ])('$case: $expected', ({ named, account, expected }) => {
    // Act
    const names = statementNamesAccount(named, account);
    // Assess
    expect(names).toBe(expected);
  });
});
