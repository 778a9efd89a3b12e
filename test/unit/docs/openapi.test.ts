import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Validator } from '@seriousme/openapi-schema-validator';
import Ajv2020 from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { DEFAULT_ROUTE_PATH, httpRoutes } from '../../../infra/topology';

/** docs/openapi.yaml must be a valid OpenAPI 3.1 document that describes every route the API serves. */
const DOCUMENT_PATH = fileURLToPath(new URL('../../../docs/openapi.yaml', import.meta.url));

type OpenApiDocument = {
  openapi: string;
  paths?: Record<string, Record<string, unknown>>;
  webhooks?: Record<string, unknown>;
  components?: { schemas?: Record<string, unknown> };
};

const loadDocument = (): OpenApiDocument => parse(readFileSync(DOCUMENT_PATH, 'utf8')) as OpenApiDocument;

const HTTP_METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];

/** `METHOD /path` of every operation in the document. */
const documentedOperations = (document: OpenApiDocument): string[] =>
  Object.entries(document.paths ?? {}).flatMap(([path, item]) =>
    Object.keys(item)
      .filter((key) => HTTP_METHODS.includes(key))
      .map((method) => `${method.toUpperCase()} ${path}`),
  );

/** Every route of infra/topology.ts except the `$default` catch-all, as `METHOD /path` (`{param}` paths as they are). */
const servedRoutes = (): string[] =>
  httpRoutes.filter((route) => route.path !== DEFAULT_ROUTE_PATH).map((route) => `${route.method} ${route.path}`);

/** Every route whose `METHOD /path` has no operation in the document. */
const undocumentedRoutes = (document: OpenApiDocument): string[] => {
  const documented = new Set(documentedOperations(document));
  return servedRoutes().filter((route) => !documented.has(route));
};

/** Every local `$ref` (`#/…`) in the document that points at nothing. */
const danglingRefs = (document: unknown): string[] => {
  const resolves = (ref: string): boolean => {
    let node: unknown = document;
    for (const raw of ref.slice(2).split('/')) {
      const segment = raw.replace(/~1/g, '/').replace(/~0/g, '~');
      if (node === null || typeof node !== 'object' || !(segment in node)) return false;
      node = (node as Record<string, unknown>)[segment];
    }
    return true;
  };
  const dangling: string[] = [];
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) node.forEach(walk);
    else if (node !== null && typeof node === 'object') {
      for (const [key, value] of Object.entries(node)) {
        if (key === '$ref' && typeof value === 'string' && value.startsWith('#/') && !resolves(value)) dangling.push(value);
        else walk(value);
      }
    }
  };
  walk(document);
  return dangling;
};

/** Where the component schemas live for Ajv: `#/components/schemas/X` becomes `${SCHEMAS_ID}#/$defs/X`. */
const SCHEMAS_ID = 'urn:settled:openapi';

/** Points every component schema reference at the Ajv copy of the components. */
const retargetRefs = <T>(node: T): T =>
  JSON.parse(JSON.stringify(node).replaceAll('"#/components/schemas/', `"${SCHEMAS_ID}#/$defs/`)) as T;

/**
 * A strict JSON Schema 2020-12 validator (the dialect of OpenAPI 3.1) holding the document's component schemas:
 * unknown keywords (a misspelt `minLenght`), bad types and broken references fail to compile. The OpenAPI
 * vocabulary's own keywords are allowed.
 */
const schemaValidator = (document: OpenApiDocument) => {
  const ajv = new Ajv2020({ strict: true, strictTypes: false, strictRequired: false, allErrors: true });
  addFormats(ajv);
  for (const keyword of ['discriminator', 'example', 'xml', 'externalDocs']) ajv.addKeyword(keyword);
  ajv.addSchema({ $id: SCHEMAS_ID, $defs: retargetRefs(document.components?.schemas ?? {}) });
  return ajv;
};

/** Every `examples` list of a schema and every example of a media type, with the schema it must satisfy. */
const examplesOf = (document: OpenApiDocument): { where: string; schema: unknown; example: unknown }[] => {
  const found: { where: string; schema: unknown; example: unknown }[] = [];
  const walk = (node: unknown, where: string, parentKey: string): void => {
    if (Array.isArray(node)) {
      node.forEach((item, index) => walk(item, `${where}/${index}`, ''));
      return;
    }
    if (node === null || typeof node !== 'object') return;
    const record = node as Record<string, unknown>;
    // A schema's `examples` is a list of instances (skipping a property map's entry that happens to be named so).
    if (parentKey !== 'properties' && Array.isArray(record.examples) && where.includes('schema')) {
      const { examples, ...schema } = record;
      (examples as unknown[]).forEach((example, index) => found.push({ where: `${where}/examples/${index}`, schema, example }));
    }
    // A media type's `examples` is a map of Example Objects.
    if (record.schema !== undefined && record.examples !== null && typeof record.examples === 'object' && !Array.isArray(record.examples)) {
      for (const [name, example] of Object.entries(record.examples as Record<string, { value?: unknown }>)) {
        found.push({ where: `${where}/examples/${name}`, schema: record.schema, example: example.value });
      }
    }
    for (const [key, value] of Object.entries(record)) walk(value, `${where}/${key}`, key);
  };
  walk(document, '#', '');
  return found;
};

