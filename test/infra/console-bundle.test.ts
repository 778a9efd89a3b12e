import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { bundleDirectoryOf } from '../../infra/constructs/settled-function';
import { settledTopology } from '../../infra/settled-topology';
import { anApiGatewayGet } from '../support/api-gateway';
import { aLambdaContext } from '../support/lambda';
import { type BundledHttpHandler, bundledHttpHandler } from './bundled-handler';
import { arnOf, routeTargetOf, synthesise } from './support';

type Handler = BundledHttpHandler;

/**
 * What `cdk deploy` ships for the operations console: the esbuild bundle of functions/console (built by the global
 * setup with the options CDK deploys) holds the browser bundle itself, built at build time, and the HTTP API routes
 * the console's page and assets to it.
 */
describe('the console Lambda bundle', () => {
  let handler: Handler;
  beforeAll(async () => {
    handler = await bundledHttpHandler('console');
  });

  it('serves the page and every asset it links from the bundle alone', async () => {
    // Prepare
    const page = await handler(anApiGatewayGet('GET /console'), aLambdaContext('console'));
    const linked = [...(page.body ?? '').matchAll(/(?:src|href)="\/console\/assets\/([^"]+)"/g)].map(([, name]) => name ?? '');

    // Act
    const answers = await Promise.all(linked.map((asset) => handler(anApiGatewayGet('GET /console/assets/{asset}', { pathParameters: { asset } }), aLambdaContext('console'))));

    // Assess
    expect(page.statusCode).toBe(200);
    expect(linked).toHaveLength(2);
    expect(answers.map((answer) => answer.statusCode)).toEqual([200, 200]);
    expect(answers.map((answer) => answer.body ?? '').join('')).toContain('Settled console');
  });

  it("ships the console and nothing of the API reference's (Swagger UI is 1.5 MB of another function)", () => {
    // Act
    const shipped = readFileSync(`${bundleDirectoryOf('console')}/index.mjs`, 'utf8');

    // Assess
    expect(shipped).not.toContain('SwaggerUIBundle');
    expect(shipped.length).toBeLessThan(600_000);
  });
});

describe('the HTTP API', () => {
  it('routes GET /console and GET /console/assets/{asset} to the console function', () => {
    // Prepare
    const { stateless, statelessTemplate } = synthesise(settledTopology);

    // Act
    const targetOf = (routeKey: string) => routeTargetOf(statelessTemplate, routeKey);

    // Assess
    const consoleFunction = arnOf(stateless.functions.console.function);
    expect(['GET /console', 'GET /console/assets/{asset}'].map(targetOf)).toEqual([consoleFunction, consoleFunction]);
  });
});
