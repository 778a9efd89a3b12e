import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import Ajv2020, { type ErrorObject, type Options, type ValidateFunction } from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import { OpenAPIBackend, type Operation, ValidationContext } from 'openapi-backend';
import { parse } from 'yaml';

/**
 * Every response the e2e suite receives is checked against docs/openapi.yaml, the document platforms generate
 * clients from: the operation must exist, the status must be documented for it (exactly, as `4XX`, or `default`),
 * the media type must be one the document lists, a JSON body must satisfy that status's schema, and documented
 * headers that are present must fit theirs.
 */
const DOCUMENT_PATH = fileURLToPath(new URL('../../docs/openapi.yaml', import.meta.url));

/** Paths that are not part of the public API: the local runtime's test controls. */
const EXCLUDED_PATH_PREFIXES = ['/_local/'];

/** What the checker needs of one HTTP exchange. */
export interface ObservedResponse {
  readonly method: string;
  readonly url: string;
  readonly status: number;
  readonly headers: Headers;
  readonly body: string;
}

interface ResponseObject {
  readonly content?: Record<string, { schema?: unknown }>;
  readonly headers?: Record<string, unknown>;
}

const isRecord = (value: unknown): value is Record<string, unknown> => value !== null && typeof value === 'object' && !Array.isArray(value);

/** Ajv for JSON Schema 2020-12 (the dialect of OpenAPI 3.1); OpenAPI keywords such as `discriminator` pass. */
const newAjv = (options: Options = {}): Ajv2020 => {
  const ajv = new Ajv2020({ ...options, strict: false, allErrors: true });
  addFormats(ajv);
  return ajv;
};

interface DocumentValidator {
  readonly backend: OpenAPIBackend;
  /** The error shape, for answers to paths no operation matches. */
  readonly validateError: ValidateFunction;
}

/**
 * openapi-backend routes a request to its operation and compiles each status's schema. Quick mode skips its own
 * document check (it only knows OpenAPI 3.0; test/unit/docs/openapi.test.ts checks the document as 3.1), and
 * Ajv2020 replaces its draft-07 Ajv because OpenAPI 3.1 schemas are JSON Schema 2020-12. No `discriminator`
 * shortcut: a `oneOf` must match exactly one variant, as a strict client generator expects.
 */
const loadValidator = async (): Promise<DocumentValidator> => {
  let responseAjv: Ajv2020 | undefined;
  const backend = new OpenAPIBackend({
    definition: parse(readFileSync(DOCUMENT_PATH, 'utf8')),
    quick: true,
    strict: true,
    // One Ajv for every response body schema, so a schema shared by many operations is compiled once.
    customizeAjv: (_draft07, options, context) =>
      context === ValidationContext.Response ? (responseAjv ??= newAjv(options)) : newAjv(options),
  });
  await backend.init();
  // Compiled up front: compiling on first use would block the test process between requests, long enough on a
  // loaded machine for the runtime to close the idle keep-alive socket the next request then goes out on.
  for (const operation of backend.getOperations()) {
    if (operation.operationId === undefined) continue;
    backend.validator.getStatusBasedResponseValidatorForOperation(operation.operationId);
  }
  const schemas: unknown = backend.definition.components?.schemas;
  const errorSchema = isRecord(schemas) ? schemas.Error : undefined;
  if (!isRecord(errorSchema)) throw new Error('docs/openapi.yaml has no components.schemas.Error');
  return { backend, validateError: newAjv().compile(errorSchema) };
};

let validator: Promise<DocumentValidator> | undefined;
const documentValidator = (): Promise<DocumentValidator> => (validator ??= loadValidator());

/** Loads docs/openapi.yaml and compiles every response schema; call before the first request (a beforeAll). */
export const prepareResponseValidation = async (): Promise<void> => {
  await documentValidator();
};

