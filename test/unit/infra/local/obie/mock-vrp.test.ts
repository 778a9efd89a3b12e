import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { type Server, createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AspspRegistryEntry } from '../../../../../shared/adapters/obie/configuration';
import { type MockBanks, startMockBanks } from '../../../../../infra/local/obie/mock-banks';
import { at, openAccount, readAccount, TestTpp, waitUntil } from '../../../../support/obie-test-tpp';

/**
 * The v4.0 mock bank's Variable Recurring Payments API over the wire, every request validated against
 * specs/v4.0/vrp-openapi.json: a consent with ControlParameters, the PSU's one authorisation, funds confirmation,
 * payments with no further authorisation moved through the shared Faster Payments scheme, and the bank's own
 * enforcement of the limits. violations() stays empty: the refusals are normal answers.
 */
describe('the v4.0 mock bank VRP API', () => {
  let dataDir: string;
  let banks: MockBanks;
  let receiver: Server;
  let apiBaseUrl: string;
  let south: TestTpp;
  const redirectUri = (): string => `${apiBaseUrl}/v1/consents/callback`;

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'mock-vrp-'));
    receiver = createServer((request, response) => {
      request.resume();
      request.on('end', () => response.writeHead(202).end());
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    const address = receiver.address();
    apiBaseUrl = `http://127.0.0.1:${typeof address === 'object' && address !== null ? address.port : 0}`;
    banks = await startMockBanks({ dataDir, apiBaseUrl, bookingDelayMs: 200, notificationRetryDelaysMs: [20] });
    const entry = banks.registry.aspsps.find((aspsp): aspsp is AspspRegistryEntry => aspsp.id === 'mock-south');
    if (entry === undefined) throw new Error('no mock-south');
    south = new TestTpp(banks, entry);
  }, 60_000);

  afterAll(async () => {
    await banks?.stop();
    await Promise.all([south?.agent.close(), south?.anonymousAgent.close()]);
    await new Promise((resolve) => receiver?.close(resolve));
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('takes payments under one authorisation within the consent limits, and refuses what goes over them', async () => {
    // Prepare: the payer at mock-south, the payee (the tenant) at mock-north
    const payer = await openAccount(banks, 'mock-south', 'P Payer', '500.00');
    const payee = await openAccount(banks, 'mock-north', 'Acme Ltd', '0.00');
    const creditorAccount = { SchemeName: 'UK.OBIE.SortCodeAccountNumber', Identification: `${payee.sortCode}${payee.accountNumber}`, Name: 'Acme Ltd' };
    const consentBody = {
      Data: {
        ControlParameters: {
          MaximumIndividualAmount: { Amount: '50.00', Currency: 'GBP' },
          PeriodicLimits: [{ PeriodType: 'Month', PeriodAlignment: 'Calendar', Amount: '80.00', Currency: 'GBP' }],
          VRPType: ['UK.OBIE.VRPType.Sweeping'],
          PSUAuthenticationMethods: ['UK.OBIE.SCANotRequired'],
        },
        Initiation: { CreditorAccount: creditorAccount, RemittanceInformation: { Unstructured: ['SWEEP'] } },
      },
      Risk: { PaymentContextCode: 'TransferToSelf' },
    };
    const clientToken = await south.clientToken('payments');

    // Act: the consent, then the PSU authorises it once with the payer's account
    const consent = await south.call('POST', '/pisp/domestic-vrp-consents', { token: clientToken, body: consentBody, idempotencyKey: randomUUID() });
    expect(consent.status).toBe(201);
    expect(at(consent.body, 'Data', 'Status')).toBe('AWAU');
    const consentId = String(at(consent.body, 'Data', 'ConsentId'));
    const psu = await south.authorise(consentId, 'payments', redirectUri(), { sortCode: payer.sortCode, accountNumber: payer.accountNumber });
    const authorised = await south.call('GET', `/pisp/domestic-vrp-consents/${consentId}`, { token: clientToken });
    const funds = await south.call('POST', `/pisp/domestic-vrp-consents/${consentId}/funds-confirmation`, {
      token: psu.access_token,
      body: { Data: { ConsentId: consentId, Reference: 'SWEEP', InstructedAmount: { Amount: '50.00', Currency: 'GBP' } } },
    });
    const pay = (amount: string) =>
      south.call('POST', '/pisp/domestic-vrps', {
        token: psu.access_token,
        idempotencyKey: randomUUID(),
        body: {
          Data: {
            ConsentId: consentId,
            PSUAuthenticationMethod: 'UK.OBIE.SCANotRequired',
            VRPType: 'UK.OBIE.VRPType.Sweeping',
            Initiation: consentBody.Data.Initiation,
            Instruction: {
              InstructionIdentification: `i-${randomUUID().slice(0, 8)}`,
              EndToEndIdentification: `e-${randomUUID().slice(0, 8)}`,
              RemittanceInformation: { Structured: [{ CreditorReferenceInformation: { Reference: `ST${randomUUID().slice(0, 8).toUpperCase()}` } }] },
              InstructedAmount: { Amount: amount, Currency: 'GBP' },
              CreditorAccount: creditorAccount,
            },
          },
          Risk: consentBody.Risk,
        },
      });
    const first = await pay('50.00');
    const second = await pay('30.00');
    const overMonth = await pay('0.01');
    const overIndividual = await pay('50.01');

    // Assess
    expect(at(authorised.body, 'Data', 'Status')).toBe('AUTH');
    expect(at(authorised.body, 'Data', 'DebtorAccount', 'Identification')).toBe(`${payer.sortCode}${payer.accountNumber}`);
    expect(funds.status).toBe(201);
    expect(at(funds.body, 'Data', 'FundsAvailableResult', 'FundsAvailable')).toBe('Available');
    expect([first.status, second.status]).toEqual([201, 201]);
    expect(at(first.body, 'Data', 'Status')).toBe('ACSP');
    expect(overMonth.status).toBe(400);
    expect(String(at(overMonth.body, 'Errors', 0, 'Message'))).toContain('Month limit');
    expect(overIndividual.status).toBe(400);
    expect(String(at(overIndividual.body, 'Errors', 0, 'Message'))).toContain('MaximumIndividualAmount');
    const vrpId = String(at(first.body, 'Data', 'DomesticVRPId'));
    await waitUntil(async () => {
      const read = await south.call('GET', `/pisp/domestic-vrps/${vrpId}`, { token: clientToken });
      return at(read.body, 'Data', 'Status') === 'ACSC' ? true : undefined;
    }, 'the VRP to complete');
    const credited = await waitUntil(async () => {
      const account = await readAccount(banks, 'mock-north', payee.accountId);
      return account.transactions.filter((t) => t.status === 'booked').length === 2 ? account : undefined;
    }, 'both credits booked at the payee');
    expect(credited.balance.booked).toBe('80.00');
    expect((await readAccount(banks, 'mock-south', payer.accountId)).balance.booked).toBe('420.00');
    expect(banks.violations()).toEqual([]);
  }, 60_000);

  it('holds the client to the VRP spec: a consent without ControlParameters is a violation, an unknown consent is not', async () => {
    // Prepare
    const clientToken = await south.clientToken('payments');
    const before = banks.violations().length;
    // Act
    const invalid = await south.call('POST', '/pisp/domestic-vrp-consents', {
      token: clientToken,
      idempotencyKey: randomUUID(),
      body: { Data: { Initiation: {} }, Risk: {} },
    });
    const missing = await south.call('GET', '/pisp/domestic-vrp-consents/vrc-unknown', { token: clientToken });
    // Assess
    expect(invalid.status).toBe(400);
    expect(banks.violations().slice(before)).toEqual([expect.stringContaining('ControlParameters')]);
    expect(missing.status).toBe(400);
    expect(banks.violations().slice(before)).toHaveLength(1);
  });
});
