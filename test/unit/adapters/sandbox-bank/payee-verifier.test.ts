import { describe, expect, it } from 'vitest';
import { sandboxPayeeVerifier } from '../../../../shared/adapters/sandbox-bank/payee-verifier';

const payee = (name: string, accountNumber: string) => ({ name, sortCode: '040004', accountNumber });

describe('the sandbox bank answering Confirmation of Payee', () => {
  it('knows the holder of accounts ending 9999', async () => {
    expect(await sandboxPayeeVerifier.verify(payee('JORDAN EXAMPLE', '12349999'))).toEqual({ result: 'match' });
    expect(await sandboxPayeeVerifier.verify(payee('J Example', '12349999'))).toEqual({ result: 'close_match', suggestedName: 'Jordan Example' });
    expect(await sandboxPayeeVerifier.verify(payee('Sam Smith', '12349999'))).toEqual({ result: 'no_match' });
  });

  it('cannot answer for accounts ending 0000', async () => {
    expect(await sandboxPayeeVerifier.verify(payee('Jordan Example', '12340000'))).toEqual({ result: 'unavailable' });
  });

  it('takes the named holder of any other account', async () => {
    expect(await sandboxPayeeVerifier.verify(payee('Anyone At All', '12345678'))).toEqual({ result: 'match' });
  });
});