/** One line per Ajv error, with the offending value. */
const describeErrors = (prefix: string, body: unknown, errors: readonly ErrorObject[]): string[] =>
  errors.map((error) => {
    const where = error.instancePath === '' ? '(body)' : error.instancePath;
    const params = Object.keys(error.params).length === 0 ? '' : ` ${JSON.stringify(error.params)}`;
    return `${prefix} ${where}: ${error.message ?? error.keyword}${params}; got ${valueAt(body, error.instancePath)} (schema ${error.schemaPath})`;
  });

const parseJson = (text: string): { ok: true; value: unknown } | { ok: false } => {
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch {
    return { ok: false };
  }
};

/** The documented response for a status: the exact code, then its class (`4XX`), then `default`. */
const documentedResponse = (operation: Operation, status: number): { key: string; response: ResponseObject } | undefined => {
  const responses: Record<string, unknown> = operation.responses ?? {};
  for (const key of [String(status), `${Math.floor(status / 100)}XX`, 'default']) {
    const response = responses[key];
    if (isRecord(response)) return { key, response };
  }
  return undefined;
};

/** The value at a JSON pointer of the body, shortened for a message. */
const valueAt = (body: unknown, pointer: string): string => {
  let node: unknown = body;
  for (const raw of pointer.split('/').slice(1)) {
    const segment = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    node = isRecord(node) ? node[segment] : Array.isArray(node) ? node[Number(segment)] : undefined;
  }
  const text = JSON.stringify(node) ?? 'undefined';
  return text.length > 120 ? `${text.slice(0, 117)}...` : text;
};

const mediaTypeOf = (headers: Headers): string => (headers.get('content-type') ?? '').split(';')[0]?.trim().toLowerCase() ?? '';

/** `operationId status` of every response checked so far in this test file. */
const exercised = new Set<string>();

/** `operationId status` of every response checked so far in this test file (they need not have conformed). */
export const exercisedOperations = (): ReadonlySet<string> => exercised;

/** The operationId of every operation in the document. */
export const documentedOperationIds = async (): Promise<string[]> =>
  (await documentValidator()).backend.getOperations().map((operation) => operation.operationId ?? `${operation.method} ${operation.path}`);

/** Header schemas are few and shared (the document is dereferenced), so each compiles once. */
const headerValidators = new WeakMap<object, ValidateFunction>();
const headerAjv = newAjv({ coerceTypes: true });

/** Documented headers that are present must fit their schema (`retry-after`, `idempotent-replayed`, ...). */
const headerViolations = (operationName: string, documented: { key: string; response: ResponseObject }, headers: Headers): string[] =>
  Object.entries(documented.response.headers ?? {}).flatMap(([name, header]) => {
    const value = headers.get(name);
    if (value === null || !isRecord(header) || !isRecord(header.schema)) return [];
    let validate = headerValidators.get(header.schema);
    if (validate === undefined) {
      // Wrapped in an object so coerceTypes can turn the header's text into the schema's type (`retry-after: 1`).
      validate = headerAjv.compile({ type: 'object', properties: { value: header.schema } });
      headerValidators.set(header.schema, validate);
    }
    return validate({ value }) ? [] : [`${operationName} ${documented.key} header ${name}: ${headerAjv.errorsText(validate.errors)}; got ${JSON.stringify(value)}`];
  });

/** What is wrong with the media type and body of a response to a documented status. */
const bodyViolations = (
  backend: OpenAPIBackend,
  operation: Operation,
  operationName: string,
  documented: { key: string; response: ResponseObject },
  observed: ObservedResponse,
): string[] => {
  const mediaType = mediaTypeOf(observed.headers);
  const content = documented.response.content ?? {};
  const mediaTypes = Object.keys(content);
  if (mediaTypes.length === 0) {
    return observed.body === '' ? [] : [`${operationName} ${documented.key} documents no body, yet one came (${mediaType || 'no content-type'})`];
  }
  if (!mediaTypes.includes(mediaType)) {
    return [`content-type ${mediaType || '(none)'} is not documented for ${operationName} ${documented.key} (documented: ${mediaTypes.join(', ')})`];
  }
  if (mediaType !== 'application/json') return [];
  const parsed = parseJson(observed.body);
  if (!parsed.ok) return [`${operationName} ${documented.key}: the body is not JSON: ${observed.body.slice(0, 200)}`];
  const result = backend.validator.validateResponse(parsed.value, operation, observed.status);
  return describeErrors(`${operationName} ${documented.key}`, parsed.value, result.errors ?? []);
};

