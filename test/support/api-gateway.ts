import type { APIGatewayProxyEventV2 } from 'aws-lambda';

/**
 * A GET as API Gateway's HTTP API (payload 2.0) hands it to a function: on its `execute-api` domain over HTTPS,
 * unless `domainName` or `headers` (`x-forwarded-proto`) say otherwise.
 */
export const anApiGatewayGet = (
  routeKey: string,
  overrides: { domainName?: string; headers?: Record<string, string>; pathParameters?: Record<string, string> } = {},
): APIGatewayProxyEventV2 => {
  const path = routeKey.split(' ')[1] ?? '/';
  return {
    version: '2.0',
    routeKey,
    rawPath: path,
    rawQueryString: '',
    headers: { 'x-forwarded-proto': 'https', ...overrides.headers },
    ...(overrides.pathParameters === undefined ? {} : { pathParameters: overrides.pathParameters }),
    requestContext: {
      accountId: '123456789012',
      apiId: 'abc123',
      domainName: overrides.domainName ?? 'abc123.execute-api.eu-west-2.amazonaws.com',
      domainPrefix: 'abc123',
      http: { method: 'GET', path, protocol: 'HTTP/1.1', sourceIp: '192.0.2.1', userAgent: 'test' },
      requestId: 'req-1',
      routeKey,
      stage: '$default',
      time: '01/Dec/2026:00:00:00 +0000',
      timeEpoch: 0,
    },
    isBase64Encoded: false,
  };
};
