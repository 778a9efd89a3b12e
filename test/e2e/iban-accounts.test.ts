import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningRuntime, startRuntime } from '../../infra/local/spawn-runtime';
import { onboardTenant, type Tenant } from './scenario';

/**
 * Accounts named by IBAN, over HTTP (responses checked against docs/openapi.yaml). No credit over the sandbox bank
 * webhook here: its `account` names a sort code and account number only, so it cannot name an EUR IBAN.
 */
describe('accounts named by IBAN', () => {
  let runtime: RunningRuntime;
  let acme: Tenant;

  beforeAll(async () => {
    runtime = await startRuntime();
    acme = await onboardTenant(runtime, 'Acme IBAN');
  });
  afterAll(async () => {
    await runtime?.stop();
  });

  it('connects an EUR account by its printed IBAN, and reads it back in electronic form', async () => {
    const created = await acme.post('/v1/accounts', { provider: 'sandbox', name: 'Acme GmbH', iban: 'de89 3704 0044 0532 0130 00', currency: 'EUR', openingBalance: '2500.5' });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ iban: 'DE89370400440532013000', sortCode: null, accountNumber: null, currency: 'EUR', openingBalance: '2500.50', status: 'active' });
    const read = await acme.get(`/v1/accounts/${String(created.body.id)}`);
    expect(read.body).toEqual(created.body);
    // Payments run over UK Faster Payments: an account known only by an EUR IBAN cannot take one.
    const paying = await acme.post('/v1/payments', { accountId: created.body.id, direction: 'inbound', amount: '10.00', currency: 'EUR' });
    expect(paying).toMatchObject({ status: 400, body: { error: { details: [{ path: 'accountId' }] } } });
  });

  it('connects a GB account by IBAN with its sort code and account number, and a JPY account with no decimal places', async () => {
    const gb = await acme.post('/v1/accounts', { provider: 'sandbox', name: 'Acme Ltd', iban: 'GB29NWBK60161331926819', currency: 'GBP' });
    expect(gb).toMatchObject({ status: 201, body: { iban: 'GB29NWBK60161331926819', sortCode: '601613', accountNumber: '31926819', openingBalance: '0.00' } });
    const jpy = await acme.post('/v1/accounts', { provider: 'sandbox', name: 'Acme KK', sortCode: '040004', accountNumber: '55443322', currency: 'JPY' });
    expect(jpy).toMatchObject({ status: 201, body: { iban: null, currency: 'JPY', openingBalance: '0' } });
  });

  it('answers a broken or inconsistent IBAN with 400 on iban, naming the rule', async () => {
    const checksum = await acme.post('/v1/accounts', { provider: 'sandbox', name: 'Acme', iban: 'GB29NWBK60161331926818', currency: 'GBP' });
    expect(checksum).toMatchObject({ status: 400, body: { error: { code: 'validation_failed', details: [{ path: 'iban', message: expect.stringMatching(/mod-97/) }] } } });
    const other = await acme.post('/v1/accounts', { provider: 'sandbox', name: 'Acme', iban: 'GB29NWBK60161331926819', sortCode: '040004', accountNumber: '12345678', currency: 'GBP' });
    expect(other).toMatchObject({ status: 400, body: { error: { details: [{ path: 'iban', message: expect.stringMatching(/^iban names sort code 601613/) }] } } });
    const none = await acme.post('/v1/accounts', { provider: 'sandbox', name: 'Acme', currency: 'GBP' });
    expect(none).toMatchObject({ status: 400, body: { error: { details: [{ path: 'iban' }] } } });
  });
});
