import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { beforeAll, describe, expect, it } from 'vitest';
import { anApiGatewayGet } from '../../support/api-gateway';
import { aLambdaContext } from '../../support/lambda';

type Handler = (event: APIGatewayProxyEventV2, context: unknown) => Promise<APIGatewayProxyStructuredResultV2>;
let handler: Handler;
beforeAll(async () => {
  // The import builds the browser bundle (vitest.config.ts's plugin runs infra/console-bundle.mjs, as Lambda's build does).
  ({ handler } = await import('../../../functions/console/handler'));
}, 60_000);

const invoke = (event: APIGatewayProxyEventV2) => handler(event, aLambdaContext('console'));
const header = (response: APIGatewayProxyStructuredResultV2, name: string): string => String(response.headers?.[name] ?? '');
const linkedAssets = (page: string): string[] => [...page.matchAll(/(?:src|href)="\/console\/assets\/([^"]+)"/g)].map(([, name]) => name ?? '');

describe('GET /console', () => {
  it('is the HTML shell under a strict CSP: nothing but its own scripts, styles and API calls, no inline script', async () => {
    // Act
    const response = await invoke(anApiGatewayGet('GET /console'));

    // Assess
    expect(response.statusCode).toBe(200);
    expect(header(response, 'content-type')).toBe('text/html; charset=utf-8');
    const csp = header(response, 'content-security-policy');
    for (const directive of ["default-src 'none'", "script-src 'self'", "style-src 'self'", "connect-src 'self'", "img-src 'self' data:", "frame-ancestors 'none'", "base-uri 'none'"]) {
      expect(csp).toContain(directive);
    }
    expect(csp).not.toContain('unsafe-inline');
    expect(header(response, 'x-frame-options')).toBe('DENY');
    const page = response.body ?? '';
    expect(page).toContain('<div id="app">');
    // Every <script> has a src: no inline script for the CSP to refuse.
    expect([...page.matchAll(/<script([^>]*)>/g)].every(([, attributes]) => /\ssrc="\/console\/assets\//.test(attributes ?? ''))).toBe(true);
    expect(page).not.toMatch(/\sstyle=|<style/);
  });

  it('is revalidated by its etag: 304 with no body when the client has it', async () => {
    // Prepare
    const first = await invoke(anApiGatewayGet('GET /console'));
    const etag = header(first, 'etag');

    // Act
    const unchanged = await invoke(anApiGatewayGet('GET /console', { headers: { 'if-none-match': etag } }));
    const stale = await invoke(anApiGatewayGet('GET /console', { headers: { 'if-none-match': '"other"' } }));

    // Assess
    expect(header(first, 'cache-control')).toBe('no-cache');
    expect(unchanged.statusCode).toBe(304);
    expect(unchanged.body ?? '').toBe('');
    expect(stale.statusCode).toBe(200);
  });
});

describe('GET /console/assets/{asset}', () => {
  it('serves the script and stylesheet the page links, named by their content hash and cached for good', async () => {
    // Prepare
    const page = (await invoke(anApiGatewayGet('GET /console'))).body ?? '';
    const linked = linkedAssets(page);

    // Act
    const answers = await Promise.all(linked.map((asset) => invoke(anApiGatewayGet('GET /console/assets/{asset}', { pathParameters: { asset } }))));

    // Assess
    expect(linked).toEqual([expect.stringMatching(/^app\.[0-9a-f]{16}\.css$/), expect.stringMatching(/^app\.[0-9a-f]{16}\.js$/)]);
    expect(answers.map((answer) => answer.statusCode)).toEqual([200, 200]);
    expect(answers.map((answer) => header(answer, 'content-type'))).toEqual(['text/css; charset=utf-8', 'text/javascript; charset=utf-8']);
    expect(answers.map((answer) => header(answer, 'cache-control'))).toEqual(['public, max-age=31536000, immutable', 'public, max-age=31536000, immutable']);
    const script = answers[1]?.body ?? '';
    // The built Preact app (minified), with the nav's sections in it; the size budget of the whole console.
    expect(script).toContain('Settled console');
    expect(script).toContain('#/exceptions');
    expect(script.length + (answers[0]?.body ?? '').length).toBeLessThan(150_000);
  });

  it('answers 404 in the contract error shape for an asset it does not have', async () => {
    // Act
    const response = await invoke(anApiGatewayGet('GET /console/assets/{asset}', { pathParameters: { asset: 'app.0000000000000000.js' } }));

    // Assess
    expect(response.statusCode).toBe(404);
    expect(JSON.parse(response.body ?? '')).toEqual({ error: expect.objectContaining({ code: 'not_found' }) });
  });
});