/**
 * What is wrong with a response according to docs/openapi.yaml, one line each; empty when it conforms, and for
 * the paths that are not part of the API.
 */
export const responseViolations = async (observed: ObservedResponse): Promise<string[]> => {
  const { pathname } = new URL(observed.url);
  if (EXCLUDED_PATH_PREFIXES.some((prefix) => pathname.startsWith(prefix))) return [];
  const { backend, validateError } = await documentValidator();
  const operation = backend.router.matchOperation({ method: observed.method.toLowerCase(), path: pathname, headers: {} });
  const mediaType = mediaTypeOf(observed.headers);
  if (operation === undefined) {
    // No operation: the catch-all route must answer the documented 404 `route_not_found` error.
    if (observed.status !== 404) return [`no operation in the document matches ${observed.method} ${pathname}, yet it answered ${observed.status} (expected 404 route_not_found)`];
    const parsed = parseJson(observed.body);
    if (mediaType !== 'application/json' || !parsed.ok) return [`the 404 for unrouted ${observed.method} ${pathname} is not a JSON error`];
    return validateError(parsed.value) ? [] : describeErrors('unrouted 404', parsed.value, validateError.errors ?? []);
  }
  const operationName = operation.operationId ?? `${operation.method} ${operation.path}`;
  exercised.add(`${operationName} ${observed.status}`);
  const documented = documentedResponse(operation, observed.status);
  if (documented === undefined) {
    return [`status ${observed.status} is not documented for ${operationName} (documented: ${Object.keys(operation.responses ?? {}).join(', ')})`];
  }
  return [...headerViolations(operationName, documented, observed.headers), ...bodyViolations(backend, operation, operationName, documented, observed)];
};

/** Every violation seen since the last `takeViolations()`, so a failure inside a polling loop is not lost. */
const seen: string[] = [];

/** Returns and forgets the violations seen so far. */
export const takeViolations = (): string[] => seen.splice(0, seen.length);

const MAX_VIOLATIONS_SHOWN = 25;

/** The readable failure for one response. */
export const describeViolations = (observed: ObservedResponse, violations: string[]): string => {
  const { pathname, search } = new URL(observed.url);
  const excerpt = observed.body.length > 600 ? `${observed.body.slice(0, 600)}...` : observed.body;
  // A oneOf that fails reports every variant's errors; the first ones are enough to find the drift.
  const shown = violations.slice(0, MAX_VIOLATIONS_SHOWN);
  const hidden = violations.length - shown.length;
  return [
    `${observed.method} ${pathname}${search} answered ${observed.status} (${observed.headers.get('content-type') ?? 'no content-type'}), which docs/openapi.yaml does not describe:`,
    ...shown.map((violation) => `  - ${violation}`),
    ...(hidden > 0 ? [`  - ... and ${hidden} more`] : []),
    `  body: ${excerpt}`,
  ].join('\n');
};

/** Thrown by `validatedFetch` when a response is not what docs/openapi.yaml says. */
export class OpenApiViolationError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'OpenApiViolationError';
  }
}

/**
 * `fetch` for the e2e tests: the same response, after checking it against docs/openapi.yaml. A violation throws
 * (the test that made the request fails there) and is also kept for `takeViolations()`.
 */
export const validatedFetch = async (input: string | URL, init: RequestInit = {}): Promise<Response> => {
  const response = await fetch(input, init);
  const observed: ObservedResponse = {
    method: (init.method ?? 'GET').toUpperCase(),
    url: String(input),
    status: response.status,
    headers: response.headers,
    body: await response.clone().text(),
  };
  const violations = await responseViolations(observed);
  if (violations.length > 0) {
    const message = describeViolations(observed, violations);
    seen.push(message);
    throw new OpenApiViolationError(message);
  }
  return response;
};
