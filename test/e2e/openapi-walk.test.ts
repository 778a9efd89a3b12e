import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCallbackReceiver } from './callback-receiver';
import { documentedOperationIds, exercisedOperations } from './openapi-conformance';
import { type RunningRuntime, startRuntime } from '../../infra/local/spawn-runtime';
import { singleStatement } from '../support/camt-documents';
import { api, connectAccount, idle, importStatement, mockBanks, onboardTenant, paymentWithStatus, postBankWebhook, type Tenant, validatedFetch } from './scenario';

/**
 * An ordinary walk through the whole API, as a platform's generated client would make it: every operation of
 * docs/openapi.yaml answers its success response at least once, and (through the e2e client) every response
 * matches the document.
 */
describe('a walk through every documented operation', () => {
  let runtime: RunningRuntime;
  let receiver: Awaited<ReturnType<typeof startCallbackReceiver>>;
  let tenant: Tenant;

  beforeAll(async () => {
    [runtime, receiver] = await Promise.all([startRuntime(), startCallbackReceiver()]);
    tenant = await onboardTenant(runtime);
  });
  afterAll(async () => {
    await runtime?.stop();
    await receiver?.close();
  });

  it('answers each operation with a documented success response', async () => {
    // Prepare
    const admin = api(runtime.url, runtime.adminToken);
    const account = await connectAccount(tenant, 'exact', '100.00');

    // Act: health and admin
    expect((await api(runtime.url).get('/health')).status).toBe(200);
    // Act: the reference (the document, the page and one asset it links)
    expect((await validatedFetch(`${runtime.url}/openapi.json`)).status).toBe(200);
    const reference = await validatedFetch(`${runtime.url}/docs`);
    expect(reference.status).toBe(200);
    expect((await validatedFetch(`${runtime.url}${/\/docs\/assets\/[^"]+/.exec(await reference.text())?.[0] ?? '/docs/assets/none'}`)).status).toBe(200);
    // Act: the operations console (the page and one asset it links)
    const consolePage = await validatedFetch(`${runtime.url}/console`);
    expect(consolePage.status).toBe(200);
    expect((await validatedFetch(`${runtime.url}${/\/console\/assets\/[^"]+/.exec(await consolePage.text())?.[0] ?? '/console/assets/none'}`)).status).toBe(200);
    expect((await admin.get(`/v1/admin/tenants/${tenant.tenantId}`)).status).toBe(200);

    // Act: callbacks first, so every later event is delivered to a subscribed endpoint
    const endpoint = await tenant.post('/v1/webhook-endpoints', { url: receiver.url });
    expect(endpoint.status).toBe(201);
    expect((await tenant.get('/v1/webhook-endpoints')).status).toBe(200);
    expect((await tenant.get(`/v1/webhook-endpoints/${String(endpoint.body.id)}`)).status).toBe(200);

    // Act: accounts
    expect((await tenant.get('/v1/accounts')).status).toBe(200);
    const connected = await tenant.get(`/v1/accounts/${account.id}`);
    expect(connected.status).toBe(200);

    // Act: a payment through the sandbox bank's page, both as a program (JSON) and as the page's form (HTML)
    const created = await tenant.post('/v1/payments', { accountId: account.id, direction: 'inbound', amount: '25.00', currency: 'GBP' });
    expect(created.status).toBe(201);
    const authorisationUrl = String(created.body.authorisationUrl);
    expect((await validatedFetch(authorisationUrl)).status).toBe(200);
    const approved = await validatedFetch(authorisationUrl, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"outcome":"approve"}' });
    expect(approved.status).toBe(200);
    const againAsForm = await validatedFetch(authorisationUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'outcome=approve',
    });
    expect(againAsForm.status).toBe(200);
    await paymentWithStatus(tenant, String(created.body.id), 'settled');
    expect((await tenant.get('/v1/payments?limit=10')).status).toBe(200);
    // Act: part of it refunded to the payer (an outbound payment awaiting the tenant's authorisation)
    expect((await tenant.post(`/v1/payments/${String(created.body.id)}/refunds`, { amount: '5.00' })).status).toBe(201);

    // Act: a payment link, its page, a payment through it (JSON, then the sandbox bank as a form back to redirectUrl)
    const link = await tenant.post('/v1/payment-links', { accountId: account.id, amount: '7.50', currency: 'GBP', redirectUrl: `${receiver.url}/thanks` });
    expect(link.status).toBe(201);
    expect((await tenant.get('/v1/payment-links')).status).toBe(200);
    expect((await validatedFetch(String(link.body.url))).status).toBe(200);
    const paid = await validatedFetch(String(link.body.url), { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"aspspId":"sandbox"}', redirect: 'manual' });
    expect(paid.status).toBe(303);
    const decided = await validatedFetch(paid.headers.get('location') ?? '', { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'outcome=approve', redirect: 'manual' });
    expect(decided.status).toBe(303);
    const linkRead = await tenant.get(`/v1/payment-links/${String(link.body.id)}`);
    expect(linkRead.status).toBe(200);
    await paymentWithStatus(tenant, String(linkRead.body.payments[0]), 'settled');
    const another = await tenant.post('/v1/payment-links', { accountId: account.id, amount: '3.00', currency: 'GBP', singleUse: false });
    expect((await tenant.post(`/v1/payment-links/${String(another.body.id)}/deactivate`, {})).status).toBe(200);

    // Act: a mandate (VRP), authorised once, a payment under it, read, listed and revoked (another tenant of the
    // same walk, so this tenant's event log below stays as it was)
    const payee = await onboardTenant(runtime, 'Mandate Walk');
    const payeeAccount = await connectAccount(payee, 'exact', '0.00');
    const mandate = await payee.post('/v1/mandates', {
      accountId: payeeAccount.id,
      type: 'sweeping',
      currency: 'GBP',
      limits: { maxPerPayment: '20.00', periods: [{ period: 'month', maxAmount: '50.00', alignment: 'calendar' }] },
    });
    expect(mandate.status).toBe(201);
    await validatedFetch(String(mandate.body.authorisationUrl), { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"outcome":"approve"}' });
    expect((await payee.post(`/v1/mandates/${String(mandate.body.id)}/payments`, { amount: '20.00' })).status).toBe(201);
    expect((await payee.get(`/v1/mandates/${String(mandate.body.id)}`)).status).toBe(200);
    expect((await payee.get('/v1/mandates')).status).toBe(200);
    expect((await payee.post(`/v1/mandates/${String(mandate.body.id)}/revoke`, {})).status).toBe(200);

    // Act: an unexplained credit opens an exception, which is dismissed
    const credit = await postBankWebhook(runtime, {
      type: 'transactions',
      account: { sortCode: account.sortCode, accountNumber: account.accountNumber },
      transactions: [
        { transactionId: 'walk-unexplained-1', status: 'booked', creditDebitIndicator: 'credit', amount: '9.99', currency: 'GBP', bookingDateTime: new Date().toISOString(), reference: 'NO SUCH INVOICE' },
      ],
    });
    expect(credit.status).toBe(202);
    await idle(runtime);
    const transactions = await tenant.get(`/v1/accounts/${account.id}/transactions`);
    expect(transactions.status).toBe(200);

    // Act: statements: a CSV mapping, and a camt.053 of the account imported and read back
    const mapping = await tenant.post('/v1/statement-mappings', {
      name: 'Bank CSV',
      columns: { bookingDate: 'Date', amount: 'Amount', reference: 'Reference' },
      dateFormat: 'yyyy-MM-dd',
      decimalSeparator: '.',
    });
    expect(mapping.status).toBe(201);
    expect((await tenant.get(`/v1/statement-mappings/${String(mapping.body.id)}`)).status).toBe(200);
    const statementFile = singleStatement('camt.053', 8, [{ amount: '3.00', currency: 'GBP', acctSvcrRef: 'walk-statement-1', bookingDate: '2026-11-20' }], {
      otherId: { id: `${account.sortCode}${account.accountNumber}` },
    });
    const imported = await importStatement(tenant, account.id, statementFile);
    expect(imported.status).toBe('completed');
    expect((await tenant.get(`/v1/consents/${String(connected.body.consent.id)}/access-log`)).status).toBe(200);
    expect((await tenant.get('/v1/cash-position')).status).toBe(200);
    const exceptions = await tenant.get(`/v1/reconciliation/exceptions?accountId=${account.id}`);
    expect(exceptions.status).toBe(200);
    const exceptionId = String(exceptions.body.data[0]?.id);
    expect((await tenant.get(`/v1/reconciliation/exceptions/${exceptionId}`)).status).toBe(200);
    const dismissed = await tenant.post(`/v1/reconciliation/exceptions/${exceptionId}/resolve`, { action: 'dismiss', note: 'A refund from a supplier.' });
    expect(dismissed.status).toBe(200);
    const from = new Date(Date.now() - 3_600_000).toISOString();
    const to = new Date(Date.now() + 3_600_000).toISOString();
    expect((await tenant.get(`/v1/reconciliation/report?from=${from}&to=${to}`)).status).toBe(200);

    // Act: an Open Banking account at a mock bank (consent, the bank's redirect back, reconfirm, revoke) and an
    // inbound payment whose payer chooses their bank on the hosted page
    const banks = await mockBanks(runtime);
    expect((await tenant.get('/v1/aspsps')).status).toBe(200);
    const obie = await tenant.post('/v1/accounts', { provider: 'obie', aspspId: 'mock-south', name: 'Acme Ltd', currency: 'GBP' });
    expect(obie.status).toBe(201);
    const returned = await validatedFetch(await banks.decide(String(obie.body.consent.authorisationUrl)), { headers: { accept: 'text/html' } });
    expect(returned.status).toBe(200);
    const inbound = await tenant.post('/v1/payments', { accountId: String(obie.body.id), direction: 'inbound', amount: '12.34', currency: 'GBP' });
    expect(inbound.status).toBe(201);
    expect((await validatedFetch(String(inbound.body.authorisationUrl))).status).toBe(200);
    const chosen = await validatedFetch(String(inbound.body.authorisationUrl), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"aspspId":"mock-north"}',
      redirect: 'manual',
    });
    expect(chosen.status).toBe(303);
    expect((await validatedFetch(await banks.decide(chosen.headers.get('location') ?? ''), { redirect: 'manual' })).status).toBe(200);
    await paymentWithStatus(tenant, String(inbound.body.id), 'settled');
    // A payout from the Open Banking account: its authorisation page sends the payer to the bank for its first file
    const obiePayout = await tenant.post('/v1/payouts', {
      accountId: String(obie.body.id),
      currency: 'GBP',
      items: [{ amount: '1.00', counterparty: { name: 'Alex Doe', sortCode: '200000', accountNumber: '55771234' } }],
    });
    expect(obiePayout.status).toBe(201);
    expect((await validatedFetch(String(obiePayout.body.authorisationUrl), { redirect: 'manual' })).status).toBe(303);
    const obieConsent = String(obie.body.consent.id);
    expect((await tenant.post(`/v1/consents/${obieConsent}/reconfirm`, {})).status).toBe(200);
    expect((await tenant.post(`/v1/consents/${obieConsent}/revoke`, {})).status).toBe(200);

    // Act: the event log, then the endpoint goes
    await idle(runtime);
    const events = await tenant.get('/v1/events?limit=500');
    expect(events.status).toBe(200);
    expect(new Set(events.body.data.map((event: { type: string }) => event.type))).toEqual(
      new Set([
        'payment.authorised',
        'payment.executed',
        'payment.settled',
        'transaction.received',
        'reconciliation.exception_opened',
        'reconciliation.exception_resolved',
        'cash_position.updated',
        'statement.imported',
        'payment_link.completed',
      ]),
    );
    const redelivered = await tenant.post(`/v1/webhook-endpoints/${String(endpoint.body.id)}/redeliveries`, { eventId: String(events.body.data[0].id) });
    expect(redelivered.status).toBe(202);
    expect((await tenant.delete(`/v1/webhook-endpoints/${String(endpoint.body.id)}`)).status).toBe(200);

    // Act: a bulk payout (stored, read, listed, its items listed; not authorised, so it adds no event)
    const payout = await tenant.post('/v1/payouts', {
      accountId: account.id,
      currency: 'GBP',
      items: [
        { amount: '1.50', externalId: 'walk-1', counterparty: { name: 'Alex Doe', sortCode: '200000', accountNumber: '55771234' } },
        { amount: '2.50', reference: 'WALK 2', counterparty: { name: 'Sam Smith', sortCode: '200000', accountNumber: '55779999' } },
      ],
    });
    expect(payout.status).toBe(201);
    expect((await tenant.get(`/v1/payouts/${String(payout.body.id)}`)).status).toBe(200);
    expect((await tenant.get('/v1/payouts')).status).toBe(200);
    expect((await tenant.get(`/v1/payouts/${String(payout.body.id)}/payments?status=failed`)).status).toBe(200);

    // Assess: every operation answered a 2xx at least once (or its documented redirect: the bank choice answers 303)
    const succeeded = new Set([...exercisedOperations()].filter((entry) => / (2\d\d|303)$/.test(entry)).map((entry) => entry.split(' ')[0]));
    expect((await documentedOperationIds()).filter((operationId) => !succeeded.has(operationId))).toEqual([]);
  });
});
