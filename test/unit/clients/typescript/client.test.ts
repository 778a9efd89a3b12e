import { describe, expect, it } from 'vitest';
import { createSettledClient, idempotencyKey, ok, SettledApiError } from '../../../../clients/typescript/src';

/** A fetch that records each request and answers what it is told. */
const recordingFetch = (status: number, body: string, contentType = 'application/json') => {
  const requests: { method: string; url: string; headers: Headers; body: string }[] = [];
  const fetch = async (request: Request): Promise<Response> => {
    requests.push({ method: request.method, url: request.url, headers: request.headers, body: await request.text() });
    return new Response(body, { status, headers: { 'content-type': contentType, 'x-request-id': 'req_1' } });
  };
  return { requests, fetch };
};

const payment = {
  id: 'pay_1',
  accountId: 'acc_1',
  direction: 'inbound',
  amount: '125.00',
  currency: 'GBP',
  reference: 'STL-ABC',
  status: 'authorisation_required',
  createdAt: '2026-11-24T10:00:00Z',
};

describe('createSettledClient', () => {
  it('sends the API key as a bearer token to the base URL, and the Idempotency-Key given to a POST', async () => {
    // Prepare
    const server = recordingFetch(201, JSON.stringify(payment));
    const client = createSettledClient({ baseUrl: 'https://api.example.test/', apiKey: 'sk_ten_secret', fetch: server.fetch });
    // Act
    const created = await ok(
      client.POST('/v1/payments', { params: { header: idempotencyKey('key-1') }, body: { accountId: 'acc_1', direction: 'inbound', amount: '125.00', currency: 'GBP' } }),
    );
    // Assess
    expect(created.id).toBe('pay_1');
    const [request] = server.requests;
    expect(request?.method).toBe('POST');
    expect(request?.url).toBe('https://api.example.test/v1/payments');
    expect(request?.headers.get('authorization')).toBe('Bearer sk_ten_secret');
    expect(request?.headers.get('idempotency-key')).toBe('key-1');
    expect(JSON.parse(request?.body ?? '')).toEqual({ accountId: 'acc_1', direction: 'inbound', amount: '125.00', currency: 'GBP' });
  });

  it('puts path parameters into the path, encoded', async () => {
    // Prepare
    const server = recordingFetch(200, JSON.stringify(payment));
    const client = createSettledClient({ baseUrl: 'https://api.example.test', apiKey: 'sk_ten_secret', fetch: server.fetch });
    // Act
    await ok(client.GET('/v1/payments/{paymentId}', { params: { path: { paymentId: 'pay 1/x' } } }));
    // Assess
    expect(server.requests[0]?.url).toBe('https://api.example.test/v1/payments/pay%201%2Fx');
  });

  it('sends no Authorization header without an API key (hosted pages, health)', async () => {
    // Prepare
    const server = recordingFetch(200, JSON.stringify({ status: 'ok' }));
    const client = createSettledClient({ baseUrl: 'https://api.example.test', fetch: server.fetch });
    // Act
    await client.GET('/health');
    // Assess
    expect(server.requests[0]?.headers.get('authorization')).toBeNull();
  });
});

describe('idempotencyKey', () => {
  it('makes a fresh UUID per call unless one is given', () => {
    // Act
    const first = idempotencyKey();
    const second = idempotencyKey();
    // Assess
    expect(first['Idempotency-Key']).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(second['Idempotency-Key']).not.toBe(first['Idempotency-Key']);
    expect(idempotencyKey('mine')).toEqual({ 'Idempotency-Key': 'mine' });
  });
});

describe('ok', () => {
  it('throws a SettledApiError with the code, message, details and request id of the contract error shape', async () => {
    // Prepare
    const refusal = { error: { code: 'validation_failed', message: 'The request is not valid', details: [{ path: 'amount', message: 'amount must be a decimal string like "125.00"' }] } };
    const client = createSettledClient({ baseUrl: 'https://api.example.test', apiKey: 'k', fetch: recordingFetch(400, JSON.stringify(refusal)).fetch });
    // Act
    const thrown = await ok(client.POST('/v1/payments', { params: { header: idempotencyKey() }, body: { accountId: 'acc_1', direction: 'inbound', amount: '1', currency: 'GBP' } })).catch((error: unknown) => error);
    // Assess
    expect(thrown).toBeInstanceOf(SettledApiError);
    expect(thrown).toMatchObject({ status: 400, code: 'validation_failed', message: 'The request is not valid', requestId: 'req_1' });
    expect(thrown instanceof SettledApiError ? thrown.details : []).toEqual([{ path: 'amount', message: 'amount must be a decimal string like "125.00"' }]);
  });

  it.each([
    { description: 'an HTML page from a proxy', status: 502, body: '<html>Bad gateway</html>', contentType: 'text/html', message: '<html>Bad gateway</html>' },
    { description: 'JSON that is not the error shape', status: 500, body: '{"message":"boom"}', contentType: 'application/json', message: 'HTTP 500' },
    { description: 'an error shape with malformed details', status: 400, body: '{"error":{"code":"x","message":"y","details":[{"path":1}]}}', contentType: 'application/json', message: 'HTTP 400' },
  ])('refuses $description as unexpected_response', async ({ status, body, contentType, message }) => {
    // Prepare
    const client = createSettledClient({ baseUrl: 'https://api.example.test', apiKey: 'k', fetch: recordingFetch(status, body, contentType).fetch });
    // Act
    const thrown = await ok(client.GET('/v1/payments/{paymentId}', { params: { path: { paymentId: 'pay_1' } } })).catch((error: unknown) => error);
    // Assess
    expect(thrown).toBeInstanceOf(SettledApiError);
    expect(thrown).toMatchObject({ status, code: 'unexpected_response', message, details: [] });
  });
});
