import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import * as v from 'valibot';
import { DEFAULT_ROUTE_PATH, type HttpRoute, routeKeyOf } from '../topology';

interface CompiledRoute {
  readonly route: HttpRoute;
  readonly pattern: RegExp;
  readonly parameterNames: readonly string[];
  readonly staticSegments: number;
}

/** `/v1/payments/{id}` → a regular expression with one capture per parameter (`{proxy+}` is greedy). */
const compile = (route: HttpRoute): CompiledRoute => {
  const parameterNames: string[] = [];
  let staticSegments = 0;
  const source = route.path
    .split('/')
    .map((segment) => {
      const parameter = /^\{(\w+)(\+?)\}$/.exec(segment);
      if (parameter === null) {
        staticSegments += 1;
        return segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
      }
      parameterNames.push(parameter[1] ?? '');
      return parameter[2] === '+' ? '(.+)' : '([^/]+)';
    })
    .join('/');
  return { route, pattern: new RegExp(`^${source}$`), parameterNames, staticSegments };
};

/**
 * Matches a request to a route as API Gateway HTTP APIs do: the most specific route wins (static segments over
 * parameters), the method must match (or be ANY), and anything else goes to `$default`.
 */
export const createRouter = (routes: readonly HttpRoute[]) => {
  const compiled = routes
    .filter((route) => route.path !== DEFAULT_ROUTE_PATH)
    .map(compile)
    .sort((a, b) => b.staticSegments - a.staticSegments);
  const fallback = routes.find((route) => route.path === DEFAULT_ROUTE_PATH);
  return (method: string, path: string): { route: HttpRoute; pathParameters: Record<string, string> } | undefined => {
    for (const candidate of compiled) {
      if (candidate.route.method !== 'ANY' && candidate.route.method !== method) continue;
      const match = candidate.pattern.exec(path);
      if (match === null) continue;
      const pathParameters: Record<string, string> = {};
      candidate.parameterNames.forEach((name, index) => {
        pathParameters[name] = decodeURIComponent(match[index + 1] ?? '');
      });
      return { route: candidate.route, pathParameters };
    }
    return fallback === undefined ? undefined : { route: fallback, pathParameters: {} };
  };
};

const TEXT_CONTENT = /^(application\/(json|[\w.+-]+\+json|x-www-form-urlencoded|jwt|jose|xml)|text\/)/i;

/** The API Gateway HTTP API (payload format 2.0) event for a request. */
export const toApiGatewayEvent = (
  request: IncomingMessage,
  body: Buffer,
  route: HttpRoute,
  pathParameters: Record<string, string>,
): APIGatewayProxyEventV2 => {
  const url = new URL(request.url ?? '/', 'http://local');
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(request.headers)) {
    if (value !== undefined && name !== 'cookie') headers[name.toLowerCase()] = Array.isArray(value) ? value.join(',') : value;
  }
  // As API Gateway does: the scheme the client used (always plain HTTP here), whatever the client claimed.
  headers['x-forwarded-proto'] = 'http';
  const queryStringParameters: Record<string, string> = {};
  for (const [name, value] of url.searchParams) {
    queryStringParameters[name] = queryStringParameters[name] === undefined ? value : `${queryStringParameters[name]},${value}`;
  }
  const now = new Date();
  const text = TEXT_CONTENT.test(headers['content-type'] ?? 'application/json');
  const routeKey = routeKeyOf(route);
  return {
    version: '2.0',
    routeKey,
    rawPath: url.pathname,
    rawQueryString: url.search.replace(/^\?/, ''),
    ...(request.headers.cookie === undefined ? {} : { cookies: request.headers.cookie.split(/;\s*/) }),
    headers,
    ...(url.search === '' ? {} : { queryStringParameters }),
    ...(Object.keys(pathParameters).length === 0 ? {} : { pathParameters }),
    requestContext: {
      accountId: '000000000000',
      apiId: 'local',
      domainName: headers.host ?? '127.0.0.1',
      domainPrefix: 'local',
      http: {
        method: request.method ?? 'GET',
        path: url.pathname,
        protocol: `HTTP/${request.httpVersion}`,
        sourceIp: request.socket.remoteAddress ?? '127.0.0.1',
        userAgent: headers['user-agent'] ?? '',
      },
      requestId: randomUUID(),
      routeKey,
      stage: '$default',
      time: now.toISOString(),
      timeEpoch: now.getTime(),
    },
    ...(body.length === 0 ? {} : { body: text ? body.toString('utf8') : body.toString('base64') }),
    isBase64Encoded: body.length > 0 && !text,
  };
};

const StructuredResultSchema = v.object({
  statusCode: v.number(),
  headers: v.optional(v.record(v.string(), v.union([v.string(), v.number(), v.boolean()]))),
  body: v.optional(v.string()),
  isBase64Encoded: v.optional(v.boolean()),
  cookies: v.optional(v.array(v.string())),
});

/** Writes a handler's result as the HTTP response API Gateway would send. */
export const writeResult = (response: ServerResponse, result: unknown): void => {
  const parsed = v.safeParse(StructuredResultSchema, result);
  if (!parsed.success) {
    // API Gateway's own behaviour for a malformed integration response.
    writeJson(response, 500, { error: { code: 'internal_error', message: 'The function returned an invalid response.', details: [] } });
    return;
  }
  const { statusCode, headers = {}, body = '', isBase64Encoded = false, cookies } = parsed.output;
  const outgoing: Record<string, string | string[]> = {};
  for (const [name, value] of Object.entries(headers)) outgoing[name] = String(value);
  if (cookies !== undefined) outgoing['set-cookie'] = cookies;
  response.writeHead(statusCode, outgoing).end(isBase64Encoded ? Buffer.from(body, 'base64') : body);
};

export const writeJson = (response: ServerResponse, statusCode: number, body: unknown): void => {
  response.writeHead(statusCode, { 'content-type': 'application/json' }).end(JSON.stringify(body));
};

export const readBody = async (request: IncomingMessage, limitBytes: number): Promise<Buffer | undefined> => {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    const buffer = chunk as Buffer;
    size += buffer.length;
    if (size > limitBytes) return undefined;
    chunks.push(buffer);
  }
  return Buffer.concat(chunks);
};

export type RequestListener = (request: IncomingMessage, response: ServerResponse) => Promise<void>;

/** Listens on 127.0.0.1 only: the local runtime is not meant to be reachable from the network. */
export const listen = async (port: number, listener: RequestListener): Promise<Server> => {
  const server = createServer((request, response) => {
    listener(request, response).catch((error: unknown) => {
      if (!response.headersSent) writeJson(response, 500, { error: { code: 'internal_error', message: String(error), details: [] } });
      else response.end();
    });
  });
  server.keepAliveTimeout = 5_000;
  await new Promise<void>((resolveListen, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) =>
      reject(error.code === 'EADDRINUSE' ? new Error(`Port ${port} is already in use; set PORT to another port.`) : error),
    );
    server.listen(port, '127.0.0.1', () => resolveListen());
  });
  return server;
};

export type { APIGatewayProxyStructuredResultV2 };
