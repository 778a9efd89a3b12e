import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import * as v from 'valibot';
import { parse } from 'yaml';
import openApiYaml from '../../../docs/openapi.yaml?raw';

/** docs/openapi.yaml as shipped with the function (inlined by esbuild, read by the local runtime's hook). */
export const OPENAPI_YAML: string = openApiYaml;

const DocumentSchema = v.looseObject({ openapi: v.string(), info: v.looseObject({ title: v.string() }), paths: v.record(v.string(), v.unknown()) });

/** The document parsed once per cold start; every request only replaces its `servers`. */
const parsedDocument: Readonly<Record<string, unknown>> = v.parse(DocumentSchema, parse(OPENAPI_YAML));

/** A host as API Gateway's `domainName` (or the local runtime's Host header) carries it: a name or IPv4, an optional port. */
const HOST = /^[a-z0-9](?:[a-z0-9.-]{0,251}[a-z0-9])?(?::\d{1,5})?$/i;

/**
 * The base URL this request came in on: API Gateway's domain (its own `execute-api` name or a custom domain) with
 * the scheme it was reached over (`x-forwarded-proto`, set by API Gateway and by the local runtime), so the
 * reference's "Try it out" calls the runtime that served it, on the page's own origin (the page's CSP allows only
 * `connect-src 'self'`). A host that is not a plain host name gives `/`: relative, resolved against the document.
 */
export const requestBaseUrl = (event: Pick<APIGatewayProxyEventV2, 'headers' | 'requestContext'>): string => {
  const host = event.requestContext.domainName;
  if (!HOST.test(host)) return '/';
  const scheme = event.headers['x-forwarded-proto'] === 'http' ? 'http' : 'https';
  return `${scheme}://${host}`;
};

/** docs/openapi.yaml as a JSON object whose one server is `baseUrl` (the documented list names every runtime). */
export const openApiDocumentFor = (baseUrl: string): Readonly<Record<string, unknown>> => ({
  ...parsedDocument,
  servers: [{ url: baseUrl, description: 'The runtime that served this document' }],
});
