import { createHash } from 'node:crypto';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import type { ApiResponse } from '../../runtime/http/api-handler';
import type { HostedRoute } from '../../runtime/http/hosted-page';
import { SANDBOX_PAGE_STYLE } from '../sandbox-bank/pages';
import { PAGE_STYLE } from './pages';

const hashOf = (style: string): string => createHash('sha256').update(style, 'utf8').digest('base64');

/**
 * Headers of Settled's hosted payer pages (DESIGN: strict CSP, no inline script, no framing):
 * - `default-src 'none'`: no script, image, font or connection of any kind; the page is HTML and one style block,
 *   allowed by its hash (`style-src 'sha256-…'`), never `'unsafe-inline'`;
 * - `frame-ancestors 'none'` (and `X-Frame-Options: DENY` for old browsers): nobody can frame the bank buttons;
 * - `base-uri 'none'`, `nosniff`, `no-referrer` (the link's address is the only capability to pay it).
 * `form-action` is deliberately absent: the bank-choice form posts to the page itself, which answers 303 to the
 * chosen bank's authorisation page on the bank's own origin, and browsers apply `form-action` to that redirect too.
 * The redirect target is always one Settled built (the bank's page), never read from the request.
 */
const pageHeaders = (style: string): Readonly<Record<string, string>> => ({
  'content-security-policy': `default-src 'none'; style-src 'sha256-${hashOf(style)}'; base-uri 'none'; frame-ancestors 'none'`,
  'x-frame-options': 'DENY',
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
});

export const HOSTED_PAGE_HEADERS = pageHeaders(PAGE_STYLE);

/** The same policy for the sandbox bank's pages, allowing only their own stylesheet (SANDBOX_PAGE_STYLE). */
export const SANDBOX_PAGE_HEADERS = pageHeaders(SANDBOX_PAGE_STYLE);

/** Every answer of a hosted page route (pages, problem pages, redirects) with {@link HOSTED_PAGE_HEADERS}. */
export const withHostedPageHeaders =
  (route: HostedRoute, headers: Readonly<Record<string, string>> = HOSTED_PAGE_HEADERS): HostedRoute =>
  async (event: APIGatewayProxyEventV2): Promise<ApiResponse> => {
    const response = await route(event);
    return { ...response, headers: { ...response.headers, ...headers } };
  };
