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

/** Who the payer was paying and where they came from, when the page knew before it failed. */
export interface PageContext {
  readonly payee: string;
  readonly returnUrl: string | null;
}

/** What a problem page may use besides status and message: the error's code, and the context when known. */
export interface ProblemExtras {
  readonly code?: string | undefined;
  readonly context?: PageContext | undefined;
}

/** An error a page met after it knew its payee: the error itself, and the context for the problem page. */
class ProblemInContext extends Error {
  constructor(
    readonly problem: unknown,
    readonly context: PageContext | undefined,
  ) {
    super('A hosted page problem with its context');
  }
}

/**
 * Runs `work`; whatever it throws reaches {@link answeringBrowsersInHtml} with the context `contextOf` gives (read
 * only then, so the happy path pays nothing). Programs still get exactly the error `work` threw.
 */
export const inPageContext = async <T>(work: () => Promise<T>, contextOf: () => Promise<PageContext | undefined>): Promise<T> => {
  try {
    return await work();
  } catch (error) {
    const context = await contextOf().catch(() => undefined);
    throw new ProblemInContext(error, context);
  }
};

/** A payer's browser gets a page with the right status whatever goes wrong; the API's JSON is for programs. */
export const answeringBrowsersInHtml =
  (
    route: HostedRoute,
    isBrowser: (event: APIGatewayProxyEventV2) => boolean,
    problemPage: (statusCode: number, message: string, details: readonly { readonly message: string }[], extras: ProblemExtras) => string,
  ): HostedRoute =>
  async (event) => {
    try {
      return await route(event);
    } catch (thrown) {
      const error = thrown instanceof ProblemInContext ? thrown.problem : thrown;
      const context = thrown instanceof ProblemInContext ? thrown.context : undefined;
      if (!isBrowser(event)) throw error;
      const { statusCode, body } = toHttpError(error);
      if (statusCode >= 500) logger.error('Unhandled error', { error, routeKey: event.routeKey });
      return html(statusCode, problemPage(statusCode, body.error.message, body.error.details, { code: body.error.code, context }));
    }
  };