type VariantSchema = { required?: string[]; properties?: Record<string, { enum?: unknown[]; const?: unknown }> };
type DiscriminatedSchema = { oneOf?: { $ref?: string }[]; discriminator?: { propertyName: string; mapping?: Record<string, string> } };

/**
 * For each component schema with a `discriminator`, what a strict oneOf validator and a client generator both
 * need: each variant a `$ref` that requires the property and allows only its own values (enum/const), no value in
 * two variants, and a mapping that sends every value to the variant that allows it.
 */
const discriminatorProblems = (document: OpenApiDocument): string[] => {
  const schemas = (document.components?.schemas ?? {}) as Record<string, DiscriminatedSchema & VariantSchema>;
  return Object.entries(schemas).flatMap(([name, schema]) => {
    if (schema.discriminator === undefined) return [];
    const { propertyName, mapping = {} } = schema.discriminator;
    const owner = new Map<string, string>();
    const problems: string[] = [];
    for (const variant of schema.oneOf ?? []) {
      const ref = variant.$ref ?? '';
      const target = schemas[ref.replace('#/components/schemas/', '')];
      const property = target?.properties?.[propertyName];
      const values = property?.enum ?? (property?.const === undefined ? undefined : [property.const]);
      if (target === undefined || values === undefined) {
        problems.push(`${name}: variant ${ref || '(inline)'} has no enum/const ${propertyName}`);
        continue;
      }
      if (!(target.required ?? []).includes(propertyName)) problems.push(`${name}: ${ref} does not require ${propertyName}`);
      for (const value of values.map(String)) {
        if (owner.has(value)) problems.push(`${name}: ${propertyName} ${value} is allowed by ${owner.get(value)} and ${ref}`);
        owner.set(value, ref);
        if (mapping[value] !== ref) problems.push(`${name}: mapping of ${value} is ${mapping[value]}, not ${ref}`);
      }
    }
    for (const value of Object.keys(mapping)) if (!owner.has(value)) problems.push(`${name}: mapping names ${value}, which no variant allows`);
    return problems;
  });
};

describe('docs/openapi.yaml', () => {
  it('is a valid OpenAPI 3.1 document', async () => {
    const document = loadDocument();
    expect(document.openapi).toMatch(/^3\.1\.\d+$/);
    const validator = new Validator();
    const result = await validator.validate(document as unknown as Record<string, unknown>);
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
    expect(validator.version).toBe('3.1');
  }, 30_000);

  it('has component schemas that are valid JSON Schema 2020-12', () => {
    const document = loadDocument();
    const ajv = schemaValidator(document);
    for (const name of Object.keys(document.components?.schemas ?? {})) {
      expect(() => ajv.compile({ $ref: `${SCHEMAS_ID}#/$defs/${name}` }), name).not.toThrow();
    }
  }, 30_000);

  it('tells the variants of every discriminated oneOf apart by the discriminator alone', () => {
    const document = loadDocument();
    expect(Object.values(document.components?.schemas ?? {}).filter((schema) => (schema as DiscriminatedSchema).discriminator !== undefined).length).toBeGreaterThanOrEqual(2);
    expect(discriminatorProblems(document)).toEqual([]);
  });

  it('notices two variants that allow the same discriminator value', () => {
    const document = loadDocument();
    const schemas = structuredClone(document.components?.schemas ?? {}) as Record<string, VariantSchema>;
    const cashEvent = schemas.CashPositionUpdatedEvent?.properties?.type;
    if (cashEvent === undefined) throw new Error('CashPositionUpdatedEvent has no type');
    cashEvent.enum = ['cash_position.updated', 'payment.settled'];
    expect(discriminatorProblems({ ...document, components: { schemas } })).toContain(
      'Event: type payment.settled is allowed by #/components/schemas/PaymentEvent and #/components/schemas/CashPositionUpdatedEvent',
    );
  });

  it('has examples that satisfy their schemas', () => {
    const document = loadDocument();
    const ajv = schemaValidator(document);
    const examples = examplesOf(document);
    expect(examples.length).toBeGreaterThan(10);
    const failures = examples.flatMap(({ where, schema, example }) => {
      const validate = ajv.compile(retargetRefs(schema as object));
      return validate(example) ? [] : [{ where, errors: validate.errors }];
    });
    expect(failures).toEqual([]);
  }, 30_000);

  it('has no $ref that points at nothing', () => {
    expect(danglingRefs(loadDocument())).toEqual([]);
  });

  it('documents every HTTP route of infra/topology.ts', () => {
    expect(servedRoutes().length).toBeGreaterThan(0);
    expect(undocumentedRoutes(loadDocument())).toEqual([]);
  });

  it('documents no operation that infra/topology.ts does not route', () => {
    const served = new Set(servedRoutes());
    expect(documentedOperations(loadDocument()).filter((operation) => !served.has(operation))).toEqual([]);
  });

  it('notices a route that is missing from the document', () => {
    const document = loadDocument();
    const [first] = servedRoutes();
    if (first === undefined) throw new Error('infra/topology.ts has no routes');
    const [method = '', path = ''] = first.split(' ');
    const { [method.toLowerCase()]: _removed, ...rest } = document.paths?.[path] ?? {};
    const withoutFirst = { ...document, paths: { ...document.paths, [path]: rest } };
    expect(undocumentedRoutes(withoutFirst)).toContain(first);
  });

  it('describes tenant callbacks as a webhook', () => {
    expect(Object.keys(loadDocument().webhooks ?? {})).not.toHaveLength(0);
  });
});
