import type { APIGatewayProxyEventV2, Context } from 'aws-lambda';
import * as v from 'valibot';
import { describe, expect, it } from 'vitest';
import { ConflictError, NotFoundError } from '../../../../shared/domain/errors';
import { createApiHandler, json } from '../../../../shared/runtime/http/api-handler';
import { parseJsonBody } from '../../../../shared/runtime/http/request';

const context = { awsRequestId: 'req-1', functionName: 'test', getRemainingTimeInMillis: () => 1000 } as unknown as Context;

const event = (routeKey: string, body?: string, headers: Record<string, string> = { 'content-type': 'application/json' }): APIGatewayProxyEventV2 =>
  ({
    version: '2.0',
    routeKey,
    rawPath: '/things',
    rawQueryString: '',
    headers,
    requestContext: { requestId: 'api-req-1', http: { method: 'POST', path: '/things' } },
    body,
    isBase64Encoded: false,
  }) as unknown as APIGatewayProxyEventV2;

const ThingSchema = v.strictObject({ name: v.pipe(v.string(), v.minLength(1)) });

const handler = createApiHandler({
  'POST /things': async (request) => json(201, parseJsonBody(request, ThingSchema)),
  'GET /conflict': async () => {
    throw new ConflictError('Already there.', { code: 'already_there' });
  },
  'GET /missing': async () => {
    throw new NotFoundError('No such thing.');
  },
  'GET /boom': async () => {
    throw new Error('connection string postgres://secret@db');
  },
});

const call = async (e: APIGatewayProxyEventV2) => {
  const result = await handler(e, context);
  return { statusCode: result.statusCode, headers: result.headers ?? {}, body: JSON.parse(result.body ?? 'null') as unknown };
};

describe('createApiHandler', () => {
  it('answers a valid request through its route', async () => {
    const response = await call(event('POST /things', '{"name":"a"}'));
    expect(response).toMatchObject({ statusCode: 201, body: { name: 'a' } });
    expect(response.headers).toMatchObject({ 'content-type': 'application/json', 'x-request-id': 'api-req-1' });
  });

  it('answers an unknown route with 404 route_not_found', async () => {
    const response = await call(event('GET /nowhere'));
    expect(response).toMatchObject({ statusCode: 404, body: { error: { code: 'route_not_found' } } });
  });

  it('answers malformed JSON with 400 invalid_json', async () => {
    const response = await call(event('POST /things', '{"name":'));
    expect(response).toMatchObject({ statusCode: 400, body: { error: { code: 'invalid_json', details: [] } } });
  });

  it('answers unknown fields with 400 naming the field', async () => {
    const response = await call(event('POST /things', '{"name":"a","isAdmin":true}'));
    expect(response.statusCode).toBe(400);
    expect(response.body).toMatchObject({ error: { code: 'validation_failed', details: [{ path: 'isAdmin' }] } });
  });

  it('answers a non-JSON content type with 415', async () => {
    const response = await call(event('POST /things', 'name=a', { 'content-type': 'application/x-www-form-urlencoded' }));
    expect(response).toMatchObject({ statusCode: 415, body: { error: { code: 'unsupported_media_type' } } });
  });

  it('maps domain errors to their statuses', async () => {
    expect(await call(event('GET /conflict'))).toMatchObject({ statusCode: 409, body: { error: { code: 'already_there', message: 'Already there.' } } });
    expect(await call(event('GET /missing'))).toMatchObject({ statusCode: 404, body: { error: { code: 'not_found' } } });
  });

  it('hides the message and stack of unexpected errors', async () => {
    const response = await call(event('GET /boom'));
    expect(response).toMatchObject({ statusCode: 500, body: { error: { code: 'internal_error' } } });
    expect(JSON.stringify(response.body)).not.toMatch(/postgres|secret|at .*\.ts/);
  });
});
