import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { describeViolations, type ObservedResponse, prepareResponseValidation, responseViolations } from '../../e2e/openapi-conformance';

/** The checker every e2e response goes through (test/e2e/openapi-conformance.ts) must catch drift, and only drift. */
const E2E_DIRECTORY = fileURLToPath(new URL('../../e2e/', import.meta.url));

const response = (
  method: string,
  path: string,
  status: number,
  body: unknown,
  contentType = 'application/json',
  headers: Record<string, string> = {},
): ObservedResponse => ({
  method,
  url: `http://127.0.0.1:3000${path}`,
  status,
  headers: new Headers({ ...(contentType === '' ? {} : { 'content-type': contentType }), ...headers }),
  body: typeof body === 'string' ? body : JSON.stringify(body),
});
const rateLimited = { error: { code: 'rate_limited', message: 'Too many requests.', details: [] } };

const tenant = { id: 'ten_01JD3Z6Q5W8K4M2N7P9R1S3T5V', name: 'Acme Billing', createdAt: '2026-11-24T10:00:00.000Z' };
const notFound = { error: { code: 'not_found', message: 'No such payment.', details: [] } };
const position = {
  accountId: 'acc_01JD3Z6Q5W8K4M2N7P9R1S3T5V',
  currency: 'GBP',
  settledBalance: '100.00',
  pendingInbound: '0.00',
  pendingOutbound: '0.00',
  projectedBalance: '100.00',
  asOf: '2026-11-24T10:00:00.000Z',
};
const transaction = {
  id: 'txn_01JD3Z6Q5W8K4M2N7P9R1S3T5V',
  accountId: 'acc_01JD3Z6Q5W8K4M2N7P9R1S3T5V',
  bankTransactionId: 'bank-1',
  status: 'booked',
  creditDebitIndicator: 'credit',
  amount: '9.99',
  currency: 'GBP',
  bookingDateTime: '2026-11-24T10:00:00Z',
  valueDateTime: null,
  reference: 'NO SUCH INVOICE',
  description: null,
  endToEndId: null,
  counterparty: null,
  merchant: null,
  category: null,
  receivedAt: '2026-11-24T10:00:01.000Z',
  supersedes: null,
  supersededBy: null,
  reconciliation: {
    status: 'unmatched',
    paymentIds: [],
    exceptionId: 'exc_01JD3Z6Q5W8K4M2N7P9R1S3T5V',
    matchedBy: null,
    keys: ['NOSUCHINVOICE'],
    candidatePaymentIds: [],
  },
};
const event = (type: string, data: unknown) => ({ id: 'evt_01JD3Z6Q5W8K4M2N7P9R1S3T5V', type, createdAt: '2026-11-24T10:00:00.000Z', data });
const events = (...data: unknown[]) => ({ data, nextCursor: null });

describe('responseViolations', () => {
  beforeAll(prepareResponseValidation, 120_000);

  it.each([
    { description: 'a resource as documented', observed: response('GET', `/v1/admin/tenants/${tenant.id}`, 200, tenant) },
    { description: 'a documented error status', observed: response('GET', '/v1/payments/pay_x', 404, notFound) },
    { description: 'a transaction that opened an exception', observed: response('GET', '/v1/accounts/acc_x/transactions', 200, { data: [transaction], nextCursor: null }) },
    { description: 'an event whose data fits its type', observed: response('GET', '/v1/events', 200, events(event('cash_position.updated', position))) },
    { description: 'an HTML page where HTML is documented', observed: response('GET', '/sandbox/authorisations/sbp_1', 200, '<html></html>', 'text/html; charset=utf-8') },
    { description: 'an unrouted path answering the 404 error', observed: response('GET', '/v1/nothing-here', 404, { error: { code: 'route_not_found', message: 'No route.', details: [] } }) },
    { description: 'a documented header that fits', observed: response('GET', '/v1/payments', 429, rateLimited, 'application/json', { 'retry-after': '1' }) },
    { description: 'the local runtime controls, which are not API', observed: response('POST', '/_local/idle', 200, 'anything', 'text/plain') },
  ])('accepts $description', async ({ observed }) => {
    expect(await responseViolations(observed)).toEqual([]);
  });

  it.each([
    { description: 'an extra field', observed: response('GET', `/v1/admin/tenants/${tenant.id}`, 200, { ...tenant, apiKeyHash: 'x' }), says: 'additionalProperty":"apiKeyHash' },
    { description: 'a missing field', observed: response('GET', `/v1/admin/tenants/${tenant.id}`, 200, { id: tenant.id, name: tenant.name }), says: "must have required property 'createdAt'" },
    { description: 'an undocumented status', observed: response('GET', '/v1/payments/pay_x', 418, notFound), says: 'status 418 is not documented for getPayment (documented: 200, 401, 404, 429, 500)' },
    { description: 'an undocumented media type', observed: response('GET', '/sandbox/authorisations/sbp_1', 200, {}), says: 'content-type application/json is not documented for getSandboxAuthorisationPage 200 (documented: text/html)' },
    { description: 'no content type at all', observed: response('GET', '/v1/payments/pay_x', 404, notFound, ''), says: 'content-type (none) is not documented' },
    { description: 'a body that is not JSON', observed: response('GET', '/v1/payments/pay_x', 404, 'oops'), says: 'the body is not JSON' },
    { description: 'an error in another shape', observed: response('GET', '/v1/payments/pay_x', 404, { message: 'nope' }), says: "must have required property 'error'" },
    { description: 'an event whose data is another resource', observed: response('GET', '/v1/events', 200, events(event('payment.settled', position))), says: 'must match exactly one schema in oneOf' },
    { description: 'an event of an undocumented type', observed: response('GET', '/v1/events', 200, events(event('payment.teleported', position))), says: '/data/0' },
    { description: 'a documented header that does not fit', observed: response('GET', '/v1/payments', 429, rateLimited, 'application/json', { 'retry-after': 'soon' }), says: 'listPayments 429 header retry-after: data/value must be integer; got "soon"' },
    { description: 'an unrouted path answering 200', observed: response('GET', '/v1/nothing-here', 200, {}), says: 'no operation in the document matches GET /v1/nothing-here' },
  ])('reports $description', async ({ observed, says }) => {
    expect((await responseViolations(observed)).join('\n')).toContain(says);
  });

  it('describes a failure with method, path, status, media type, each violation and the body', async () => {
    // Prepare
    const observed = response('GET', '/v1/payments/pay_x?expand=1', 418, notFound);
    // Act
    const message = describeViolations(observed, await responseViolations(observed));
    // Assess
    expect(message).toContain('GET /v1/payments/pay_x?expand=1 answered 418 (application/json), which docs/openapi.yaml does not describe:');
    expect(message).toContain('  - status 418 is not documented for getPayment');
    expect(message).toContain('"code":"not_found"');
  });
});

describe('the e2e suite', () => {
  const testFiles = readdirSync(E2E_DIRECTORY).filter((name) => name.endsWith('.test.ts'));

  it('has test files to check', () => {
    expect(testFiles.length).toBeGreaterThan(5);
  });

  // A bare fetch or the runtime's unchecked client would let a response skip the document check.
  it.each(testFiles)('%s talks HTTP only through the checked client (scenario.ts api / validatedFetch)', (name) => {
    const source = readFileSync(`${E2E_DIRECTORY}${name}`, 'utf8');
    expect(source.match(/(?<![\w.])fetch\(/g) ?? []).toEqual([]);
    expect(source).not.toMatch(/import \{[^}]*\bapi\b[^}]*\} from '[^']*spawn-runtime'/);
  });
});
