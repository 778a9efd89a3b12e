import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import { captureLambdaHandler } from '@aws-lambda-powertools/tracer/middleware';
import middy from '@middy/core';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import { NotFoundError } from '../../domain/errors';
import { logger, metrics, tracer } from '../powertools';
import { toHttpError } from './errors-to-http';

/** A JSON response; `body` is serialised by the handler chain. */
export interface ApiResponse {
  readonly statusCode: number;
  readonly body?: unknown;
  readonly headers?: Record<string, string>;
  /** Already-rendered non-JSON content (the sandbox bank's HTML pages). */
  readonly rawBody?: { readonly contentType: string; readonly content: string };
}

export type RouteHandler = (event: APIGatewayProxyEventV2, context: Context) => Promise<ApiResponse>;

/** Route handlers by API Gateway route key (`POST /v1/payments`), as declared in infra/topology.ts. */
export type RouteTable = Readonly<Record<string, RouteHandler>>;

export const json = (statusCode: number, body: unknown, headers?: Record<string, string>): ApiResponse => ({
  statusCode,
  body,
  ...(headers === undefined ? {} : { headers }),
});

const render = (response: ApiResponse, requestId: string): APIGatewayProxyStructuredResultV2 => {
  const baseHeaders = { 'x-request-id': requestId, 'cache-control': 'no-store', ...response.headers };
  if (response.rawBody !== undefined) {
    return {
      statusCode: response.statusCode,
      headers: { 'content-type': response.rawBody.contentType, ...baseHeaders },
      body: response.rawBody.content,
    };
  }
  return {
    statusCode: response.statusCode,
    headers: { 'content-type': 'application/json', ...baseHeaders },
    body: response.body === undefined ? '' : JSON.stringify(response.body),
  };
};

/**
 * The middy chain every HTTP function uses: an X-Ray segment (responses are not recorded: they carry bank details),
 * Powertools logging context, business metrics flushed at the end, dispatch on the route key, and one error mapping
 * to the contract shape. Errors below 500 expose their message; anything else is logged and hidden.
 */
export const createApiHandler = (routes: RouteTable) =>
  middy<APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2>()
    .use(captureLambdaHandler(tracer, { captureResponse: false }))
    .use(injectLambdaContext(logger, { resetKeys: true }))
    .use(logMetrics(metrics))
    .use({
      onError: async (request) => {
        const httpError = toHttpError(request.error);
        if (httpError.statusCode >= 500) {
          logger.error('Unhandled error', { error: request.error, routeKey: request.event.routeKey });
        } else {
          logger.info('Request refused', { code: httpError.body.error.code, routeKey: request.event.routeKey });
        }
        request.response = render(
          { statusCode: httpError.statusCode, body: httpError.body, ...(httpError.headers ? { headers: httpError.headers } : {}) },
          request.event.requestContext.requestId,
        );
      },
    })
    .handler(async (event, context) => {
      logger.appendKeys({ requestId: event.requestContext.requestId, routeKey: event.routeKey });
      const route = routes[event.routeKey];
      if (route === undefined) {
        throw new NotFoundError(`No route for ${event.requestContext.http.method} ${event.rawPath}.`, {
          code: 'route_not_found',
        });
      }
      return render(await route(event, context), event.requestContext.requestId);
    });
