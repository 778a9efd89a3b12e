import { readFileSync } from 'node:fs';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { anApiGatewayGet } from '../../support/api-gateway';
import { aLambdaContext } from '../../support/lambda';

type Handler = (event: APIGatewayProxyEventV2, context: unknown) => Promise<APIGatewayProxyStructuredResultV2>;
let handler: Handler;
beforeAll(async () => {
  ({ handler } = await import('../../../functions/api-docs/handler'));
});

const parsedYaml: unknown = parse(readFileSync(new URL('../../../docs/openapi.yaml', import.meta.url), 'utf8'));
const THE_YAML: Record<string, unknown> = typeof parsedYaml === 'object' && parsedYaml !== null ? { ...parsedYaml } : {};

const aRequest = anApiGatewayGet;

const invoke = (event: APIGatewayProxyEventV2) => handler(event, aLambdaContext('api-docs'));
const header = (response: APIGatewayProxyStructuredResultV2, name: string): string => String(response.headers?.[name] ?? '');

describe('GET /openapi.json', () => {
  it('is docs/openapi.yaml parsed, with the one server the request came in on (API Gateway: https and its domain)', async () => {
    // Act
    const response = await invoke(aRequest('GET /openapi.json'));

    // Assess
    expect(response.statusCode).toBe(200);
    expect(header(response, 'content-type')).toBe('application/json');
    expect(JSON.parse(response.body ?? '')).toEqual({
      ...THE_YAML,
      servers: [{ url: 'https://abc123.execute-api.eu-west-2.amazonaws.com', description: 'The runtime that served this document' }],
    });
    expect(THE_YAML.servers).not.toEqual(JSON.parse(response.body ?? '').servers);
  });

  it("names the local runtime's plain HTTP address and port when it served the request", async () => {
    // Act
    const response = await invoke(aRequest('GET /openapi.json', { domainName: '127.0.0.1:3000', headers: { 'x-forwarded-proto': 'http' } }));

    // Assess
    expect(JSON.parse(response.body ?? '').servers).toEqual([{ url: 'http://127.0.0.1:3000', description: 'The runtime that served this document' }]);
  });

  it('falls back to a relative server for a host that is not a plain host name', async () => {
    // Act
    const response = await invoke(aRequest('GET /openapi.json', { domainName: 'evil.example/"><script>' }));

    // Assess
    expect(JSON.parse(response.body ?? '').servers).toEqual([{ url: '/', description: 'The runtime that served this document' }]);
  });

  it('is revalidated by its etag: 304 with no body when the client has it, the whole document when it has another', async () => {
    // Prepare
    const first = await invoke(aRequest('GET /openapi.json'));
    const etag = header(first, 'etag');

    // Act
    const unchanged = await invoke(aRequest('GET /openapi.json', { headers: { 'if-none-match': `"other", ${etag}` } }));
    const stale = await invoke(aRequest('GET /openapi.json', { headers: { 'if-none-match': '"other"' } }));
    const otherHost = await invoke(aRequest('GET /openapi.json', { domainName: 'api.settled.example', headers: { 'if-none-match': etag } }));

    // Assess
    expect(header(first, 'cache-control')).toBe('no-cache');
    expect(etag).toMatch(/^"[\w-]+"$/);
    expect(unchanged.statusCode).toBe(304);
    expect(unchanged.body).toBe('');
    expect(stale.statusCode).toBe(200);
    expect(otherHost.statusCode).toBe(200);
  });
});

describe('GET /docs', () => {
  it('is Swagger UI from /docs/assets under a CSP that allows only its own scripts, with no inline script', async () => {
    // Act
    const response = await invoke(aRequest('GET /docs'));
    const page = response.body ?? '';

    // Assess
    expect(response.statusCode).toBe(200);
    expect(header(response, 'content-type')).toBe('text/html; charset=utf-8');
    const csp = header(response, 'content-security-policy');
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("script-src 'self';");
    expect(csp).toContain("connect-src 'self'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).not.toContain('unsafe');
    expect(header(response, 'x-frame-options')).toBe('DENY');
    const scripts = [...page.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/g)];
    expect(scripts.map(([, attributes]) => attributes)).toEqual([
      expect.stringMatching(/^ src="\/docs\/assets\/swagger-ui-bundle\.[0-9a-f]{16}\.js"$/),
      expect.stringMatching(/^ src="\/docs\/assets\/settled-docs\.[0-9a-f]{16}\.js"$/),
    ]);
    expect(scripts.map(([, , body]) => body)).toEqual(['', '']);
    expect(page).not.toMatch(/https?:\/\//);
  });

  it('links assets that are served with their content type, the CSP and cached for good', async () => {
    // Prepare
    const page = (await invoke(aRequest('GET /docs'))).body ?? '';
    const linked = [...page.matchAll(/(?:src|href)="\/docs\/assets\/([^"]+)"/g)].map(([, name]) => name ?? '');

    // Act
    const assets = await Promise.all(linked.map(async (name) => [name, await invoke(aRequest('GET /docs/assets/{asset}', { pathParameters: { asset: name } }))] as const));

    // Assess
    expect(linked).toHaveLength(3);
    for (const [name, response] of assets) {
      expect(response.statusCode).toBe(200);
      expect(header(response, 'content-type')).toBe(name.endsWith('.css') ? 'text/css; charset=utf-8' : 'text/javascript; charset=utf-8');
      expect(header(response, 'cache-control')).toBe('public, max-age=31536000, immutable');
      expect(header(response, 'content-security-policy')).toContain("script-src 'self'");
    }
    const bundle = assets.find(([name]) => name.startsWith('swagger-ui-bundle.'))?.[1].body ?? '';
    expect(bundle).toBe(readFileSync(new URL('../../../node_modules/swagger-ui-dist/swagger-ui-bundle.js', import.meta.url), 'utf8'));
    const initialiser = assets.find(([name]) => name.startsWith('settled-docs.'))?.[1].body ?? '';
    expect(initialiser).toContain("url: '/openapi.json'");
    expect(initialiser).toContain('queryConfigEnabled: false');
    expect(initialiser).toContain('validatorUrl: null');
  });

  it('answers 404 in the error shape for an asset it does not have', async () => {
    // Act
    const response = await invoke(aRequest('GET /docs/assets/{asset}', { pathParameters: { asset: 'swagger-ui-bundle.js' } }));

    // Assess
    expect(response.statusCode).toBe(404);
    expect(JSON.parse(response.body ?? '')).toMatchObject({ error: { code: 'not_found' } });
  });
});
