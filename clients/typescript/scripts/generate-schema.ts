import { readFile } from 'node:fs/promises';
import openapiTS, { astToString } from 'openapi-typescript';

/** The contract the client is generated from, and the generated file that is checked in. */
export const OPENAPI_DOCUMENT = new URL('../../../docs/openapi.yaml', import.meta.url);
export const SCHEMA_FILE = new URL('../src/schema.ts', import.meta.url);

const HEADER = `/**
 * Generated from docs/openapi.yaml by openapi-typescript (\`npm run client:generate\`). Do not edit by hand:
 * a unit test (test/unit/clients/typescript/schema-current.test.ts) fails when this file is not what the generator
 * makes of the current document.
 */

`;

/** The TypeScript types openapi-typescript makes of docs/openapi.yaml, as the text of src/schema.ts. */
export const generateSchemaSource = async (): Promise<string> => {
  const document = await readFile(OPENAPI_DOCUMENT, 'utf8');
  const ast = await openapiTS(document);
  return `${HEADER}${astToString(ast)}`;
};
