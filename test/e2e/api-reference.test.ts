import { existsSync } from 'node:fs';
import { type Browser, chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningRuntime, startRuntime } from '../../infra/local/spawn-runtime';
import { onboardTenant, type Tenant, validatedFetch } from './scenario';

/**
 * The API reference on the local runtime (docs/api-reference.md): GET /docs in headless Chromium renders every
 * operation of docs/openapi.yaml with Swagger UI from Settled's own assets, under its CSP, without a console error
 * or a request to any other host, and its "Try it out" runs a request against this runtime with a tenant's key.
 */
describe('the API reference at /docs', () => {
  let runtime: RunningRuntime;
  let tenant: Tenant;
  let browser: Browser | undefined;

  beforeAll(async () => {
    runtime = await startRuntime();
    tenant = await onboardTenant(runtime);
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await runtime?.stop();
  });

  it('serves the document with this runtime as its one server', async () => {
    // Act
    const response = await validatedFetch(`${runtime.url}/openapi.json`);

    // Assess
    expect(response.status).toBe(200);
    const document = (await response.json()) as { servers: unknown; paths: Record<string, unknown> };
    expect(document.servers).toEqual([{ url: runtime.url, description: 'The runtime that served this document' }]);
    expect(Object.keys(document.paths)).toEqual(expect.arrayContaining(['/v1/payments', '/docs', '/openapi.json']));
    const etag = response.headers.get('etag') ?? '';
    const again = await validatedFetch(`${runtime.url}/openapi.json`, { headers: { 'if-none-match': etag } });
    expect(again.status).toBe(304);
  });

  it('renders every operation in a browser from its own host only, and runs "Try it out" against this runtime', async () => {
    // Prepare
    const executablePath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
    if (!existsSync(executablePath)) {
      throw new Error(`The API reference is tested in a real browser: install Chromium (Debian: apt-get install chromium) or set CHROMIUM_PATH; ${executablePath} does not exist.`);
    }
    browser = await chromium.launch({ executablePath });
    const page = await browser.newPage();
    const problems: string[] = [];
    const requestedOrigins = new Set<string>();
    page.on('console', (message) => {
      if (message.type() === 'error' || message.type() === 'warning') problems.push(`console ${message.type()}: ${message.text()}`);
    });
    page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
    page.on('request', (request) => {
      const url = new URL(request.url());
      if (url.protocol !== 'data:') requestedOrigins.add(url.origin);
    });

    // Act: open the reference
    const opened = await page.goto(`${runtime.url}/docs`);
    expect(opened?.status()).toBe(200);
    expect(opened?.headers()['content-security-policy']).toContain("script-src 'self'");
    await page.getByText('Initiate a single payment').first().waitFor();

    // Act: authorise with the tenant's key and run GET /v1/accounts
    await page.locator('.auth-wrapper button.authorize').click();
    const apiKeyBlock = page.locator('.auth-container').filter({ hasText: 'apiKey' });
    await apiKeyBlock.locator('input').fill(tenant.apiKey);
    await apiKeyBlock.locator('button.authorize').click();
    await apiKeyBlock.getByText('Logout').waitFor();
    await page.locator('.dialog-ux button.btn-done').first().click();
    const listAccounts = page.locator('#operations-Accounts-listAccounts');
    await listAccounts.locator('.opblock-summary').click();
    await listAccounts.getByRole('button', { name: 'Try it out' }).click();
    await listAccounts.getByRole('button', { name: 'Execute' }).click();
    const status = listAccounts.locator('.live-responses-table .response .response-col_status').first();
    await status.waitFor();

    // Assess
    expect((await status.textContent())?.trim()).toBe('200');
    expect(await listAccounts.locator('.request-url').textContent()).toContain(`${runtime.url}/v1/accounts`);
    for (const summary of ['Liveness and readiness', 'Create a payment link', 'This document, as JSON']) {
      await expect(page.getByText(summary).first().isVisible()).resolves.toBe(true);
    }
    expect([...requestedOrigins]).toEqual([runtime.url]);
    expect(problems).toEqual([]);
    await page.close();
  });
});
