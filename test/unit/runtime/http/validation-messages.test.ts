import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import * as v from 'valibot';
import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../../../shared/domain/errors';
import { parseQuery } from '../../../../shared/runtime/http/query';
import { parseJsonBody } from '../../../../shared/runtime/http/request';
import {
  ConnectAccountRequestSchema,
  CreatePaymentRequestSchema,
  CreateWebhookEndpointRequestSchema,
  ListEventsQuerySchema,
  ListTransactionsQuerySchema,
  ResolveExceptionRequestSchema,
} from '../../../../shared/schemas/tenant-api';

/** An API Gateway request as the handlers receive it. */
const request = (body: string | undefined, query: Record<string, string> | undefined = undefined): APIGatewayProxyEventV2 => ({
  version: '2.0',
  routeKey: 'POST /v1/test',
  rawPath: '/v1/test',
  rawQueryString: '',
  headers: { 'content-type': 'application/json' },
  queryStringParameters: query,
  requestContext: {
    accountId: '000000000000',
    apiId: 'local',
    domainName: 'localhost',
    domainPrefix: 'localhost',
    http: { method: 'POST', path: '/v1/test', protocol: 'HTTP/1.1', sourceIp: '127.0.0.1', userAgent: 'test' },
    requestId: 'req-1',
    routeKey: 'POST /v1/test',
    stage: '$default',
    time: '',
    timeEpoch: 0,
  },
  body,
  isBase64Encoded: false,
});

const detailsOf = (parse: () => unknown) => {
  try {
    parse();
  } catch (error) {
    if (error instanceof ValidationError) return error.details;
    throw error;
  }
  throw new Error('the request was accepted');
};

const aPayment = { accountId: 'acc_01JD0000000000000000000001', direction: 'inbound', amount: '125.00', currency: 'GBP' };

describe('validation messages name the field and the rule', () => {
  it.each<{ description: string; schema: v.GenericSchema; body: unknown; path: string; message: string }>([
    { description: 'an unknown body field', schema: CreatePaymentRequestSchema, body: { ...aPayment, tenantId: 'ten_x' }, path: 'tenantId', message: 'tenantId is not a field of this request' },
    { description: 'an unknown nested field', schema: CreatePaymentRequestSchema, body: { ...aPayment, counterparty: { name: 'J', iban: 'x' } }, path: 'counterparty.iban', message: 'counterparty.iban is not a field of this request' },
    { description: 'a missing field', schema: CreatePaymentRequestSchema, body: { direction: 'inbound', amount: '1.00', currency: 'GBP' }, path: 'accountId', message: 'accountId is required' },
    { description: 'a missing picklist', schema: CreatePaymentRequestSchema, body: { accountId: aPayment.accountId, amount: '1.00', currency: 'GBP' }, path: 'direction', message: 'direction is required' },
    { description: 'a wrong type', schema: CreatePaymentRequestSchema, body: { ...aPayment, accountId: 5 }, path: 'accountId', message: 'accountId must be a string' },
    { description: 'an empty string', schema: CreatePaymentRequestSchema, body: { ...aPayment, invoiceId: '' }, path: 'invoiceId', message: 'invoiceId must not be empty' },
    { description: 'a schema message without the field', schema: CreatePaymentRequestSchema, body: { ...aPayment, counterparty: { name: ' ' } }, path: 'counterparty.name', message: 'counterparty.name must not be empty' },
    { description: 'a schema message with the field', schema: CreatePaymentRequestSchema, body: { ...aPayment, currency: 'gbp' }, path: 'currency', message: 'currency must be an ISO 4217 code such as GBP' },
    { description: 'an unknown option', schema: ResolveExceptionRequestSchema, body: { action: 'undo' }, path: 'action', message: 'action must be one of match, refund or dismiss' },
    { description: 'an empty list', schema: ResolveExceptionRequestSchema, body: { action: 'match', paymentIds: [] }, path: 'paymentIds', message: 'paymentIds: name at least one payment' },
    { description: 'a list item', schema: CreateWebhookEndpointRequestSchema, body: { url: 'https://a.example', events: ['payment.nope'] }, path: 'events.0', message: 'events.0: unknown event type' },
    { description: 'a profile', schema: ConnectAccountRequestSchema, body: { provider: 'sandbox', name: 'A', sortCode: '040004', accountNumber: '12345678', currency: 'GBP', sandboxProfile: 'wild' }, path: 'sandboxProfile', message: 'sandboxProfile must be one of exact, uk-realistic, chaotic' },
    { description: 'not an object at all', schema: CreatePaymentRequestSchema, body: 'x', path: '', message: 'the request body must be an object' },
  ])('$description', ({ schema, body, path, message }) => {
    const details = detailsOf(() => parseJsonBody(request(JSON.stringify(body)), schema));
    expect(details).toContainEqual({ path, message });
  });

  it.each<{ description: string; schema: v.GenericSchema; query: Record<string, string>; path: string; message: string }>([
    { description: 'limit below 1', schema: ListTransactionsQuerySchema, query: { limit: '0' }, path: 'limit', message: 'limit must be at least 1' },
    { description: 'limit above 500', schema: ListTransactionsQuerySchema, query: { limit: '900' }, path: 'limit', message: 'limit must be at most 500' },
    { description: 'an unknown parameter', schema: ListTransactionsQuerySchema, query: { tenantId: 'ten_x' }, path: 'tenantId', message: 'tenantId is not a parameter of this request' },
    { description: 'a status', schema: ListTransactionsQuerySchema, query: { status: 'done' }, path: 'status', message: 'status must be one of booked or pending' },
    { description: 'a direction', schema: ListTransactionsQuerySchema, query: { direction: 'in' }, path: 'direction', message: 'direction must be one of credit or debit' },
    { description: 'a timestamp', schema: ListTransactionsQuerySchema, query: { from: 'yesterday' }, path: 'from', message: 'from must be an ISO 8601 timestamp' },
    { description: 'a flag', schema: ListTransactionsQuerySchema, query: { includeSuperseded: 'yes' }, path: 'includeSuperseded', message: 'includeSuperseded must be true or false' },
    { description: 'an id', schema: ListEventsQuerySchema, query: { after: 'pay_1' }, path: 'after', message: 'after must be an id starting evt_' },
  ])('query: $description', ({ schema, query, path, message }) => {
    const details = detailsOf(() => parseQuery(request(undefined, query), schema));
    expect(details).toEqual([{ path, message }]);
  });

  it('never shows valibot wording', () => {
    const details = detailsOf(() => parseJsonBody(request(JSON.stringify({ tenantId: 1, metadata: 'x', counterparty: [] })), CreatePaymentRequestSchema));
    for (const detail of details) expect(detail.message).not.toMatch(/Invalid \w+: Expected|received/);
  });
});
