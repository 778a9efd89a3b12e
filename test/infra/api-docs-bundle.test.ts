import { readFileSync } from 'node:fs';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { settledTopology } from '../../infra/settled-topology';
import { anApiGatewayGet } from '../support/api-gateway';
import { aLambdaContext } from '../support/lambda';
import { type BundledHttpHandler, bundledHttpHandler } from './bundled-handler';
import { arnOf, routeTargetOf, synthesise } from './support';

type Handler = BundledHttpHandler;

const aRequest = (routeKey: string, pathParameters?: Record<string, string>): APIGatewayProxyEventV2 =>
  anApiGatewayGet(routeKey, pathParameters === undefined ? {} : { pathParameters });

/**
 * What `cdk deploy` ships for the API reference: the esbuild bundle of functions/api-docs (built by the global
 * setup with the options CDK deploys) holds the document and Swagger UI itself, and the HTTP API routes to it.
 */
describe('the api-docs Lambda bundle', () => {
  let handler: Handler;
  beforeAll(async () => {
    handler = await bundledHttpHandler('api-docs');
  });

  it('serves docs/openapi.yaml as JSON, with the API domain as its server, from the bundle alone', async () => {
    // Act
    const response = await handler(aRequest('GET /openapi.json'), aLambdaContext('api-docs'));

    // Assess
    const theYaml: unknown = parse(readFileSync(new URL('../../docs/openapi.yaml', import.meta.url), 'utf8'));
    expect(response.statusCode).toBe(200);
    expect(JSON.parse(response.body ?? '')).toEqual({
      ...(typeof theYaml === 'object' && theYaml !== null ? theYaml : {}),
      servers: [{ url: 'https://abc123.execute-api.eu-west-2.amazonaws.com', description: 'The runtime that served this document' }],
    });
  });

  it('serves every asset the page links, Swagger UI byte for byte', async () => {
    // Prepare
    const page = (await handler(aRequest('GET /docs'), aLambdaContext('api-docs'))).body ?? '';
    const linked = [...page.matchAll(/(?:src|href)="\/docs\/assets\/([^"]+)"/g)].map(([, name]) => name ?? '');

    // Act
    const answers = await Promise.all(linked.map((asset) => handler(aRequest('GET /docs/assets/{asset}', { asset }), aLambdaContext('api-docs'))));

    // Assess
    expect(linked).toHaveLength(3);
    expect(answers.map((answer) => answer.statusCode)).toEqual([200, 200, 200]);
    const swaggerUi = readFileSync(new URL('../../node_modules/swagger-ui-dist/swagger-ui-bundle.js', import.meta.url), 'utf8');
    expect(answers.map((answer) => answer.body)).toContain(swaggerUi);
  });
});

describe('the HTTP API', () => {
  it('routes GET /openapi.json, GET /docs and GET /docs/assets/{asset} to the api-docs function', () => {
    // Prepare
    const { stateless, statelessTemplate } = synthesise(settledTopology);

    // Act
    const targetOf = (routeKey: string) => routeTargetOf(statelessTemplate, routeKey);

    // Assess
    const apiDocs = arnOf(stateless.functions['api-docs'].function);
    expect(['GET /openapi.json', 'GET /docs', 'GET /docs/assets/{asset}'].map(targetOf)).toEqual([apiDocs, apiDocs, apiDocs]);
  });
});
