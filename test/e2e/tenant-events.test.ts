import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningRuntime, startRuntime } from '../../infra/local/spawn-runtime';
import { startCallbackReceiver } from './callback-receiver';
import { connectAccount, eventually, idle, onboardTenant, type Tenant, validatedFetch } from './scenario';

/**
 * What a tenant hears (issue 8 §5) and what careless input gets (§6), over HTTP on the local runtime: every state of
 * every payment once, in order, in the event log and at the endpoint; the transaction list's filters; the sandbox
 * bank's pages for a payer's browser; plain validation messages; callback URLs that may not be registered.
 */
describe('what the tenant hears', () => {
  let runtime: RunningRuntime;
  let tenant: Tenant;
  let receiver: Awaited<ReturnType<typeof startCallbackReceiver>>;
  const accounts: Record<'exact' | 'uk-realistic', { id: string }> = { exact: { id: '' }, 'uk-realistic': { id: '' } };
  const payments: { id: string; reference: string; profile: 'exact' | 'uk-realistic' }[] = [];

  /** Every page of a list, following nextCursor. */
  const everything = async (path: string): Promise<Record<string, any>[]> => {
    const rows: Record<string, any>[] = [];
    let cursor: string | null = null;
    do {
      const separator = path.includes('?') ? '&' : '?';
      const response = await tenant.get(`${path}${cursor === null ? '' : `${separator}cursor=${encodeURIComponent(cursor)}`}`);
      expect(response.status).toBe(200);
      rows.push(...(response.body.data as Record<string, any>[]));
      cursor = response.body.nextCursor as string | null;
    } while (cursor !== null);
    return rows;
  };

  beforeAll(async () => {
    [runtime, receiver] = await Promise.all([startRuntime({ env: { SETTLED_SANDBOX_SETTLEMENT_DELAY_SECONDS: '1' } }), startCallbackReceiver()]);
    tenant = await onboardTenant(runtime);
    expect((await tenant.post('/v1/webhook-endpoints', { url: receiver.url })).status).toBe(201);
    for (const profile of ['exact', 'uk-realistic'] as const) {
      accounts[profile] = await connectAccount(tenant, profile);
      for (let i = 0; i < 8; i += 1) {
        const created = await tenant.post('/v1/payments', { accountId: accounts[profile].id, direction: 'inbound', amount: `${10 + i}.00`, currency: 'GBP' });
        expect(created.status).toBe(201);
        payments.push({ id: String(created.body.id), reference: String(created.body.reference), profile });
        const approved = await validatedFetch(String(created.body.authorisationUrl), { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"outcome":"approve"}' });
        expect(approved.status).toBe(200);
      }
    }
    await eventually(
      async () => {
        const listed = await everything('/v1/payments?limit=100');
        return listed.filter((payment) => payment.status === 'settled').length === payments.length ? true : undefined;
      },
      30_000,
      'every payment to settle',
    );
    await idle(runtime);
  }, 120_000);
  afterAll(async () => {
    await Promise.all([runtime?.stop(), receiver?.close()]);
  });

  it('logs authorised, executed, settled once each, in that order, for every payment on exact and uk-realistic', async () => {
    // Act
    const events = await everything('/v1/events?limit=500');
    // Assess
    for (const payment of payments) {
      const ofPayment = events.filter((event) => String(event.type).startsWith('payment.') && event.data.id === payment.id);
      expect(ofPayment.map((event) => event.type), `${payment.profile} ${payment.id}`).toEqual(['payment.authorised', 'payment.executed', 'payment.settled']);
      expect(ofPayment.map((event) => event.data.status)).toEqual(['authorised', 'executed', 'settled']);
    }
    expect(new Set(events.map((event) => event.id)).size).toBe(events.length);
  });

  it('delivers every event to the endpoint exactly once, with its id as webhook-id', async () => {
    // Act
    const events = await everything('/v1/events?limit=500');
    // Assess
    const deliveries = new Map<string, number>();
    for (const callback of receiver.received) deliveries.set(String(callback.headers['webhook-id']), (deliveries.get(String(callback.headers['webhook-id'])) ?? 0) + 1);
    expect([...deliveries.entries()].filter(([, count]) => count > 1)).toEqual([]);
    expect([...deliveries.keys()].sort()).toEqual(events.map((event) => String(event.id)).sort());
    for (const callback of receiver.received) expect(callback.json.id).toBe(callback.headers['webhook-id']);
  });

  it('lists transactions without the pending rows their booked twins replaced, unless asked', async () => {
    // Prepare: uk-realistic sends each payment pending, then booked under a new id
    const path = `/v1/accounts/${accounts['uk-realistic'].id}/transactions?limit=500`;
    // Act
    const shown = await everything(path);
    const all = await everything(`${path}&includeSuperseded=true`);
    // Assess
    expect(shown).toHaveLength(8);
    expect(shown.every((transaction) => transaction.status === 'booked')).toBe(true);
    expect(all).toHaveLength(16);
    expect(all.filter((transaction) => transaction.status === 'pending').every((transaction) => String(transaction.supersededBy).startsWith('txn_'))).toBe(true);
  });

  it.each<{ description: string; query: string; expected: (transactions: Record<string, any>[]) => Record<string, any>[] }>([
    { description: 'status=pending (all replaced, so none by default)', query: 'status=pending', expected: () => [] },
    { description: 'status=pending&includeSuperseded=true', query: 'status=pending&includeSuperseded=true', expected: (all) => all.filter((t) => t.status === 'pending') },
    { description: 'direction=debit', query: 'direction=debit', expected: () => [] },
    { description: 'direction=credit', query: 'direction=credit', expected: (all) => all.filter((t) => t.status === 'booked') },
    { description: 'reconciliation=matched', query: 'reconciliation=matched', expected: (all) => all.filter((t) => t.status === 'booked' && t.reconciliation.status === 'matched') },
    { description: 'reconciliation=unmatched', query: 'reconciliation=unmatched', expected: (all) => all.filter((t) => t.status === 'booked' && t.reconciliation.status === 'unmatched') },
  ])('filters by $description', async ({ query, expected }) => {
    const base = `/v1/accounts/${accounts['uk-realistic'].id}/transactions`;
    const all = await everything(`${base}?includeSuperseded=true&limit=500`);
    const filtered = await everything(`${base}?${query}&limit=500`);
    expect(filtered.map((t) => t.id)).toEqual(expected(all).map((t) => t.id));
  });

  it('finds a payment by its reference inside the narrative, in any case (q), and by booking time (from/to)', async () => {
    const base = `/v1/accounts/${accounts['uk-realistic'].id}/transactions`;
    const [payment] = payments.filter((candidate) => candidate.profile === 'uk-realistic');
    if (payment === undefined) throw new Error('no uk-realistic payment');
    const found = await everything(`${base}?q=${encodeURIComponent(payment.reference.toLowerCase())}`);
    expect(found.map((transaction) => transaction.reconciliation.paymentIds)).toEqual([[payment.id]]);
    const booked = await everything(`${base}?limit=500`);
    const times = booked.map((transaction) => String(transaction.bookingDateTime)).sort();
    const [first, , third] = times;
    const window = await everything(`${base}?from=${encodeURIComponent(String(first))}&to=${encodeURIComponent(String(third))}`);
    expect(window.map((transaction) => transaction.bookingDateTime).sort()).toEqual(times.filter((time) => time >= String(first) && time <= String(third)));
  });

  it('fills every page but the last, newest first, when a filter drops rows', async () => {
    const base = `/v1/accounts/${accounts['uk-realistic'].id}/transactions?direction=credit&limit=3`;
    const pages: number[] = [];
    const ids: string[] = [];
    let cursor: string | null = null;
    do {
      const response = await tenant.get(`${base}${cursor === null ? '' : `&cursor=${encodeURIComponent(cursor)}`}`);
      pages.push((response.body.data as unknown[]).length);
      ids.push(...(response.body.data as { id: string }[]).map((transaction) => transaction.id));
      cursor = response.body.nextCursor as string | null;
    } while (cursor !== null);
    expect(pages.slice(0, 2)).toEqual([3, 3]);
    expect(ids).toHaveLength(8);
  });
});

describe('careless input', () => {
  let runtime: RunningRuntime;
  let tenant: Tenant;

  beforeAll(async () => {
    runtime = await startRuntime();
    tenant = await onboardTenant(runtime);
  }, 60_000);
  afterAll(async () => {
    await runtime?.stop();
  });

  it.each([
    { url: 'http://169.254.169.254/latest/meta-data', message: 'url must not point at the cloud metadata address: 169.254.169.254' },
    { url: 'http://10.0.0.1/hook', message: 'url must not point at a private network address (10/8, 172.16/12, 192.168/16): 10.0.0.1' },
    { url: 'http://[::ffff:a9fe:a9fe]/', message: 'url must not point at the cloud metadata address: ::ffff:a9fe:a9fe (IPv4-mapped 169.254.169.254)' },
    { url: 'http://user:pw@127.0.0.1:9/hook', message: 'url must not carry credentials (user:password@); authenticate with the webhook signature' },
  ])('refuses to register $url even on the local runtime, naming the rule', async ({ url, message }) => {
    const response = await tenant.post('/v1/webhook-endpoints', { url });
    expect(response.status).toBe(400);
    expect(response.body.error).toMatchObject({ code: 'validation_failed', details: [{ path: 'url', message }] });
  });

  it.each([
    { description: 'an unknown field', path: '/v1/payments', body: { tenantId: 'ten_x' }, detail: { path: 'tenantId', message: 'tenantId is not a field of this request' } },
    { description: 'a missing field', path: '/v1/payments', body: {}, detail: { path: 'accountId', message: 'accountId is required' } },
    { description: 'a wrong option', path: '/v1/accounts', body: { provider: 'sandbox', name: 'A', sortCode: '040004', accountNumber: '12345678', currency: 'GBP', sandboxProfile: 'wild' }, detail: { path: 'sandboxProfile', message: 'sandboxProfile must be one of exact, uk-realistic, chaotic' } },
  ])('answers $description with a detail naming the field and the rule', async ({ path, body, detail }) => {
    const response = await tenant.post(path, body);
    expect(response.status).toBe(400);
    expect(response.body.error.details).toContainEqual(detail);
  });

  it.each([
    { query: 'limit=0', detail: { path: 'limit', message: 'limit must be at least 1' } },
    { query: 'tenantId=ten_x', detail: { path: 'tenantId', message: 'tenantId is not a parameter of this request' } },
    { query: 'direction=sideways', detail: { path: 'direction', message: 'direction must be one of credit or debit' } },
  ])('answers ?$query with a detail naming the parameter and the rule', async ({ query, detail }) => {
    const account = await connectAccount(tenant, 'exact');
    const response = await tenant.get(`/v1/accounts/${account.id}/transactions?${query}`);
    expect(response.status).toBe(400);
    expect(response.body.error.details).toEqual([detail]);
  });

  it('shows a payer an HTML page, not JSON, for an unknown authorisation link (GET and form POST); JSON clients get JSON', async () => {
    const link = `${runtime.url}/sandbox/authorisations/sbp_000000000000000000000000`;
    const page = await validatedFetch(link);
    expect(page.status).toBe(404);
    expect(page.headers.get('content-type')).toMatch(/^text\/html/);
    expect(await page.text()).toContain('<h1>Payment not found</h1>');
    const form = await validatedFetch(link, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'outcome=approve' });
    expect(form.status).toBe(404);
    expect(form.headers.get('content-type')).toMatch(/^text\/html/);
    const program = await validatedFetch(link, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"outcome":"approve"}' });
    expect(program.status).toBe(404);
    expect(await program.json()).toMatchObject({ error: { code: 'authorisation_not_found' } });
  });

  it('answers a form POST with a bad outcome with an HTML page too', async () => {
    const account = await connectAccount(tenant, 'exact');
    const created = await tenant.post('/v1/payments', { accountId: account.id, direction: 'inbound', amount: '1.00', currency: 'GBP' });
    const form = await validatedFetch(String(created.body.authorisationUrl), { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'outcome=maybe' });
    expect(form.status).toBe(400);
    expect(form.headers.get('content-type')).toMatch(/^text\/html/);
    expect(await form.text()).toContain('outcome must be approve or reject');
  });
});
