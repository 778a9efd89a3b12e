import { createHash } from 'node:crypto';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import type { ApiResponse } from '../../runtime/http/api-handler';
import type { HostedRoute } from '../../runtime/http/hosted-page';
import { PAGE_STYLE } from './pages';

const styleHash = createHash('sha256').update(PAGE_STYLE, 'utf8').digest('base64');

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
export const HOSTED_PAGE_HEADERS: Readonly<Record<string, string>> = {
  'content-security-policy': `default-src 'none'; style-src 'sha256-${styleHash}'; base-uri 'none'; frame-ancestors 'none'`,
  'x-frame-options': 'DENY',
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
};

/** Every answer of a hosted page route (pages, problem pages, redirects) with {@link HOSTED_PAGE_HEADERS}. */
export const withHostedPageHeaders =
  (route: HostedRoute): HostedRoute =>
  async (event: APIGatewayProxyEventV2): Promise<ApiResponse> => {
    const response = await route(event);
    return { ...response, headers: { ...response.headers, ...HOSTED_PAGE_HEADERS } };
  };
