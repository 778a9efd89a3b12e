import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import addFormats from 'ajv-formats';
import { OpenAPIBackend, type Request as BackendRequest } from 'openapi-backend';
import { withFileFormats } from './file-formats';

/**
 * Holds Open Banking traffic to the official OpenAPI files in ./specs (OpenAPI 3.0, kept byte-identical): the mock
 * banks check every request Settled sends and every response they give, and the adapter's tests check every request
 * it builds. A violation is a list of messages naming the operation and the schema path; an empty list conforms.
 */
export const OBIE_VERSIONS = ['v3.1.11', 'v4.0'] as const;
export type ObieVersion = (typeof OBIE_VERSIONS)[number];

export const OBIE_APIS = ['payment-initiation', 'account-info', 'events', 'event-notifications', 'vrp'] as const;
export type ObieApi = (typeof OBIE_APIS)[number];

/** One HTTP exchange as the validator sees it. `path` is the full path, e.g. `/open-banking/v4.0/pisp/domestic-payments`. */
export interface ObieRequest {
  readonly method: string;
  readonly path: string;
  readonly query?: Readonly<Record<string, string | string[]>>;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  readonly body?: unknown;
}

export interface ObieValidation {
  /** The operationId the request routed to, or undefined when no operation of the version has that method and path. */
  readonly operationId: string | undefined;
  readonly violations: readonly string[];
}

interface ApiBackend {
  readonly root: string;
  readonly backend: OpenAPIBackend;
}

const specPath = (version: ObieVersion, api: ObieApi): string =>
  fileURLToPath(new URL(`./specs/${version}/${api}-openapi.json`, import.meta.url));

const isRecord = (value: unknown): value is Record<string, unknown> => value !== null && typeof value === 'object' && !Array.isArray(value);

/** The `servers[0].url` of a spec, e.g. `/open-banking/v3.1/pisp`: where its paths are rooted. */
const serverRoot = (definition: unknown): string => {
  const servers = isRecord(definition) ? definition.servers : undefined;
  const first: unknown = Array.isArray(servers) ? servers[0] : undefined;
  const url = isRecord(first) ? first.url : undefined;
  if (typeof url !== 'string') throw new Error('An Open Banking spec has no servers[0].url');
  return url.replace(/\/$/, '');
};

const loadApi = async (version: ObieVersion, api: ObieApi): Promise<ApiBackend> => {
  const definition: unknown = JSON.parse(readFileSync(specPath(version, api), 'utf8'));
  // The spec's `File` is an empty placeholder: file payments are checked against the file formats (file-formats.ts).
  if (api === 'payment-initiation') withFileFormats(version, definition);
  const root = serverRoot(definition);
  const backend = new OpenAPIBackend({
    // openapi-backend's own types for the document; the file is the official one, loaded as it is.
    definition: definition as ConstructorParameters<typeof OpenAPIBackend>[0]['definition'],
    apiRoot: root,
    quick: true,
    strict: false,
    validate: true,
    customizeAjv: (ajv) => {
      addFormats(ajv);
      return ajv;
    },
  });
  await backend.init();
  return { root, backend };
};

const errorsOf = (operationId: string, where: string, errors: readonly { instancePath?: string; message?: string; params?: unknown }[] | null | undefined): string[] =>
  (errors ?? []).map((error) => `${operationId} ${where}${error.instancePath ?? ''}: ${error.message ?? 'invalid'}${error.params === undefined ? '' : ` ${JSON.stringify(error.params)}`}`);

const headerRecord = (headers: ObieRequest['headers']): Record<string, string | string[]> => {
  const out: Record<string, string | string[]> = {};
  for (const [name, value] of Object.entries(headers)) if (value !== undefined) out[name.toLowerCase()] = value;
  return out;
};

export class ObieSpecValidator {
  private constructor(
    readonly version: ObieVersion,
    private readonly apis: readonly ApiBackend[],
  ) {}

  static async load(version: ObieVersion): Promise<ObieSpecValidator> {
    return new ObieSpecValidator(version, await Promise.all(OBIE_APIS.map((api) => loadApi(version, api))));
  }

  private route(request: ObieRequest): { api: ApiBackend; backendRequest: BackendRequest; operationId: string } | undefined {
    // Longest root first: `/open-banking/v3.1` (events) is a prefix of `/open-banking/v3.1/pisp`.
    const candidates = [...this.apis].sort((a, b) => b.root.length - a.root.length);
    for (const api of candidates) {
      if (!request.path.startsWith(`${api.root}/`)) continue;
      const backendRequest: BackendRequest = {
        method: request.method.toLowerCase(),
        path: request.path,
        query: request.query ?? {},
        headers: headerRecord(request.headers),
        body: request.body,
      };
      const operation = api.backend.matchOperation(backendRequest);
      if (operation?.operationId !== undefined) return { api, backendRequest, operationId: operation.operationId };
    }
    return undefined;
  }

  /** Checks a request against the operation it routes to: path, query and header parameters, and the JSON body. */
  validateRequest(request: ObieRequest): ObieValidation {
    const routed = this.route(request);
    if (routed === undefined) return { operationId: undefined, violations: [`${this.version}: no operation ${request.method.toUpperCase()} ${request.path}`] };
    const result = routed.api.backend.validateRequest(routed.backendRequest, routed.operationId);
    return { operationId: routed.operationId, violations: result.valid ? [] : errorsOf(routed.operationId, 'request', result.errors) };
  }

  /** Checks a response body against the schema the operation documents for that status. */
  validateResponse(operationId: string, status: number, body: unknown): readonly string[] {
    const api = this.apis.find((candidate) => candidate.backend.getOperation(operationId) !== undefined);
    if (api === undefined) return [`${this.version}: no operation ${operationId}`];
    const result = api.backend.validateResponse(body, operationId, status);
    return result.valid ? [] : errorsOf(operationId, `response ${status}`, result.errors);
  }
}
