import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { logger } from '../powertools';
import type { ApiResponse } from './api-handler';
import { toHttpError } from './errors-to-http';
import { rawBodyOf } from './request';

/**
 * What hosted pages (the sandbox bank's, Settled's bank choice and consent returns) share: HTML answers, form or
 * JSON input, and errors shown to a browser as a page rather than the API's JSON.
 */
export type HostedRoute = (event: APIGatewayProxyEventV2) => Promise<ApiResponse>;

export const html = (statusCode: number, content: string): ApiResponse => ({ statusCode, rawBody: { contentType: 'text/html; charset=utf-8', content } });

export const redirect = (location: string): ApiResponse => ({ statusCode: 303, headers: { location }, rawBody: { contentType: 'text/plain; charset=utf-8', content: `See ${location}` } });

export const isForm = (event: APIGatewayProxyEventV2): boolean => /^application\/x-www-form-urlencoded/i.test(event.headers['content-type'] ?? '');

/** A page's form posts application/x-www-form-urlencoded; programs post JSON. Unparseable input is undefined (the schema says why). */
export const formOrJsonBody = (event: APIGatewayProxyEventV2): unknown => {
  const raw = rawBodyOf(event);
  try {
    return isForm(event) ? Object.fromEntries(new URLSearchParams(raw)) : JSON.parse(raw);
  } catch {
    return undefined;
  }
};

/** A payer's browser gets a page with the right status whatever goes wrong; the API's JSON is for programs. */
export const answeringBrowsersInHtml =
  (
    route: HostedRoute,
    isBrowser: (event: APIGatewayProxyEventV2) => boolean,
    problemPage: (statusCode: number, message: string, details: readonly { readonly message: string }[]) => string,
  ): HostedRoute =>
  async (event) => {
    try {
      return await route(event);
    } catch (error) {
      if (!isBrowser(event)) throw error;
      const { statusCode, body } = toHttpError(error);
      if (statusCode >= 500) logger.error('Unhandled error', { error, routeKey: event.routeKey });
      return html(statusCode, problemPage(statusCode, body.error.message, body.error.details));
    }
  };
